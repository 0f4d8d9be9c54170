/**
 * Worker-thread entry of `spikeloop search --threads N` (loaded through tsx by the bootstrap in search-pool.ts).
 * Runs the task specs it is given, in order, and posts progress and one result per task.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { buildMapSpace } from '../search/mapspace/space.ts';
import { startTask, stepTask, taskResult, type SearchOptions, type TaskSpec } from '../search/plan.ts';
import type { SearchConstraints } from '../search/types.ts';
import type { Arch } from '../arch/types.ts';
import type { Workload } from '../workload/types.ts';
import { modelEvaluator } from './search-evaluator.ts';

export interface WorkerInput {
  readonly arch: Arch;
  readonly workload: Workload;
  readonly constraints?: SearchConstraints;
  readonly options: SearchOptions;
  readonly specs: readonly { readonly index: number; readonly spec: TaskSpec }[];
  /** Int32Array over a SharedArrayBuffer: [0] != 0 means stop. */
  readonly stop: SharedArrayBuffer;
}

const input = workerData as WorkerInput & { tsxApi: string; entry: string };
const stop = new Int32Array(input.stop);
const space = buildMapSpace(input.arch, input.workload, input.constraints);
const evaluator = modelEvaluator(input.arch, input.workload);
for (const { index, spec } of input.specs) {
  const run = startTask(space, evaluator, input.options, spec);
  let s = { done: false, finished: false };
  let last = 0;
  while (!s.done && Atomics.load(stop, 0) === 0) {
    s = stepTask(run, 256);
    const now = performance.now();
    if (now - last > 200) {
      last = now;
      parentPort!.postMessage({ type: 'progress', index, stats: { ...run.explorer.stats }, best: run.explorer.best?.totals });
    }
  }
  parentPort!.postMessage({ type: 'result', index, result: taskResult(run, s.finished) });
}
parentPort!.postMessage({ type: 'done' });
