/**
 * Energy of a training step: by phase (forward, backward, weight gradient) stacked by memory level and compute
 * action, with the step's static energy as its own bar; and by training scheme, split into the step and what
 * the scheme adds (retention of stored activations, extra forward passes, recomputation).
 */
import type { Chart } from '../chart.ts';
import { barChart } from '../svg/bars.ts';
import { energyUnit } from '../svg/units.ts';
import type { SchemeView, TrainingView } from '../views.ts';

const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(a), Math.abs(b));

export function trainingEnergyChart(t: TrainingView, id: string): Chart | undefined {
  if (t.phases.length === 0) return undefined;
  const levels: string[] = [];
  const actions: string[] = [];
  for (const p of t.phases) {
    for (const [l] of p.byLevel) if (!levels.includes(l)) levels.push(l);
    for (const a of p.compute) if (!actions.includes(a.action)) actions.push(a.action);
  }
  const known = (p: (typeof t.phases)[number]): number => p.byLevel.reduce((a, [, v]) => a + v, 0) + p.compute.reduce((a, c) => a + c.energy_pJ, 0);
  const rest = t.phases.some((p) => p.energy_pJ - known(p) > 1e-9 * Math.max(1, p.energy_pJ));
  const staticPJ = t.totals.static_pJ;
  const series = [...levels, ...actions.map((a) => `compute: ${a}`), ...(rest ? [levels.length + actions.length > 0 ? 'not attributed in the input' : 'energy'] : []), ...(staticPJ ? ['static (leakage over the step)'] : [])];
  const rows = t.phases.map((p) => {
    const v = new Array<number>(series.length).fill(0);
    for (const [l, e] of p.byLevel) v[levels.indexOf(l)] += e;
    for (const a of p.compute) v[levels.length + actions.indexOf(a.action)] += a.energy_pJ;
    if (rest) v[levels.length + actions.length] = Math.max(0, p.energy_pJ - known(p));
    return { label: p.name, values: v };
  });
  if (staticPJ) {
    const v = new Array<number>(series.length).fill(0);
    v[series.length - 1] = staticPJ;
    rows.push({ label: 'static (whole step)', values: v });
  }
  const max = Math.max(...rows.map((r) => r.values.reduce((a, b) => a + b, 0)));
  return barChart({
    id,
    title: `Training step energy by phase: ${t.name}`,
    caption: `Dynamic energy of each training phase, split by memory level and compute action as the input gives them${staticPJ ? '; the last bar is the static (leakage) energy of the whole step, so the bars add up to the step total' : ''}.`,
    series,
    rows,
    unit: energyUnit(max),
    quantity: 'energy',
  });
}

/** The step energy of a scheme without its scheme-specific parts; undefined when the parts do not fit in it. */
export function schemeBase(s: SchemeView): number | undefined {
  if (s.stepEnergy === undefined) return undefined;
  const extra = (s.retentionEnergy ?? 0) + (s.extraForwardEnergy ?? 0) + (s.recomputeEnergy ?? 0);
  const base = s.stepEnergy - extra;
  return base >= 0 || close(base, 0) ? Math.max(0, base) : undefined;
}

export function trainingSchemeEnergyChart(t: TrainingView, id: string): Chart | undefined {
  const schemes = t.schemes.filter((s) => s.stepEnergy !== undefined);
  if (schemes.length === 0) return undefined;
  const split = schemes.every((s) => schemeBase(s) !== undefined);
  const series = split ? ['training step (phases and static)', 'retention of stored activations', 'extra forward passes', 'recomputation'] : ['step energy'];
  const rows = schemes.map((s) => ({
    label: s.name,
    values: split ? [schemeBase(s)!, s.retentionEnergy ?? 0, s.extraForwardEnergy ?? 0, s.recomputeEnergy ?? 0] : [s.stepEnergy!],
  }));
  return barChart({
    id,
    title: `Training step energy by scheme: ${t.name}`,
    caption: split
      ? 'Energy of one training step under each scheme: the step itself and what the scheme adds to it (keeping activations between forward and backward, extra forward passes, recomputing activations instead of storing them).'
      : 'Energy of one training step under each scheme, as the input gives it.',
    series,
    rows,
    unit: energyUnit(Math.max(...schemes.map((s) => s.stepEnergy!))),
    quantity: 'energy',
  });
}

export function trainingLayerChart(t: TrainingView, id: string): Chart | undefined {
  const layers = t.layers.filter((l) => l.phases.length > 0);
  if (layers.length === 0) return undefined;
  const phases: string[] = [];
  for (const l of layers) for (const [p] of l.phases) if (!phases.includes(p)) phases.push(p);
  const rows = layers.map((l) => ({ label: l.name, values: phases.map((p) => l.phases.find(([q]) => q === p)?.[1] ?? 0) }));
  return barChart({
    id,
    title: `Training energy per layer, by phase: ${t.name}`,
    caption: 'Dynamic energy each layer spends in each training phase, in network order.',
    series: phases,
    rows,
    unit: energyUnit(Math.max(...rows.map((r) => r.values.reduce((a, b) => a + b, 0)))),
    quantity: 'energy',
  });
}
