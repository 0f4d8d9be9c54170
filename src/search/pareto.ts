/**
 * A Pareto front over metric vectors (all minimised): the search's --pareto front over (energy, cycles, off-chip
 * bytes), and the front of a lexicographic objective with tolerance (ranking.ts). Identical vectors keep the
 * earliest candidate, so the front does not depend on the order candidates arrive in.
 */
import type { SearchTotals } from './types.ts';

/** A candidate's place in a deterministic stream: [chain, step] or [tiling rank, keep x combo]; +Infinity = last. */
export type CandidateIndex = readonly [number, number];

export function compareIndex(a0: number, a1: number, b: CandidateIndex): number {
  return a0 !== b[0] ? (a0 < b[0] ? -1 : 1) : a1 !== b[1] ? (a1 < b[1] ? -1 : 1) : 0;
}

export interface FrontEntry<P> {
  readonly vec: Float64Array;
  readonly totals: SearchTotals;
  /** Candidate index [major, minor] (ties go to the smaller, lexicographically). */
  readonly index: CandidateIndex;
  readonly point: P;
}

/** a <= b componentwise with one strict: a dominates b. */
export function dominates(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  let strict = false;
  for (let i = 0; i < a.length; i++) {
    if (a[i] > b[i]) return false;
    if (a[i] < b[i]) strict = true;
  }
  return strict;
}

function same(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export class ParetoFront<P> {
  private entries: FrontEntry<P>[] = [];

  get size(): number {
    return this.entries.length;
  }

  /** Whether a candidate with this vector and index would join the front (nothing dominates or equals it earlier). */
  wouldAdd(vec: ArrayLike<number>, i0: number, i1: number): boolean {
    for (const x of this.entries) {
      if (dominates(x.vec, vec)) return false;
      if (same(x.vec, vec) && compareIndex(i0, i1, x.index) >= 0) return false;
    }
    return true;
  }

  /** Adds the entry if it belongs on the front; returns whether it does. */
  add(e: FrontEntry<P>): boolean {
    if (!this.wouldAdd(e.vec, e.index[0], e.index[1])) return false;
    this.entries = this.entries.filter((x) => !dominates(e.vec, x.vec) && !same(e.vec, x.vec));
    this.entries.push(e);
    return true;
  }

  /** Whether every vector >= `bound` componentwise is strictly dominated by an entry (it cannot join the front). */
  excludes(bound: ArrayLike<number>): boolean {
    return this.entries.some((x) => dominates(x.vec, bound));
  }

  /** Entries sorted by their vectors, then index (deterministic). */
  list(): FrontEntry<P>[] {
    return [...this.entries].sort((a, b) => {
      for (let i = 0; i < a.vec.length; i++) if (a.vec[i] !== b.vec[i]) return a.vec[i] - b.vec[i];
      return compareIndex(a.index[0], a.index[1], b.index);
    });
  }
}

/** The (energy, cycles, off-chip bytes) vector of the --pareto front. */
export function paretoVector(t: SearchTotals): Float64Array {
  return Float64Array.of(t.energy_pJ, t.cycles, t.offchip_bytes);
}
