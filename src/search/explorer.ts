/**
 * The explore loop's bookkeeping: evaluates candidates through the injected evaluator (one Mapping object rewritten
 * in place), checks what comes back (an evaluator that returns negative or non-finite totals, or totals below the
 * lower bound, is a bug: internal-invariant error), keeps the winner (ranking.ts: the result does not depend on
 * pruning or on how work is split), the Pareto front, counts per invalid reason, and a trace of improvements.
 */
import type { Mapping } from '../mapping/types.ts';
import { MappingBuilder, clonePoint, toMapping, type Point } from './mapspace/point.ts';
import type { MapSpace } from './mapspace/space.ts';
import { objectiveVector, type Objective } from './objective.ts';
import { compareIndex, ParetoFront, paretoVector, type CandidateIndex, type FrontEntry } from './pareto.ts';
import { Ranking, TopN, type RankEntry } from './ranking.ts';
import { copyTotals, type EvalResult, type Evaluator, type SearchTotals } from './types.ts';

export interface InvalidReason {
  readonly stage: string;
  readonly level?: string;
  /** One example reason text. */
  readonly example: string;
  count: number;
}

export interface TracePoint {
  /** Candidates considered (in this task) when the improvement was found. */
  readonly considered: number;
  /** Milliseconds since the task started. */
  readonly ms: number;
  readonly totals: SearchTotals;
  readonly vec: readonly number[];
}

export interface ExploreStats {
  /** Candidates covered: evaluated + rejected before evaluation + pruned by the bound + repeats. */
  considered: number;
  evaluated: number;
  valid: number;
  /** Repeats of a candidate already evaluated (cost-equivalent points), answered from the cache. */
  cached: number;
  /** Candidates skipped because a lower bound on their cost was worse than the incumbent. */
  pruned: number;
  /** Partial tilings whose whole subtree was skipped by the bound (their candidates are not counted above). */
  prunedSubtrees: number;
  /** Evaluations spent on the warm start of an exhaustive search (not part of `evaluated`). */
  warmStart: number;
}

export function emptyStats(): ExploreStats {
  return { considered: 0, evaluated: 0, valid: 0, cached: 0, pruned: 0, prunedSubtrees: 0, warmStart: 0 };
}

export function addStats(into: ExploreStats, s: ExploreStats): void {
  for (const k of Object.keys(into) as (keyof ExploreStats)[]) into[k] += s[k];
}

export class Explorer {
  readonly stats: ExploreStats = emptyStats();
  readonly invalid = new Map<string, InvalidReason>();
  readonly trace: TracePoint[] = [];
  readonly ranking: Ranking<Point>;
  readonly front: ParetoFront<Point> | undefined;
  /** The best candidates to re-rank with a detailed model (empty unless asked for). */
  readonly top: TopN<Point>;
  /** The objective vector of the last ok evaluation. */
  readonly vec: Float64Array;
  private readonly builder: MappingBuilder;
  private readonly t0 = performance.now();
  private bestVec: Float64Array | undefined;

  constructor(
    readonly space: MapSpace,
    readonly evaluator: Evaluator,
    readonly objective: Objective,
    pareto: boolean,
    keepTop = 0,
    /** Whether the evaluator is the layer model, so the model's lower bound holds for it (checked on evaluation). */
    readonly modelBound = true,
  ) {
    this.ranking = new Ranking<Point>(objective);
    this.top = new TopN<Point>(objective, keepTop);
    this.front = pareto ? new ParetoFront<Point>() : undefined;
    this.builder = new MappingBuilder(space);
    this.vec = new Float64Array(objective.metrics.length);
  }

  get best(): RankEntry<Point> | undefined {
    return this.ranking.best();
  }

  mapping(p: Point): Mapping {
    return toMapping(this.space, p);
  }

  /**
   * Evaluate one candidate and record the outcome. `bound`, when given, is a lower bound on its totals; an
   * evaluation below it (or with negative or non-finite totals) stops the search as an internal error.
   */
  consider(p: Point, i0: number, i1: number, bound?: SearchTotals): EvalResult {
    const r = this.evaluator(this.builder.fill(p));
    this.stats.considered++;
    this.stats.evaluated++;
    if (r.status === 'ok') {
      checkTotals(r.totals, this.modelBound ? bound : undefined);
      this.recordOk(p, i0, i1, r.totals);
    } else this.rejected(r.stage, r.level, r.reason, 0);
    return r;
  }

  /** A repeat of an evaluated candidate (the cache answered). */
  repeat(): void {
    this.stats.considered++;
    this.stats.cached++;
  }

  private recordOk(p: Point, i0: number, i1: number, totals: SearchTotals): void {
    this.stats.valid++;
    const vec = objectiveVector(this.objective, totals, this.vec);
    if (this.front) {
      const pv = paretoVector(totals);
      if (this.front.wouldAdd(pv, i0, i1)) this.front.add({ vec: pv, totals: copyTotals(totals), index: [i0, i1], point: clonePoint(p) });
    }
    if (this.top.wants(vec, i0, i1)) this.top.offer({ vec: vec.slice(), totals: copyTotals(totals), index: [i0, i1], point: clonePoint(p) });
    if (!this.ranking.wants(vec, i0, i1)) return;
    this.ranking.offer({ vec: vec.slice(), totals: copyTotals(totals), index: [i0, i1], point: clonePoint(p) });
    const best = this.ranking.best()!;
    const bv = best.vec;
    if (!this.bestVec || bv.some((x, i) => x !== this.bestVec![i])) {
      this.bestVec = bv.slice();
      this.trace.push({ considered: this.stats.considered, ms: performance.now() - this.t0, totals: best.totals, vec: Array.from(bv) });
    }
  }

  /** Offer an entry found elsewhere (the warm start of an exhaustive search): it ranks, it is not counted. */
  seed(e: RankEntry<Point>): void {
    this.ranking.offer(e);
  }

  /** `count` candidates rejected for one reason without evaluation (0 = already counted as evaluated). */
  rejected(stage: string, level: string | undefined, reason: string | (() => string), count: number): void {
    this.stats.considered += count;
    const key = level === undefined ? stage : `${stage}@${level}`;
    const e = this.invalid.get(key);
    const n = count === 0 ? 1 : count;
    if (e) e.count += n;
    else this.invalid.set(key, { stage, level, example: typeof reason === 'string' ? reason : reason(), count: n });
  }

  pruned(count: number): void {
    this.stats.considered += count;
    this.stats.pruned += count;
  }

  /** Whether every candidate with totals >= `bound` (objective vector `vec`, Pareto vector `pv`) can be skipped. */
  excluded(vec: ArrayLike<number>, pv: ArrayLike<number>): boolean {
    if (!this.ranking.excludes(vec)) return false;
    return !this.front || this.front.excludes(pv);
  }
}

const REL = 1e-9;

/** An evaluator's totals must be finite, non-negative and at least the lower bound (when one is known). */
export function checkTotals(t: SearchTotals, bound?: SearchTotals): void {
  const bad = (what: string): never => {
    throw new Error(`spikeloop internal invariant violated: the evaluator returned ${what} (energy ${t.energy_pJ} pJ, ${t.cycles} cycles, ${t.offchip_bytes} off-chip bytes)`);
  };
  for (const [name, v] of [['energy', t.energy_pJ], ['cycles', t.cycles], ['off-chip bytes', t.offchip_bytes]] as const) {
    if (!Number.isFinite(v) || v < 0) bad(`a ${v < 0 ? 'negative' : 'non-finite'} ${name} count`);
  }
  if (t.offchip_bytes_by_tensor) for (let i = 0; i < t.offchip_bytes_by_tensor.length; i++) if (!(t.offchip_bytes_by_tensor[i] >= 0)) bad('a negative off-chip byte count of a tensor');
  if (!bound) return;
  if (t.energy_pJ < bound.energy_pJ * (1 - REL)) bad(`less energy than the lower bound ${bound.energy_pJ} pJ`);
  if (t.cycles < bound.cycles * (1 - REL)) bad(`fewer cycles than the lower bound ${bound.cycles}`);
  if (t.offchip_bytes < bound.offchip_bytes * (1 - REL)) bad(`fewer off-chip bytes than the lower bound ${bound.offchip_bytes}`);
}

export { compareIndex };
export type { CandidateIndex, FrontEntry };
