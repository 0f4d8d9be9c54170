/** Memory footprint per layer of a network: neuron state, weights and peak on-chip bytes, side by side. */
import type { Chart } from '../chart.ts';
import { barChart } from '../svg/bars.ts';
import { bytesUnit } from '../svg/units.ts';
import type { LayerView, NetworkView } from '../views.ts';

const FIELDS: readonly (readonly [keyof LayerView & ('stateBytes' | 'weightBytes' | 'peakOnchipBytes'), string])[] = [
  ['stateBytes', 'neuron state'],
  ['weightBytes', 'weights'],
  ['peakOnchipBytes', 'peak on-chip'],
];

export function layerMemoryChart(n: NetworkView, id: string): Chart | undefined {
  const fields = FIELDS.filter(([k]) => n.layers.some((l) => l[k] !== undefined));
  if (fields.length === 0) return undefined;
  const max = Math.max(...n.layers.flatMap((l) => fields.map(([k]) => l[k] ?? 0)));
  return barChart({
    id,
    title: 'Memory footprint per layer: state, weights, peak on-chip',
    caption: 'For each layer: the bytes of neuron state it carries across timesteps, its weights, and the peak on-chip bytes while it runs (as present in the input).',
    series: fields.map(([, label]) => label),
    rows: n.layers.map((l) => ({ label: l.name, values: fields.map(([k]) => l[k] ?? 0) })),
    unit: bytesUnit(max),
    quantity: 'memory',
    mode: 'grouped',
  });
}
