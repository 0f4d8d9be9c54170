/**
 * Worker-thread entry of `spikeloop explore --threads N` (loaded through tsx by the bootstrap in explore-pool.ts):
 * builds the simulator once and runs the block tasks it is sent, replying with their outcomes in order.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { blockChoices } from '../schedule/explore.ts';
import { blockAxis } from '../schedule/plan.ts';
import type { BlockOutcome } from '../schedule/block-sim.ts';
import type { BlockTask } from '../schedule/explore.ts';
import { makeRunSim } from './network-options.ts';
import type { PoolInit } from './explore-pool.ts';

const init = workerData as PoolInit;
const simP = makeRunSim(init.net, init.arch, init.run, init.objective);
const choices = init.net.blocks.map((_, bi) => blockChoices(init.net, bi, init.choiceSet));

parentPort!.on('message', (m: { type: string; id: number; tasks: BlockTask[] }) => {
  void simP.then((sim) => {
    try {
      if (typeof sim === 'string') throw new Error(sim);
      const results: BlockOutcome[] = m.tasks.map((t) => {
        const choice = choices[t.bi][t.choice];
        const r = sim.runBlock({ bi: t.bi, choice, axis: blockAxis(init.net, t.bi, choice, t.entry), entry: t.entry, placement: t.placement });
        return r.ok ? { ...r, layers: undefined, occupancy: undefined } : r;
      });
      parentPort!.postMessage({ type: 'result', id: m.id, results });
    } catch (e) {
      parentPort!.postMessage({ type: 'error', message: String((e as Error).stack ?? e) });
    }
  });
});
