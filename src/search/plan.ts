/**
 * Splitting a search into tasks and merging their results. The split depends only on the options (chains for
 * anneal/random, tiling shards for exhaustive), never on timing, and results merge in task order with ties going
 * to the earliest candidate, so one thread and N threads give the same answer for the same seed.
 */
import { compareIndex } from './explorer-index.ts';
import { better, Explorer, type ExploreStats, type Incumbent, type InvalidReason, type TracePoint } from './explorer.ts';
import type { MapSpace } from './mapspace/space.ts';
import type { Objective } from './objective.ts';
import { ParetoFront, type FrontEntry } from './pareto.ts';
import type { Point } from './mapspace/point.ts';
import { chainTask } from './strategies/anneal.ts';
import { exhaustiveTask } from './strategies/exhaustive.ts';
import type { SearchTask } from './strategies/task.ts';
import type { Evaluator } from './types.ts';

export type Strategy = 'exhaustive' | 'anneal' | 'random';

export interface SearchOptions {
  readonly strategy: Strategy;
  readonly objective: Objective;
  readonly pareto: boolean;
  readonly seed: number;
  /** anneal/random: candidates in total (default 20,000); exhaustive: optional cap per shard. */
  readonly maxEvals?: number;
  /** anneal/random: independent chains (default 4). */
  readonly chains?: number;
  /** exhaustive: tiling shards (default 1; the CLI uses one per thread). */
  readonly shards?: number;
  /** exhaustive: branch-and-bound pruning (default true; false only to check that pruning changes nothing). */
  readonly prune?: boolean;
}

export type TaskSpec =
  | { readonly kind: 'exhaustive'; readonly shard: number; readonly shards: number; readonly cap?: number }
  | { readonly kind: 'chain'; readonly chain: number; readonly budget: number };

export const DEFAULT_MAX_EVALS = 20_000;
export const DEFAULT_CHAINS = 4;

export function planTasks(o: SearchOptions): TaskSpec[] {
  if (o.strategy === 'exhaustive') {
    const shards = Math.max(1, o.shards ?? 1);
    return Array.from({ length: shards }, (_, shard) => ({ kind: 'exhaustive' as const, shard, shards, cap: o.maxEvals === undefined ? undefined : Math.ceil(o.maxEvals / shards) }));
  }
  const chains = Math.max(1, o.chains ?? DEFAULT_CHAINS);
  const total = o.maxEvals ?? DEFAULT_MAX_EVALS;
  return Array.from({ length: chains }, (_, chain) => ({ kind: 'chain' as const, chain, budget: Math.floor(total / chains) + (chain < total % chains ? 1 : 0) }));
}

export interface TaskRun {
  readonly explorer: Explorer;
  readonly task: SearchTask;
  /** Whether the task may stop early because of its cap (exhaustive). */
  readonly cap?: number;
}

export function startTask(space: MapSpace, evaluator: Evaluator, o: SearchOptions, spec: TaskSpec): TaskRun {
  const ex = new Explorer(space, evaluator, o.objective, o.pareto);
  if (spec.kind === 'exhaustive') return { explorer: ex, task: exhaustiveTask(ex, spec.shard, spec.shards, o.prune ?? true), cap: spec.cap };
  return { explorer: ex, task: chainTask(ex, { mode: o.strategy === 'random' ? 'random' : 'anneal', seed: o.seed, chain: spec.chain, budget: spec.budget }) };
}

/** Advance a task by up to `budget` steps; true when it is done (finished, or its cap reached). */
export function stepTask(run: TaskRun, budget: number): { done: boolean; finished: boolean } {
  const finished = run.task.step(budget);
  const capped = run.cap !== undefined && run.explorer.stats.evaluated >= run.cap;
  return { done: finished || capped, finished };
}

/** What one task found: plain data (crosses worker boundaries by structured clone). */
export interface TaskResult {
  readonly stats: ExploreStats;
  readonly invalid: readonly InvalidReason[];
  readonly best?: Incumbent;
  readonly front: readonly FrontEntry<Point>[];
  readonly trace: readonly TracePoint[];
  /** The task ran to its natural end (not stopped by time, cap or Ctrl-C). */
  readonly finished: boolean;
}

export function taskResult(run: TaskRun, finished: boolean): TaskResult {
  const ex = run.explorer;
  return { stats: { ...ex.stats }, invalid: [...ex.invalid.values()].map((r) => ({ ...r })), best: ex.best, front: ex.front ? ex.front.list() : [], trace: ex.trace, finished };
}

export interface SearchResult {
  readonly stats: ExploreStats;
  /** Invalid candidates per (stage, level), most frequent first. */
  readonly invalid: readonly InvalidReason[];
  readonly best?: Incumbent;
  readonly front: readonly FrontEntry<Point>[];
  /** Best-so-far improvements of the whole search (per task clocks). */
  readonly trace: readonly TracePoint[];
  /** Exhaustive search that covered the whole space: the best is optimal for the objective. */
  readonly optimal: boolean;
}

export function mergeResults(o: SearchOptions, results: readonly TaskResult[]): SearchResult {
  const stats: ExploreStats = { considered: 0, evaluated: 0, valid: 0, cached: 0, pruned: 0 };
  const invalid = new Map<string, InvalidReason>();
  let best: Incumbent | undefined;
  const front = new ParetoFront<Point>();
  const trace: TracePoint[] = [];
  for (const r of results) {
    for (const k of Object.keys(stats) as (keyof ExploreStats)[]) stats[k] += r.stats[k];
    for (const i of r.invalid) {
      const key = `${i.stage}@${i.level ?? ''}`;
      const e = invalid.get(key);
      if (e) e.count += i.count;
      else invalid.set(key, { ...i });
    }
    if (r.best && (!best || better(o.objective, r.best.totals, r.best.index, best))) best = r.best;
    for (const f of r.front) front.add(f);
    trace.push(...r.trace);
  }
  trace.sort((a, b) => a.ms - b.ms || a.considered - b.considered);
  const improving: TracePoint[] = [];
  for (const t of trace) {
    const last = improving[improving.length - 1];
    if (!last || better(o.objective, t.totals, [0], { totals: last.totals, index: [0] })) improving.push(t);
  }
  return {
    stats,
    invalid: [...invalid.values()].sort((a, b) => b.count - a.count || (a.stage + (a.level ?? '')).localeCompare(b.stage + (b.level ?? ''))),
    best,
    front: front.list(),
    trace: improving,
    optimal: o.strategy === 'exhaustive' && results.length > 0 && results.every((r) => r.finished),
  };
}

/** Run a whole search in this thread, to completion (tests, benchmarks). */
export function runSearch(space: MapSpace, evaluator: Evaluator, o: SearchOptions): SearchResult {
  const results = planTasks(o).map((spec) => {
    const run = startTask(space, evaluator, o, spec);
    let s = { done: false, finished: false };
    while (!s.done) s = stepTask(run, 1 << 12);
    return taskResult(run, s.finished);
  });
  return mergeResults(o, results);
}

export { compareIndex };
