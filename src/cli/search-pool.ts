/**
 * Running a search: in this thread (stepping the tasks and yielding to the event loop, so Ctrl-C and the time limit
 * are seen), or on worker threads (tasks dealt round-robin, results merged in task order: the same answer as one
 * thread). A shared flag stops every task; each one returns what it found so far.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Arch } from '../arch/types.ts';
import type { ExploreStats } from '../search/explorer.ts';
import type { MapSpace } from '../search/mapspace/space.ts';
import { planTasks, startTask, stepTask, taskResult, type SearchOptions, type TaskResult } from '../search/plan.ts';
import type { Evaluator, SearchConstraints, SearchTotals } from '../search/types.ts';
import type { Workload } from '../workload/types.ts';
import type { WorkerInput } from './search-worker.ts';

export interface Progress {
  readonly stats: ExploreStats;
  readonly best?: SearchTotals;
  readonly elapsedMs: number;
}

export interface DriveOptions {
  readonly threads: number;
  /** Int32Array over a SharedArrayBuffer; [0] set to 1 stops the search. */
  readonly stop: Int32Array;
  readonly onProgress?: (p: Progress) => void;
}

export interface Inputs {
  readonly arch: Arch;
  readonly workload: Workload;
  readonly constraints?: SearchConstraints;
  readonly space: MapSpace;
  readonly evaluator: Evaluator;
}

export function newStopFlag(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4));
}

function sum(ps: readonly (ExploreStats | undefined)[]): ExploreStats {
  const s: ExploreStats = { considered: 0, evaluated: 0, valid: 0, cached: 0, pruned: 0 };
  for (const p of ps) if (p) for (const k of Object.keys(s) as (keyof ExploreStats)[]) s[k] += p[k];
  return s;
}

export async function driveSearch(inp: Inputs, o: SearchOptions, d: DriveOptions): Promise<TaskResult[]> {
  const specs = planTasks(o);
  return d.threads <= 1 || specs.length <= 1 ? driveHere(inp, o, d) : driveWorkers(inp, o, d);
}

async function driveHere(inp: Inputs, o: SearchOptions, d: DriveOptions): Promise<TaskResult[]> {
  const t0 = performance.now();
  const results: TaskResult[] = [];
  const done: ExploreStats[] = [];
  let best: SearchTotals | undefined;
  let lastProgress = 0;
  for (const spec of planTasks(o)) {
    const run = startTask(inp.space, inp.evaluator, o, spec);
    let s = { done: false, finished: false };
    while (!s.done && Atomics.load(d.stop, 0) === 0) {
      s = stepTask(run, 128);
      const now = performance.now();
      if (d.onProgress && now - lastProgress > 200) {
        lastProgress = now;
        const b = run.explorer.best?.totals;
        d.onProgress({ stats: sum([...done, run.explorer.stats]), best: b ?? best, elapsedMs: now - t0 });
      }
      await new Promise<void>((r) => setImmediate(r));
    }
    const r = taskResult(run, s.finished);
    results.push(r);
    done.push(r.stats);
    best = r.best?.totals ?? best;
  }
  return results;
}

async function driveWorkers(inp: Inputs, o: SearchOptions, d: DriveOptions): Promise<TaskResult[]> {
  const specs = planTasks(o).map((spec, index) => ({ index, spec }));
  const n = Math.min(d.threads, specs.length);
  const require = createRequire(import.meta.url);
  // The ESM build of tsx's API: registering it in the worker lets the worker load the .ts sources.
  const tsxApi = pathToFileURL(require.resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const entry = new URL('./search-worker.ts', import.meta.url).href;
  const boot =
    `const { workerData, parentPort } = require('node:worker_threads');` +
    `import(workerData.tsxApi).then((m) => { (m.register || m.default.register)(); return import(workerData.entry); })` +
    `.catch((e) => parentPort.postMessage({ type: 'error', message: String((e && e.stack) || e) }));`;
  const results: (TaskResult | undefined)[] = specs.map(() => undefined);
  const live: (ExploreStats | undefined)[] = specs.map(() => undefined);
  const bests: (SearchTotals | undefined)[] = specs.map(() => undefined);
  const t0 = performance.now();
  let lastProgress = 0;
  await Promise.all(
    Array.from({ length: n }, (_, w) => {
      const mine = specs.filter((s) => s.index % n === w);
      const data: WorkerInput & { tsxApi: string; entry: string } = {
        arch: inp.arch, workload: inp.workload, constraints: inp.constraints, options: o, specs: mine,
        stop: d.stop.buffer as SharedArrayBuffer, tsxApi, entry,
      };
      return new Promise<void>((resolve, reject) => {
        const worker = new Worker(boot, { eval: true, workerData: data });
        worker.on('message', (m: { type: string; index: number; stats?: ExploreStats; best?: SearchTotals; result?: TaskResult; message?: string }) => {
          if (m.type === 'progress') {
            live[m.index] = m.stats;
            if (m.best) bests[m.index] = m.best;
            const now = performance.now();
            if (d.onProgress && now - lastProgress > 200) {
              lastProgress = now;
              d.onProgress({ stats: sum(live), best: bests.find((b) => b), elapsedMs: now - t0 });
            }
          } else if (m.type === 'result') {
            results[m.index] = m.result;
            live[m.index] = m.result!.stats;
          } else if (m.type === 'error') reject(new Error(`search worker failed: ${m.message}`));
          else if (m.type === 'done') void worker.terminate().then(() => resolve());
        });
        worker.on('error', reject);
        worker.on('exit', (code) => (code === 0 || code === 1 ? resolve() : reject(new Error(`search worker exited with code ${code}`))));
      });
    }),
  );
  return results.filter((r): r is TaskResult => r !== undefined);
}
