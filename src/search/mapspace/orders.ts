/**
 * Loop orders that can differ in cost, from what the reuse analysis (analysis/kernel-stream.ts) reads.
 *
 * The traffic of a tensor at a level is a sum over the visits of the child tile, driven by the temporal loops above
 * it (this level's and the outer levels'), outer to inner. When a loop advances, the child tile moves by that
 * loop's step minus the steps of the inner loops that reset (a sum: it does not depend on their order).
 * - An *anchor* loop runs over a dim that appears alone in a rank of the tensor (K in Weights[K,C,R,S], C or T in
 *   Inputs). Its advance, and the advance of every loop outside it, moves that rank by at least the tile extent
 *   times the spatial split, so the whole tile is new, no neighbour holds it (no link transfer) and the reuse state
 *   restarts. So the loops down to the innermost anchor act only through the product of their trip counts: as a
 *   set. Only the loops after the innermost anchor of a level (the tail) can matter in sequence.
 * - In the tail, a run of adjacent loops over dims the tensor does not depend on (irrelevant) moves the tile the
 *   same way whichever of them advances, so the run is a set. Loops over dims that appear only in sliding-window
 *   ranks (P, R in the rank P + R) keep their sequence: halos are reused only along some of them.
 * - Dims a tensor does not see at all (the reduction dims on the nest of State and output spikes) are dropped.
 * So the order of a level is summarised, per tensor, by its tail (slide loops in sequence, irrelevant runs as sets);
 * equal summaries for every tensor = equal cost. The same summary decides where a partial sum completes (an
 * irrelevant loop outside a relevant one). A level whose order nobody observes (the innermost level without a
 * fan-out to the compute units: every compute reads its operands there) has one class. The test suite checks the
 * rule against the model (every order of a class costs what its representative costs) and counts distinct costs.
 */
import type { Workload } from '../../workload/types.ts';

/**
 * How a dim's loops affect a tensor's tile sequence. `inv`: not on the tensor's nest (State, spikes: the reduction
 * dims); `irr`: the tensor does not depend on it; `anchor`: alone in some rank; `slide`: only in multi-term ranks.
 */
export type DimClass = 'inv' | 'irr' | 'anchor' | 'slide';

/** Whether a tensor is analysed on the loop nest with the reduction loops removed (DESIGN.md §2). */
function onReducedNest(w: Workload, t: number): boolean {
  if (!w.snn) return false;
  const role = w.tensors[t].role;
  return role === 'spikes-out' || (role === 'state' && w.snn.accumulation === 'psum');
}

export function observerClasses(w: Workload, t: number): DimClass[] {
  const tensor = w.tensors[t];
  const cls: DimClass[] = w.dims.map(() => 'irr');
  for (const rank of tensor.projection) {
    const terms = rank.filter((x) => x.coeff !== 0);
    // An anchor needs a whole-number step (|coeff| >= 1) for its advance to clear the tile; anything else is
    // treated like a sliding-window dim (kept in sequence), which is always sound.
    if (terms.length === 1 && Math.abs(terms[0].coeff) >= 1) cls[terms[0].dim] = 'anchor';
    else for (const x of terms) if (cls[x.dim] !== 'anchor') cls[x.dim] = 'slide';
  }
  if (onReducedNest(w, t)) for (const d of w.snn!.reductionDims) cls[d] = 'inv';
  return cls;
}

/** Summary of one order (non-unit dims, outer to inner) for one tensor; equal summaries = equal cost. */
export function summarise(order: readonly number[], cls: readonly DimClass[]): string {
  let start = 0;
  for (let i = 0; i < order.length; i++) if (cls[order[i]] === 'anchor') start = i + 1;
  let out = '';
  let run: number[] = [];
  const flush = (): void => {
    if (run.length > 0) out += `*${run.sort((a, b) => a - b).join('.')};`;
    run = [];
  };
  for (let i = start; i < order.length; i++) {
    const d = order[i];
    const k = cls[d];
    if (k === 'inv') continue;
    if (k === 'irr') run.push(d);
    else {
      flush();
      out += `s${d};`;
    }
  }
  flush();
  return out;
}

/** Cost-equivalence key of a level's order (non-unit dims, outer to inner), given the observers of the level. */
export function orderKey(order: readonly number[], observers: readonly (readonly DimClass[])[]): string {
  let key = '';
  for (const cls of observers) key += summarise(order, cls) + '|';
  return key;
}

/** Whether `order` respects every precedence pair whose dims it contains. */
export function respectsPrecedence(order: readonly number[], precedence: readonly (readonly [number, number])[]): boolean {
  for (const [a, b] of precedence) {
    const i = order.indexOf(a);
    const j = order.indexOf(b);
    if (i >= 0 && j >= 0 && i > j) return false;
  }
  return true;
}

/**
 * Rearrange `order` (in place) so that it respects the precedence pairs: the constrained dims keep the positions
 * they occupy, and are laid out there in the topological order closest to their current order.
 */
export function imposePrecedence(order: number[], precedence: readonly (readonly [number, number])[]): void {
  if (precedence.length === 0 || respectsPrecedence(order, precedence)) return;
  const involved = new Set<number>();
  for (const [a, b] of precedence) {
    involved.add(a);
    involved.add(b);
  }
  const pos: number[] = [];
  const dims: number[] = [];
  order.forEach((d, i) => {
    if (involved.has(d)) {
      pos.push(i);
      dims.push(d);
    }
  });
  const placed: number[] = [];
  const left = [...dims];
  while (left.length > 0) {
    const k = left.findIndex((d) => precedence.every(([a, b]) => b !== d || !left.includes(a)));
    const pick = k < 0 ? 0 : k; // a cycle cannot come from the constraints parser; keep going rather than loop
    placed.push(left[pick]);
    left.splice(pick, 1);
  }
  pos.forEach((p, i) => (order[p] = placed[i]));
}

function* permutations(xs: readonly number[]): Generator<number[]> {
  if (xs.length <= 1) {
    yield [...xs];
    return;
  }
  for (let i = 0; i < xs.length; i++) {
    const rest = [...xs.slice(0, i), ...xs.slice(i + 1)];
    for (const p of permutations(rest)) yield [xs[i], ...p];
  }
}

/**
 * One representative per cost-equivalence class of the orders of `dims` (the non-unit loops of a level, ascending)
 * that respect the precedence pairs: the first in lexicographic order of each class. Deterministic.
 */
export function orderRepresentatives(dims: readonly number[], observers: readonly (readonly DimClass[])[], precedence: readonly (readonly [number, number])[] = []): number[][] {
  return classTable(dims, observers, precedence).reps;
}

export interface ClassTable {
  readonly reps: number[][];
  /** Summary key -> class index (= index of its representative). */
  readonly ids: Map<string, number>;
}

export function classTable(dims: readonly number[], observers: readonly (readonly DimClass[])[], precedence: readonly (readonly [number, number])[]): ClassTable {
  const ids = new Map<string, number>();
  const reps: number[][] = [];
  const sorted = [...dims].sort((a, b) => a - b);
  for (const p of permutations(sorted)) {
    if (!respectsPrecedence(p, precedence)) continue;
    const k = orderKey(p, observers);
    if (ids.has(k)) continue;
    ids.set(k, reps.length);
    reps.push(p);
    if (observers.length === 0) break; // nobody observes the order: one class
  }
  return { reps, ids };
}
