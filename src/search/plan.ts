/**
 * Splitting a search into tasks and merging their results. The split depends only on the options (chains for
 * anneal/random, tiling shards for exhaustive), never on timing or on which thread runs what, and results merge
 * with ties going to the earliest candidate, so one thread and N threads give the same answer for the same seed
 * (unless a time limit or Ctrl-C cuts the search short).
 */
import { addStats, emptyStats, Explorer, type ExploreStats, type InvalidReason, type TracePoint } from './explorer.ts';
import type { MapSpace } from './mapspace/space.ts';
import type { Point } from './mapspace/point.ts';
import type { Objective } from './objective.ts';
import { ParetoFront, type FrontEntry } from './pareto.ts';
import { Ranking, TopN, type RankEntry } from './ranking.ts';
import { chainTask } from './strategies/anneal.ts';
import { exhaustiveTask } from './strategies/exhaustive.ts';
import type { SearchTask } from './strategies/task.ts';
import type { Evaluator } from './types.ts';
import { warmStart, type Seeds } from './warm.ts';

export type Strategy = 'exhaustive' | 'anneal' | 'random';

export interface SearchOptions {
  readonly strategy: Strategy;
  readonly objective: Objective;
  readonly pareto: boolean;
  readonly seed: number;
  /**
   * anneal/random: candidates in total (default 20,000), split over the chains. exhaustive: consider only the
   * first N candidates of the enumeration order (the same candidates for any number of shards or threads).
   */
  readonly maxEvals?: number;
  /** anneal/random: independent chains (default 4). */
  readonly chains?: number;
  /** exhaustive: tiling shards (default 1; the CLI uses several per thread, so idle threads can take more). */
  readonly shards?: number;
  /** exhaustive: branch-and-bound pruning (default true; false only to check that pruning changes nothing). */
  readonly prune?: boolean;
  /** exhaustive: evaluations of the warm-start anneal that gives the first incumbent (default 0; see prepareSearch). */
  readonly warmStart?: number;
  /** exhaustive: the warm start's result (set by prepareSearch). */
  readonly seeds?: Seeds;
  /** Cool annealing chains by the time spent as well (ms; set with --time-limit). */
  readonly timeLimitMs?: number;
  /** Keep the N best candidates (for re-ranking with a detailed model, rerank.ts). */
  readonly keepTop?: number;
  /**
   * The evaluator is the layer model (default true): its lower bound (bound.ts) may prune and is checked. False for
   * an evaluator that scores something else (e.g. a chunk's on-chip cost only): no pruning, no bound check.
   */
  readonly modelEvaluator?: boolean;
}

export type TaskSpec =
  | { readonly kind: 'exhaustive'; readonly shard: number; readonly shards: number }
  | { readonly kind: 'chain'; readonly chain: number; readonly budget: number };

export const DEFAULT_MAX_EVALS = 20_000;
export const DEFAULT_CHAINS = 4;

/** Steering exponents of (energy, cycles, off-chip bytes) of the Pareto-exploring chains (odd chains with --pareto). */
const STEERS: readonly (readonly [number, number, number])[] = [[1, 1, 0], [1, 0, 1], [0, 1, 1], [1, 1, 1], [2, 1, 0], [1, 2, 0], [0, 0, 1], [0, 1, 0]];

export function planTasks(o: SearchOptions): TaskSpec[] {
  if (o.strategy === 'exhaustive') {
    const shards = Math.max(1, o.shards ?? 1);
    return Array.from({ length: shards }, (_, shard) => ({ kind: 'exhaustive' as const, shard, shards }));
  }
  const chains = Math.max(1, o.chains ?? DEFAULT_CHAINS);
  const total = o.maxEvals ?? DEFAULT_MAX_EVALS;
  return Array.from({ length: chains }, (_, chain) => ({ kind: 'chain' as const, chain, budget: Math.floor(total / chains) + (chain < total % chains ? 1 : 0) }));
}

export interface TaskRun {
  readonly explorer: Explorer;
  readonly task: SearchTask;
}

/** Milliseconds on a clock shared by every thread of the process. */
export const sharedClock = (): number => performance.timeOrigin + performance.now();

export function startTask(space: MapSpace, evaluator: Evaluator, o: SearchOptions, spec: TaskSpec, startedAt = sharedClock()): TaskRun {
  const ex = new Explorer(space, evaluator, o.objective, o.pareto, o.keepTop ?? 0, o.modelEvaluator !== false);
  if (spec.kind === 'exhaustive') {
    return { explorer: ex, task: exhaustiveTask(ex, { shard: spec.shard, shards: spec.shards, prune: o.modelEvaluator === false ? false : o.prune, maxCandidates: o.maxEvals, seeds: o.seeds }) };
  }
  const steer = o.pareto && o.strategy === 'anneal' && spec.chain % 2 === 1 ? STEERS[((spec.chain - 1) / 2) % STEERS.length] : undefined;
  const clock = o.timeLimitMs ? (): number => sharedClock() - startedAt : undefined;
  const task = chainTask(ex, { mode: o.strategy === 'random' ? 'random' : 'anneal', seed: o.seed, chain: spec.chain, budget: spec.budget, timeLimitMs: o.timeLimitMs, clock, steer });
  return { explorer: ex, task };
}

/** What one task found: plain data (crosses worker boundaries by structured clone). */
export interface TaskResult {
  readonly stats: ExploreStats;
  readonly invalid: readonly InvalidReason[];
  /** The task's ranking entries (its best, or the front of a lexicographic objective with tolerance). */
  readonly ranked: readonly RankEntry<Point>[];
  readonly front: readonly FrontEntry<Point>[];
  readonly top: readonly RankEntry<Point>[];
  readonly trace: readonly TracePoint[];
  /** The task ran to its natural end (exhaustive: the whole enumeration; not stopped by time, cap or Ctrl-C). */
  readonly finished: boolean;
}

export function taskResult(run: TaskRun, done: boolean): TaskResult {
  const ex = run.explorer;
  const finished = done && (run.task.exhausted ? run.task.exhausted() : true);
  return { stats: { ...ex.stats }, invalid: [...ex.invalid.values()].map((r) => ({ ...r })), ranked: ex.ranking.entries(), front: ex.front ? ex.front.list() : [], top: ex.top.entries(), trace: ex.trace, finished };
}

export interface SearchResult {
  readonly stats: ExploreStats;
  /** Invalid candidates per (stage, level), most frequent first. */
  readonly invalid: readonly InvalidReason[];
  readonly best?: RankEntry<Point>;
  readonly front: readonly FrontEntry<Point>[];
  /** The N best candidates (keepTop), best first. */
  readonly top: readonly RankEntry<Point>[];
  /** Best-so-far improvements of the whole search (per task clocks). */
  readonly trace: readonly TracePoint[];
  /** Exhaustive search that covered the whole space: the best is optimal for the objective. */
  readonly optimal: boolean;
}

export function mergeResults(o: SearchOptions, results: readonly TaskResult[]): SearchResult {
  const stats = emptyStats();
  stats.warmStart = o.seeds?.evaluated ?? 0;
  const invalid = new Map<string, InvalidReason>();
  const ranking = new Ranking<Point>(o.objective);
  const front = new ParetoFront<Point>();
  const top = new TopN<Point>(o.objective, o.keepTop ?? 0);
  const trace: TracePoint[] = [];
  for (const r of results) {
    for (const e of r.top) top.offer(e);
    addStats(stats, r.stats);
    for (const i of r.invalid) {
      const key = `${i.stage}@${i.level ?? ''}`;
      const e = invalid.get(key);
      if (e) e.count += i.count;
      else invalid.set(key, { ...i });
    }
    for (const e of r.ranked) ranking.offer(e);
    for (const f of r.front) front.add(f);
    trace.push(...r.trace);
  }
  trace.sort((a, b) => a.ms - b.ms || a.considered - b.considered);
  const improving: TracePoint[] = [];
  const seen = new Ranking<TracePoint>(o.objective);
  for (const t of trace) {
    if (seen.wants(t.vec, 0, 0)) {
      seen.offer({ vec: Float64Array.from(t.vec), totals: t.totals, index: [0, 0], point: t });
      improving.push(t);
    }
  }
  return {
    stats,
    invalid: [...invalid.values()].sort((a, b) => b.count - a.count || (a.stage + (a.level ?? '')).localeCompare(b.stage + (b.level ?? ''))),
    best: ranking.best(),
    front: front.list(),
    top: top.entries(),
    trace: improving,
    optimal: o.strategy === 'exhaustive' && results.length > 0 && results.every((r) => r.finished),
  };
}

/** Options with the exhaustive warm start done (once, before the shards start: every shard gets its result). */
export function prepareSearch(space: MapSpace, evaluator: Evaluator, o: SearchOptions): SearchOptions {
  if (o.strategy !== 'exhaustive' || !o.warmStart || o.seeds || o.prune === false) return o;
  return { ...o, seeds: warmStart(space, evaluator, o.objective, o.pareto, o.warmStart, o.seed) };
}

/** Run a whole search in this thread, to completion (tests, benchmarks). */
export function runSearch(space: MapSpace, evaluator: Evaluator, options: SearchOptions): SearchResult {
  const o = prepareSearch(space, evaluator, options);
  const results = planTasks(o).map((spec) => {
    const run = startTask(space, evaluator, o, spec);
    let done = false;
    while (!done) done = run.task.step(1 << 12);
    return taskResult(run, done);
  });
  return mergeResults(o, results);
}

export { emptyStats };
