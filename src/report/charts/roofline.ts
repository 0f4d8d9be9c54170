/** Bandwidth roofline per level: the cycles each level's traffic needs at its bandwidth, against compute cycles. */
import type { Chart } from '../chart.ts';
import { barChart, type BarRow } from '../svg/bars.ts';
import { countUnit } from '../svg/units.ts';
import type { EvalView } from '../views.ts';

export function rooflineChart(e: EvalView, id: string): Chart | undefined {
  const levels = e.levels.filter((l) => l.cycles !== undefined);
  if (levels.length === 0) return undefined;
  const bottleneck = e.timing.bottleneck;
  const rows: BarRow[] = levels.map((l) => {
    const thr = l.throttling;
    const note = `${(l.cycles ?? 0).toLocaleString('en-US')}${thr !== undefined && thr < 1 ? `, throttles compute to ${(100 * thr).toFixed(1)}%` : ''}${l.name === bottleneck ? ' (bottleneck)' : ''}`;
    return { label: l.name, values: [l.cycles ?? 0], highlight: l.name === bottleneck, note };
  });
  if (e.timing.computeCycles !== undefined) {
    rows.push({ label: 'compute', values: [e.timing.computeCycles], highlight: bottleneck === 'compute', note: `${e.timing.computeCycles.toLocaleString('en-US')}${bottleneck === 'compute' ? ' (bottleneck)' : ''}` });
  }
  return barChart({
    id,
    title: `Roofline per level: cycles needed vs total: ${e.name}`,
    caption: 'Cycles each level needs to move its traffic at its bandwidth (and the compute array at full rate); the slowest one bounds the run (bold, outlined). The dashed line is the total cycle count.',
    series: ['cycles needed'],
    rows,
    unit: countUnit('cycles'),
    quantity: 'cycles',
    refLine: { value: e.totals.cycles, label: `total cycles (${e.timing.model ?? 'timing'})` },
  });
}
