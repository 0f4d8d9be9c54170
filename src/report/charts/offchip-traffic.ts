/** Off-chip traffic per tensor (evaluation) or per tensor kind (network: weights, spikes, activations, psums, state). */
import type { Chart } from '../chart.ts';
import { barChart } from '../svg/bars.ts';
import { bytesUnit } from '../svg/units.ts';

export function offchipChart(name: string, byKind: readonly (readonly [string, number])[], id: string, what: 'tensor' | 'tensor kind' = 'tensor'): Chart | undefined {
  if (byKind.length === 0) return undefined;
  const total = byKind.reduce((a, [, b]) => a + b, 0);
  const max = Math.max(...byKind.map(([, b]) => b));
  return barChart({
    id,
    title: `Off-chip traffic per ${what}: ${name}`,
    caption: `Bytes moved between DRAM and the chip for each ${what} (reads, fills and write-backs), with its share of the total.`,
    series: ['off-chip bytes'],
    rows: byKind.map(([label, b]) => ({ label, values: [b], note: `${b.toLocaleString('en-US')} B${total > 0 ? ` (${((100 * b) / total).toFixed(1)}%)` : ''}` })),
    unit: bytesUnit(max),
    quantity: 'off-chip traffic',
  });
}
