/**
 * `spikeloop evaluate --arch A --workload NETWORK.yaml [--schedule S.yaml] [--stems-compat] [--spike-format F]
 *  [--constraints FILE|none] [--chunk-mapper greedy|search[:N]] [--final-state-writeback]`: a whole network under one
 * inter-layer schedule (default: every block time-batched and fused over 1-column tiles, STEMS's TB-F).
 */
import type { Arch } from '../arch/types.ts';
import type { Diagnostic } from '../core/diagnostics.ts';
import type { Result } from '../core/result.ts';
import type { NetworkSchedule, NetworkScheduleResult } from '../schedule/types.ts';
import type { Network } from '../workload/network.ts';
import { readSources, writeArtifacts } from './files.ts';
import type { Host } from './io.ts';
import { provenanceRecord } from './provenance.ts';
import { makeRunSim, networkRun, type NetworkRunFlags } from './network-options.ts';
import { EXIT, printDiagnostics } from './render.ts';

export interface NetworkEvaluateOptions extends NetworkRunFlags {
  readonly arch?: string;
  readonly workload?: string;
  readonly schedule?: string;
  readonly json?: boolean;
  readonly brief?: boolean;
  readonly out?: string;
}

/** Whether --workload names a network spec (top-level `network:`); unreadable files go the ordinary way. */
export async function isNetworkWorkload(host: Host, workload: string | undefined): Promise<boolean> {
  if (!workload) return false;
  const { sources } = readSources(host, [workload]);
  if (sources.length !== 1) return false;
  const { detectSpecKind } = await import('../spec/load.ts');
  const k = detectSpecKind(sources[0]);
  return 'kind' in k && k.kind === 'network';
}

const problems = <T>(r: Result<T>): readonly Diagnostic[] => (r.ok ? r.warnings : r.diagnostics);

export interface LoadedNetwork {
  readonly arch: Arch;
  readonly net: Network;
  readonly schedule?: NetworkSchedule;
  readonly stemsCompat: boolean;
}

export async function loadNetwork(host: Host, archFile: string, netFile: string, scheduleFile?: string, command = 'evaluate'): Promise<LoadedNetwork | Diagnostic[]> {
  const files = scheduleFile ? [archFile, netFile, scheduleFile] : [archFile, netFile];
  const { sources, diagnostics } = readSources(host, files);
  if (diagnostics.length > 0) return diagnostics;
  const [{ parseArch }, { parseNetwork }, { parseNetworkSchedule }, { detectSpecKind }] = await Promise.all([
    import('../spec/arch.ts'), import('../spec/network.ts'), import('../spec/network-schedule.ts'), import('../spec/load.ts'),
  ]);
  const kind = detectSpecKind(sources[1]);
  if ('kind' in kind && kind.kind !== 'network') {
    const hint = kind.kind === 'workload' ? 'it is a single-layer workload: map it with `spikeloop search` or evaluate it with a --mapping' : `it is a ${kind.kind} spec`;
    return [{
      severity: 'error', code: 'SL-SPEC-KIND', message: `${command} needs a network spec (top-level network:) as --workload; ${hint}`,
      pos: { file: sources[1].file, line: 1, col: 1 }, hint: 'see workloads/sew-resnet-7plif.yaml for the network format',
    }];
  }
  const ra = parseArch(sources[0].text, sources[0].file);
  const rn = parseNetwork(sources[1].text, sources[1].file);
  const diags = [...problems(ra), ...problems(rn)];
  if (!ra.ok || !rn.ok) return diags;
  let schedule: NetworkSchedule | undefined;
  let stemsCompat = false;
  if (scheduleFile) {
    const rs = parseNetworkSchedule(sources[2].text, sources[2].file, rn.value);
    if (!rs.ok) return [...diags, ...rs.diagnostics];
    schedule = rs.value.schedule;
    stemsCompat = rs.value.stemsCompat;
  }
  printDiagnostics(host, diags);
  return { arch: ra.value, net: rn.value, schedule, stemsCompat };
}

const mb = (bytes: number): string => (bytes / 1e6).toFixed(3);

export function describeSchedule(r: NetworkScheduleResult): string {
  return r.schedule.map((s) => `${s.block}: b=${s.time_batch} ${s.tile_rows === null ? `whole (${s.tile_axis})` : `fused k=${s.tile_rows} ${s.tile_axis}`}`).join('; ');
}

export function networkSummary(r: NetworkScheduleResult, brief: boolean): string {
  const t = r.totals;
  const head = [
    `network ${r.network} on ${r.arch}${r.stems_compat ? ' (STEMS-compatible conventions)' : ''}${r.spike_format !== 'dense' ? `, spike format ${r.spike_format}` : ''}`,
    `schedule: ${describeSchedule(r)}`,
    `energy ${(t.energy_pJ / 1e6).toFixed(3)} uJ, off-chip ${mb(t.offchip_bytes)} MB, cycles ${t.cycles.toExponential(4)}`,
  ];
  if (brief) return head.join('\n');
  const k = t.offchip_bytes_by_kind;
  const lines = [
    ...head,
    `off-chip MB by kind: weights ${mb(k.weights)}, spikes ${mb(k.spikes)}, activations ${mb(k.activations)}, psums ${mb(k.psums)}, state ${mb(k.state)}`,
    `state ${mb(t.state_bytes)} MB, weights ${mb(t.weight_bytes)} MB, activations ${mb(t.activation_bytes)} MB; ops dense ${t.ops_dense.toExponential(3)}, executed ${t.computes.toExponential(3)}`,
    `peak on-chip ${mb(t.peak_onchip_bytes)} of ${mb(t.onchip_capacity_bytes)} MB; streamed chunk ops ${t.streamed_ops}`,
    `energy by level (uJ): ${Object.entries(r.energy_by_level).map(([n, v]) => `${n} ${(v / 1e6).toFixed(3)}`).join(', ')}; compute ${(Object.values(r.compute).reduce((a, c) => a + c.energy_pJ, 0) / 1e6).toFixed(3)}`,
    ...r.warnings.map((w) => `warning: ${w}`),
    '',
    '| layer | op | block | state KB | weights KB | ops dense | ops exec | off-chip KB | energy uJ | cycles | chunks |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...r.layers.map((l) => `| ${l.name} | ${l.op} | ${l.block} | ${(l.state_bytes / 1e3).toFixed(1)} | ${(l.weight_bytes / 1e3).toFixed(1)} | ${l.ops_dense.toExponential(2)} | ${l.ops_effective.toExponential(2)} | ${(l.offchip_bytes / 1e3).toFixed(1)} | ${(l.energy_pJ / 1e6).toFixed(3)} | ${l.cycles.toExponential(3)} | ${l.chunks} |`),
  ];
  return lines.join('\n');
}

/** The default schedule: every block time-batched and fused over 1-column tiles (STEMS's TB-F). */
export function defaultSchedule(net: Network): NetworkSchedule {
  return { blocks: net.blocks.map(() => ({ timeBatch: net.timesteps, tileRows: 1, tileAxis: 'cols' as const })) };
}

export async function runNetworkEvaluate(host: Host, o: NetworkEvaluateOptions): Promise<number> {
  const loaded = await loadNetwork(host, o.arch!, o.workload!, o.schedule);
  if (Array.isArray(loaded)) {
    const code = printDiagnostics(host, loaded);
    return code === EXIT.ok ? EXIT.invalidInput : code;
  }
  const { arch, net } = loaded;
  const run = await networkRun(host, o.arch!, arch, net, { ...o, stemsCompat: o.stemsCompat === true || loaded.stemsCompat });
  if (typeof run === 'string') {
    host.stderr(`error: ${run}`);
    return EXIT.usage;
  }
  if (Array.isArray(run)) return printDiagnostics(host, run) || EXIT.invalidInput;
  const schedule = loaded.schedule ?? defaultSchedule(net);
  const sim = await makeRunSim(net, arch, run);
  const { evaluateSchedule } = await import('../schedule/simulate.ts');
  const out = typeof sim === 'string' ? { ok: false as const, reason: sim } : evaluateSchedule(net, arch, schedule, sim, run.schedule);
  if (!out.ok) {
    host.stderr(`${o.schedule ?? o.workload}:1:1: error SL-EVAL-SCHEDULE: no valid schedule: ${out.reason}${'layer' in out && out.layer ? ` (layer ${out.layer})` : ''}`);
    return EXIT.noValidMapping;
  }
  for (const w of out.result.warnings) host.stderr(`warning: ${w}`);
  const doc = {
    ...out.result, constraints: run.constraints?.name ?? null, chunk_mapper: run.mapper.kind === 'search' ? `search:${run.mapper.budget}` : 'greedy',
    ...provenanceRecord(host, host.argv, [o.arch, o.workload, o.schedule, run.constraints?.file]),
  };
  const json = JSON.stringify(doc, null, 2);
  if (o.out !== undefined) {
    const { written, diagnostics } = writeArtifacts(host, o.out, [
      { name: 'network-evaluation.json', mediaType: 'application/json', content: json + '\n' },
      { name: 'summary.md', mediaType: 'text/markdown', content: networkSummary(out.result, false) + '\n' },
    ]);
    if (diagnostics.length > 0) return printDiagnostics(host, diagnostics);
    if (!o.json) host.stderr(`wrote ${written.join(', ')}`);
  }
  host.stdout(o.json ? json : networkSummary(out.result, o.brief === true));
  return EXIT.ok;
}
