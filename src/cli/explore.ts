/**
 * `spikeloop explore --arch A --workload NET [--objective energy|cycles|edp|offchip] [--space full|stems] [--pareto]
 *  [--sweep gb_size | LEVEL.capacity_bytes=V1,V2,...] [--time-limit S] [--threads N] [--seed N] [--stems-compat]
 *  [--beam N] [--allow-stateless] [--spike-format dense|compressed|auto] [--constraints FILE|none] [--chunk-mapper greedy|search[:N]]
 *  [--out DIR] [--json]`: search the inter-layer schedules of a network (schedule/explore.ts). Ctrl-C (SIGINT) or the
 * time limit (per sweep point) stops the search and keeps the best found.
 */
import type { Arch } from '../arch/types.ts';
import { formatDiagnostic } from '../core/diagnostics.ts';
import { SWEEP_FIELDS } from '../spec/sweep.ts';
import type { ChoiceSet, ExploreResult, Objective } from '../schedule/explore.ts';
import { writeArtifacts } from './files.ts';
import { provenanceRecord } from './provenance.ts';
import type { Host } from './io.ts';
import { loadNetwork, networkSummary } from './network.ts';
import { makeRunSim, networkRun, type NetworkRunFlags } from './network-options.ts';
import { EXIT, printDiagnostics } from './render.ts';

export interface ExploreCliOptions extends NetworkRunFlags {
  readonly arch?: string;
  readonly workload?: string;
  readonly objective: Objective;
  readonly space?: string;
  readonly pareto?: boolean;
  readonly sweep?: string;
  readonly timeLimit?: string;
  readonly threads?: string;
  readonly beam?: string;
  readonly allowStateless?: boolean;
  readonly out?: string;
  readonly json?: boolean;
}

interface SweepPoint {
  readonly label: string;
  readonly arch: Arch;
  readonly value: number;
}


/** `gb_size` (points from ARCH.sweep.yaml beside the arch) or `LEVEL.FIELD=v1,v2,...` (FIELD: capacity_bytes, bandwidth_bits). */
async function sweepPoints(host: Host, archFile: string, arch: Arch, param: string): Promise<SweepPoint[] | string> {
  let level: string;
  let field: (typeof SWEEP_FIELDS)[number];
  let values: number[];
  const m = /^([A-Za-z_][\w-]*)\.(\w+)=(.+)$/.exec(param);
  if (m) {
    level = m[1];
    if (!(SWEEP_FIELDS as readonly string[]).includes(m[2])) return `--sweep ${param}: unknown field '${m[2]}' (sweepable: ${SWEEP_FIELDS.join(', ')})`;
    field = m[2] as (typeof SWEEP_FIELDS)[number];
    values = m[3].split(',').map((x) => Number(x.trim()));
    if (values.some((v) => !(v > 0))) return `--sweep ${param}: values must be positive numbers`;
  } else if (param === 'gb_size') {
    const file = archFile.replace(/\.ya?ml$/, '') + '.sweep.yaml';
    let text: string;
    try {
      text = host.readFile(host.resolve(file));
    } catch {
      return `--sweep gb_size needs ${file} (sweep: {parameter: gb_size, level: NAME, capacity_bytes: [...]}), or use --sweep LEVEL.capacity_bytes=V1,V2,...`;
    }
    const { parseSweep } = await import('../spec/sweep.ts');
    const sw = parseSweep(text, file, arch);
    if (!sw.ok) return sw.diagnostics.map((d) => formatDiagnostic(d)).join('\n');
    level = sw.value.level;
    field = sw.value.field;
    values = [...sw.value.values];
  } else return `unknown sweep '${param}' (use gb_size, or LEVEL.FIELD=v1,v2,... with FIELD one of ${SWEEP_FIELDS.join(', ')})`;
  if (!arch.levels.some((l) => l.name === level)) return `the arch has no level '${level}' to sweep (levels: ${arch.levels.map((l) => l.name).join(', ')})`;
  return values.map((v) => ({
    label: `${level}.${field} = ${v}`,
    value: v,
    arch: {
      ...arch,
      levels: arch.levels.map((l) =>
        l.name !== level ? l : field === 'capacity_bytes' ? { ...l, capacityBits: v * 8 } : { ...l, readBandwidth: v, writeBandwidth: v, sharedBandwidth: v },
      ),
    },
  }));
}

const brief = (x: { energy_pJ: number; cycles: number; offchip_bytes: number }): object => ({ energy_pJ: x.energy_pJ, cycles: x.cycles, offchip_bytes: x.offchip_bytes });

function pointDoc(r: ExploreResult, pareto: boolean): object {
  return {
    method: r.method, space: r.space, evaluated: r.evaluated, block_runs: r.blockRuns, optimal: r.optimal, stopped: r.stopped, seconds: r.seconds,
    placement_changes: r.placementChanges,
    uniform: [...r.uniform.map((u) => ({ name: u.name, ...brief(u) })), ...r.uniformErrors.map((u) => ({ name: u.name, error: u.error }))],
    best: { ...brief(r.best), schedule: r.best.result.schedule, state_placement: Object.fromEntries(r.best.result.layers.filter((l) => l.state_placement !== 'stateless').map((l) => [l.name, l.state_placement])), totals: r.best.result.totals },
    ...(pareto ? { pareto: r.pareto.map((p) => ({ ...brief(p), schedule: p.schedule })) } : {}),
  };
}

export async function runExplore(host: Host, o: ExploreCliOptions, signal: { stop: boolean }): Promise<number> {
  if (!o.arch || !o.workload) {
    host.stderr('error: explore needs --arch <file> and --workload <network.yaml>');
    return EXIT.usage;
  }
  const usage = (msg: string): number => {
    host.stderr(`error: ${msg}`);
    return EXIT.usage;
  };
  const limit = o.timeLimit !== undefined ? Number(o.timeLimit) : Infinity;
  if (!(limit > 0)) return usage(`--time-limit must be a positive number of seconds, got ${o.timeLimit}`);
  const threads = o.threads !== undefined ? Number(o.threads) : 1;
  if (!Number.isInteger(threads) || threads < 1) return usage(`--threads must be a whole number >= 1, got ${o.threads}`);
  const beam = o.beam !== undefined ? Number(o.beam) : undefined;
  if (beam !== undefined && (!Number.isInteger(beam) || beam < 1)) return usage(`--beam must be a whole number >= 1, got ${o.beam}`);
  const space = (o.space ?? 'full') as ChoiceSet;
  if (space !== 'full' && space !== 'stems') return usage(`--space must be full or stems, got '${o.space}'`);
  const loaded = await loadNetwork(host, o.arch, o.workload, undefined, 'explore');
  if (Array.isArray(loaded)) {
    const code = printDiagnostics(host, loaded);
    return code === EXIT.ok ? EXIT.invalidInput : code;
  }
  const run = await networkRun(host, o.arch, loaded.arch, loaded.net, { ...o, stemsCompat: o.stemsCompat === true || loaded.stemsCompat });
  if (typeof run === 'string') return usage(run);
  if (Array.isArray(run)) return printDiagnostics(host, run) || EXIT.invalidInput;
  let points: SweepPoint[] = [{ label: 'as given', arch: loaded.arch, value: NaN }];
  if (o.sweep) {
    const sp = await sweepPoints(host, o.arch, loaded.arch, o.sweep);
    if (typeof sp === 'string') return usage(sp);
    points = sp;
  }
  const [{ explore }, { startPool }] = await Promise.all([import('../schedule/explore.ts'), import('./explore-pool.ts')]);
  const tty = (process.stderr as { isTTY?: boolean }).isTTY === true && !o.json;
  const results: { label: string; value: number; result: ExploreResult | { error: string } }[] = [];
  for (const p of points) {
    const deadline = Date.now() + limit * 1000;
    const sim = await makeRunSim(loaded.net, p.arch, run, o.objective);
    if (typeof sim === 'string') {
      results.push({ label: p.label, value: p.value, result: { error: sim } });
      continue;
    }
    const pool = threads > 1 ? startPool(threads, { net: loaded.net, arch: p.arch, run, objective: o.objective, choiceSet: space }) : undefined;
    try {
      const r = await explore(
        sim,
        {
          objective: o.objective, choiceSet: space, allowStateless: o.allowStateless === true, pareto: o.pareto === true, beam,
          shouldStop: () => signal.stop || Date.now() > deadline,
          runner: pool?.runner,
          tick: () => new Promise<void>((res) => setImmediate(res)),
          onProgress: tty ? (phase, done, total, best) => process.stderr.write(`\r${p.label}: ${phase} ${done}${total ? `/${total}` : ''}, best ${best?.toExponential(4) ?? '-'}   `) : undefined,
        },
        run.schedule,
      );
      results.push({ label: p.label, value: p.value, result: r });
    } finally {
      await pool?.close();
      if (tty) process.stderr.write('\n');
    }
  }
  const ok = results.filter((r) => !('error' in r.result));
  if (ok.length === 0) {
    host.stderr(`${o.workload}:1:1: error SL-EVAL-SCHEDULE: ${(results[0].result as { error: string }).error}`);
    return EXIT.noValidMapping;
  }
  const sweepFile = o.sweep === 'gb_size' ? o.arch.replace(/\.ya?ml$/, '') + '.sweep.yaml' : undefined;
  const provenance = provenanceRecord(host, host.argv, [o.arch, o.workload, sweepFile, run.constraints?.file]);
  const doc = {
    schema: 'spikeloop.explore/1', network: loaded.net.name, arch: loaded.arch.name, objective: o.objective, space, threads,
    seed: run.mapper.kind === 'search' ? run.mapper.seed : undefined, chunk_mapper: run.mapper.kind === 'search' ? `search:${run.mapper.budget}` : 'greedy',
    constraints: run.constraints?.name ?? null, spike_format: run.schedule.spikeFormat, stems_compat: run.schedule.stemsCompat === true,
    sweep: o.sweep ?? null,
    points: results.map((r) => ('error' in r.result ? { label: r.label, value: r.value, error: r.result.error } : { label: r.label, value: Number.isNaN(r.value) ? null : r.value, ...pointDoc(r.result, o.pareto === true) })),
    ...provenance,
  };
  const last = ok[ok.length - 1].result as ExploreResult;
  if (o.out !== undefined) {
    const { written, diagnostics } = writeArtifacts(host, o.out, [
      { name: 'explore.json', mediaType: 'application/json', content: JSON.stringify(doc, null, 2) + '\n' },
      { name: 'best-evaluation.json', mediaType: 'application/json', content: JSON.stringify({ ...last.best.result, ...provenance }, null, 2) + '\n' },
    ]);
    if (diagnostics.length > 0) return printDiagnostics(host, diagnostics);
    if (!o.json) host.stderr(`wrote ${written.join(', ')}`);
  }
  if (o.json) {
    host.stdout(JSON.stringify(doc, null, 2));
    return EXIT.ok;
  }
  for (const r of results) {
    if ('error' in r.result) {
      host.stdout(`${r.label}: ${r.result.error}`);
      continue;
    }
    const e = r.result;
    host.stdout(
      `== ${r.label}: ${e.method} over ${e.space.toExponential(3)} schedules (${e.evaluated} costed, ${e.blockRuns} block runs) in ${e.seconds.toFixed(1)} s` +
        `${e.optimal ? ', optimal under the model' : ''}${e.stopped ? ' (stopped early: best so far)' : ''}`,
    );
    for (const u of e.uniformErrors) host.stdout(`  ${u.name.padEnd(7)} cannot run: ${u.error}`);
    for (const u of e.uniform) host.stdout(`  ${u.name.padEnd(7)} energy ${(u.energy_pJ / 1e6).toFixed(3)} uJ, off-chip ${(u.offchip_bytes / 1e6).toFixed(3)} MB, cycles ${u.cycles.toExponential(3)}`);
    host.stdout(networkSummary(e.best.result, !!o.sweep).split('\n').map((l) => `  ${l}`).join('\n'));
    if (o.pareto) for (const p of e.pareto) host.stdout(`  pareto: energy ${(p.energy_pJ / 1e6).toFixed(3)} uJ, cycles ${p.cycles.toExponential(3)}, off-chip ${(p.offchip_bytes / 1e6).toFixed(3)} MB`);
  }
  return EXIT.ok;
}
