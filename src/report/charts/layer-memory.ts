/** Memory footprint per layer of a network: neuron state, weights and peak on-chip bytes (those present), side by side. */
import type { Chart } from '../chart.ts';
import { barChart } from '../svg/bars.ts';
import { bytesUnit } from '../svg/units.ts';
import type { LayerView, NetworkView } from '../views.ts';

export const MEMORY_FIELDS: readonly (readonly [keyof LayerView & ('stateBytes' | 'weightBytes' | 'peakOnchipBytes'), string])[] = [
  ['stateBytes', 'neuron state'],
  ['weightBytes', 'weights'],
  ['peakOnchipBytes', 'peak on-chip'],
];

export function layerMemoryChart(n: NetworkView, id: string): Chart | undefined {
  const fields = MEMORY_FIELDS.filter(([k]) => n.layers.some((l) => l[k] !== undefined));
  if (fields.length === 0) return undefined;
  const max = Math.max(...n.layers.flatMap((l) => fields.map(([k]) => l[k] ?? 0)));
  const names = fields.map(([, label]) => label);
  const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  return barChart({
    id,
    title: `Memory per layer: ${list}`,
    caption: `For each layer (as present in the input): ${[
      fields.some(([k]) => k === 'stateBytes') ? 'the bytes of neuron state it carries across timesteps' : '',
      fields.some(([k]) => k === 'weightBytes') ? 'its weights' : '',
      fields.some(([k]) => k === 'peakOnchipBytes') ? 'the peak on-chip bytes while it runs' : '',
    ].filter(Boolean).join(', ')}.`,
    series: names,
    rows: n.layers.map((l) => ({ label: l.name, values: fields.map(([k]) => l[k] ?? 0) })),
    unit: bytesUnit(max),
    quantity: 'memory',
    mode: 'grouped',
  });
}
