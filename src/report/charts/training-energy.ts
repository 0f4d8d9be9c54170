/** Energy of a training step by phase (forward, backward, weight gradient), stacked by level when known. */
import type { Chart } from '../chart.ts';
import { barChart } from '../svg/bars.ts';
import { energyUnit } from '../svg/units.ts';
import type { TrainingView } from '../views.ts';

export function trainingEnergyChart(t: TrainingView, id: string): Chart | undefined {
  if (t.phases.length === 0) return undefined;
  const levels: string[] = [];
  for (const p of t.phases) for (const [l] of p.byLevel) if (!levels.includes(l)) levels.push(l);
  const rest = t.phases.some((p) => p.energy_pJ - p.byLevel.reduce((a, [, v]) => a + v, 0) > 1e-9 * Math.max(1, p.energy_pJ));
  const series = [...levels, ...(rest ? [levels.length > 0 ? 'compute and other' : 'energy'] : [])];
  const rows = t.phases.map((p) => {
    const v = new Array<number>(series.length).fill(0);
    for (const [l, e] of p.byLevel) v[levels.indexOf(l)] += e;
    if (rest) v[levels.length] = Math.max(0, p.energy_pJ - p.byLevel.reduce((a, [, x]) => a + x, 0));
    return { label: p.name, values: v };
  });
  return barChart({
    id,
    title: `Training step energy by phase: ${t.name}`,
    caption: 'Energy of each training phase; split by memory level where the input gives one, the rest is compute and anything not attributed to a level.',
    series,
    rows,
    unit: energyUnit(Math.max(...t.phases.map((p) => p.energy_pJ))),
    quantity: 'energy',
  });
}
