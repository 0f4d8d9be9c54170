/**
 * Search benchmark (npm run bench, or `npx tsx bench/search.ts`): writes reports/bench/search.json.
 * 1. Evaluated mappings per second of the default strategy (anneal, 60,000 candidates) on the VGG-style SNN conv layer
 *    on the Eyeriss-like arch, on one thread and on two (same seed: the same best mapping).
 * 2. Time to reach within 1 % of the best mapping found (from the search's improvement trace).
 * 3. Gap of the default strategy to the proven optimum of exhaustive search on a small SNN layer where it finishes.
 * 4. Off-chip traffic saved by state-aware search over a search that ignores State traffic (objective: off-chip
 *    bytes without State), both re-evaluated with the full model.
 * Figures are measured here, never asserted.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import { parseArch } from '../src/spec/arch.ts';
import { parseWorkload } from '../src/spec/workload.ts';
import { buildMapSpace } from '../src/search/mapspace/space.ts';
import { spaceSize } from '../src/search/mapspace/size.ts';
import { toMapping } from '../src/search/mapspace/point.ts';
import { parseObjective, type Objective } from '../src/search/objective.ts';
import { mergeResults, type SearchOptions } from '../src/search/plan.ts';
import { driveSearch, newStopFlag } from '../src/cli/search-pool.ts';
import { modelEvaluator } from '../src/cli/search-evaluator.ts';
import { evaluate } from '../src/model/evaluate.ts';
import type { Arch } from '../src/arch/types.ts';
import type { Workload } from '../src/workload/types.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const read = (p: string): string => readFileSync(join(root, p), 'utf8');
function must<T>(r: { ok: true; value: T } | { ok: false; diagnostics: readonly unknown[] }, what: string): T {
  if (!r.ok) throw new Error(`${what}: ${JSON.stringify(r.diagnostics)}`);
  return r.value;
}
const obj = (s: string, exclude: number[] = []): Objective => {
  const o = parseObjective(s, 0, exclude);
  if (typeof o === 'string') throw new Error(o);
  return o;
};

async function search(a: Arch, w: Workload, o: SearchOptions, threads: number) {
  const space = buildMapSpace(a, w);
  const t0 = performance.now();
  const results = await driveSearch({ arch: a, workload: w, space, evaluator: modelEvaluator(a, w) }, o, { threads, stop: newStopFlag() });
  const seconds = (performance.now() - t0) / 1000;
  return { space, res: mergeResults(o, results), seconds };
}

const arch = must(parseArch(read('arch-specs/eyeriss-like.yaml'), 'arch-specs/eyeriss-like.yaml'), 'arch');
const vgg = must(parseWorkload(read('workloads/vgg-conv3-snn.yaml'), 'workloads/vgg-conv3-snn.yaml'), 'workload');
const evals = Number(process.env.BENCH_SEARCH_EVALS ?? 60000);

// 1 + 2: throughput and time to within 1 % of the best, one and two threads.
const throughput = [];
let bestYaml = '';
for (const threads of [1, 2]) {
  const o: SearchOptions = { strategy: 'anneal', objective: obj('energy'), pareto: false, seed: 1, maxEvals: evals };
  const { space, res, seconds } = await search(arch, vgg, o, threads);
  const best = res.best!.totals.energy_pJ;
  const within = res.trace.find((t) => t.totals.energy_pJ <= best * 1.01);
  const key = JSON.stringify(toMapping(space, res.best!.point));
  if (threads === 1) bestYaml = key;
  throughput.push({
    threads,
    candidates: res.stats.considered,
    evaluated: res.stats.evaluated,
    valid: res.stats.valid,
    seconds,
    evaluations_per_second: res.stats.evaluated / seconds,
    best_energy_pJ: best,
    best_offchip_bytes: res.best!.totals.offchip_bytes,
    // Per-task clocks: with several threads the tasks run side by side, so this is the time within one task.
    time_to_within_1pct_s: within ? within.ms / 1000 : null,
    candidates_to_within_1pct: within?.considered ?? null,
    same_best_as_one_thread: key === bestYaml,
  });
  console.log(`search on ${vgg.name}: ${threads} thread(s): ${(res.stats.evaluated / seconds).toFixed(0)} evaluations/s, best ${best.toExponential(4)} pJ, within 1% after ${within ? (within.ms / 1000).toFixed(2) : '?'} s`);
}

// 3: gap of the default strategy to the exhaustive optimum on a small SNN layer.
const small = must(parseWorkload(`workload:
  name: small-snn-conv
  type: snn-conv
  dims: { N: 1, T: 2, K: 2, C: 2, P: 2, Q: 1, R: 2, S: 1 }
  stride: 1
`, 'small-snn-conv'), 'small');
const mini = must(parseArch(`arch:
  name: mini-eyeriss
  clock_mhz: 200
  levels:
    - { name: DRAM, kind: dram, width: 64, energy: { read: 4 * 440, write: 4 * 440 }, bandwidth: { read: 64, write: 64 } }
    - { name: GlobalBuffer, capacity_bytes: 64, width: 64, energy: { read: 4 * 13.2, write: 4 * 13.2 } }
    - { name: RegisterFile, mesh: [2, 2], capacity_bytes: 8, width: 16, energy: { read: 2.2, write: 2.2 } }
  compute: { name: PE, mesh: [2, 2], energy: { mac: 2.2, ac: 0.9, neuron_update: 1.5 } }
`, 'mini-eyeriss'), 'mini');
const exSpace = buildMapSpace(mini, small);
const exSize = spaceSize(exSpace);
const exh = await search(mini, small, { strategy: 'exhaustive', objective: obj('energy'), pareto: false, seed: 1, shards: 2 }, 2);
const dflt = await search(mini, small, { strategy: 'anneal', objective: obj('energy'), pareto: false, seed: 1 }, 1);
const opt = exh.res.best!.totals.energy_pJ;
const got = dflt.res.best!.totals.energy_pJ;
const gap = {
  arch: mini.name,
  workload: small.name,
  space_candidates: exSize.total.toString(),
  space_is_exact: exSize.exact,
  exhaustive: { optimal: exh.res.optimal, seconds: exh.seconds, threads: 2, evaluated: exh.res.stats.evaluated, pruned: exh.res.stats.pruned, energy_pJ: opt },
  default_anneal: { seconds: dflt.seconds, evaluated: dflt.res.stats.evaluated, energy_pJ: got },
  gap_percent: ((got - opt) / opt) * 100,
};
console.log(`exhaustive on ${small.name}: optimal ${opt} pJ in ${exh.seconds.toFixed(1)} s (${exh.res.stats.evaluated} evaluated); anneal ${got} pJ in ${dflt.seconds.toFixed(2)} s: gap ${gap.gap_percent.toFixed(3)} %`);

// 4: state-aware vs state-blind search of off-chip traffic on the VGG SNN layer.
const stateIdx = vgg.tensors.findIndex((t) => t.role === 'state');
const aware = await search(arch, vgg, { strategy: 'anneal', objective: obj('offchip'), pareto: false, seed: 1, maxEvals: 8000 }, 2);
const blind = await search(arch, vgg, { strategy: 'anneal', objective: obj('offchip', [stateIdx]), pareto: false, seed: 1, maxEvals: 8000 }, 2);
const full = (s: typeof aware) => {
  const e = evaluate(arch, vgg, toMapping(s.space, s.res.best!.point));
  if (e.status !== 'ok') throw new Error('best mapping does not evaluate');
  return { offchip_bytes: e.evaluation.totals.offchip_bytes, state_offchip_bytes: e.evaluation.offchip_bytes_by_tensor.State ?? 0, energy_pJ: e.evaluation.totals.energy_pJ };
};
const fa = full(aware);
const fb = full(blind);
const state = {
  workload: vgg.name,
  candidates_each: 8000,
  state_aware: fa,
  state_blind: fb,
  offchip_bytes_saved: fb.offchip_bytes - fa.offchip_bytes,
  offchip_saved_percent: ((fb.offchip_bytes - fa.offchip_bytes) / fb.offchip_bytes) * 100,
};
console.log(`state-aware search: ${fa.offchip_bytes} off-chip bytes (State ${fa.state_offchip_bytes}); state-blind: ${fb.offchip_bytes} (State ${fb.state_offchip_bytes}); saved ${state.offchip_bytes_saved} B`);

const result = {
  schema: 'spikeloop.bench.search/1',
  date: new Date().toISOString(),
  machine: { node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model },
  evaluator: 'model/evaluate.ts (roofline), adapted by cli/search-evaluator.ts',
  workload: vgg.name,
  arch: arch.name,
  throughput,
  target_evaluations_per_second_per_thread: 100000,
  exhaustive_gap: gap,
  state_aware: state,
};
mkdirSync(join(root, 'reports/bench'), { recursive: true });
const out = join(root, 'reports/bench/search.json');
writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
console.log(`wrote ${out}`);
