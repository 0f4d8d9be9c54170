/**
 * `spikeloop explore --threads N`: block simulations on worker threads. Every worker builds the same simulator
 * (network, arch, chunk mapper, options) and runs the block tasks it is dealt: all choices with one time batch and
 * axis go to one worker (they share their chunk shapes, mapped once); results come back in task order.
 * A block run is a pure function of its inputs, so any N gives the same answer as one thread.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Arch } from '../arch/types.ts';
import type { BlockOutcome } from '../schedule/block-sim.ts';
import { blockChoices, type BlockRunner, type BlockTask, type ChoiceSet } from '../schedule/explore.ts';
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
  // Choices that share a time batch and an axis share their chunk shapes: one worker takes all of them (so no two
  // workers map the same chunks), groups dealt longest first (work ~ T / b per block) to the least loaded worker.
  const groupOf = new Map<string, number>();
  {
    const T = init.net.timesteps;
    const weight = new Map<string, number>();
    init.net.blocks.forEach((_, bi) => {
      for (const c of blockChoices(init.net, bi, init.choiceSet)) {
        const g = `${c.timeBatch}|${c.tileAxis ?? 'inherit'}`;
        weight.set(g, (weight.get(g) ?? 0) + T / c.timeBatch);
      }
    });
    const load = workers.map(() => 0);
    for (const [g, w] of [...weight].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) {
      let k = 0;
      for (let i = 1; i < load.length; i++) if (load[i] < load[k]) k = i;
      groupOf.set(g, k);
      load[k] += w;
    }
  }
  const choices = init.net.blocks.map((_, bi) => blockChoices(init.net, bi, init.choiceSet));
  const runner: BlockRunner = async (tasks) => {
    const parts: { idx: number[]; tasks: BlockTask[] }[] = workers.map(() => ({ idx: [], tasks: [] }));
    tasks.forEach((t, i) => {
      const c = choices[t.bi][t.choice];
      const p = parts[groupOf.get(`${c.timeBatch}|${c.tileAxis ?? 'inherit'}`) ?? 0];
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
