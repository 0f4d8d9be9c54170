/**
 * `spikeloop evaluate --arch A --workload TT-NETWORK.yaml [--phase P] [--scheme S] [--batch N] [--timesteps T]
 * [--tt-mode M]`: parameters and MACs per layer (dense vs TT) and a training step (forward, backward, weight
 * gradient) of a `tt_network:` workload on an arch, per training scheme, with the activation memory of each.
 * Each layer's dataflow is chunked and fused where its links fit on chip (schedule/training/pass.ts); each op is
 * mapped by the default training mapper (schedule/training/default-mapping.ts) and evaluated by the layer model.
 */
import type { Diagnostic } from '../core/diagnostics.ts';
import type { Result } from '../core/result.ts';
import type { Phase } from '../workload/training/phases.ts';
import type { Scheme } from '../workload/training/schemes.ts';
import type { TtMode } from '../workload/tt/layer.ts';
import type { NetworkCounts, TtNetwork } from '../workload/tt/resnet.ts';
import type { SchemeStep, StepResult } from '../schedule/training/step.ts';
import type { Breakdown } from '../schedule/training/types.ts';
import type { Arch } from '../arch/types.ts';
import { readSources, writeArtifacts } from './files.ts';
import { chunkMapperOption } from './network-options.ts';
import { provenanceRecord } from './provenance.ts';
import type { Host } from './io.ts';
import { EXIT, printDiagnostics } from './render.ts';

export const TRAINING_PHASES = ['forward', 'backward', 'wgrad', 'step'] as const;
export const TRAINING_SCHEMES = ['bptt', 'ottt', 'saf', 'reversible'] as const;

export interface TrainingOptions {
  readonly arch?: string;
  readonly workload?: string;
  readonly phase?: (typeof TRAINING_PHASES)[number];
  readonly scheme?: Scheme;
  readonly batch?: string;
  readonly timesteps?: string;
  readonly ttMode?: TtMode;
  /** `greedy` (the heuristic, default) or `search[:N]`: refine ops the heuristic leaves under 90 % busy. */
  readonly chunkMapper?: string;
  readonly seed?: string;
  readonly json?: boolean;
  readonly brief?: boolean;
  readonly out?: string;
}

/** Options of `evaluate` that do not apply to a TT network (checked so they are never silently ignored). */
export interface ForeignOptions {
  readonly mapping?: string;
  readonly timeloop?: unknown;
  readonly schedule?: string;
  readonly stemsCompat?: boolean;
  readonly timing?: string;
}

/** Whether the workload file is a `tt_network:` spec (read errors are left to the normal path). */
export async function isTtNetworkWorkload(host: Host, workload: string | undefined): Promise<boolean> {
  if (!workload) return false;
  const { sources } = readSources(host, [workload]);
  if (sources.length !== 1) return false;
  const { detectSpecKind } = await import('../spec/load.ts');
  const k = detectSpecKind(sources[0]);
  return 'kind' in k && k.kind === 'tt_network';
}

const WHOLE = /^[1-9]\d*$/;

/** A usage problem of the training options, if any (exit 2). */
export function trainingUsageProblem(o: TrainingOptions & ForeignOptions): string | undefined {
  if (!o.arch) return 'missing --arch <file> (a TT network is evaluated on one arch)';
  if (o.mapping) return '--mapping applies to one layer; a TT network is mapped op by op by the training mapper (drop --mapping)';
  if (o.schedule !== undefined) return '--schedule applies to network: workloads; a TT network chooses its own chunking and fusion per layer (drop --schedule)';
  if (o.stemsCompat) return '--stems-compat applies to network: workloads, not to a TT network (drop --stems-compat)';
  if (o.timing !== undefined && o.timing !== 'roofline') return `--timing ${o.timing} is not available for TT networks: their passes use roofline cycles (drop --timing)`;
  if (o.batch !== undefined && !WHOLE.test(o.batch)) return `--batch takes a positive whole number, got '${o.batch}'`;
  if (o.timesteps !== undefined && !WHOLE.test(o.timesteps)) return `--timesteps takes a positive whole number, got '${o.timesteps}'`;
  const mapper = chunkMapperOption(o.chunkMapper, 1500, 'op shape');
  if (typeof mapper === 'string') return mapper;
  if (o.seed !== undefined && !/^-?\d+$/.test(o.seed)) return `--seed must be a whole number, got '${o.seed}'`;
  return undefined;
}

const problems = <T>(r: Result<T>): readonly Diagnostic[] => (r.ok ? r.warnings : r.diagnostics);

const phaseRecord = (name: string, b: Breakdown) => ({
  name, energy_pJ: b.energy_pJ, cycles: b.cycles, sparse_cycles: b.sparse_cycles, offchip_bytes: b.offchip_bytes, energy_by_level: b.by_level, compute: b.by_action,
});

const opsOf = (b: Breakdown | undefined): number => (b ? Object.values(b.by_action).reduce((a, v) => a + v.count, 0) : 0);

export interface TrainingMeta {
  readonly arch: Arch;
  readonly energySource: string;
  readonly phases: readonly Phase[];
  readonly primary: Scheme;
  /** The op mapper: 'heuristic', or 'heuristic + search:N' (refined where the PE array is under 90 % busy). */
  readonly mapper?: string;
}

function schemeJson(arch: Arch, s: SchemeStep, phases: readonly Phase[], batch: number, terms: (a: Arch, s: SchemeStep, sparse?: boolean) => Record<string, number>) {
  const at = s.memory.find((m) => m.batch === batch);
  return {
    name: s.scheme,
    activation_bytes: at?.activation_bytes,
    dram_bytes: at?.traffic_bytes,
    memory: s.memory,
    step_energy_pJ: s.energy_pJ,
    step_sparse_energy_pJ: s.sparse_energy_pJ,
    step_cycles: s.cycles,
    step_sparse_cycles: s.sparse_cycles,
    step_offchip_bytes: s.offchip_bytes,
    dynamic_energy_pJ: s.dynamic.energy_pJ,
    static_energy_pJ: s.static_pJ,
    energy_terms: terms(arch, s),
    recompute_ops: opsOf(s.extra.recompute),
    recompute_energy_pJ: s.extra.recompute?.energy_pJ ?? 0,
    extra_forward_ops: opsOf(s.extra['trace-path']),
    extra_forward_energy_pJ: s.extra['trace-path']?.energy_pJ ?? 0,
    trace_update_ops: opsOf(s.extra['trace-update']),
    trace_update_energy_pJ: s.extra['trace-update']?.energy_pJ ?? 0,
    phases: phases.map((p) => phaseRecord(p, s.phases[p] ?? emptyLike())),
  };
}

const emptyLike = (): Breakdown => ({ energy_pJ: 0, cycles: 0, sparse_cycles: 0, offchip_bytes: 0, offchip_words: 0, by_level: {}, by_action: {} });

/** The JSON document (schema spikeloop.training/1). */
export function trainingJson(net: TtNetwork, counts: NetworkCounts, step: StepResult | undefined, meta: TrainingMeta,
  terms: (a: Arch, s: SchemeStep, sparse?: boolean) => Record<string, number>): object {
  const main = step?.schemes.find((s) => s.scheme === meta.primary);
  const computes = main ? Object.entries(main.dynamic.by_action).filter(([a]) => a !== 'neuron_update' && a !== 'post_grad').reduce((x, [, v]) => x + v.count, 0) : 0;
  const priced = step ? Object.entries(step.priced) : [];
  return {
    schema: 'spikeloop.training/1',
    network: net.name,
    arch: meta.arch.name,
    batch: net.desc.batch,
    timesteps: net.desc.timesteps,
    decomposition: net.desc.decomposition,
    ...(net.desc.decomposition === 'tt' ? { tt_mode: net.desc.ttMode } : {}),
    ...(meta.mapper ? { mapper: meta.mapper } : {}),
    scheme: meta.primary,
    evaluated_phases: meta.phases,
    energy_source: meta.energySource + (priced.length > 0 ? `; ${priced.map(([a, b]) => `${a} priced as ${b}`).join(', ')} (not in the arch)` : ''),
    priced_as: Object.fromEntries(priced),
    counting_convention: 'every conv at its output resolution; params = weights (no bias, no batch norm); MACs per timestep per sample',
    totals: {
      params: counts.params,
      dense_params: counts.denseParams,
      macs_per_timestep: counts.macsPerTimestep,
      dense_macs_per_timestep: counts.denseMacsPerTimestep,
      adds_per_timestep: counts.addsPerTimestep,
      param_compression: counts.denseParams / counts.params,
      mac_compression: counts.denseMacsPerTimestep / counts.macsPerTimestep,
      ...(main
        ? {
            energy_pJ: main.energy_pJ, dynamic_energy_pJ: main.dynamic.energy_pJ, static_energy_pJ: main.static_pJ, cycles: main.cycles,
            sparse_cycles: main.sparse_cycles, sparse_energy_pJ: main.sparse_energy_pJ, offchip_bytes: main.offchip_bytes, computes,
          }
        : {}),
    },
    layers: counts.layers.map((l, i) => {
      const ls = main?.layers[i];
      return {
        name: l.name, kind: l.kind, ...(l.rank !== undefined ? { rank: l.rank } : {}),
        params: l.params, dense_params: l.denseParams, macs_per_timestep: l.macsPerTimestep, dense_macs_per_timestep: l.denseMacsPerTimestep,
        adds_per_timestep: l.addsPerTimestep,
        ...(l.cores ? { cores: Object.fromEntries(Object.entries(l.cores).map(([k, v]) => [k, { params: v.params, macs_per_timestep: v.macsPerTimestep }])) } : {}),
        ...(ls
          ? {
              phases: Object.fromEntries(Object.entries(ls.phases).map(([p, b]) => [p, { energy_pJ: b.energy_pJ, cycles: b.cycles, sparse_cycles: b.sparse_cycles, offchip_bytes: b.offchip_bytes }])),
              schedule: ls.choices.map((c) => ({
                segment: c.segment, schedule: c.schedule, chunk: c.chunk, chunks: c.chunks, on_chip: c.resident, weights_on_chip: c.weightsOnChip,
                considered: c.considered,
              })),
            }
          : {}),
      };
    }),
    ...(main && step
      ? {
          phases: meta.phases.map((p) => phaseRecord(p, main.phases[p] ?? emptyLike())),
          energy_by_level: main.dynamic.by_level,
          compute: main.dynamic.by_action,
          static: { power_mw: step.static_mw, energy_pJ: main.static_pJ, by_part: main.static_by_part },
          energy_terms: terms(meta.arch, main),
          sparse_energy_terms: terms(meta.arch, main, true),
          schemes: step.schemes.map((s) => schemeJson(meta.arch, s, meta.phases, net.desc.batch, terms)),
        }
      : {}),
  };
}

const fmt = (x: number, digits = 3): string => (Math.abs(x) >= 1e4 || (x !== 0 && Math.abs(x) < 1e-2) ? x.toExponential(digits - 1) : x.toFixed(digits > 2 ? 2 : digits));
const pct = (x: number, of: number): string => `${of > 0 ? ((100 * x) / of).toFixed(1) : '0.0'} %`;
const pad = (rows: string[][]): string => {
  const w = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ')).join('\n');
};
const n0 = (x: number): string => Math.round(x).toLocaleString('en-US');

export function trainingText(net: TtNetwork, counts: NetworkCounts, step: StepResult | undefined, meta: TrainingMeta, brief: boolean,
  terms: (a: Arch, s: SchemeStep, sparse?: boolean) => Record<string, number>): string {
  const out: string[] = [];
  out.push(`${net.name} (${net.desc.decomposition}${net.desc.decomposition === 'tt' ? `, ${net.desc.ttMode}` : ''}, T = ${net.desc.timesteps}, batch ${net.desc.batch}) on ${meta.arch.name}`);
  out.push(`params ${n0(counts.params)} (dense ${n0(counts.denseParams)}, x${(counts.denseParams / counts.params).toFixed(2)}); ` +
    `MACs/timestep ${n0(counts.macsPerTimestep)} (dense ${n0(counts.denseMacsPerTimestep)}, x${(counts.denseMacsPerTimestep / counts.macsPerTimestep).toFixed(2)})` +
    (counts.addsPerTimestep > 0 ? ` + ${n0(counts.addsPerTimestep)} adds` : ''));
  if (!brief) {
    out.push('', 'per layer (per sample; every conv at its output resolution):');
    out.push(pad([['layer', 'kind', 'rank', 'params', 'dense params', 'MACs/t', 'dense MACs/t'],
      ...counts.layers.map((l) => [l.name, l.kind, l.rank !== undefined ? String(l.rank) : '-', n0(l.params), n0(l.denseParams), n0(l.macsPerTimestep), n0(l.denseMacsPerTimestep)])]));
  }
  const main = step?.schemes.find((s) => s.scheme === meta.primary);
  if (step && main) {
    const what = meta.phases.length === 3 ? 'training step' : `${meta.phases.join(' + ')} phase`;
    out.push('', `ops mapped by: ${meta.mapper ?? 'heuristic'}`);
    out.push(`${what} (${main.scheme}): ${fmt(main.energy_pJ / 1e6)} uJ (dynamic ${fmt(main.dynamic.energy_pJ / 1e6)}, static ${fmt(main.static_pJ / 1e6)} at ${fmt(step.static_mw)} mW), ` +
      `${n0(main.cycles)} cycles (sparse: ${n0(main.sparse_cycles)} cycles, ${fmt(main.sparse_energy_pJ / 1e6)} uJ), ${fmt(main.offchip_bytes / 1e6)} MB off-chip`);
    const t = terms(meta.arch, main);
    const pe = t.scratchpads_pJ + t.compute_ops_pJ + t.compute_idle_pJ;
    out.push(`energy split: DRAM ${pct(t.dram_pJ, main.energy_pJ)}, buffers ${pct(t.buffers_dynamic_pJ + t.buffers_leakage_pJ, main.energy_pJ)} (leakage ${pct(t.buffers_leakage_pJ, main.energy_pJ)}), ` +
      `PE array ${pct(pe, main.energy_pJ)} (scratchpads ${pct(t.scratchpads_pJ, main.energy_pJ)}, operations ${pct(t.compute_ops_pJ, main.energy_pJ)}, clocked idle ${pct(t.compute_idle_pJ, main.energy_pJ)})`);
    const levels = Object.keys(main.dynamic.by_level);
    out.push(pad([['phase', 'energy uJ', 'cycles', 'sparse cycles', 'off-chip MB', ...levels],
      ...meta.phases.map((p) => {
        const b = main.phases[p] ?? emptyLike();
        return [p, fmt(b.energy_pJ / 1e6), n0(b.cycles), n0(b.sparse_cycles), fmt(b.offchip_bytes / 1e6), ...levels.map((l) => fmt((b.by_level[l] ?? 0) / 1e6))];
      })]));
    if (!brief) {
      out.push('', 'compute actions:');
      out.push(pad([['action', 'count', 'energy uJ'], ...Object.entries(main.dynamic.by_action).map(([a, v]) => [a, fmt(v.count), fmt(v.energy_pJ / 1e6)])]));
      const fused = main.layers.flatMap((l) => l.choices).filter((c) => c.schedule === 'fused').length;
      const all = main.layers.flatMap((l) => l.choices).length;
      out.push('', `schedule: ${fused} of ${all} layer passes fused (links kept on chip in chunks), the rest layer by layer through DRAM (--json: layers[].schedule)`);
    }
    const batches = step.schemes[0].memory.map((m) => m.batch);
    if (batches.length > 0 || step.schemes.length > 1) {
      out.push('', 'training schemes (activation memory kept between forward and backward, retention DRAM traffic = store + re-read; step evaluated per scheme):');
      out.push(pad([['scheme', ...batches.flatMap((b) => [`mem MB @${b}`, `retain MB @${b}`]), 'step uJ', 'step cycles', 'sparse cycles', 'DRAM MB', 'extra ops'],
        ...step.schemes.map((s) => [s.scheme, ...s.memory.flatMap((m) => [fmt(m.activation_bytes / 1e6), fmt(m.traffic_bytes / 1e6)]), fmt(s.energy_pJ / 1e6), n0(s.cycles), n0(s.sparse_cycles),
          fmt(s.offchip_bytes / 1e6), fmt(opsOf(s.extra.recompute) + opsOf(s.extra['trace-path']) + opsOf(s.extra['trace-update']))])]));
    }
    const priced = Object.entries(step.priced);
    out.push('', `energy: ${meta.energySource}${priced.length > 0 ? `; ${priced.map(([a, b]) => `${a} priced as ${b}`).join(', ')} (not in the arch)` : ''}`);
  }
  return out.join('\n');
}

/** Where to point a diagnostic about a layer: its rank, stage, stem or classes entry, else the file's start. */
function layerPos(net: TtNetwork, layer: string, file: string) {
  return net.positions?.[layer] ?? { file, line: 1, col: 1 };
}

export async function runTraining(host: Host, o: TrainingOptions): Promise<number> {
  const { sources, diagnostics } = readSources(host, [o.arch!, o.workload!]);
  if (diagnostics.length > 0) return printDiagnostics(host, diagnostics);
  const [{ parseArch }, { parseTtNetwork }, { buildResNet, networkCounts }] = await Promise.all([
    import('../spec/arch.ts'), import('../spec/tt-network.ts'), import('../workload/tt/resnet.ts'),
  ]);
  const ra = parseArch(sources[0].text, sources[0].file);
  const rn = parseTtNetwork(sources[1].text, sources[1].file);
  const diags = [...problems(ra), ...problems(rn)];
  if (!ra.ok || !rn.ok) {
    printDiagnostics(host, diags);
    return EXIT.invalidInput;
  }
  printDiagnostics(host, diags); // warnings
  const arch = ra.value;
  const T = o.timesteps ? Number(o.timesteps) : rn.value.desc.timesteps;
  const htt = rn.value.desc.httFullTimesteps !== undefined && rn.value.desc.httFullTimesteps <= T ? rn.value.desc.httFullTimesteps : undefined;
  const desc = { ...rn.value.desc, timesteps: T, httFullTimesteps: htt, ...(o.batch ? { batch: Number(o.batch) } : {}), ...(o.ttMode ? { ttMode: o.ttMode } : {}) };
  const net = { ...buildResNet(desc), positions: rn.value.positions };
  const counts = networkCounts(net);
  const phase = o.phase ?? 'step';
  const phases: Phase[] = phase === 'step' ? ['forward', 'backward', 'wgrad'] : [phase];
  const [{ evaluate }, { defaultMapper, cachedMapper }, { peGroup }, { trainingStep, energyTerms }] = await Promise.all([
    import('../model/evaluate.ts'), import('../schedule/training/default-mapping.ts'), import('../schedule/training/pe-groups.ts'),
    import('../schedule/training/step.ts'),
  ]);
  const heuristic = defaultMapper((a, w, m) => {
    const r = evaluate(a, w, m);
    return r.status === 'ok' ? { ok: true, energy: r.evaluation.totals.energy_pJ, cycles: r.evaluation.totals.cycles } : { ok: false, reason: r.reason };
  });
  const search = chunkMapperOption(o.chunkMapper, 1500, 'op shape');
  const budget = search && typeof search !== 'string' ? search.budget : 0;
  let mapLayer = cachedMapper(heuristic);
  if (budget > 0) {
    const [{ refinedMapper }, { modelEvaluatorFactory }] = await Promise.all([import('../schedule/training/search-mapping.ts'), import('./search-evaluator.ts')]);
    mapLayer = cachedMapper(refinedMapper(modelEvaluatorFactory, heuristic, { budget, seed: o.seed !== undefined ? Number(o.seed) : 1, belowUtilization: 0.9 }));
  }
  const ctx = { arch, group: peGroup(arch, 2), evaluate, mapLayer, duDensity: 1 - desc.sparsity.membraneGradient, priced: new Map<string, string>() };
  const batches = [...new Set([1, 128, desc.batch])].sort((x, y) => x - y);
  const schemes: Scheme[] = o.scheme ? [o.scheme] : [...TRAINING_SCHEMES];
  const r = trainingStep(ctx, net.layers, { schemes, phases, memoryBatches: batches });
  if (!r.ok) {
    const pos = layerPos(net, r.layer, sources[1].file);
    const where = [r.level && `level ${r.level}`, r.tensor && `tensor ${r.tensor}`].filter(Boolean).join(', ');
    host.stderr(`${pos.file}:${pos.line}:${pos.col}: error SL-EVAL-CAPACITY: layer ${r.layer} (${r.scheme}, ${r.pass} pass), op ${r.op} (${r.workload}) does not fit ${arch.name}` +
      `${where ? ` (${where})` : ''}: ${r.reason}`);
    return EXIT.noValidMapping;
  }
  const meta: TrainingMeta = { arch, energySource: arch.energySource, phases, primary: o.scheme ?? 'bptt', mapper: budget > 0 ? `heuristic + search:${budget} where under 90 % busy` : 'heuristic' };
  const doc = (): string => JSON.stringify({ ...trainingJson(net, counts, r.step, meta, energyTerms), ...provenanceRecord(host, host.argv, [o.arch, o.workload]) }, null, 2) + '\n';
  if (o.out !== undefined) {
    const { written, diagnostics: d } = writeArtifacts(host, o.out, [
      { name: 'training.json', mediaType: 'application/json', content: doc() },
      { name: 'summary.md', mediaType: 'text/markdown', content: '```\n' + trainingText(net, counts, r.step, meta, false, energyTerms) + '\n```\n' },
    ]);
    if (d.length > 0) return printDiagnostics(host, d);
    if (!o.json) host.stderr(`wrote ${written.join(', ')}`);
  }
  host.stdout(o.json ? doc().trimEnd() : trainingText(net, counts, r.step, meta, o.brief ?? false, energyTerms));
  return EXIT.ok;
}
