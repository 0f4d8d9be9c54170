/**
 * Running a search on N threads: the main thread works too, and N - 1 workers (booted from a bundle, see
 * search-bundle.ts) join as soon as they are up. Without a time limit the threads pull tasks from a shared counter
 * (whoever is free takes the next chain or shard); with one, tasks are dealt round-robin and each thread steps its
 * tasks in turn, so all of them progress. Results are merged in task order: the same answer as one thread.
 */
import { Worker } from 'node:worker_threads';
import type { Arch } from '../arch/types.ts';
import type { Point } from '../search/mapspace/point.ts';
import type { MapSpace, SpaceOptions } from '../search/mapspace/space.ts';
import { addStats, emptyStats, type ExploreStats } from '../search/explorer.ts';
import { planTasks, sharedClock, type SearchOptions, type TaskResult } from '../search/plan.ts';
import { Ranking, type RankEntry } from '../search/ranking.ts';
import type { Evaluator, SearchConstraints } from '../search/types.ts';
import type { Workload } from '../workload/types.ts';
import { workerBoot } from './search-bundle.ts';
import { runThread, type ProgressReport } from './search-runner.ts';
import type { WorkerInput } from './search-worker.ts';

export interface Progress {
  readonly stats: ExploreStats;
  /** The best candidate over every task so far (by the objective). */
  readonly best?: RankEntry<Point>;
  readonly elapsedMs: number;
  /** Threads working (workers still booting are not counted). */
  readonly threads: number;
}

export interface DriveOptions {
  readonly threads: number;
  /** Int32Array over a SharedArrayBuffer; [0] set to 1 stops the search. */
  readonly stop: Int32Array;
  /** Deal tasks round-robin and interleave them (set under a time limit). */
  readonly interleave?: boolean;
  readonly onProgress?: (p: Progress) => void;
}

export interface Inputs {
  readonly arch: Arch;
  readonly workload: Workload;
  readonly constraints?: SearchConstraints;
  readonly spaceOptions?: SpaceOptions;
  readonly space: MapSpace;
  readonly evaluator: Evaluator;
}

export function newStopFlag(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4));
}

export async function driveSearch(inp: Inputs, o: SearchOptions, d: DriveOptions): Promise<TaskResult[]> {
  const specs = planTasks(o);
  const n = Math.max(1, Math.min(d.threads, specs.length));
  const t0 = performance.now();
  const startedAt = sharedClock();
  const results: (TaskResult | undefined)[] = specs.map(() => undefined);
  const live: (ExploreStats | undefined)[] = specs.map(() => undefined);
  const bests: (RankEntry<Point> | undefined)[] = specs.map(() => undefined);
  let working = 1;
  let lastProgress = 0;
  const onProgress = (p: ProgressReport): void => {
    live[p.index] = p.stats;
    if (p.best) bests[p.index] = p.best;
    if (!d.onProgress) return;
    const now = performance.now();
    if (now - lastProgress < 200) return;
    lastProgress = now;
    const stats = emptyStats();
    for (const s of live) if (s) addStats(stats, s);
    const r = new Ranking<Point>(o.objective);
    for (const b of bests) if (b) r.offer(b);
    d.onProgress({ stats, best: r.best(), elapsedMs: now - t0, threads: working });
  };
  const onResult = (index: number, r: TaskResult): void => {
    results[index] = r;
    live[index] = r.stats;
    const best = r.ranked[0];
    if (best) bests[index] = best;
  };
  const counter = d.interleave ? undefined : new Int32Array(new SharedArrayBuffer(4));
  const dealt = (w: number): number[] => specs.map((_, i) => i).filter((i) => i % n === w);
  const workers: Promise<void>[] = [];
  for (let w = 1; w < n; w++) {
    workers.push(
      startWorker({ arch: inp.arch, workload: inp.workload, constraints: inp.constraints, spaceOptions: inp.spaceOptions, options: o, specs, stop: d.stop.buffer as SharedArrayBuffer, counter: counter?.buffer as SharedArrayBuffer | undefined, mine: counter ? undefined : dealt(w), startedAt }, onProgress, onResult, () => working++),
    );
  }
  const here = runThread({
    space: inp.space,
    evaluator: inp.evaluator,
    options: o,
    specs,
    stop: d.stop,
    counter,
    mine: counter ? undefined : dealt(0),
    startedAt,
    progress: onProgress,
    result: onResult,
    pause: () => new Promise<void>((r) => setImmediate(r)),
  });
  await Promise.all([here, ...workers]);
  return results.filter((r): r is TaskResult => r !== undefined);
}

type Message =
  | { type: 'ready' }
  | { type: 'progress'; report: ProgressReport }
  | { type: 'result'; index: number; result: TaskResult }
  | { type: 'error'; message: string }
  | { type: 'done' };

async function startWorker(data: Omit<WorkerInput, 'boot'>, progress: (p: ProgressReport) => void, result: (i: number, r: TaskResult) => void, ready: () => void): Promise<void> {
  const boot = await workerBoot();
  const workerData: WorkerInput = { ...data, boot: boot.kind === 'tsx' ? { tsxApi: boot.tsxApi, entry: boot.entry } : undefined };
  const worker = boot.kind === 'bundle' ? new Worker(boot.url, { workerData }) : new Worker(boot.code, { eval: true, workerData });
  await new Promise<void>((resolve, reject) => {
    worker.on('message', (m: Message) => {
      if (m.type === 'ready') ready();
      else if (m.type === 'progress') progress(m.report);
      else if (m.type === 'result') result(m.index, m.result);
      else if (m.type === 'error') reject(new Error(`search worker failed: ${m.message}`));
      else if (m.type === 'done') void worker.terminate().then(() => resolve());
    });
    worker.on('error', reject);
    worker.on('exit', (code) => (code === 0 || code === 1 ? resolve() : reject(new Error(`search worker exited with code ${code}`))));
  });
}
