/**
 * Running search tasks in one thread (the main thread or a worker): either pulling the next task from a counter
 * shared by every thread (dynamic: idle threads take more work; each task is deterministic, so who runs it does
 * not matter), or a fixed set of tasks stepped round-robin in small slices (under a time limit, so every chain
 * progresses and cools with the clock). A shared flag stops everything; each task returns what it found so far.
 */
import type { Point } from '../search/mapspace/point.ts';
import type { MapSpace } from '../search/mapspace/space.ts';
import type { ExploreStats } from '../search/explorer.ts';
import { startTask, taskResult, type SearchOptions, type TaskResult, type TaskRun, type TaskSpec } from '../search/plan.ts';
import type { RankEntry } from '../search/ranking.ts';
import type { Evaluator } from '../search/types.ts';

export interface ProgressReport {
  readonly index: number;
  readonly stats: ExploreStats;
  readonly best?: RankEntry<Point>;
}

export interface RunnerInput {
  readonly space: MapSpace;
  readonly evaluator: Evaluator;
  readonly options: SearchOptions;
  readonly specs: readonly TaskSpec[];
  readonly stop: Int32Array;
  /** Dynamic mode: next task index, shared by all threads. */
  readonly counter?: Int32Array;
  /** Static mode: the task indices of this thread. */
  readonly mine?: readonly number[];
  readonly startedAt: number;
  readonly progress: (p: ProgressReport) => void;
  readonly result: (index: number, r: TaskResult) => void;
  /** Called between slices (the main thread yields to its event loop there). */
  readonly pause?: () => Promise<void>;
}

const SLICE = 512;
const PROGRESS_MS = 200;
const PAUSE_MS = 15;

export async function runThread(inp: RunnerInput): Promise<void> {
  let lastProgress = 0;
  let lastPause = performance.now();
  const tick = async (index: number, run: TaskRun): Promise<void> => {
    const now = performance.now();
    if (now - lastProgress > PROGRESS_MS) {
      lastProgress = now;
      inp.progress({ index, stats: { ...run.explorer.stats }, best: run.explorer.best });
    }
    if (inp.pause && now - lastPause > PAUSE_MS) {
      await inp.pause();
      lastPause = performance.now();
    }
  };
  const stopped = (): boolean => Atomics.load(inp.stop, 0) !== 0;
  if (inp.counter) {
    for (;;) {
      if (stopped()) return;
      const index = Atomics.add(inp.counter, 0, 1);
      if (index >= inp.specs.length) return;
      const run = startTask(inp.space, inp.evaluator, inp.options, inp.specs[index], inp.startedAt);
      let done = false;
      while (!done && !stopped()) {
        done = run.task.step(SLICE);
        await tick(index, run);
      }
      inp.result(index, taskResult(run, done));
    }
  }
  const runs = (inp.mine ?? []).map((index) => ({ index, run: startTask(inp.space, inp.evaluator, inp.options, inp.specs[index], inp.startedAt), done: false }));
  let left = runs.length;
  while (left > 0 && !stopped()) {
    for (const r of runs) {
      if (r.done || stopped()) continue;
      r.done = r.run.task.step(SLICE);
      if (r.done) left--;
      await tick(r.index, r.run);
    }
  }
  for (const r of runs) inp.result(r.index, taskResult(r.run, r.done));
}
