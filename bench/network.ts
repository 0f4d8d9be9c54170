/**
 * Network schedule benchmark (part of `npm run bench`, or alone: `npx tsx bench/network.ts`): STEMS's SEW-ResNet
 * (7PLIF, 5PLIF) and RED-LIF on the Meta-prototype-like core with the 1 MB global buffer. Writes
 * reports/bench/network.json: energy and off-chip bytes of the four uniform STEMS schedules (spikeloop defaults and
 * STEMS-compatible conventions), the best schedule found by `explore`, the state-footprint ratios, the effect of
 * spike rates on the ranking, the time of one schedule evaluation and of a full search. Figures are measured here,
 * never asserted.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import { layerCostFn } from '../src/cli/network-wiring.ts';
import { explore, uniformSchedules, type ExploreResult } from '../src/schedule/explore.ts';
import { evaluateSchedule } from '../src/schedule/simulate.ts';
import { parseArch } from '../src/spec/arch.ts';
import { parseNetwork } from '../src/spec/network.ts';
import type { Arch } from '../src/arch/types.ts';
import { stateBits, type Network } from '../src/workload/network.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const read = (p: string): string => readFileSync(join(root, p), 'utf8');

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

function uniform(net: Network, arch: Arch, stemsCompat: boolean) {
  const cost = layerCostFn(arch);
  const cache = new Map();
  return uniformSchedules(net).map((u) => {
    const t0 = performance.now();
    const r = evaluateSchedule(net, arch, u.schedule, cost, { stemsCompat }, cache);
    const cold = performance.now() - t0;
    const warm: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t1 = performance.now();
      evaluateSchedule(net, arch, u.schedule, cost, { stemsCompat }, cache);
      warm.push(performance.now() - t1);
    }
    if (!r.ok) return { name: u.name, error: r.reason };
    const t = r.result.totals;
    return {
      name: u.name, energy_uJ: r3(t.energy_pJ / 1e6), offchip_MB: r3(t.offchip_bytes / 1e6),
      offchip_MB_by_kind: Object.fromEntries(Object.entries(t.offchip_bytes_by_kind).map(([k, v]) => [k, r3(v / 1e6)])),
      cycles: t.cycles, peak_onchip_MB: r3(t.peak_onchip_bytes / 1e6),
      ms_first_evaluation: r3(cold), ms_evaluation_cached_layer_costs: r3(warm.sort((a, b) => a - b)[1]),
    };
  });
}

async function search(net: Network, arch: Arch, objective: 'energy' | 'offchip') {
  const t0 = performance.now();
  const r = (await explore(net, arch, layerCostFn(arch), { objective })) as ExploreResult;
  const seconds = (performance.now() - t0) / 1000;
  return {
    objective, method: r.method, seconds: r3(seconds), full_simulations: r.evaluated, block_simulations: r.blockEvaluations,
    best: { energy_uJ: r3(r.best.energy_pJ / 1e6), offchip_MB: r3(r.best.offchip_bytes / 1e6), cycles: r.best.cycles, schedule: r.best.result.schedule },
    pareto_points: r.pareto.length,
  };
}

async function benchmark(file: string, arch: Arch) {
  const net = netOf(file);
  return {
    workload: file,
    state_MB: r3(net.layers.reduce((s, l) => s + stateBits(l), 0) / 8e6),
    uniform: uniform(net, arch, false),
    uniform_stems_compat: uniform(net, arch, true),
    search_energy: await search(net, arch, 'energy'),
    search_offchip: await search(net, arch, 'offchip'),
  };
}

function rateEffect(file: string, arch: Arch) {
  return [0.02, 0.15, 0.5].map((rate) => {
    const rows = uniform(netOf(file, rate), arch, false);
    const ranked = [...rows].filter((x) => 'energy_uJ' in x).sort((a, b) => (a as { energy_uJ: number }).energy_uJ - (b as { energy_uJ: number }).energy_uJ);
    return { spike_rate: rate, ranking_by_energy: ranked.map((x) => x.name), energy_uJ: Object.fromEntries(rows.map((x) => [x.name, (x as { energy_uJ?: number }).energy_uJ])) };
  });
}

export async function runNetworkBench(): Promise<void> {
  const arch = must(parseArch(read('arch-specs/meta-prototype-like.yaml'), 'meta-prototype-like.yaml'), 'arch');
  const t0 = performance.now();
  const sew7 = await benchmark('workloads/sew-resnet-7plif.yaml', arch);
  const sew5 = await benchmark('workloads/sew-resnet-5plif.yaml', arch);
  const red = await benchmark('workloads/red-lif.yaml', arch);
  const result = {
    schema: 'spikeloop.bench.network/1',
    date: new Date().toISOString(),
    machine: { node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model },
    arch: 'arch-specs/meta-prototype-like.yaml (global buffer 1 MB)',
    sew_7plif: sew7,
    sew_5plif: sew5,
    sew_state_ratio_7plif_over_5plif: r3(sew7.state_MB / sew5.state_MB),
    red_lif: red,
    spike_rate_effect_sew_7plif: rateEffect('workloads/sew-resnet-7plif.yaml', arch),
    targets: { one_sew_schedule_seconds: 1, full_search_seconds: 60 },
    total_seconds: r3((performance.now() - t0) / 1000),
  };
  mkdirSync(join(root, 'reports/bench'), { recursive: true });
  const out = join(root, 'reports/bench/network.json');
  writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
  for (const [name, b] of [['SEW 7PLIF', sew7], ['SEW 5PLIF', sew5], ['RED-LIF', red]] as const) {
    for (const u of b.uniform) if ('energy_uJ' in u) console.log(`${name} ${u.name}: ${u.energy_uJ} uJ, ${u.offchip_MB} MB off-chip, ${u.ms_evaluation_cached_layer_costs} ms/eval`);
    console.log(`${name} search (energy): ${b.search_energy.best.energy_uJ} uJ, ${b.search_energy.best.offchip_MB} MB in ${b.search_energy.seconds} s`);
  }
  console.log(`wrote ${out}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await runNetworkBench();
