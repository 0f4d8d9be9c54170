/**
 * Which candidate wins (objective.ts semantics), kept incrementally and mergeable across tasks: for a total order
 * the single best (ties to the earlier candidate index); for a lexicographic objective with tolerance the Pareto
 * front of the objective's metrics, from which the winner is picked by the band rule. Either way the result does
 * not depend on the order candidates arrive in, on pruning, or on how the work was split.
 */
import { boundWorse, compareVectors, isTotalOrder, type Objective } from './objective.ts';
import { compareIndex, dominates, ParetoFront, type FrontEntry } from './pareto.ts';

export type RankEntry<P> = FrontEntry<P>;

const EPS = 1e-9;

export class Ranking<P> {
  private single: RankEntry<P> | undefined;
  private readonly front: ParetoFront<P> | undefined;
  private winnerCache: RankEntry<P> | undefined;
  private dirty = false;

  constructor(readonly objective: Objective) {
    this.front = isTotalOrder(objective) ? undefined : new ParetoFront<P>();
  }

  /** Whether a candidate would change the ranking (then the caller makes the entry, with a copy of its point). */
  wants(vec: ArrayLike<number>, i0: number, i1: number): boolean {
    if (this.front) return this.front.wouldAdd(vec, i0, i1);
    const b = this.single;
    if (!b) return true;
    const c = compareVectors(this.objective, vec, b.vec);
    return c < 0 || (c === 0 && compareIndex(i0, i1, b.index) < 0);
  }

  offer(e: RankEntry<P>): boolean {
    if (!this.wants(e.vec, e.index[0], e.index[1])) return false;
    if (this.front) {
      this.front.add(e);
      this.dirty = true;
    } else this.single = e;
    return true;
  }

  /** The current winner. */
  best(): RankEntry<P> | undefined {
    if (!this.front) return this.single;
    if (this.dirty) {
      this.winnerCache = bandWinner(this.objective, this.front.list());
      this.dirty = false;
    }
    return this.winnerCache;
  }

  entries(): RankEntry<P>[] {
    if (this.front) return this.front.list();
    return this.single ? [this.single] : [];
  }

  /** Whether no point whose metric vector is at least `bound` can win (ties never excluded). */
  excludes(bound: ArrayLike<number>): boolean {
    const best = this.best();
    if (!best) return false;
    if (!this.front) return boundWorse(this.objective, bound, best.vec);
    let min1 = Infinity;
    for (const e of this.front.list()) min1 = Math.min(min1, e.vec[0]);
    if (bound[0] > min1 * (1 + this.objective.tolerance) * (1 + EPS) + EPS) return true;
    return this.front.excludes(bound);
  }
}

/** The band rule of objective.ts over a front (sorted by vector, then index). */
export function bandWinner<P>(o: { readonly tolerance: number }, front: readonly RankEntry<P>[]): RankEntry<P> | undefined {
  if (front.length === 0) return undefined;
  let band = [...front];
  const k = band[0].vec.length;
  for (let i = 0; i < k - 1; i++) {
    let min = Infinity;
    for (const e of band) min = Math.min(min, e.vec[i]);
    const limit = min * (1 + o.tolerance);
    band = band.filter((e) => e.vec[i] <= limit);
  }
  band.sort((a, b) => {
    if (a.vec[k - 1] !== b.vec[k - 1]) return a.vec[k - 1] - b.vec[k - 1];
    for (let i = 0; i < k - 1; i++) if (a.vec[i] !== b.vec[i]) return a.vec[i] - b.vec[i];
    return compareIndex(a.index[0], a.index[1], b.index);
  });
  return band[0];
}

export { dominates };

/**
 * The N best candidates by the objective (lexicographic order of the metric vector for an objective with a
 * tolerance), ties to the earlier index: what `--rerank N` re-evaluates. Mergeable like the ranking.
 */
export class TopN<P> {
  private readonly list: RankEntry<P>[] = [];
  private readonly cmp: Objective;

  constructor(objective: Objective, readonly n: number) {
    this.cmp = isTotalOrder(objective) ? objective : { ...objective, tolerance: 0 };
  }

  private order(a: ArrayLike<number>, ai: CandidateIndexLike, b: RankEntry<P>): number {
    const c = compareVectors(this.cmp, a, b.vec);
    return c !== 0 ? c : compareIndex(ai[0], ai[1], b.index);
  }

  wants(vec: ArrayLike<number>, i0: number, i1: number): boolean {
    if (this.n <= 0) return false;
    if (this.list.length < this.n) return true;
    return this.order(vec, [i0, i1], this.list[this.list.length - 1]) < 0;
  }

  offer(e: RankEntry<P>): void {
    if (!this.wants(e.vec, e.index[0], e.index[1])) return;
    let i = this.list.length;
    while (i > 0 && this.order(e.vec, e.index, this.list[i - 1]) < 0) i--;
    if (i < this.list.length && this.order(e.vec, e.index, this.list[i]) === 0) return; // the same candidate twice
    this.list.splice(i, 0, e);
    if (this.list.length > this.n) this.list.pop();
  }

  entries(): RankEntry<P>[] {
    return [...this.list];
  }
}

type CandidateIndexLike = readonly [number, number];
