/** Memory each training scheme needs: stored activations (BPTT, OTTT/SAF, reversible) and their DRAM traffic. */
import type { Chart } from '../chart.ts';
import { barChart } from '../svg/bars.ts';
import { bytesUnit } from '../svg/units.ts';
import type { SchemeView, TrainingView } from '../views.ts';

const FIELDS: readonly (readonly ['memoryBytes' | 'dramBytes', string])[] = [
  ['memoryBytes', 'stored between forward and backward'],
  ['dramBytes', 'DRAM traffic of storing and re-reading'],
];

export function trainingMemoryChart(t: TrainingView, id: string): Chart | undefined {
  const fields = FIELDS.filter(([k]) => t.schemes.some((s: SchemeView) => s[k] !== undefined));
  if (fields.length === 0) return undefined;
  return barChart({
    id,
    title: `Activation memory by training scheme: ${t.name}`,
    caption: 'Bytes each training scheme keeps between the forward and the backward pass, and the DRAM traffic that costs.',
    series: fields.map(([, l]) => l),
    rows: t.schemes.map((s) => ({ label: s.name, values: fields.map(([k]) => s[k] ?? 0) })),
    unit: bytesUnit(Math.max(...t.schemes.flatMap((s) => fields.map(([k]) => s[k] ?? 0)))),
    quantity: 'memory',
    mode: 'grouped',
  });
}
