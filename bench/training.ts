/**
 * TT-SNN training on the SATA-style accelerator (issue 6). Writes reports/bench/training.json with:
 *  1. parameters and MACs per timestep, dense vs TT, for ResNet-34/N-Caltech101 and ResNet-18/CIFAR-10;
 *  2. one training step (forward, backward, weight gradient) at batch 1 for the four shipped networks (TT in PTT):
 *     energy by phase, level and action, static energy, cycles, DRAM traffic, and the terms that make up the
 *     dense/TT ratios (DRAM, buffers, scratchpads, compute, static);
 *  3. STT vs PTT vs HTT for both TT networks (cycles and energy, forward and step), with the layers where PTT's
 *     two PE groups change the forward cycles;
 *  4. activation memory and its DRAM traffic per training scheme (BPTT, OTTT, SAF, reversible) at batch 1 and 128;
 *  5. forward inference of the same networks through the network schedule engine (schedule/simulate.ts: blocks
 *     time-batched and fused over 1-row tiles, so core outputs stay on chip), via the shared network graph.
 * Mappings come from the default training mapper; every number is computed by the model here, none is typed in.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Arch } from '../src/arch/types.ts';
import { evaluate } from '../src/model/evaluate.ts';
import { defaultMapper } from '../src/schedule/training/default-mapping.ts';
import { evaluateLayerPhase, type TrainingContext } from '../src/schedule/training/layer-phase.ts';
import { peGroup } from '../src/schedule/training/pe-groups.ts';
import { staticEnergyPj, trainingStep, type StepResult } from '../src/schedule/training/step.ts';
import type { Breakdown } from '../src/schedule/training/types.ts';
import { parseArch } from '../src/spec/arch.ts';
import { parseTtNetwork } from '../src/spec/tt-network.ts';
import { SATA16 } from '../src/workload/training/energy-table.ts';
import { SCHEMES } from '../src/workload/training/schemes.ts';
import type { TtMode } from '../src/workload/tt/layer.ts';
import { buildResNet, networkCounts, type TtNetwork } from '../src/workload/tt/resnet.ts';
import { toNetwork } from '../src/workload/tt/to-network.ts';
import { evaluateSchedule } from '../src/schedule/simulate.ts';
import { layerCostFn } from '../src/cli/network-wiring.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const read = (p: string): string => readFileSync(join(root, p), 'utf8');
function must<T>(r: { ok: true; value: T } | { ok: false; diagnostics: readonly unknown[] }, what: string): T {
  if (!r.ok) throw new Error(`${what}: ${JSON.stringify(r.diagnostics)}`);
  return r.value;
}

const ARCH_FILE = 'arch-specs/ttsnn-accelerator.yaml';
const arch: Arch = must(parseArch(read(ARCH_FILE), ARCH_FILE), ARCH_FILE);
const net = (f: string): TtNetwork => must(parseTtNetwork(read(`workloads/${f}.yaml`), f), f);
const mapLayer = defaultMapper((a, w, m) => {
  const o = evaluate(a, w, m);
  return o.status === 'ok' ? { ok: true, energy: o.evaluation.totals.energy_pJ, cycles: o.evaluation.totals.cycles } : { ok: false, reason: o.reason };
});
const ctx = (n: TtNetwork): TrainingContext => ({
  arch, group: peGroup(arch, 2), evaluate, mapLayer, duDensity: 1 - n.desc.sparsity.membraneGradient, fallback: SATA16.actions, usedFallback: new Set(),
});

function step(n: TtNetwork): StepResult {
  const r = trainingStep(ctx(n), n.layers, { phases: ['forward', 'backward', 'wgrad'], schemes: SCHEMES, memoryBatches: [1, 128] });
  if (!r.ok) throw new Error(`${n.name}: ${r.layer} ${r.phase}: ${r.reason}`);
  return r.step;
}

/** Energy split into the model's terms: DRAM, on-chip buffers, per-PE scratchpads, compute, static. */
function terms(s: StepResult): Record<string, number> {
  const t = { dram_pJ: 0, buffers_pJ: 0, scratchpads_pJ: 0, compute_pJ: 0, static_pJ: s.static_pJ };
  arch.levels.forEach((l) => {
    const e = s.dynamic.by_level[l.name] ?? 0;
    if (l.offChip) t.dram_pJ += e;
    else if (l.instances === arch.compute.instances) t.scratchpads_pJ += e;
    else t.buffers_pJ += e;
  });
  for (const v of Object.values(s.dynamic.by_action)) t.compute_pJ += v.energy_pJ;
  return t;
}

const phaseOut = (b: Breakdown) => ({ energy_pJ: b.energy_pJ, cycles: b.cycles, offchip_bytes: b.offchip_bytes, energy_by_level: b.by_level, compute: b.by_action });
const stepOut = (s: StepResult) => ({
  energy_pJ: s.energy_pJ, dynamic_energy_pJ: s.dynamic.energy_pJ, static_energy_pJ: s.static_pJ, cycles: s.cycles, offchip_bytes: s.offchip_bytes,
  terms: terms(s),
  phases: Object.fromEntries(Object.entries(s.phases).map(([p, b]) => [p, phaseOut(b!)])),
  fallback_actions: s.fallback_actions,
});

const t0 = performance.now();
const pairs = [
  { name: 'resnet34-ncaltech101', dense: net('resnet34-ncaltech101-dense'), tt: net('resnet34-ncaltech101-tt') },
  { name: 'resnet18-cifar10', dense: net('resnet18-cifar10-dense'), tt: net('resnet18-cifar10-tt') },
];

const counts = pairs.map(({ name, dense, tt }) => {
  const d = networkCounts(dense);
  const t = networkCounts(tt);
  return {
    network: name,
    dense: { params: d.params, macs_per_timestep: d.macsPerTimestep },
    tt: { params: t.params, macs_per_timestep: t.macsPerTimestep, adds_per_timestep: t.addsPerTimestep },
    param_compression: d.params / t.params,
    mac_compression: d.macsPerTimestep / t.macsPerTimestep,
  };
});

const steps = pairs.map(({ name, dense, tt }) => {
  const sd = step(dense);
  const st = step(tt);
  const td = terms(sd);
  const tt_ = terms(st);
  return {
    network: name,
    batch: 1,
    dense: stepOut(sd),
    tt_ptt: stepOut(st),
    dense_over_tt: {
      energy: sd.energy_pJ / st.energy_pJ,
      cycles: sd.cycles / st.cycles,
      offchip_bytes: sd.offchip_bytes / st.offchip_bytes,
      terms: Object.fromEntries(Object.keys(td).map((k) => [k, td[k] / tt_[k]])),
    },
    schemes: SCHEMES.map((sc) => {
      const a = sd.schemes.find((x) => x.scheme === sc)!;
      const b = st.schemes.find((x) => x.scheme === sc)!;
      return {
        scheme: sc,
        dense: { memory: a.memory, step_energy_pJ: a.energy_pJ, step_cycles: a.cycles, recompute_ops: a.recompute_ops, extra_forward_ops: a.extra_forward_ops },
        tt: { memory: b.memory, step_energy_pJ: b.energy_pJ, step_cycles: b.cycles, recompute_ops: b.recompute_ops, extra_forward_ops: b.extra_forward_ops },
      };
    }),
  };
});

const modes = pairs.map(({ name, tt }) => {
  const per: Record<string, unknown> = {};
  const results: Partial<Record<TtMode, StepResult>> = {};
  for (const mode of ['stt', 'ptt', 'htt'] as const) {
    const n = buildResNet({ ...tt.desc, ttMode: mode });
    const s = step(n);
    results[mode] = s;
    per[mode] = {
      forward_cycles: s.phases.forward!.cycles, forward_energy_pJ: s.phases.forward!.energy_pJ + staticEnergyPj(s.static_mw, s.phases.forward!.cycles, arch.clockMhz),
      step_cycles: s.cycles, step_energy_pJ: s.energy_pJ, macs_per_timestep: networkCounts(n).macsPerTimestep,
    };
  }
  // Layers whose forward cycles PTT changes, with the G2/G3 cycles alone (full array vs one PE group).
  const sttNet = buildResNet({ ...tt.desc, ttMode: 'stt' });
  const pttNet = buildResNet({ ...tt.desc, ttMode: 'ptt' });
  const layers = sttNet.layers.flatMap((l, i) => {
    if (!l.tt) return [];
    const s = evaluateLayerPhase(ctx(tt), l, 'forward');
    const p = evaluateLayerPhase(ctx(tt), pttNet.layers[i], 'forward');
    if (!s.ok || !p.ok) return [];
    return [{ layer: l.name, rank: l.tt.rank, out: `${l.conv.hOut}x${l.conv.wOut}`, stt_cycles: s.breakdown.cycles, ptt_cycles: p.breakdown.cycles, ptt_over_stt: p.breakdown.cycles / s.breakdown.cycles }];
  });
  return {
    network: name,
    ...per,
    ptt_over_stt_cycles: results.ptt!.cycles / results.stt!.cycles,
    ptt_over_stt_energy: results.ptt!.energy_pJ / results.stt!.energy_pJ,
    htt_over_stt_cycles: results.htt!.cycles / results.stt!.cycles,
    htt_over_stt_energy: results.htt!.energy_pJ / results.stt!.energy_pJ,
    forward_by_layer: layers,
  };
});

const fused = pairs.flatMap(({ name, dense, tt }) =>
  ([['dense', dense], ['tt-stt', buildResNet({ ...tt.desc, ttMode: 'stt' })], ['tt-ptt', tt]] as const).map(([kind, n]) => {
    const g = toNetwork(n);
    if (!g.ok) throw new Error(g.reason);
    const net = g.network;
    const out = evaluateSchedule(net, arch, { blocks: net.blocks.map(() => ({ timeBatch: net.timesteps, tileRows: 1 })) }, layerCostFn(arch), {});
    if (!out.ok) throw new Error(`${name} ${kind}: ${out.reason}`);
    const t = out.result.totals as { energy_pJ: number; cycles: number; offchip_bytes: number };
    return { network: name, kind, layers: net.layers.length, energy_pJ: t.energy_pJ, cycles: t.cycles, offchip_bytes: t.offchip_bytes };
  }),
);

const result = {
  schema: 'spikeloop.bench.training/1',
  date: new Date().toISOString(),
  machine: { node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model },
  arch: ARCH_FILE,
  energy_source: `${arch.energySource}; sata16 for actions the arch does not define`,
  mapper: 'default training mapper (schedule/training/default-mapping.ts), lowest energy x cycles of its candidates',
  params_and_macs: counts,
  training_step: steps,
  tt_modes: modes,
  forward_inference_fused_schedule: fused,
  seconds: (performance.now() - t0) / 1000,
};
mkdirSync(join(root, 'reports/bench'), { recursive: true });
const out = join(root, 'reports/bench/training.json');
writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
const M = (x: number): string => (x / 1e6).toFixed(1);
for (const c of counts) console.log(`${c.network}: params x${c.param_compression.toFixed(2)}, MACs/timestep x${c.mac_compression.toFixed(2)} (dense / TT)`);
for (const s of steps) console.log(`${s.network}: step dense ${M(s.dense.energy_pJ)} uJ / ${s.dense.cycles} cycles, TT(PTT) ${M(s.tt_ptt.energy_pJ)} uJ / ${s.tt_ptt.cycles} cycles`);
for (const m of modes) console.log(`${m.network}: PTT/STT cycles ${m.ptt_over_stt_cycles.toFixed(3)}, energy ${m.ptt_over_stt_energy.toFixed(3)}; HTT/STT cycles ${m.htt_over_stt_cycles.toFixed(3)}, energy ${m.htt_over_stt_energy.toFixed(3)}`);
for (const f of fused) console.log(`fused forward ${f.network} ${f.kind}: ${M(f.energy_pJ)} uJ, ${Math.round(f.cycles)} cycles, ${M(f.offchip_bytes)} MB off-chip`);
console.log(`wrote ${out} in ${result.seconds.toFixed(1)} s`);
