/**
 * `spikeloop evaluate --arch A --workload TT-NETWORK.yaml [--phase P] [--scheme S] [--batch N] [--tt-mode M]`:
 * parameters and MACs per layer (dense vs TT) and a training step (forward, backward, weight gradient) of a
 * `tt_network:` workload on an arch, with the activation memory of each training scheme. Layers are mapped by the
 * default training mapper (schedule/training/default-mapping.ts) and evaluated by the layer model.
 */
import type { Diagnostic } from '../core/diagnostics.ts';
import type { Result } from '../core/result.ts';
import type { Phase } from '../workload/training/phases.ts';
import type { Scheme } from '../workload/training/schemes.ts';
import type { TtMode } from '../workload/tt/layer.ts';
import type { NetworkCounts, TtNetwork } from '../workload/tt/resnet.ts';
import type { StepResult } from '../schedule/training/step.ts';
import type { Breakdown } from '../schedule/training/types.ts';
import { readSources, writeArtifacts } from './files.ts';
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
  readonly ttMode?: TtMode;
  readonly json?: boolean;
  readonly brief?: boolean;
  readonly out?: string;
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

/** A usage problem of the training options, if any. */
export function trainingUsageProblem(o: TrainingOptions & { mapping?: string; timeloop?: unknown }): string | undefined {
  if (!o.arch) return 'missing --arch <file> (a TT network is evaluated on one arch)';
  if (o.mapping) return '--mapping applies to one layer; a TT network is mapped layer by layer by the default training mapper';
  if (o.batch !== undefined && !/^[1-9]\d*$/.test(o.batch)) return `--batch takes a positive whole number, got '${o.batch}'`;
  return undefined;
}

const problems = <T>(r: Result<T>): readonly Diagnostic[] => (r.ok ? r.warnings : r.diagnostics);

const phaseRecord = (b: Breakdown) => ({
  energy_pJ: b.energy_pJ, cycles: b.cycles, offchip_bytes: b.offchip_bytes, energy_by_level: b.by_level, compute: b.by_action,
});

/** The JSON document (schema spikeloop.training/1). */
export function trainingJson(net: TtNetwork, counts: NetworkCounts, step: StepResult | undefined, meta: { arch: string; energySource: string; phases: readonly Phase[] }): object {
  const computes = step ? Object.entries(step.dynamic.by_action).filter(([a]) => a !== 'neuron_update' && a !== 'post_grad').reduce((x, [, v]) => x + v.count, 0) : 0;
  return {
    schema: 'spikeloop.training/1',
    network: net.name,
    arch: meta.arch,
    batch: net.desc.batch,
    timesteps: net.desc.timesteps,
    decomposition: net.desc.decomposition,
    ...(net.desc.decomposition === 'tt' ? { tt_mode: net.desc.ttMode } : {}),
    evaluated_phases: meta.phases,
    energy_source: meta.energySource + (step && step.fallback_actions.length > 0 ? `; sata16 for ${step.fallback_actions.join(', ')}` : ''),
    counting_convention: 'every conv at its output resolution; params = weights (no bias, no batch norm); MACs per timestep per sample',
    totals: {
      params: counts.params,
      dense_params: counts.denseParams,
      macs_per_timestep: counts.macsPerTimestep,
      dense_macs_per_timestep: counts.denseMacsPerTimestep,
      adds_per_timestep: counts.addsPerTimestep,
      param_compression: counts.denseParams / counts.params,
      mac_compression: counts.denseMacsPerTimestep / counts.macsPerTimestep,
      ...(step ? { energy_pJ: step.energy_pJ, dynamic_energy_pJ: step.dynamic.energy_pJ, static_energy_pJ: step.static_pJ, cycles: step.cycles, offchip_bytes: step.offchip_bytes, computes } : {}),
    },
    layers: counts.layers.map((l, i) => ({
      name: l.name, kind: l.kind, ...(l.rank !== undefined ? { rank: l.rank } : {}),
      params: l.params, dense_params: l.denseParams, macs_per_timestep: l.macsPerTimestep, dense_macs_per_timestep: l.denseMacsPerTimestep,
      adds_per_timestep: l.addsPerTimestep,
      ...(l.cores ? { cores: Object.fromEntries(Object.entries(l.cores).map(([k, v]) => [k, { params: v.params, macs_per_timestep: v.macsPerTimestep }])) } : {}),
      ...(step ? { phases: Object.fromEntries(Object.entries(step.layers[i].phases).map(([p, b]) => [p, { energy_pJ: b.energy_pJ, cycles: b.cycles, offchip_bytes: b.offchip_bytes }])) } : {}),
    })),
    ...(step
      ? {
          phases: meta.phases.map((p) => ({ name: p, ...phaseRecord(step.phases[p]!) })),
          energy_by_level: step.dynamic.by_level,
          compute: step.dynamic.by_action,
          static: { power_mw: step.static_mw, energy_pJ: step.static_pJ },
          schemes: step.schemes.map((s) => ({
            name: s.scheme,
            activation_bytes: s.memory.find((m) => m.batch === net.desc.batch)?.activation_bytes,
            dram_bytes: s.memory.find((m) => m.batch === net.desc.batch)?.traffic_bytes,
            recompute_ops: s.recompute_ops,
            extra_forward_ops: s.extra_forward_ops,
            memory: s.memory,
            retention_energy_pJ: s.retention_pJ,
            extra_forward_energy_pJ: s.extra_forward_pJ,
            recompute_energy_pJ: s.recompute_pJ,
            step_energy_pJ: s.energy_pJ,
            step_cycles: s.cycles,
          })),
        }
      : {}),
  };
}

const fmt = (x: number, digits = 3): string => (Math.abs(x) >= 1e4 || (x !== 0 && Math.abs(x) < 1e-2) ? x.toExponential(digits - 1) : x.toFixed(digits > 2 ? 2 : digits));
const pad = (rows: string[][]): string => {
  const w = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ')).join('\n');
};

export function trainingText(net: TtNetwork, counts: NetworkCounts, step: StepResult | undefined, meta: { arch: string; energySource: string; phases: readonly Phase[] }, brief: boolean): string {
  const out: string[] = [];
  out.push(`${net.name} (${net.desc.decomposition}${net.desc.decomposition === 'tt' ? `, ${net.desc.ttMode}` : ''}, T = ${net.desc.timesteps}, batch ${net.desc.batch}) on ${meta.arch}`);
  out.push(`params ${counts.params.toLocaleString('en-US')} (dense ${counts.denseParams.toLocaleString('en-US')}, x${(counts.denseParams / counts.params).toFixed(2)}); ` +
    `MACs/timestep ${counts.macsPerTimestep.toLocaleString('en-US')} (dense ${counts.denseMacsPerTimestep.toLocaleString('en-US')}, x${(counts.denseMacsPerTimestep / counts.macsPerTimestep).toFixed(2)})` +
    (counts.addsPerTimestep > 0 ? ` + ${counts.addsPerTimestep.toLocaleString('en-US')} adds` : ''));
  if (!brief) {
    out.push('', 'per layer (per sample; every conv at its output resolution):');
    out.push(pad([['layer', 'kind', 'rank', 'params', 'dense params', 'MACs/t', 'dense MACs/t'],
      ...counts.layers.map((l) => [l.name, l.kind, l.rank !== undefined ? String(l.rank) : '-', String(l.params), String(l.denseParams), String(Math.round(l.macsPerTimestep)), String(l.denseMacsPerTimestep)])]));
  }
  if (step) {
    out.push('', `${meta.phases.length === 3 ? 'training step' : `${meta.phases[0]} phase`}: ${fmt(step.energy_pJ / 1e6)} uJ (dynamic ${fmt(step.dynamic.energy_pJ / 1e6)}, static ${fmt(step.static_pJ / 1e6)} at ${fmt(step.static_mw)} mW), ` +
      `${step.cycles.toLocaleString('en-US')} cycles, ${fmt(step.offchip_bytes / 1e6)} MB off-chip`);
    const levels = Object.keys(step.dynamic.by_level);
    out.push(pad([['phase', 'energy uJ', 'cycles', 'off-chip MB', ...levels],
      ...meta.phases.map((p) => {
        const b = step.phases[p]!;
        return [p, fmt(b.energy_pJ / 1e6), String(b.cycles), fmt(b.offchip_bytes / 1e6), ...levels.map((l) => fmt((b.by_level[l] ?? 0) / 1e6))];
      })]));
    if (!brief) {
      out.push('', 'compute actions:');
      out.push(pad([['action', 'count', 'energy uJ'], ...Object.entries(step.dynamic.by_action).map(([a, v]) => [a, fmt(v.count), fmt(v.energy_pJ / 1e6)])]));
    }
    if (step.schemes.length > 0) {
      const batches = step.schemes[0].memory.map((m) => m.batch);
      out.push('', 'training schemes (activation memory kept between forward and backward; DRAM traffic = store + re-read):');
      out.push(pad([['scheme', ...batches.flatMap((b) => [`mem MB @${b}`, `DRAM MB @${b}`]), 'step uJ', 'step cycles'],
        ...step.schemes.map((s) => [s.scheme, ...s.memory.flatMap((m) => [fmt(m.activation_bytes / 1e6), fmt(m.traffic_bytes / 1e6)]), fmt(s.energy_pJ / 1e6), String(s.cycles)])]));
    }
    out.push('', `energy: ${meta.energySource}${step.fallback_actions.length > 0 ? `; sata16 for ${step.fallback_actions.join(', ')} (not in the arch)` : ''}`);
  }
  return out.join('\n');
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
  const desc = { ...rn.value.desc, ...(o.batch ? { batch: Number(o.batch) } : {}), ...(o.ttMode ? { ttMode: o.ttMode } : {}) };
  const net = buildResNet(desc);
  const counts = networkCounts(net);
  const phase = o.phase ?? 'step';
  const phases: Phase[] = phase === 'step' ? ['forward', 'backward', 'wgrad'] : [phase];
  const [{ evaluate }, { defaultMapper }, { peGroup }, { trainingStep }, { SATA16 }] = await Promise.all([
    import('../model/evaluate.ts'), import('../schedule/training/default-mapping.ts'), import('../schedule/training/pe-groups.ts'),
    import('../schedule/training/step.ts'), import('../workload/training/energy-table.ts'),
  ]);
  const mapLayer = defaultMapper((a, w, m) => {
    const r = evaluate(a, w, m);
    return r.status === 'ok' ? { ok: true, energy: r.evaluation.totals.energy_pJ, cycles: r.evaluation.totals.cycles } : { ok: false, reason: r.reason };
  });
  const ctx = { arch, group: peGroup(arch, 2), evaluate, mapLayer, duDensity: 1 - desc.sparsity.membraneGradient, fallback: SATA16.actions, usedFallback: new Set<string>() };
  const batches = [...new Set([1, 128, desc.batch])].sort((x, y) => x - y);
  const r = trainingStep(ctx, net.layers, { phases, schemes: o.scheme ? [o.scheme] : [...TRAINING_SCHEMES], memoryBatches: phase === 'step' ? batches : [] });
  if (!r.ok) {
    host.stderr(`${sources[1].file}:1:1: error SL-EVAL-CAPACITY: no mapping of ${r.workload} (layer ${r.layer}, ${r.phase}) fits ${arch.name}: ${r.reason}`);
    return EXIT.noValidMapping;
  }
  const step = phase === 'step' ? r.step : { ...r.step, schemes: [] };
  const meta = { arch: arch.name, energySource: arch.energySource, phases };
  if (o.out !== undefined) {
    const { written, diagnostics: d } = writeArtifacts(host, o.out, [
      { name: 'training.json', mediaType: 'application/json', content: JSON.stringify(trainingJson(net, counts, step, meta), null, 2) + '\n' },
      { name: 'summary.md', mediaType: 'text/markdown', content: '```\n' + trainingText(net, counts, step, meta, false) + '\n```\n' },
    ]);
    if (d.length > 0) return printDiagnostics(host, d);
    if (!o.json) host.stderr(`wrote ${written.join(', ')}`);
  }
  host.stdout(o.json ? JSON.stringify(trainingJson(net, counts, step, meta), null, 2) : trainingText(net, counts, step, meta, o.brief ?? false));
  return EXIT.ok;
}
