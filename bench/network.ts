/**
 * Network schedule benchmark (part of `npm run bench`, or alone: `npx tsx bench/network.ts [--quick]`): STEMS's
 * SEW-ResNet (7PLIF, 5PLIF) and RED-LIF on the Meta-prototype-like core with the 1 MB global buffer and its PE
 * unrolling (mappings/constraints/meta-prototype-like.yaml). Writes reports/bench/network.json:
 *  - energy and off-chip bytes of the four uniform STEMS schedules (spikeloop defaults and STEMS-compatible
 *    conventions), each evaluated cold (a fresh simulator: every chunk mapped) and warm (chunk costs cached);
 *  - the best schedule of the STEMS space (4^blocks, exhaustive) and of the full per-block space (exact DP), with
 *    1 and 2 worker threads (the same answer), CPU (process.cpuUsage, all threads) and wall time;
 *  - the state-footprint ratio 7PLIF / 5PLIF from bytes;
 *  - a spike-rate study: the ranking of the uniform schedules and of the best searched schedules at several rates,
 *    with dense and compressed ('auto') spike maps.
 * Figures are measured here, never asserted. The machine is shared: CPU time is the robust figure.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Arch } from '../src/arch/types.ts';
import { startPool } from '../src/cli/explore-pool.ts';
import { makeHost } from '../src/cli/io.ts';
import { makeRunSim, networkRun, type NetworkRun } from '../src/cli/network-options.ts';
import { explore, uniformSchedules, type ChoiceSet, type ExploreResult, type Objective } from '../src/schedule/explore.ts';
import { evaluateSchedule } from '../src/schedule/simulate.ts';
import type { ScheduleSim } from '../src/schedule/block-sim.ts';
import { parseArch } from '../src/spec/arch.ts';
import { parseNetwork } from '../src/spec/network.ts';
import { stateBits, type Network } from '../src/workload/network.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const read = (p: string): string => readFileSync(join(root, p), 'utf8');
const quick = process.argv.includes('--quick');
const host = makeHost({ stdout: (s) => console.log(s), stderr: (s) => console.error(s), cwd: root });
const ARCH = 'arch-specs/meta-prototype-like.yaml';

function must<T>(r: { ok: true; value: T } | { ok: false; diagnostics: readonly unknown[] }, what: string): T {
  if (!r.ok) throw new Error(`${what}: ${JSON.stringify(r.diagnostics)}`);
  return r.value;
}

const netOf = (file: string, rate?: number): Network => {
  let text = read(file);
  if (rate !== undefined) text = text.replace(/spike_rate: [0-9.]+/, `spike_rate: ${rate}`);
  return must(parseNetwork(text, file), file);
};

const r3 = (x: number): number => Math.round(x * 1000) / 1000;

/** CPU (all threads of the process) and wall time of `f`. */
async function timed<T>(f: () => Promise<T> | T): Promise<{ value: T; cpu_s: number; wall_s: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await f();
  const c = process.cpuUsage(c0);
  return { value, cpu_s: r3((c.user + c.system) / 1e6), wall_s: r3((performance.now() - t0) / 1000) };
}

async function runOf(arch: Arch, net: Network, flags: { stemsCompat?: boolean; spikeFormat?: string } = {}): Promise<NetworkRun> {
  const r = await networkRun(host, ARCH, arch, net, flags);
  if (typeof r === 'string' || Array.isArray(r)) throw new Error(`run options: ${JSON.stringify(r)}`);
  return r;
}

async function simOf(net: Network, arch: Arch, run: NetworkRun, objective: Objective = 'energy'): Promise<ScheduleSim> {
  const s = await makeRunSim(net, arch, run, objective);
  if (typeof s === 'string') throw new Error(s);
  return s;
}

async function uniform(net: Network, arch: Arch, run: NetworkRun) {
  const out = [];
  for (const u of uniformSchedules(net)) {
    const sim = await simOf(net, arch, run);
    const cold = await timed(() => evaluateSchedule(net, arch, u.schedule, sim, run.schedule));
    const warm: { cpu_s: number; wall_s: number }[] = [];
    for (let i = 0; i < 3; i++) warm.push(await timed(() => evaluateSchedule(net, arch, u.schedule, sim, run.schedule)));
    warm.sort((a, b) => a.cpu_s - b.cpu_s);
    const r = cold.value;
    if (!r.ok) {
      out.push({ name: u.name, error: r.reason });
      continue;
    }
    const t = r.result.totals;
    out.push({
      name: u.name, energy_uJ: r3(t.energy_pJ / 1e6), offchip_MB: r3(t.offchip_bytes / 1e6),
      offchip_MB_by_kind: Object.fromEntries(Object.entries(t.offchip_bytes_by_kind).map(([k, v]) => [k, r3(v / 1e6)])),
      energy_uJ_by_tensor: Object.fromEntries(Object.entries(r.result.energy_by_tensor).map(([k, v]) => [k, r3(v / 1e6)])),
      compute_uJ: r3(Object.values(r.result.compute).reduce((a, c) => a + c.energy_pJ, 0) / 1e6),
      cycles: t.cycles, peak_onchip_MB: r3(t.peak_onchip_bytes / 1e6), streamed_ops: t.streamed_ops,
      cold: { cpu_s: cold.cpu_s, wall_s: cold.wall_s }, warm_median: { cpu_s: warm[1].cpu_s, wall_s: warm[1].wall_s },
    });
  }
  return out;
}

const label = (r: ExploreResult['best']['result']): string => r.schedule.map((s) => `${s.time_batch}/${s.tile_rows === null ? 'W' : s.tile_rows}${s.tile_axis === 'cols' ? 'c' : 'r'}`).join(' ');
const labelOf = (s: { blocks: readonly { timeBatch: number; tileRows: number | null; tileAxis?: string }[] }): string =>
  s.blocks.map((b) => `${b.timeBatch}/${b.tileRows === null ? 'W' : b.tileRows}${b.tileAxis === 'cols' ? 'c' : b.tileAxis === 'rows' ? 'r' : ''}`).join(' ');

async function search(net: Network, arch: Arch, run: NetworkRun, objective: Objective, space: ChoiceSet, threads = 1, beam?: number) {
  const sim = await simOf(net, arch, run, objective);
  const pool = threads > 1 ? startPool(threads, { net, arch, run, objective, choiceSet: space }) : undefined;
  try {
    const t = await timed(() => explore(sim, { objective, choiceSet: space, runner: pool?.runner, beam }, run.schedule));
    const r = t.value;
    if ('error' in r) return { error: r.error };
    return {
      objective, space, threads, beam: beam ?? null, method: r.method, space_size: r.space, costed: r.evaluated, block_runs: r.blockRuns, optimal: r.optimal,
      cpu_s: t.cpu_s, wall_s: t.wall_s,
      best: { energy_uJ: r3(r.best.energy_pJ / 1e6), offchip_MB: r3(r.best.offchip_bytes / 1e6), cycles: r.best.cycles, schedule: label(r.best.result), placement_changes: r.placementChanges },
      top: r.top.slice(0, 5).map((s) => ({ schedule: labelOf(s.schedule), energy_uJ: r3(s.energy_pJ / 1e6), offchip_MB: r3(s.offchip_bytes / 1e6) })),
    };
  } finally {
    await pool?.close();
  }
}

async function benchmark(file: string, arch: Arch, full: boolean, beam?: number) {
  const net = netOf(file);
  const run = await runOf(arch, net);
  const compat = await runOf(arch, net, { stemsCompat: true });
  const state = net.layers.reduce((s, l) => s + stateBits(l), 0) / 8;
  return {
    workload: file,
    state_bytes: state,
    uniform: await uniform(net, arch, run),
    uniform_stems_compat: await uniform(net, arch, compat),
    search_stems_space_energy: await search(net, arch, run, 'energy', 'stems'),
    ...(full
      ? {
          search_full_space_energy: await search(net, arch, run, 'energy', 'full'),
          search_full_space_energy_2_threads: await search(net, arch, run, 'energy', 'full', 2),
          search_full_space_offchip: await search(net, arch, run, 'offchip', 'full'),
        }
      : {}),
    ...(beam !== undefined && !quick ? { search_full_space_energy_beam: await search(net, arch, run, 'energy', 'full', 2, beam) } : {}),
  };
}

async function rateStudy(file: string, arch: Arch) {
  const out = [];
  for (const spikeFormat of ['dense', 'auto']) {
    for (const rate of quick ? [0.02, 0.3] : [0.02, 0.05, 0.15, 0.3]) {
      const net = netOf(file, rate);
      const run = await runOf(arch, net, { spikeFormat });
      const s = await search(net, arch, run, 'energy', 'stems');
      if ('error' in s) {
        out.push({ spike_format: spikeFormat, spike_rate: rate, error: s.error });
        continue;
      }
      const sim = await simOf(net, arch, run);
      const ex = await explore(sim, { objective: 'energy', choiceSet: 'stems', refineState: false }, run.schedule);
      if ('error' in ex) continue;
      const ranked = [...ex.uniform].sort((a, b) => a.energy_pJ - b.energy_pJ);
      out.push({
        spike_format: spikeFormat, spike_rate: rate,
        uniform_ranking_by_energy: ranked.map((u) => u.name),
        uniform_energy_uJ: Object.fromEntries(ex.uniform.map((u) => [u.name, r3(u.energy_pJ / 1e6)])),
        uniform_offchip_MB: Object.fromEntries(ex.uniform.map((u) => [u.name, r3(u.offchip_bytes / 1e6)])),
        best: s.best,
        top5: s.top,
      });
    }
  }
  return out;
}

export async function runNetworkBench(): Promise<void> {
  const arch = must(parseArch(read(ARCH), 'meta-prototype-like.yaml'), 'arch');
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const sew7 = await benchmark('workloads/sew-resnet-7plif.yaml', arch, !quick);
  const sew5 = await benchmark('workloads/sew-resnet-5plif.yaml', arch, !quick);
  const red = await benchmark('workloads/red-lif.yaml', arch, false, 8);
  const rates = await rateStudy('workloads/sew-resnet-7plif.yaml', arch);
  const c = process.cpuUsage(c0);
  const result = {
    schema: 'spikeloop.bench.network/2',
    date: new Date().toISOString(),
    machine: { node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model, loadavg_at_end: os.loadavg().map(r3), note: 'shared machine: CPU time (process.cpuUsage, all threads) is the robust figure; wall time includes waiting for the CPU' },
    arch: `${ARCH} (global buffer 1 MB), chunk mapper bounds mappings/constraints/meta-prototype-like.yaml`,
    quick,
    sew_7plif: sew7,
    sew_5plif: sew5,
    sew_state_ratio_7plif_over_5plif: r3(sew7.state_bytes / sew5.state_bytes),
    red_lif: red,
    spike_rate_study_sew_7plif: rates,
    targets: { one_sew_schedule_seconds: 1, full_search_seconds_2_cores: 60 },
    total: { cpu_s: r3((c.user + c.system) / 1e6), wall_s: r3((performance.now() - t0) / 1000) },
  };
  mkdirSync(join(root, 'reports/bench'), { recursive: true });
  const out = join(root, 'reports/bench/network.json');
  writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
  for (const [name, b] of [['SEW 7PLIF', sew7], ['SEW 5PLIF', sew5], ['RED-LIF', red]] as const) {
    for (const u of b.uniform) if (u.cold && u.warm_median) console.log(`${name} ${u.name}: ${u.energy_uJ} uJ, ${u.offchip_MB} MB off-chip; cold ${u.cold.cpu_s} s CPU, warm ${u.warm_median.cpu_s} s CPU`);
    const s = b.search_stems_space_energy;
    if (s.best) console.log(`${name} STEMS space (energy): ${s.best.energy_uJ} uJ, ${s.best.offchip_MB} MB, ${s.best.schedule}; ${s.cpu_s} s CPU`);
    const f = 'search_full_space_energy' in b ? b.search_full_space_energy : undefined;
    if (f?.best) console.log(`${name} full space (energy): ${f.best.energy_uJ} uJ, ${f.best.offchip_MB} MB, ${f.best.schedule}; ${f.cpu_s} s CPU, ${f.wall_s} s wall`);
  }
  console.log(`wrote ${out}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await runNetworkBench();
