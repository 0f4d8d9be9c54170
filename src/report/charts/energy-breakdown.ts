/** Energy breakdown of one evaluation: one bar per memory level stacked by tensor, and one for compute by action. */
import type { Chart } from '../chart.ts';
import { barChart, type BarRow } from '../svg/bars.ts';
import { energyUnit } from '../svg/units.ts';
import type { EvalView, LevelView } from '../views.ts';

/** Energy of a level not attributed to any tensor (e.g. leakage), when the JSON's level total is larger. */
export function unattributed(levelPJ: number, tensorsPJ: number): number {
  const rest = levelPJ - tensorsPJ;
  return rest > 1e-9 * Math.max(1, Math.abs(levelPJ)) ? rest : 0;
}

export const tensorSum = (l: LevelView): number => l.tensors.reduce((a, t) => a + (t.energy_pJ ?? 0), 0);

export function energyBreakdownChart(e: EvalView, id: string): Chart | undefined {
  if (e.levels.length === 0 && e.compute.length === 0) return undefined;
  const tensors: string[] = [];
  for (const l of e.levels) for (const t of l.tensors) if (t.energy_pJ !== undefined && !tensors.includes(t.name)) tensors.push(t.name);
  const other = e.levels.some((l) => unattributed(l.energy_pJ, tensorSum(l)) > 0);
  const st = e.staticEnergy;
  const idle = st?.computeIdle ?? 0;
  const actions = [...e.compute.map((c) => `compute: ${c.action}`), ...(idle > 0 ? ['compute: idle (static)'] : [])];
  const otherLabel = tensors.length === 0 ? 'level energy (no tensor split in the input)' : 'other (not per tensor)';
  const series = [...tensors, ...(other ? [otherLabel] : []), ...(st ? ['static (leakage)'] : []), ...actions];
  const staticAt = series.indexOf('static (leakage)');
  const rows: BarRow[] = e.levels.map((l) => {
    const v = new Array<number>(series.length).fill(0);
    for (const t of l.tensors) if (t.energy_pJ !== undefined) v[tensors.indexOf(t.name)] += t.energy_pJ;
    if (other) v[tensors.length] = unattributed(l.energy_pJ, tensorSum(l));
    if (st && staticAt >= 0) v[staticAt] = st.levels.find(([n]) => n === l.name)?.[1] ?? 0;
    return { label: l.name, values: v };
  });
  if (actions.length > 0) {
    const v = new Array<number>(series.length).fill(0);
    const first = series.length - actions.length;
    e.compute.forEach((c, i) => (v[first + i] = c.energy_pJ));
    if (idle > 0) v[series.length - 1] = idle;
    rows.push({ label: 'compute', values: v });
  }
  const max = Math.max(...rows.map((r) => r.values.reduce((a, b) => a + b, 0)));
  return barChart({
    id,
    title: `Energy by level, tensor and compute action: ${e.name}`,
    caption: `Each bar is one memory level (outermost first)${tensors.length > 0 ? ' split by tensor' : ''}, plus the compute array split by action; the number after a bar is its total.`,
    series,
    rows,
    unit: energyUnit(max),
    quantity: 'energy',
  });
}
