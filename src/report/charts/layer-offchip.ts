/** Off-chip traffic per layer of a network, stacked by tensor kind (weights, spikes, activations, psums, state). */
import type { Chart } from '../chart.ts';
import { barChart } from '../svg/bars.ts';
import { bytesUnit } from '../svg/units.ts';
import type { NetworkView } from '../views.ts';

/** Kinds in the order the layers list them, and each layer's bytes per kind (0 where a layer does not list it). */
export function layerOffchipSplit(n: NetworkView): { kinds: string[]; rows: { label: string; values: number[] }[] } {
  const kinds: string[] = [];
  for (const l of n.layers) for (const [k, b] of l.offchipByKind) if (b > 0 && !kinds.includes(k)) kinds.push(k);
  return { kinds, rows: n.layers.map((l) => ({ label: l.name, values: kinds.map((k) => l.offchipByKind.find(([x]) => x === k)?.[1] ?? 0) })) };
}

export function layerOffchipChart(n: NetworkView, id: string): Chart | undefined {
  if (!n.layers.some((l) => l.offchipByKind.length > 0)) return undefined;
  const { kinds, rows } = layerOffchipSplit(n);
  if (kinds.length === 0) return undefined;
  const max = Math.max(...rows.map((r) => r.values.reduce((a, b) => a + b, 0)));
  return barChart({
    id,
    title: 'Off-chip traffic per layer, by tensor kind',
    caption: 'Bytes each layer moves between DRAM and the chip (loads, write-backs and streamed data), split by what they are; a layer without a bar moves nothing off chip.',
    series: kinds,
    rows,
    unit: bytesUnit(max),
    quantity: 'off-chip traffic',
  });
}
