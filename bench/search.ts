/**
 * Search benchmark (npm run bench -- search, or `npx tsx bench/search.ts`): writes reports/bench/search.json.
 * 1. Throughput of the default strategy (anneal, 200,000 candidates) on the VGG-style SNN conv layer on the
 *    Eyeriss-like arch, on one thread and on two: evaluations per wall second and per CPU second (process.cpuUsage covers every thread), the
 *    share of the time spent inside the evaluator vs the search around it, and the cost of booting a worker.
 *    The same on the exhaustive search of that layer, time-limited (its space does not finish).
 * 2. Time (and candidates) to reach within 1 % of the best mapping found, from the search's improvement trace.
 * 3. On shipped layers of the two-level arch where exhaustive search finishes: its proven optimum, what it pruned,
 *    and the gap of the default strategy (anneal, default budget) to it.
 * 4. Off-chip traffic saved by the state-aware search over a state-blind one (objective: off-chip bytes without
 *    State), on the VGG layer (anneal) and on fc-snn on the two-level arch (exhaustive). The state-blind
 *    objective ties on many mappings, so the saving is given as a range over the tied state-blind optima kept,
 *    with two single picks beside it (earliest candidate; energy, which is not fully blind).
 * 5. Loop-order classes vs distinct costs on sample tilings (how much of the order space is still redundant).
 * Figures are measured here, never asserted. The machine is shared: see `load_average`.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { parseArch } from '../src/spec/arch.ts';
import { parseWorkload } from '../src/spec/workload.ts';
import { buildMapSpace, type MapSpace } from '../src/search/mapspace/space.ts';
import { spaceSize } from '../src/search/mapspace/size.ts';
import { clonePoint, toMapping } from '../src/search/mapspace/point.ts';
import { randomPoint } from '../src/search/mapspace/sample.ts';
import { catalogueOf } from '../src/search/mapspace/catalogue.ts';
import { levelMask } from '../src/search/mapspace/enumerate.ts';
import { metricValue, parseObjective, type Objective } from '../src/search/objective.ts';
import { mergeResults, prepareSearch, runSearch, type SearchOptions } from '../src/search/plan.ts';
import { driveSearch, newStopFlag } from '../src/cli/search-pool.ts';
import { workerBoot } from '../src/cli/search-bundle.ts';
import { modelEvaluator } from '../src/cli/search-evaluator.ts';
import { Rng } from '../src/core/rng.ts';
import type { Arch } from '../src/arch/types.ts';
import { copyTotals, type EvalResult } from '../src/search/types.ts';
import type { Workload } from '../src/workload/types.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const read = (p: string): string => readFileSync(join(root, p), 'utf8');
function must<T>(r: { ok: true; value: T } | { ok: false; diagnostics: readonly unknown[] }, what: string): T {
  if (!r.ok) throw new Error(`${what}: ${JSON.stringify(r.diagnostics)}`);
  return r.value;
}
const archOf = (p: string): Arch => must(parseArch(read(p), p), p);
const workloadOf = (p: string): Workload => must(parseWorkload(read(p), p), p);
const obj = (s: string, exclude: number[] = []): Objective => {
  const o = parseObjective(s, 0, exclude);
  if (typeof o === 'string') throw new Error(o);
  return o;
};
const cpuNow = (): number => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1e6;
};
const round = (x: number, d = 3): number => Number(x.toFixed(d));

/** One search through the thread pool (stopped after `limitS` seconds when given), with its wall and CPU time. */
async function drive(a: Arch, w: Workload, o: SearchOptions, threads: number, limitS?: number) {
  const space = buildMapSpace(a, w);
  const evaluator = modelEvaluator(a, w);
  const t0 = performance.now();
  const c0 = cpuNow();
  const opts = prepareSearch(space, evaluator, o);
  const stop = newStopFlag();
  const timer = limitS !== undefined ? setTimeout(() => Atomics.store(stop, 0, 1), limitS * 1000) : undefined;
  const results = await driveSearch({ arch: a, workload: w, space, evaluator }, opts, { threads, stop });
  clearTimeout(timer);
  return { space, res: mergeResults(opts, results), seconds: (performance.now() - t0) / 1000, cpu: cpuNow() - c0 };
}

const eyeriss = archOf('arch-specs/eyeriss-like.yaml');
const vgg = workloadOf('workloads/vgg-conv3-snn.yaml');
// Long enough that the fixed costs of a run (worker boot, JIT warm-up of each thread) are small beside it.
const evals = Number(process.env.BENCH_SEARCH_EVALS ?? 200000);
const load = (): number[] => os.loadavg().map((x) => round(x, 2));
console.log(`load average at start: ${load().join(' ')} on ${os.cpus().length} cores`);

// 1a: how the CPU time of one thread splits between the evaluator and the search around it. The search runs once
// with the evaluator (CPU measured), once recording every result, and once replaying the recorded results in call
// order (the same trajectory, with a trivial evaluator): the difference is the evaluator's CPU time.
const split = (() => {
  const space = buildMapSpace(eyeriss, vgg);
  const inner = modelEvaluator(eyeriss, vgg);
  const o: SearchOptions = { strategy: 'anneal', objective: obj('energy'), pareto: false, seed: 1, maxEvals: evals };
  runSearch(space, inner, { ...o, seed: 2, maxEvals: Math.floor(evals / 4) }); // warm the JIT
  let c0 = cpuNow();
  const res = runSearch(space, inner, o);
  const full = cpuNow() - c0;
  const recorded: EvalResult[] = [];
  runSearch(space, (m) => {
    const r = inner(m);
    recorded.push(r.status === 'ok' ? { status: 'ok', totals: copyTotals(r.totals) } : r);
    return r;
  }, o);
  let i = 0;
  const replay = (): EvalResult => recorded[i++];
  runSearch(space, replay, o); // warm the replay path
  i = 0;
  c0 = cpuNow();
  const again = runSearch(space, replay, o);
  const around = cpuNow() - c0;
  return {
    candidates: res.stats.considered,
    evaluated: res.stats.evaluated,
    repeats: res.stats.cached,
    same_trajectory: again.stats.evaluated === res.stats.evaluated && again.best?.totals.energy_pJ === res.best?.totals.energy_pJ,
    cpu_s: round(full),
    evaluations_per_cpu_second: Math.round(res.stats.evaluated / full),
    candidates_per_cpu_second: Math.round(res.stats.considered / full),
    evaluator_cpu_us_per_evaluation: round((1e6 * (full - around)) / res.stats.evaluated, 2),
    search_cpu_us_per_candidate: round((1e6 * around) / res.stats.considered, 2),
    evaluator_share_of_cpu: round((full - around) / full),
    load_average: load(),
  };
})();
console.log(`one thread: ${split.evaluator_cpu_us_per_evaluation} us CPU per evaluation in the evaluator, ${split.search_cpu_us_per_candidate} us CPU per candidate around it (${Math.round(split.evaluator_share_of_cpu * 100)} % in the evaluator)`);

// 1b: worker boot (bundled ES module from a data: URL), measured alone.
const boot = await (async () => {
  const b = await workerBoot();
  if (b.kind !== 'bundle') return { kind: b.kind };
  const t0 = performance.now();
  const c0 = cpuNow();
  const ms: number[] = [];
  for (let i = 0; i < 3; i++) {
    const s = performance.now();
    await new Promise<void>((res) => {
      const wk = new Worker(b.url, { workerData: { arch: eyeriss, workload: vgg, options: { strategy: 'anneal', objective: obj('energy'), pareto: false, seed: 1 }, specs: [], stop: new SharedArrayBuffer(4), counter: new SharedArrayBuffer(4), startedAt: 0 } });
      wk.on('message', (m: { type: string }) => m.type === 'done' && void wk.terminate().then(() => res()));
      wk.on('error', () => res());
    });
    ms.push(performance.now() - s);
  }
  return { kind: b.kind, wall_ms_each: ms.map((x) => round(x, 1)), cpu_ms_each: round(((cpuNow() - c0) * 1000) / 3, 1), total_wall_ms: round(performance.now() - t0, 1) };
})();
console.log(`worker boot: ${JSON.stringify(boot)}`);

// 1c + 2: throughput and time to within 1 % of the best, one and two threads (same seed, same result); then the
// same on a budget five times larger (1c'), where the fixed costs of a thread (worker boot, its JIT warm-up, its own
// cold memos) weigh less, which is what two threads need to pay off.
async function annealThroughput(budget: number) {
  const rows = [];
  let bestKey = '';
  for (const threads of [1, 2]) {
    const o: SearchOptions = { strategy: 'anneal', objective: obj('energy'), pareto: false, seed: 1, maxEvals: budget };
    const { space, res, seconds, cpu } = await drive(eyeriss, vgg, o, threads);
    const best = res.best!.totals.energy_pJ;
    const within = res.trace.find((t) => t.totals.energy_pJ <= best * 1.01);
    const key = JSON.stringify(toMapping(space, res.best!.point));
    if (threads === 1) bestKey = key;
    rows.push({
      threads,
      candidates: res.stats.considered,
      evaluated: res.stats.evaluated,
      valid: res.stats.valid,
      repeats: res.stats.cached,
      wall_s: round(seconds),
      cpu_s: round(cpu),
      evaluations_per_wall_second: Math.round(res.stats.evaluated / seconds),
      evaluations_per_cpu_second: Math.round(res.stats.evaluated / cpu),
      evaluations_per_wall_second_per_thread: Math.round(res.stats.evaluated / seconds / threads),
      // cores this process actually got (below `threads` when other processes share the machine)
      cores_used: round(cpu / seconds, 2),
      best_energy_pJ: best,
      best_offchip_bytes: res.best!.totals.offchip_bytes,
      // Per-task clocks: with several threads the tasks run side by side, so this is the time within one chain.
      time_to_within_1pct_s: within ? round(within.ms / 1000) : null,
      candidates_to_within_1pct: within?.considered ?? null,
      same_best_as_one_thread: key === bestKey,
      load_average: load(),
    });
    console.log(`anneal on ${vgg.name}, ${budget} candidates, ${threads} thread(s): ${Math.round(res.stats.evaluated / seconds)} evaluations/s wall, ${Math.round(res.stats.evaluated / cpu)} per CPU second; best ${best.toExponential(4)} pJ; within 1% after ${within ? (within.ms / 1000).toFixed(2) : '?'} s`);
  }
  return rows;
}
const throughput = await annealThroughput(evals);
const throughputLong = await annealThroughput(Number(process.env.BENCH_SEARCH_LONG_EVALS ?? 1000000));

// 1d: evaluations per second inside the exhaustive search on the same layer (time-limited: its space, ~1e17, does
// not finish). Branch and bound walks tilings in order and varies inner levels first, so consecutive candidates
// share most of their nest and the evaluator's per-level memos hit more often than on an annealing trajectory.
// "evaluated" counts candidates that reached the model (valid, or found invalid by the model's capacity checks);
// "valid" only those with a full evaluation.
const exhaustiveThroughput = [];
for (const threads of [1, 2]) {
  const limit = Number(process.env.BENCH_EXHAUSTIVE_THROUGHPUT_S ?? 20);
  const o: SearchOptions = { strategy: 'exhaustive', objective: obj('energy'), pareto: false, seed: 1, warmStart: 2000, shards: 8 };
  const { res: ex, seconds: wall, cpu } = await drive(eyeriss, vgg, o, threads, limit);
  exhaustiveThroughput.push({
    threads,
    time_limit_s: limit,
    considered: ex.stats.considered,
    evaluated: ex.stats.evaluated,
    valid: ex.stats.valid,
    pruned: ex.stats.pruned,
    wall_s: round(wall),
    cpu_s: round(cpu),
    evaluations_per_wall_second: Math.round(ex.stats.evaluated / wall),
    evaluations_per_cpu_second: Math.round(ex.stats.evaluated / cpu),
    valid_evaluations_per_wall_second: Math.round(ex.stats.valid / wall),
    valid_evaluations_per_cpu_second: Math.round(ex.stats.valid / cpu),
    best_energy_pJ: ex.best?.totals.energy_pJ ?? null,
    load_average: load(),
  });
  console.log(`exhaustive (time-limited) on ${vgg.name}, ${threads} thread(s): ${Math.round(ex.stats.evaluated / wall)} evaluations/s wall (${Math.round(ex.stats.valid / wall)} valid), ${Math.round(ex.stats.evaluated / cpu)} per CPU second`);
}

// 3: the default strategy against the proven optimum on shipped layers of the two-level arch.
const twoLevel = archOf('arch-specs/two-level.yaml');
const gaps = [];
for (const wf of ['workloads/fc-generic.yaml', 'workloads/fc-stateless-snn.yaml', 'workloads/fc-snn.yaml', 'workloads/conv1d-generic.yaml', 'workloads/small-conv-snn.yaml']) {
  const w = workloadOf(wf);
  const space = buildMapSpace(twoLevel, w);
  const size = spaceSize(space);
  const limit = Number(process.env.BENCH_EXHAUSTIVE_S ?? 900);
  const o: SearchOptions = { strategy: 'exhaustive', objective: obj('energy'), pareto: false, seed: 1, warmStart: 2000, shards: 8 };
  const { res: exh, seconds: exSeconds, cpu: exCpu } = await drive(twoLevel, w, o, 2, limit);
  const d = await drive(twoLevel, w, { strategy: 'anneal', objective: obj('energy'), pareto: false, seed: 1 }, 1);
  const opt = exh.best!.totals.energy_pJ;
  const got = d.res.best!.totals.energy_pJ;
  const entry = {
    workload: w.name,
    arch: twoLevel.name,
    space_candidates: size.total.toString(),
    space_is_exact: size.exact,
    exhaustive: {
      finished: exh.optimal,
      threads: 2,
      wall_s: round(exSeconds),
      cpu_s: round(exCpu),
      considered: exh.stats.considered,
      evaluated: exh.stats.evaluated,
      pruned: exh.stats.pruned,
      pruned_partial_tilings: exh.stats.prunedSubtrees,
      warm_start_evaluations: exh.stats.warmStart,
      energy_pJ: opt,
      time_limit_s: limit,
    },
    default_anneal: { wall_s: round(d.seconds), cpu_s: round(d.cpu), evaluated: d.res.stats.evaluated, energy_pJ: got },
    gap_percent: exh.optimal ? round(((got - opt) / opt) * 100, 4) : null,
    load_average: load(),
  };
  gaps.push(entry);
  console.log(`exhaustive on ${w.name}: ${exh.optimal ? 'optimal' : 'NOT finished'} ${opt} pJ in ${exSeconds.toFixed(1)} s (${exh.stats.evaluated} evaluated, ${exh.stats.pruned} pruned, ${exh.stats.prunedSubtrees} partial tilings cut); anneal ${got} pJ in ${d.seconds.toFixed(2)} s: gap ${entry.gap_percent ?? '?'} %`);
}

// 4: state-aware vs state-blind search of off-chip traffic. The state-blind objective (off-chip bytes without State)
// ties on many mappings; the range of the true off-chip bytes over the tied state-blind optima kept is the primary
// figure. Two single picks are shown beside it: ties to the earliest candidate (arbitrary), and ties broken by
// energy (not fully blind: the energy includes State's accesses).
async function stateAwareVsBlind(a: Arch, w: Workload, strategy: 'anneal' | 'exhaustive', budget: number | undefined, keep: number) {
  const stateIdx = w.tensors.findIndex((t) => t.role === 'state');
  const base = { strategy, pareto: false, seed: 1, maxEvals: budget, warmStart: strategy === 'exhaustive' ? 2000 : undefined, shards: strategy === 'exhaustive' ? 8 : undefined } as const;
  const aware = await drive(a, w, { ...base, objective: obj('offchip,energy') }, 2);
  const blindArbitrary = await drive(a, w, { ...base, objective: obj('offchip', [stateIdx]), keepTop: keep }, 2);
  const blindEnergy = await drive(a, w, { ...base, objective: obj('offchip,energy', [stateIdx]) }, 2);
  const blindBest = metricValue(blindArbitrary.res.best!.totals, 'offchip', [stateIdx]);
  const tied = blindArbitrary.res.top.filter((e) => metricValue(e.totals, 'offchip', [stateIdx]) === blindBest);
  const trueOff = tied.map((e) => e.totals.offchip_bytes);
  const state = (t: { offchip_bytes_by_tensor?: ArrayLike<number> }): number => t.offchip_bytes_by_tensor?.[stateIdx] ?? 0;
  const pick = (t: { offchip_bytes: number; energy_pJ: number; offchip_bytes_by_tensor?: ArrayLike<number> }) => ({ offchip_bytes: t.offchip_bytes, state_offchip_bytes: state(t), energy_pJ: t.energy_pJ });
  const aw = aware.res.best!.totals.offchip_bytes;
  const saved = (x: number): number => round(((x - aw) / x) * 100, 2);
  return {
    workload: w.name,
    arch: a.name,
    strategy,
    candidates_each: budget ?? 'whole space',
    state_aware: pick(aware.res.best!.totals),
    state_blind_optimum_without_state_bytes: blindBest,
    state_blind_tied_optima: { kept: tied.length, all_kept: tied.length < keep, offchip_bytes_min: Math.min(...trueOff), offchip_bytes_max: Math.max(...trueOff) },
    saved_percent_range_over_tied_optima: [saved(Math.min(...trueOff)), saved(Math.max(...trueOff))],
    state_blind_earliest_tie: { ...pick(blindArbitrary.res.best!.totals), saved_percent: saved(blindArbitrary.res.best!.totals.offchip_bytes) },
    state_blind_energy_tie_break: { ...pick(blindEnergy.res.best!.totals), saved_percent: saved(blindEnergy.res.best!.totals.offchip_bytes) },
    load_average: load(),
  };
}
const stateAware = [await stateAwareVsBlind(eyeriss, vgg, 'anneal', 20000, 5000), await stateAwareVsBlind(twoLevel, workloadOf('workloads/fc-snn.yaml'), 'exhaustive', undefined, 20000)];
for (const s of stateAware) {
  console.log(`state-aware on ${s.workload}: ${s.state_aware.offchip_bytes} off-chip bytes; state-blind tied optima (${s.state_blind_tied_optima.kept} kept) span ${s.state_blind_tied_optima.offchip_bytes_min}..${s.state_blind_tied_optima.offchip_bytes_max}: saved ${s.saved_percent_range_over_tied_optima.join('..')} %; earliest tie ${s.state_blind_earliest_tie.offchip_bytes}, energy tie-break ${s.state_blind_energy_tie_break.offchip_bytes}`);
}

// 5: loop-order classes vs distinct costs (other levels fixed) on sample tilings.
function classesVsCosts(space: MapSpace, a: Arch, w: Workload, samples: number) {
  const ev = modelEvaluator(a, w);
  const cat = catalogueOf(space);
  const rng = new Rng(11);
  const S = space.slots.length;
  const D = space.dims;
  const out: { level: string; loops: number; orders: number; classes: number; distinct_costs: number }[] = [];
  for (let i = 0; i < 20000 && out.length < samples; i++) {
    const p = randomPoint(space, rng);
    if (!p || ev(toMapping(space, p)).status !== 'ok') continue;
    for (let l = 0; l < space.levels && out.length < samples; l++) {
      const mask = levelMask(space, p.tiling, l);
      let n = 0;
      for (let d = 0; d < D; d++) if (mask & (1 << d)) n++;
      if (n < 4) continue;
      const reps = cat.tableFor(l, p.tiling).reps;
      const costs = new Set<string>();
      const q = clonePoint(p);
      for (const rep of reps) {
        let k = 0;
        for (const d of rep) q.orders[l * D + k++] = d;
        for (let d = 0; d < D; d++) if (p.tiling[d * S + l] <= 1) q.orders[l * D + k++] = d;
        const r = ev(toMapping(space, q));
        if (r.status === 'ok') costs.add(`${r.totals.energy_pJ}|${r.totals.cycles}|${r.totals.offchip_bytes}`);
      }
      let f = 1;
      for (let j = 2; j <= n; j++) f *= j;
      out.push({ level: a.levels[l].name, loops: n, orders: f, classes: reps.length, distinct_costs: costs.size });
    }
  }
  return out;
}
const orderClasses = {
  [`${vgg.name} on ${eyeriss.name}`]: classesVsCosts(buildMapSpace(eyeriss, vgg), eyeriss, vgg, 8),
  [`small-conv-snn on ${twoLevel.name}`]: classesVsCosts(buildMapSpace(twoLevel, workloadOf('workloads/small-conv-snn.yaml')), twoLevel, workloadOf('workloads/small-conv-snn.yaml'), 8),
};

const result = {
  schema: 'spikeloop.bench.search/2',
  date: new Date().toISOString(),
  machine: { node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model, note: 'a 2-core machine shared with other developers: see load_average per entry; CPU seconds cover every thread of the process' },
  evaluator: 'cli/search-evaluator.ts: analysis kernel + dense costing (roofline), the totals of evaluate()',
  workload: vgg.name,
  arch: eyeriss.name,
  one_thread_split: split,
  worker_boot: boot,
  throughput,
  throughput_long_run: throughputLong,
  exhaustive_throughput: exhaustiveThroughput,
  target_evaluations_per_second_per_thread: 100000,
  exhaustive_gap: gaps,
  state_aware: stateAware,
  order_classes_vs_distinct_costs: orderClasses,
};
mkdirSync(join(root, 'reports/bench'), { recursive: true });
const out = join(root, 'reports/bench/search.json');
writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
console.log(`wrote ${out}`);
