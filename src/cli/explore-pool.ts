/**
 * `spikeloop explore --threads N`: block simulations on worker threads. Every worker builds the same simulator
 * (network, arch, chunk mapper, options) and runs the block tasks it is dealt: tasks go to worker `choice mod N`,
 * so each worker keeps seeing the same block choices and reuses its chunk costs; results come back in task order.
 * A block run is a pure function of its inputs, so any N gives the same answer as one thread.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Arch } from '../arch/types.ts';
import type { BlockOutcome } from '../schedule/block-sim.ts';
import type { BlockRunner, BlockTask, ChoiceSet } from '../schedule/explore.ts';
import type { Network } from '../workload/network.ts';
import type { NetworkRun } from './network-options.ts';

export interface PoolInit {
  readonly net: Network;
  readonly arch: Arch;
  readonly run: NetworkRun;
  readonly objective: 'energy' | 'cycles' | 'edp' | 'offchip';
  readonly choiceSet: ChoiceSet;
}

export interface Pool {
  readonly runner: BlockRunner;
  close(): Promise<void>;
}

export function startPool(threads: number, init: PoolInit): Pool {
  const require = createRequire(import.meta.url);
  const tsxApi = pathToFileURL(require.resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const entry = new URL('./explore-worker.ts', import.meta.url).href;
  const boot =
    `const { workerData, parentPort } = require('node:worker_threads');` +
    `import(workerData.tsxApi).then((m) => { (m.register || m.default.register)(); return import(workerData.entry); })` +
    `.catch((e) => parentPort.postMessage({ type: 'error', message: String((e && e.stack) || e) }));`;
  let nextId = 0;
  const pending = new Map<number, { resolve: (r: BlockOutcome[]) => void; reject: (e: Error) => void }>();
  const workers = Array.from({ length: threads }, () => {
    const w = new Worker(boot, { eval: true, workerData: { ...init, tsxApi, entry } });
    w.on('message', (m: { type: string; id?: number; results?: BlockOutcome[]; message?: string }) => {
      if (m.type === 'result' && m.id !== undefined) {
        pending.get(m.id)?.resolve(m.results!);
        pending.delete(m.id);
      } else if (m.type === 'error') for (const p of pending.values()) p.reject(new Error(`explore worker failed: ${m.message}`));
    });
    w.on('error', (e) => {
      for (const p of pending.values()) p.reject(e);
    });
    return w;
  });
  const call = (w: Worker, tasks: readonly BlockTask[]): Promise<BlockOutcome[]> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      w.postMessage({ type: 'run', id, tasks });
    });
  const runner: BlockRunner = async (tasks) => {
    const n = workers.length;
    const parts: { idx: number[]; tasks: BlockTask[] }[] = workers.map(() => ({ idx: [], tasks: [] }));
    tasks.forEach((t, i) => {
      const p = parts[t.choice % n];
      p.idx.push(i);
      p.tasks.push(t);
    });
    const res = await Promise.all(parts.map((p, wi) => (p.tasks.length > 0 ? call(workers[wi], p.tasks) : Promise.resolve([]))));
    const out: BlockOutcome[] = new Array(tasks.length);
    parts.forEach((p, wi) => p.idx.forEach((i, j) => (out[i] = res[wi][j])));
    return out;
  };
  return {
    runner,
    close: async () => {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
