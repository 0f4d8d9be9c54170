/**
 * Single-mapping evaluation throughput of the analytical model (one thread) on the Eyeriss-like arch with the
 * VGG-style 3x3 SNN conv layer, wall time and CPU time:
 *  1. `evaluate()` with its full result object (what `spikeloop evaluate` prints), on the shipped T-inner and T-outer
 *     mappings;
 *  2. the model evaluation the mapper uses (access counts, energy, cycles, off-chip bytes: the same analysis and
 *     costing, without building the result object; cli/search-evaluator.ts), on the same mappings;
 *  3. that evaluation on a real search trajectory: the mappings the default anneal search visits, in visit order,
 *     each once, with every memo cold (a fresh kernel, the fan-out memo cleared) after a JIT warm-up on another
 *     trajectory: the figure a search sees;
 *  4. a stream of distinct valid mappings (every loop order of the shipped mappings, repeated), and the same with
 *     the fan-out memo cleared before every evaluation (the cold worst case), with the full result object.
 * Writes reports/bench/evaluate.json.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { clearSpatialCache } from '../src/analysis/fast-spatial.ts';
import type { Loop, Mapping } from '../src/mapping/types.ts';
import { evaluate } from '../src/model/evaluate.ts';
import { modelEvaluator } from '../src/cli/search-evaluator.ts';
import { buildMapSpace } from '../src/search/mapspace/space.ts';
import { parseObjective } from '../src/search/objective.ts';
import { runSearch } from '../src/search/plan.ts';
import type { Arch } from '../src/arch/types.ts';
import type { Workload } from '../src/workload/types.ts';
import { parseArch } from '../src/spec/arch.ts';
import { parseMapping } from '../src/spec/mapping.ts';
import { parseWorkload } from '../src/spec/workload.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const read = (p: string): string => readFileSync(join(root, p), 'utf8');

function must<T>(r: { ok: true; value: T } | { ok: false; diagnostics: readonly unknown[] }, what: string): T {
  if (!r.ok) throw new Error(`${what}: ${JSON.stringify(r.diagnostics)}`);
  return r.value;
}

const ARCH = 'arch-specs/eyeriss-like.yaml';
const WORKLOAD = 'workloads/vgg-conv3-snn.yaml';
const arch = must(parseArch(read(ARCH), ARCH), ARCH);
const workload = must(parseWorkload(read(WORKLOAD), WORKLOAD), WORKLOAD);
const load = (f: string): Mapping => must(parseMapping(read(f), f, arch, workload), f).mapping;

function timed(seconds: number, body: () => void): { evaluations: number; wall_s: number; cpu_s: number; per_second_wall: number; per_second_cpu: number } {
  for (let i = 0; i < 200; i++) body(); // warm-up (JIT)
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let n = 0;
  while (performance.now() - t0 < seconds * 1000) {
    for (let i = 0; i < 50; i++) body();
    n += 50;
  }
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  const cpu = (c.user + c.system) / 1e6;
  return { evaluations: n, wall_s: wall, cpu_s: cpu, per_second_wall: n / wall, per_second_cpu: n / cpu };
}

function permutations<T>(xs: readonly T[]): T[][] {
  if (xs.length <= 1) return [xs.slice()];
  const out: T[][] = [];
  xs.forEach((x, i) => {
    for (const rest of permutations([...xs.slice(0, i), ...xs.slice(i + 1)])) out.push([x, ...rest]);
  });
  return out;
}

/** Every combination of loop orders of the levels of `m` (capped), plus the same with T moved to each level. */
function mappingStream(m: Mapping, cap: number): Mapping[] {
  const perLevel = m.levels.map((l) => permutations(l.temporal));
  const out: Mapping[] = [];
  const rec = (e: number, chosen: (readonly Loop[])[]): void => {
    if (out.length >= cap) return;
    if (e === m.levels.length) {
      out.push({ levels: m.levels.map((l, i) => ({ ...l, temporal: chosen[i] })) });
      return;
    }
    for (const order of perLevel[e]) rec(e + 1, [...chosen, order]);
  };
  rec(0, []);
  return out;
}

const seconds = Number(process.env.BENCH_SECONDS ?? 3);
const inner = load('mappings/eyeriss-like-vgg-conv3-t-inner.yaml');
const outer = load('mappings/eyeriss-like-vgg-conv3-t-outer.yaml');
const stream = [...mappingStream(inner, 3000), ...mappingStream(outer, 3000)].filter((m) => evaluate(arch, workload, m).status === 'ok');
let k = 0;
const next = (): Mapping => stream[k++ % stream.length];

const fixed = [inner, outer].map((m, i) => {
  const first = evaluate(arch, workload, m);
  if (first.status !== 'ok') throw new Error(first.reason);
  return {
    mapping: i === 0 ? 'mappings/eyeriss-like-vgg-conv3-t-inner.yaml' : 'mappings/eyeriss-like-vgg-conv3-t-outer.yaml',
    energy_pJ: first.evaluation.totals.energy_pJ,
    offchip_bytes: first.evaluation.totals.offchip_bytes,
    ...timed(seconds, () => void evaluate(arch, workload, m)),
  };
});
const lean = [inner, outer].map((m, i) => {
  const ev = modelEvaluator(arch, workload);
  return { mapping: i === 0 ? 'mappings/eyeriss-like-vgg-conv3-t-inner.yaml' : 'mappings/eyeriss-like-vgg-conv3-t-outer.yaml', ...timed(seconds, () => void ev(m)) };
});

/** The mappings the default search (anneal, 4 chains) visits with this seed, in order. */
function trajectory(seed: number, budget: number): Mapping[] {
  const a = load_arch();
  const w = load_workload();
  const visited: Mapping[] = [];
  const inner = modelEvaluator(a, w);
  const objective = parseObjective('energy');
  if (typeof objective === 'string') throw new Error(objective);
  runSearch(buildMapSpace(a, w), (m) => {
    visited.push(structuredClone(m));
    return inner(m);
  }, { strategy: 'anneal', objective, pareto: false, seed, maxEvals: budget });
  return visited;
}
function load_arch(): Arch {
  return must(parseArch(read(ARCH), ARCH), ARCH);
}
function load_workload(): Workload {
  return must(parseWorkload(read(WORKLOAD), WORKLOAD), WORKLOAD);
}
/** Each mapping once, in order, with fresh (cold) memos: a new arch/workload (new kernel) and a cleared fan-out memo. */
function coldPass(maps: readonly Mapping[]): { evaluations: number; wall_s: number; cpu_s: number; per_second_wall: number; per_second_cpu: number } {
  clearSpatialCache();
  const ev = modelEvaluator(load_arch(), load_workload());
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (const m of maps) ev(m);
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  const cpu = (c.user + c.system) / 1e6;
  return { evaluations: maps.length, wall_s: wall, cpu_s: cpu, per_second_wall: maps.length / wall, per_second_cpu: maps.length / cpu };
}
const budget = Number(process.env.BENCH_TRAJECTORY ?? 60000);
coldPass(trajectory(2, budget)); // JIT warm-up on another trajectory
const visits = trajectory(1, budget);
const searchTrajectory = { search: `anneal, seed 1, ${budget} candidates`, ...coldPass(visits) };

const varied = { distinct_mappings: stream.length, ...timed(seconds, () => void evaluate(arch, workload, next())) };
const cold = {
  distinct_mappings: stream.length,
  ...timed(seconds, () => {
    clearSpatialCache();
    evaluate(arch, workload, next());
  }),
};

const result = {
  schema: 'spikeloop.bench.evaluate/1',
  date: new Date().toISOString(),
  machine: { node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model, loadavg: os.loadavg() },
  arch: ARCH,
  workload: WORKLOAD,
  note: 'one thread; per_second_cpu divides by the CPU time of this process (robust to other load on the machine)',
  fixed_mapping: fixed,
  model_evaluation_fixed_mapping: lean,
  model_evaluation_search_trajectory: searchTrajectory,
  mapping_stream: varied,
  mapping_stream_cold_fanout_memo: cold,
  target_evaluations_per_second: 100000,
};
mkdirSync(join(root, 'reports/bench'), { recursive: true });
const out = join(root, 'reports/bench/evaluate.json');
writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
const f = (x: number): string => Math.round(x).toLocaleString('en-US');
for (const t of fixed) console.log(`evaluate() with its full result, ${t.mapping}: ${f(t.per_second_wall)} evaluations/s wall, ${f(t.per_second_cpu)} per CPU-second`);
for (const t of lean) console.log(`model evaluation (the mapper's), ${t.mapping}: ${f(t.per_second_wall)}/s wall, ${f(t.per_second_cpu)} per CPU-second`);
console.log(`model evaluation on a search trajectory (${searchTrajectory.evaluations} visited mappings, cold memos): ${f(searchTrajectory.per_second_wall)}/s wall, ${f(searchTrajectory.per_second_cpu)} per CPU-second`);
console.log(`stream of ${stream.length} distinct mappings: ${f(varied.per_second_wall)}/s wall, ${f(varied.per_second_cpu)} per CPU-second`);
console.log(`same, fan-out memo cleared each time: ${f(cold.per_second_wall)}/s wall, ${f(cold.per_second_cpu)} per CPU-second`);
console.log(`wrote ${out}`);
