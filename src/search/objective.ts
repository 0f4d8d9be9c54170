/**
 * Objectives: energy, cycles, EDP, off-chip bytes; several metrics either lexicographic (the first decides unless
 * within a relative tolerance, then the next, ...) or weighted (the product of metric^weight, so `energy:1,cycles:1`
 * is EDP). Off-chip bytes may leave out some tensors (e.g. to search as if State traffic did not exist).
 */
import type { SearchTotals } from './types.ts';

export type Metric = 'energy' | 'cycles' | 'edp' | 'offchip';
export const METRICS: readonly Metric[] = ['energy', 'cycles', 'edp', 'offchip'];

export interface Objective {
  readonly kind: 'lexicographic' | 'weighted';
  readonly metrics: readonly Metric[];
  /** Exponents for `weighted` (all >= 0). */
  readonly weights: readonly number[];
  /** Relative tolerance for `lexicographic`. */
  readonly tolerance: number;
  /** Tensors (workload order) whose off-chip bytes the `offchip` metric leaves out. */
  readonly excludeOffchip: readonly number[];
}

export function metricValue(t: SearchTotals, m: Metric, exclude: readonly number[] = []): number {
  switch (m) {
    case 'energy':
      return t.energy_pJ;
    case 'cycles':
      return t.cycles;
    case 'edp':
      return t.energy_pJ * t.cycles;
    case 'offchip': {
      let v = t.offchip_bytes;
      if (exclude.length > 0) {
        if (!t.offchip_bytes_by_tensor) throw new Error('spikeloop internal invariant violated: evaluator gives no off-chip bytes per tensor');
        for (const i of exclude) v -= t.offchip_bytes_by_tensor[i];
      }
      return Math.max(0, v);
    }
  }
}

/** Parse `energy`, `edp`, `energy,cycles` (lexicographic) or `energy:1,cycles:0.5` (weighted). */
export function parseObjective(text: string, tolerance = 0, excludeOffchip: readonly number[] = []): Objective | string {
  const parts = text.split(',').map((s) => s.trim()).filter(Boolean);
  if (parts.length === 0) return 'empty objective';
  const weighted = parts.some((p) => p.includes(':'));
  const metrics: Metric[] = [];
  const weights: number[] = [];
  for (const p of parts) {
    const [name, w] = p.split(':');
    if (!(METRICS as readonly string[]).includes(name)) return `unknown metric '${name}' (use ${METRICS.join(', ')})`;
    if (metrics.includes(name as Metric)) return `metric '${name}' given twice`;
    metrics.push(name as Metric);
    const weight = weighted ? Number(w ?? '1') : 1;
    if (!Number.isFinite(weight) || weight < 0) return `weight of ${name} must be a number >= 0, got '${w}'`;
    weights.push(weight);
  }
  if (!(tolerance >= 0 && tolerance < 1)) return `tolerance must be in [0, 1), got ${tolerance}`;
  return { kind: weighted ? 'weighted' : 'lexicographic', metrics, weights, tolerance, excludeOffchip };
}

export function describeObjective(o: Objective): string {
  if (o.kind === 'weighted') return o.metrics.map((m, i) => `${m}^${o.weights[i]}`).join(' x ');
  const base = o.metrics.join(' then ');
  return o.metrics.length > 1 && o.tolerance > 0 ? `${base} (tolerance ${o.tolerance * 100}%)` : base;
}

/** A scalar that decreases as the objective improves (log scale), used to steer annealing. */
export function scalarScore(o: Objective, t: SearchTotals, exclude: readonly number[] = o.excludeOffchip): number {
  const v = (m: Metric): number => Math.log(Math.max(metricValue(t, m, exclude), 1e-30));
  if (o.kind === 'weighted') return o.metrics.reduce((s, m, i) => s + o.weights[i] * v(m), 0);
  return o.metrics.reduce((s, m, i) => s + (i === 0 ? 1 : 1e-3) * v(m), 0);
}

/** < 0 when a is better than b, > 0 when worse, 0 when equal for the objective. */
export function compareTotals(o: Objective, a: SearchTotals, b: SearchTotals): number {
  if (o.kind === 'weighted') return scalarScore(o, a) - scalarScore(o, b);
  for (const m of o.metrics) {
    const x = metricValue(a, m, o.excludeOffchip);
    const y = metricValue(b, m, o.excludeOffchip);
    if (x < y * (1 - o.tolerance)) return -1;
    if (x > y * (1 + o.tolerance)) return 1;
  }
  const m0 = o.metrics[0];
  return metricValue(a, m0, o.excludeOffchip) - metricValue(b, m0, o.excludeOffchip);
}

const EPS = 1e-9;

/**
 * Whether no point whose totals are at least `bound` (componentwise) can be better than or equal to `best`.
 * Sound for every objective: ties are never pruned.
 */
export function boundExcludes(o: Objective, bound: SearchTotals, best: SearchTotals): boolean {
  const safeBound: SearchTotals = o.excludeOffchip.length > 0 ? { ...bound, offchip_bytes: 0, offchip_bytes_by_tensor: undefined } : bound;
  if (o.kind === 'weighted') return scalarScore(o, safeBound, []) > scalarScore(o, best) + EPS;
  const m0 = o.metrics[0];
  const lb = metricValue(safeBound, m0, []);
  return lb > metricValue(best, m0, o.excludeOffchip) * (1 + o.tolerance) * (1 + EPS);
}
