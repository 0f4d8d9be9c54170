/**
 * The explore loop's bookkeeping: evaluates candidates through the injected evaluator, keeps the incumbent (ties go
 * to the earliest candidate index, so the result does not depend on pruning or on how work is split), the Pareto
 * front, counts per invalid reason, and a trace of improvements.
 */
import type { Mapping } from '../mapping/types.ts';
import { compareIndex, type CandidateIndex } from './explorer-index.ts';
import type { Point } from './mapspace/point.ts';
import { toMapping } from './mapspace/point.ts';
import type { MapSpace } from './mapspace/space.ts';
import { boundExcludes, compareTotals, type Objective } from './objective.ts';
import { ParetoFront, type FrontEntry } from './pareto.ts';
import type { EvalResult, Evaluator, SearchTotals } from './types.ts';

export interface InvalidReason {
  readonly stage: string;
  readonly level?: string;
  /** One example reason text. */
  readonly example: string;
  count: number;
}

export interface Incumbent {
  readonly totals: SearchTotals;
  readonly index: CandidateIndex;
  readonly point: Point;
}

export interface TracePoint {
  /** Candidates considered when the improvement was found. */
  readonly considered: number;
  readonly ms: number;
  readonly totals: SearchTotals;
}

export interface ExploreStats {
  /** Candidates covered: evaluated + rejected before evaluation + pruned by the bound + cache hits. */
  considered: number;
  evaluated: number;
  valid: number;
  cached: number;
  pruned: number;
}

export class Explorer {
  readonly stats: ExploreStats = { considered: 0, evaluated: 0, valid: 0, cached: 0, pruned: 0 };
  readonly invalid = new Map<string, InvalidReason>();
  readonly trace: TracePoint[] = [];
  best: Incumbent | undefined;
  readonly front: ParetoFront<Point> | undefined;
  private readonly t0 = performance.now();

  constructor(
    readonly space: MapSpace,
    private readonly evaluator: Evaluator,
    readonly objective: Objective,
    pareto: boolean,
  ) {
    this.front = pareto ? new ParetoFront<Point>() : undefined;
  }

  mapping(p: Point): Mapping {
    return toMapping(this.space, p);
  }

  /** Evaluate one candidate and record the outcome. */
  consider(p: Point, index: CandidateIndex): EvalResult {
    const r = this.evaluator(toMapping(this.space, p));
    this.stats.considered++;
    this.stats.evaluated++;
    this.record(p, index, r);
    return r;
  }

  /** Record the outcome of a candidate evaluated elsewhere (a cache hit counts as considered, not evaluated). */
  record(p: Point, index: CandidateIndex, r: EvalResult, cached = false): void {
    if (cached) {
      this.stats.considered++;
      this.stats.cached++;
      return;
    }
    if (r.status === 'invalid') {
      this.rejected(r.stage, r.level, r.reason, 0);
      return;
    }
    this.stats.valid++;
    this.front?.add({ totals: r.totals, index, point: p });
    if (!this.best || better(this.objective, r.totals, index, this.best)) {
      const improved = !this.best || compareTotals(this.objective, r.totals, this.best.totals) < 0;
      this.best = { totals: r.totals, index, point: p };
      if (improved) this.trace.push({ considered: this.stats.considered, ms: performance.now() - this.t0, totals: r.totals });
    }
  }

  /** `count` candidates rejected for one reason without evaluation (0 = already counted as evaluated). */
  rejected(stage: string, level: string | undefined, reason: string, count: number): void {
    this.stats.considered += count;
    const key = `${stage}@${level ?? ''}`;
    const e = this.invalid.get(key);
    const n = count === 0 ? 1 : count;
    if (e) e.count += n;
    else this.invalid.set(key, { stage, level, example: reason, count: n });
  }

  pruned(count: number): void {
    this.stats.considered += count;
    this.stats.pruned += count;
  }

  /** Whether every candidate with totals >= `bound` is worse than the incumbent (and cannot join the front). */
  excluded(bound: SearchTotals): boolean {
    if (!this.best) return false;
    if (!boundExcludes(this.objective, bound, this.best.totals)) return false;
    return !this.front || this.front.excludes(bound);
  }
}

/** Objective first, then the earlier candidate index. */
export function better(o: Objective, totals: SearchTotals, index: CandidateIndex, than: { totals: SearchTotals; index: CandidateIndex }): boolean {
  const c = compareTotals(o, totals, than.totals);
  return c < 0 || (c === 0 && compareIndex(index, than.index) < 0);
}

export type { FrontEntry };
