/**
 * Objectives: energy, cycles, EDP, off-chip bytes; several metrics either lexicographic or weighted (the product of
 * metric^weight, so `energy:1,cycles:1` is EDP). Off-chip bytes may leave out some tensors (e.g. to search as if
 * State traffic did not exist).
 *
 * Lexicographic with a relative tolerance t is defined against the global best, so it is well defined whatever
 * order candidates come in (a pairwise "within t of each other" rule is not transitive): the mappings whose first
 * metric is within t of the best first metric of the whole search form a band; within it the second metric decides
 * the same way, and so on; the last metric is minimised exactly; ties go to the earlier metrics, then to the
 * earlier candidate. With t = 0 this is the plain lexicographic order. The winner is always on the Pareto front of
 * the objective's metrics, so the search keeps that front and picks the winner from it (ranking.ts).
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

/** The objective's metric values of `t`, into `out` (length = metrics). */
export function objectiveVector(o: Objective, t: SearchTotals, out: Float64Array = new Float64Array(o.metrics.length)): Float64Array {
  for (let i = 0; i < o.metrics.length; i++) out[i] = metricValue(t, o.metrics[i], o.excludeOffchip);
  return out;
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
  if (tolerance > 0 && (weighted || metrics.length < 2)) return 'a tolerance applies to a lexicographic objective of two or more metrics, like energy,cycles';
  return { kind: weighted ? 'weighted' : 'lexicographic', metrics, weights, tolerance, excludeOffchip };
}

export function describeObjective(o: Objective): string {
  if (o.kind === 'weighted') return o.metrics.map((m, i) => `${m}^${o.weights[i]}`).join(' x ');
  const base = o.metrics.join(' then ');
  return o.metrics.length > 1 && o.tolerance > 0 ? `${base} (each within ${o.tolerance * 100}% of its best)` : base;
}

/** Whether the objective is a total order on metric vectors (then a comparator picks the winner). */
export function isTotalOrder(o: Objective): boolean {
  return o.kind === 'weighted' || o.metrics.length === 1 || o.tolerance === 0;
}

const log = (x: number): number => Math.log(x > 1e-30 ? x : 1e-30);

/** Weighted objective: sum of weight x log(metric) (the log of the product). */
export function weightedScore(o: Objective, v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < o.metrics.length; i++) s += o.weights[i] * log(v[i]);
  return s;
}

/** For total orders: < 0 when a is better than b, > 0 when worse, 0 when equal. */
export function compareVectors(o: Objective, a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (o.kind === 'weighted') {
    const x = weightedScore(o, a);
    const y = weightedScore(o, b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  for (let i = 0; i < o.metrics.length; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
}

/**
 * A scalar that decreases as the objective improves, to steer annealing. Lexicographic: the first metric's excess
 * over the band around `best1` (the best first metric seen so far) weighs heavily, then the later metrics.
 */
export function steeringScore(o: Objective, v: ArrayLike<number>, best1: number): number {
  if (o.kind === 'weighted') return weightedScore(o, v);
  const k = o.metrics.length;
  if (k === 1) return log(v[0]);
  const over = log(v[0]) - log(best1 * (1 + o.tolerance));
  let s = (over > 0 ? 10 * over : 0) + 1e-3 * log(v[0]);
  for (let i = 1; i < k; i++) s += (i === 1 ? 1 : 1e-3) * log(v[i]);
  return s;
}

const EPS = 1e-9;

/**
 * For total orders: whether every point whose metric vector is at least `bound` componentwise is strictly worse
 * than `best` (ties are never excluded). Metrics are monotone in every component, so comparing the bound suffices.
 */
export function boundWorse(o: Objective, bound: ArrayLike<number>, best: ArrayLike<number>): boolean {
  if (o.kind === 'weighted') return weightedScore(o, bound) > weightedScore(o, best) + EPS;
  for (let i = 0; i < o.metrics.length; i++) {
    if (bound[i] > best[i] * (1 + EPS) + EPS) return true;
    if (bound[i] < best[i]) return false;
  }
  return false;
}
