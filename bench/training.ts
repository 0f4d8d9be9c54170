/**
 * TT-SNN training on the SATA-style accelerator (issue 6). Writes reports/bench/training.json with, for
 * ResNet-34/N-Caltech101 and ResNet-18/CIFAR-10, dense and TT:
 *  1. parameters and MACs per timestep, dense vs TT;
 *  2. one training step per scheme (BPTT, OTTT, SAF, reversible) at batch 1: energy by phase, level and action,
 *     static energy, dense and sparse (SATA-style) cycles, DRAM traffic, the energy split into the model's terms
 *     (DRAM, buffers, PE array) and, to explain the gap to the reference's split, what DRAM would cost if every
 *     DRAM word were charged a whole 128-byte access (SATA_Sim's convention);
 *  3. the BPTT step evaluated at batch 128;
 *  4. activation memory per scheme at batch 1 and 128, and as a function of T (1..16);
 *  5. STT vs PTT vs HTT (BPTT step and forward), with the layers where PTT's two PE groups win or lose and why
 *     (a pair limited by its groups' compute or by the shared buffers' bandwidth);
 *  6. dense / TT ratios of every term;
 *  7. forward inference of the same networks through the network schedule engine (schedule/simulate.ts), as a
 *     cross-check of the fused chains;
 *  8. the heuristic mapper against the mapper of src/search/ on a few ops (how much the heuristic leaves), and
 *     what refining it by the search (`--chunk-mapper search`) changes on a whole BPTT step, and what it costs.
 * Mappings come from the default training mapper; every number is computed by the model here, none is typed in.
 * CPU time via process.cpuUsage() (the machine is shared: wall time is not meaningful).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Arch } from '../src/arch/types.ts';
import { evaluate } from '../src/model/evaluate.ts';
import type { TrainingContext } from '../src/schedule/training/chunk.ts';
import { cachedMapper, defaultMapper, type MapLayer } from '../src/schedule/training/default-mapping.ts';
import { evaluatePass } from '../src/schedule/training/pass.ts';
import { peGroup } from '../src/schedule/training/pe-groups.ts';
import { energyTerms, trainingStep, type SchemeStep } from '../src/schedule/training/step.ts';
import type { Breakdown } from '../src/schedule/training/types.ts';
import { parseArch } from '../src/spec/arch.ts';
import { parseTtNetwork } from '../src/spec/tt-network.ts';
import { networkSchemeMemory, SCHEMES, type Scheme } from '../src/workload/training/schemes.ts';
import type { TtMode } from '../src/workload/tt/layer.ts';
import { buildResNet, networkCounts, type TtNetwork } from '../src/workload/tt/resnet.ts';
import { toNetwork } from '../src/workload/tt/to-network.ts';
import { evaluateSchedule } from '../src/schedule/simulate.ts';
import { layerCostFn } from '../src/cli/network-wiring.ts';
import { modelEvaluatorFactory } from '../src/cli/search-evaluator.ts';
import { refinedMapper, searchMapper } from '../src/schedule/training/search-mapping.ts';
import { backwardGraph, forwardGraph } from '../src/workload/training/graph.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const read = (p: string): string => readFileSync(join(root, p), 'utf8');
function must<T>(r: { ok: true; value: T } | { ok: false; diagnostics: readonly unknown[] }, what: string): T {
  if (!r.ok) throw new Error(`${what}: ${JSON.stringify(r.diagnostics)}`);
  return r.value;
}

const cpu0 = process.cpuUsage();
const cpuSeconds = (): number => {
  const c = process.cpuUsage(cpu0);
  return (c.user + c.system) / 1e6;
};

const ARCH_FILE = 'arch-specs/ttsnn-accelerator.yaml';
const arch: Arch = must(parseArch(read(ARCH_FILE), ARCH_FILE), ARCH_FILE);
const net = (f: string): TtNetwork => must(parseTtNetwork(read(`workloads/${f}.yaml`), f), f);
const mapLayer = cachedMapper(defaultMapper((a, w, m) => {
  const o = evaluate(a, w, m);
  return o.status === 'ok' ? { ok: true, energy: o.evaluation.totals.energy_pJ, cycles: o.evaluation.totals.cycles } : { ok: false, reason: o.reason };
}));
const ctx = (n: TtNetwork): TrainingContext => ({ arch, group: peGroup(arch, 2), evaluate, mapLayer, duDensity: 1 - n.desc.sparsity.membraneGradient, priced: new Map() });
const DRAM = arch.levels.find((l) => l.offChip)!;

function steps(n: TtNetwork, schemes: readonly Scheme[]): SchemeStep[] {
  const r = trainingStep(ctx(n), n.layers, { schemes, phases: ['forward', 'backward', 'wgrad'], memoryBatches: [1, 128] });
  if (!r.ok) throw new Error(`${n.name}: ${r.layer} ${r.pass} ${r.op}: ${r.reason}`);
  return [...r.step.schemes];
}

const phaseOut = (b: Breakdown | undefined) => b && ({
  energy_pJ: b.energy_pJ, cycles: b.cycles, sparse_cycles: b.sparse_cycles, offchip_bytes: b.offchip_bytes, energy_by_level: b.by_level, compute: b.by_action,
});

/** Shares of the step energy per term, and the same with DRAM charged per word (SATA_Sim's convention). */
function split(s: SchemeStep) {
  const t = energyTerms(arch, s);
  const total = s.energy_pJ;
  const share = (x: number, of: number): number => x / of;
  const perWordDram = s.dynamic.offchip_words * DRAM.energy.read;
  const alt = total - t.dram_pJ + perWordDram;
  const pe = t.scratchpads_pJ + t.compute_ops_pJ + t.compute_idle_pJ;
  const buffers = t.buffers_dynamic_pJ + t.buffers_leakage_pJ;
  return {
    terms_pJ: t,
    shares: { dram: share(t.dram_pJ, total), buffers: share(buffers, total), buffers_leakage: share(t.buffers_leakage_pJ, total), pe_array: share(pe, total),
      scratchpads: share(t.scratchpads_pJ, total), compute_ops: share(t.compute_ops_pJ, total), compute_idle: share(t.compute_idle_pJ, total) },
    dram_pJ_per_byte: s.offchip_bytes > 0 ? t.dram_pJ / s.offchip_bytes : 0,
    // SATA_Sim multiplies its DRAM access counts (words, from its SCALE-Sim-style cycle model) by the energy of one
    // 128-byte access. The same count here: every off-chip word charged 468.8 pJ.
    if_dram_charged_per_word: {
      offchip_words: s.dynamic.offchip_words, dram_pJ: perWordDram,
      shares: { dram: share(perWordDram, alt), buffers: share(buffers, alt), pe_array: share(pe, alt) },
    },
  };
}

function schemeOut(s: SchemeStep) {
  const ops = (b: Breakdown | undefined): number => (b ? Object.values(b.by_action).reduce((a, v) => a + v.count, 0) : 0);
  return {
    energy_pJ: s.energy_pJ, dynamic_energy_pJ: s.dynamic.energy_pJ, static_energy_pJ: s.static_pJ, static_by_part: s.static_by_part,
    cycles: s.cycles, sparse_cycles: s.sparse_cycles, sparse_energy_pJ: s.sparse_energy_pJ, offchip_bytes: s.offchip_bytes,
    split: split(s),
    phases: Object.fromEntries((['forward', 'backward', 'wgrad'] as const).map((p) => [p, phaseOut(s.phases[p])])),
    compute: s.dynamic.by_action,
    energy_by_level: s.dynamic.by_level,
    extra: Object.fromEntries(Object.entries(s.extra).map(([k, b]) => [k, { ops: ops(b), energy_pJ: b!.energy_pJ, cycles: b!.cycles }])),
    memory: s.memory,
    fused_passes: s.layers.flatMap((l) => l.choices).filter((c) => c.schedule === 'fused').length,
    passes: s.layers.flatMap((l) => l.choices).length,
  };
}

const pairs = [
  { name: 'resnet34-ncaltech101', dense: net('resnet34-ncaltech101-dense'), tt: net('resnet34-ncaltech101-tt') },
  { name: 'resnet18-cifar10', dense: net('resnet18-cifar10-dense'), tt: net('resnet18-cifar10-tt') },
];

const counts = pairs.map(({ name, dense, tt }) => {
  const d = networkCounts(dense);
  const t = networkCounts(tt);
  const htt = networkCounts(buildResNet({ ...tt.desc, ttMode: 'htt', httFullTimesteps: undefined }));
  return {
    network: name,
    dense: { params: d.params, macs_per_timestep: d.macsPerTimestep },
    tt: { params: t.params, macs_per_timestep: t.macsPerTimestep, adds_per_timestep: t.addsPerTimestep, htt_macs_per_timestep: htt.macsPerTimestep },
    param_compression: d.params / t.params,
    mac_compression: d.macsPerTimestep / t.macsPerTimestep,
  };
});

const ratio = (a: number, b: number): number => (b > 0 ? a / b : 0);
const training = pairs.map(({ name, dense, tt }) => {
  const sd = steps(dense, SCHEMES);
  const st = steps(tt, SCHEMES);
  const bd = sd.find((s) => s.scheme === 'bptt')!;
  const bt = st.find((s) => s.scheme === 'bptt')!;
  const td = energyTerms(arch, bd);
  const tt_ = energyTerms(arch, bt);
  return {
    network: name,
    batch: 1,
    dense: Object.fromEntries(sd.map((s) => [s.scheme, schemeOut(s)])),
    tt_ptt: Object.fromEntries(st.map((s) => [s.scheme, schemeOut(s)])),
    dense_over_tt_bptt: {
      energy: ratio(bd.energy_pJ, bt.energy_pJ), sparse_energy: ratio(bd.sparse_energy_pJ, bt.sparse_energy_pJ),
      cycles: ratio(bd.cycles, bt.cycles), sparse_cycles: ratio(bd.sparse_cycles, bt.sparse_cycles),
      offchip_bytes: ratio(bd.offchip_bytes, bt.offchip_bytes),
      terms: Object.fromEntries(Object.keys(td).map((k) => [k, ratio(td[k], tt_[k])])),
      actions: Object.fromEntries(Object.keys(bd.dynamic.by_action).map((k) => [k, { dense: bd.dynamic.by_action[k].count, tt: bt.dynamic.by_action[k]?.count ?? 0 }])),
    },
  };
});

const batch128 = pairs.map(({ name, dense, tt }) => {
  const at = (n: TtNetwork) => steps(buildResNet({ ...n.desc, batch: 128 }), ['bptt'])[0];
  const d = at(dense);
  const t = at(tt);
  return {
    network: name, batch: 128, scheme: 'bptt',
    dense: schemeOut(d), tt_ptt: schemeOut(t),
    dense_over_tt: { energy: ratio(d.energy_pJ, t.energy_pJ), cycles: ratio(d.cycles, t.cycles), sparse_cycles: ratio(d.sparse_cycles, t.sparse_cycles), offchip_bytes: ratio(d.offchip_bytes, t.offchip_bytes) },
  };
});

const memoryVsT = pairs.map(({ name, dense, tt }) => ({
  network: name,
  rows: Array.from({ length: 16 }, (_, i) => i + 1).map((T) => {
    const at = (n: TtNetwork) => buildResNet({ ...n.desc, timesteps: T, httFullTimesteps: undefined }).layers;
    const row: Record<string, unknown> = { T };
    for (const [kind, n] of [['dense', dense], ['tt', tt]] as const) {
      for (const s of SCHEMES) for (const b of [1, 128]) row[`${kind}_${s}_bytes_at_${b}`] = networkSchemeMemory(at(n), s, b).activationBytes;
    }
    return row;
  }),
}));

const modes = pairs.map(({ name, tt }) => {
  const per: Record<string, unknown> = {};
  const r: Partial<Record<TtMode, SchemeStep>> = {};
  for (const mode of ['stt', 'ptt', 'htt'] as const) {
    const n = buildResNet({ ...tt.desc, ttMode: mode });
    const s = steps(n, ['bptt'])[0];
    r[mode] = s;
    per[mode] = {
      step_energy_pJ: s.energy_pJ, step_cycles: s.cycles, step_sparse_cycles: s.sparse_cycles, step_offchip_bytes: s.offchip_bytes,
      forward_cycles: s.phases.forward!.cycles, forward_dynamic_energy_pJ: s.phases.forward!.energy_pJ, macs_per_timestep: networkCounts(n).macsPerTimestep,
    };
  }
  // Per layer, forward: STT vs PTT cycles, the schedules, and what limits PTT's pair of PE groups.
  const sttNet = buildResNet({ ...tt.desc, ttMode: 'stt' });
  const pttNet = buildResNet({ ...tt.desc, ttMode: 'ptt' });
  const c = ctx(tt);
  const layers = sttNet.layers.flatMap((l, i) => {
    if (!l.tt) return [];
    const s = evaluatePass(c, 'forward', l, 'bptt');
    const p = evaluatePass(c, 'forward', pttNet.layers[i], 'bptt');
    if (!s.ok || !p.ok) return [];
    const sc = s.byPhase.forward!.cycles;
    const pc = p.byPhase.forward!.cycles;
    const core = (x: typeof s, id: string) => x.choices[0].ops.find((o) => o.id === id)?.cycles ?? 0;
    return [{
      layer: l.name, rank: l.tt.rank, out: `${l.conv.hOut}x${l.conv.wOut}`, stt_cycles: sc, ptt_cycles: pc, ptt_over_stt: pc / sc,
      stt_schedule: s.choices[0].schedule, ptt_schedule: p.choices[0].schedule,
      stt_g2_plus_g3_cycles_per_chunk: core(s, 'G2') + core(s, 'G3'), ptt_pair_cycles_per_chunk: core(p, 'G2||G3'),
    }];
  });
  return {
    network: name,
    ...per,
    ptt_over_stt: { cycles: r.ptt!.cycles / r.stt!.cycles, energy: r.ptt!.energy_pJ / r.stt!.energy_pJ, forward_cycles: r.ptt!.phases.forward!.cycles / r.stt!.phases.forward!.cycles },
    htt_over_stt: { cycles: r.htt!.cycles / r.stt!.cycles, energy: r.htt!.energy_pJ / r.stt!.energy_pJ },
    forward_by_layer: layers,
    ptt_faster_layers: layers.filter((x) => x.ptt_over_stt < 0.98).length,
    ptt_slower_layers: layers.filter((x) => x.ptt_over_stt > 1.02).length,
  };
});

const fused = pairs.flatMap(({ name, dense, tt }) =>
  ([['dense', dense], ['tt-stt', buildResNet({ ...tt.desc, ttMode: 'stt' })], ['tt-ptt', tt]] as const).map(([kind, n]) => {
    try {
      const g = toNetwork(n);
      if (!g.ok) return { network: name, kind, error: g.reason };
      const nw = g.network;
      const out = evaluateSchedule(nw, arch, { blocks: nw.blocks.map(() => ({ timeBatch: nw.timesteps, tileRows: 1 })) }, layerCostFn(arch), {});
      if (!out.ok) return { network: name, kind, error: out.reason };
      const t = out.result.totals as { energy_pJ: number; cycles: number; offchip_bytes: number };
      return { network: name, kind, layers: nw.layers.length, energy_pJ: t.energy_pJ, cycles: t.cycles, offchip_bytes: t.offchip_bytes };
    } catch (e) {
      return { network: name, kind, error: String(e) };
    }
  }),
);

// How far the heuristic mapper is from the mapper of src/search/ (anneal, 3000 candidates, EDP) on a few ops of
// whole layers of ResNet-18 TT (the search result is kept only where it beats the heuristic).
const heuristic = defaultMapper((a, w, m) => {
  const o = evaluate(a, w, m);
  return o.status === 'ok' ? { ok: true, energy: o.evaluation.totals.energy_pJ, cycles: o.evaluation.totals.cycles } : { ok: false, reason: o.reason };
});
const searched = searchMapper(modelEvaluatorFactory, heuristic, { budget: 3000, seed: 1 });
const mapperCheck = (() => {
  const n = pairs[1].tt;
  const rows: unknown[] = [];
  for (const name of ['layer1.0.conv1', 'layer2.1.conv2', 'layer3.0.conv1', 'layer4.1.conv1']) {
    const l = n.layers.find((x) => x.name === name)!;
    const ch = { n: 1, t: l.conv.T, h: l.conv.hOut };
    const ops = [...forwardGraph(l, 'bptt', ch).ops, ...backwardGraph(l, 'bptt', ch, 0.3).ops].filter((o) => ['G2', 'G2.bwd', 'G4.bwd', 'G1.wgrad', 'G4.wgrad'].includes(o.id));
    for (const op of ops) {
      const score = (m: ReturnType<typeof heuristic>) => {
        if (!m.ok) return undefined;
        const e = evaluate(arch, op.workload, m.mapping);
        return e.status === 'ok' ? { energy_pJ: e.evaluation.totals.energy_pJ, cycles: e.evaluation.totals.cycles, utilization: e.evaluation.utilization } : undefined;
      };
      const h = score(heuristic(arch, op.workload));
      const s = score(searched(arch, op.workload));
      rows.push({ layer: name, op: op.id, heuristic: h, search: s, heuristic_over_search_edp: h && s ? (h.energy_pJ * h.cycles) / (s.energy_pJ * s.cycles) : undefined });
    }
  }
  return rows;
})();

// What `--chunk-mapper search` changes: the heuristic refined by the search (1,500 candidates, EDP) on every op
// shape it leaves under 90 % busy, against the heuristic alone, on the BPTT step of each network (TT and dense),
// with the CPU time of each (fresh mapper caches, so both map every op shape).
const refined = [...pairs.flatMap((p) => [{ name: p.name, kind: 'tt', n: p.tt }, { name: p.name, kind: 'dense', n: p.dense }])].map(({ name, kind, n }) => {
  const run = (m: MapLayer) => {
    const c0 = cpuSeconds();
    const r = trainingStep({ ...ctx(n), mapLayer: m }, n.layers, { schemes: ['bptt'], phases: ['forward', 'backward', 'wgrad'], memoryBatches: [1] });
    if (!r.ok) throw new Error(`${name}: ${r.layer} ${r.op}: ${r.reason}`);
    const s = r.step.schemes[0];
    return { energy_pJ: s.energy_pJ, cycles: s.cycles, sparse_cycles: s.sparse_cycles, offchip_bytes: s.offchip_bytes, cpu_s: Math.round((cpuSeconds() - c0) * 10) / 10 };
  };
  let searchedShapes = 0;
  const h = run(cachedMapper(heuristic));
  const r = run(cachedMapper(refinedMapper(modelEvaluatorFactory, heuristic, { budget: 1500, seed: 1, belowUtilization: 0.9, onSearch: () => searchedShapes++ })));
  return { network: name, kind, scheme: 'bptt', batch: 1, op_shapes_searched: searchedShapes, heuristic: h, refined: r,
    refined_over_heuristic: { energy: r.energy_pJ / h.energy_pJ, cycles: r.cycles / h.cycles, offchip_bytes: r.offchip_bytes / h.offchip_bytes } };
});

const result = {
  schema: 'spikeloop.bench.training/2',
  date: new Date().toISOString(),
  machine: { node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model, note: 'shared machine: CPU time, not wall time' },
  arch: ARCH_FILE,
  energy_source: arch.energySource,
  static_power_mw: { buffers_leakage: arch.levels.reduce((a, l) => a + l.leakageMw * l.instances, 0), pe_array_idle: arch.compute.idleMw },
  mapper: 'default training mapper (schedule/training/default-mapping.ts): up to two dims per spatial axis, lowest energy x cycles of its candidates',
  params_and_macs: counts,
  training_step: training,
  training_step_batch128: batch128,
  activation_memory_vs_T: memoryVsT,
  tt_modes: modes,
  forward_inference_fused_schedule: fused,
  mapper_check: mapperCheck,
  refined_mapper: refined,
  cpu_seconds: 0,
};
result.cpu_seconds = cpuSeconds();
mkdirSync(join(root, 'reports/bench'), { recursive: true });
const out = join(root, 'reports/bench/training.json');
writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
const M = (x: number): string => (x / 1e6).toFixed(1);
const P = (x: number): string => `${(100 * x).toFixed(1)} %`;
for (const c of counts) console.log(`${c.network}: params x${c.param_compression.toFixed(2)}, MACs/timestep x${c.mac_compression.toFixed(2)} (dense / TT)`);
for (const s of training) {
  for (const kind of ['dense', 'tt_ptt'] as const) {
    for (const sc of SCHEMES) {
      const x = (s[kind] as Record<string, ReturnType<typeof schemeOut>>)[sc];
      console.log(`${s.network} ${kind} ${sc}: ${M(x.energy_pJ)} uJ, ${x.cycles} cycles (sparse ${x.sparse_cycles}), ${M(x.offchip_bytes)} MB; DRAM ${P(x.split.shares.dram)}, buffers ${P(x.split.shares.buffers)}, PE array ${P(x.split.shares.pe_array)} (per-word DRAM: ${P(x.split.if_dram_charged_per_word.shares.dram)})`);
    }
  }
  console.log(`${s.network} dense/TT (BPTT): energy ${s.dense_over_tt_bptt.energy.toFixed(2)}, cycles ${s.dense_over_tt_bptt.cycles.toFixed(2)}, sparse cycles ${s.dense_over_tt_bptt.sparse_cycles.toFixed(2)}, sparse energy ${s.dense_over_tt_bptt.sparse_energy.toFixed(2)}`);
}
for (const b of batch128) console.log(`${b.network} batch 128 BPTT: dense ${M(b.dense.energy_pJ)} uJ / TT ${M(b.tt_ptt.energy_pJ)} uJ = ${b.dense_over_tt.energy.toFixed(2)}; cycles ${b.dense_over_tt.cycles.toFixed(2)}`);
for (const m of modes) console.log(`${m.network}: PTT/STT cycles ${m.ptt_over_stt.cycles.toFixed(3)} (forward ${m.ptt_over_stt.forward_cycles.toFixed(3)}; ${m.ptt_faster_layers} layers faster, ${m.ptt_slower_layers} slower), energy ${m.ptt_over_stt.energy.toFixed(3)}; HTT/STT cycles ${m.htt_over_stt.cycles.toFixed(3)}, energy ${m.htt_over_stt.energy.toFixed(3)}`);
for (const x of refined) console.log(`${x.network} ${x.kind} BPTT with --chunk-mapper search (${x.op_shapes_searched} op shapes searched): energy x${x.refined_over_heuristic.energy.toFixed(3)}, cycles x${x.refined_over_heuristic.cycles.toFixed(3)}; CPU ${x.heuristic.cpu_s} s -> ${x.refined.cpu_s} s`);
for (const f of fused) console.log('error' in f ? `fused forward ${f.network} ${f.kind}: ${f.error}` : `fused forward ${f.network} ${f.kind}: ${M(f.energy_pJ!)} uJ, ${Math.round(f.cycles!)} cycles, ${M(f.offchip_bytes!)} MB off-chip`);
for (const m of mapperCheck as { layer: string; op: string; heuristic_over_search_edp?: number }[]) console.log(`mapper check ${m.layer} ${m.op}: heuristic / search EDP ${m.heuristic_over_search_edp?.toFixed(3)}`);
console.log(`wrote ${out} in ${result.cpu_seconds.toFixed(1)} s CPU`);
