/**
 * Worker-thread entry of `spikeloop search --threads N` (bundled by search-bundle.ts, or loaded through tsx).
 * Builds the space and the evaluator, then runs tasks like the main thread does (search-runner.ts), posting
 * progress and one result per task.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Arch } from '../arch/types.ts';
import { buildMapSpace, type SpaceOptions } from '../search/mapspace/space.ts';
import type { SearchOptions, TaskSpec } from '../search/plan.ts';
import type { SearchConstraints } from '../search/types.ts';
import type { Workload } from '../workload/types.ts';
import { modelEvaluator } from './search-evaluator.ts';
import { runThread } from './search-runner.ts';

export interface WorkerInput {
  readonly arch: Arch;
  readonly workload: Workload;
  readonly constraints?: SearchConstraints;
  readonly spaceOptions?: SpaceOptions;
  readonly options: SearchOptions;
  readonly specs: readonly TaskSpec[];
  /** Int32Array over a SharedArrayBuffer: [0] != 0 means stop. */
  readonly stop: SharedArrayBuffer;
  /** Dynamic mode: the shared next-task counter. */
  readonly counter?: SharedArrayBuffer;
  /** Static mode: this worker's task indices. */
  readonly mine?: readonly number[];
  readonly startedAt: number;
  /** Set when booted through tsx (search-bundle.ts). */
  readonly boot?: { readonly tsxApi: string; readonly entry: string };
}

const input = workerData as WorkerInput;
const port = parentPort!;
try {
  const space = buildMapSpace(input.arch, input.workload, input.constraints, input.spaceOptions);
  const evaluator = modelEvaluator(input.arch, input.workload);
  port.postMessage({ type: 'ready' });
  await runThread({
    space,
    evaluator,
    options: input.options,
    specs: input.specs,
    stop: new Int32Array(input.stop),
    counter: input.counter ? new Int32Array(input.counter) : undefined,
    mine: input.mine,
    startedAt: input.startedAt,
    progress: (report) => port.postMessage({ type: 'progress', report }),
    result: (index, result) => port.postMessage({ type: 'result', index, result }),
  });
  port.postMessage({ type: 'done' });
} catch (e) {
  port.postMessage({ type: 'error', message: String((e as Error)?.stack ?? e) });
}
