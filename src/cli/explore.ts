/**
 * `spikeloop explore --arch A --workload NET [--objective energy|cycles|edp|offchip] [--pareto] [--sweep gb_size]
 *  [--time-limit S] [--stems-compat] [--allow-stateless] [--out DIR] [--json]`: search the inter-layer schedules of
 * a network (schedule/explore.ts). Ctrl-C (SIGINT) or the time limit stops the search and keeps the best found.
 */
import type { Arch } from '../arch/types.ts';
import type { ExploreResult, Objective } from '../schedule/explore.ts';
import { writeArtifacts } from './files.ts';
import type { Host } from './io.ts';
import { loadNetwork, networkSummary } from './network.ts';
import { EXIT, printDiagnostics } from './render.ts';

export interface ExploreCliOptions {
  readonly arch?: string;
  readonly workload?: string;
  readonly objective: Objective;
  readonly pareto?: boolean;
  readonly sweep?: string;
  readonly timeLimit?: string;
  readonly stemsCompat?: boolean;
  readonly allowStateless?: boolean;
  readonly out?: string;
  readonly json?: boolean;
}

/** Capacity points of a `--sweep gb_size`: ARCH.sweep.yaml beside the arch (see arch-specs/*.sweep.yaml). */
async function sweepPoints(host: Host, archFile: string, param: string): Promise<{ level: string; bytes: number[] } | string> {
  if (param !== 'gb_size') return `unknown sweep parameter '${param}' (supported: gb_size)`;
  const file = archFile.replace(/\.ya?ml$/, '') + '.sweep.yaml';
  let text: string;
  try {
    text = host.readFile(host.resolve(file));
  } catch {
    return `--sweep gb_size needs ${file} (sweep: {parameter: gb_size, level: NAME, capacity_bytes: [...]})`;
  }
  const [{ parseYaml }, { Reader }] = await Promise.all([import('../spec/yaml-source.ts'), import('../spec/reader.ts')]);
  const tree = parseYaml(text, file);
  if (!tree.ok) return tree.diagnostics.map((d) => d.message).join('; ');
  const r = new Reader();
  const root = r.map(tree.value, 'the sweep file');
  const s = root && r.map(r.required(root, 'sweep', 'the sweep file'), 'sweep');
  if (!s) return `${file}: ${r.diags.map((d) => d.message).join('; ')}`;
  const level = r.string(r.required(s, 'level', 'sweep'), 'level') ?? '';
  const list = r.required(s, 'capacity_bytes', 'sweep');
  const bytes = list && list.kind === 'seq' ? list.items.map((x) => r.number(x, 'capacity_bytes', { positive: true }) ?? 0) : [];
  if (r.diags.length > 0 || bytes.length === 0) return `${file}: ${r.diags.map((d) => `line ${d.pos?.line}: ${d.message}`).join('; ') || 'capacity_bytes must be a list'}`;
  return { level, bytes };
}

function withCapacity(arch: Arch, level: string, bytes: number): Arch | undefined {
  if (!arch.levels.some((l) => l.name === level)) return undefined;
  return { ...arch, levels: arch.levels.map((l) => (l.name === level ? { ...l, capacityBits: bytes * 8 } : l)) };
}

function brief(r: ExploreResult): object {
  const s = (x: { energy_pJ: number; cycles: number; offchip_bytes: number }): object => ({ energy_pJ: x.energy_pJ, cycles: x.cycles, offchip_bytes: x.offchip_bytes });
  return {
    method: r.method, evaluated: r.evaluated, block_evaluations: r.blockEvaluations, stopped: r.stopped, seconds: r.seconds,
    uniform: r.uniform.map((u) => ({ name: u.name, ...s(u) })),
    best: { ...s(r.best), schedule: r.best.result.schedule, totals: r.best.result.totals },
  };
}

export async function runExplore(host: Host, o: ExploreCliOptions, signal: { stop: boolean }): Promise<number> {
  if (!o.arch || !o.workload) {
    host.stderr('error: explore needs --arch <file> and --workload <network.yaml>');
    return EXIT.usage;
  }
  const loaded = await loadNetwork(host, o.arch, o.workload);
  if (Array.isArray(loaded)) {
    const code = printDiagnostics(host, loaded);
    return code === EXIT.ok ? EXIT.invalidInput : code;
  }
  const limit = o.timeLimit !== undefined ? Number(o.timeLimit) : Infinity;
  if (!(limit > 0)) {
    host.stderr(`error: --time-limit must be a positive number of seconds, got ${o.timeLimit}`);
    return EXIT.usage;
  }
  const [{ explore }, { layerCostFn }] = await Promise.all([import('../schedule/explore.ts'), import('./network-wiring.ts')]);
  const deadline = Date.now() + limit * 1000;
  const tty = (process.stderr as { isTTY?: boolean }).isTTY === true && !o.json;
  const run = (arch: Arch): Promise<ExploreResult | { error: string }> =>
    explore(loaded.net, arch, layerCostFn(arch), {
      objective: o.objective, stemsCompat: o.stemsCompat === true || loaded.stemsCompat, allowStateless: o.allowStateless === true,
      shouldStop: () => signal.stop || Date.now() > deadline,
      tick: () => new Promise<void>((res) => setImmediate(res)),
      onProgress: tty ? (n, phase, best) => process.stderr.write(`\r${phase}: ${n} evaluated, best ${best?.toExponential(4) ?? '-'}   `) : undefined,
    });
  const points: { label: string; arch: Arch }[] = [{ label: 'as given', arch: loaded.arch }];
  if (o.sweep) {
    const sp = await sweepPoints(host, o.arch, o.sweep);
    if (typeof sp === 'string') {
      host.stderr(`error: ${sp}`);
      return EXIT.usage;
    }
    points.length = 0;
    for (const b of sp.bytes) {
      const a = withCapacity(loaded.arch, sp.level, b);
      if (!a) {
        host.stderr(`error: the arch has no level '${sp.level}' to sweep`);
        return EXIT.invalidInput;
      }
      points.push({ label: `${sp.level} ${b} B`, arch: a });
    }
  }
  const results: { label: string; capacity_bytes: number | null; result: ExploreResult | { error: string } }[] = [];
  for (const p of points) {
    const g = p.arch.levels.find((l) => !l.offChip);
    results.push({ label: p.label, capacity_bytes: g?.capacityBits != null ? g.capacityBits / 8 : null, result: await run(p.arch) });
    if (tty) process.stderr.write('\n');
  }
  const ok = results.filter((r) => !('error' in r.result));
  if (ok.length === 0) {
    host.stderr(`${o.workload}:1:1: error SL-EVAL-SCHEDULE: ${(results[0].result as { error: string }).error}`);
    return EXIT.noValidMapping;
  }
  const doc = {
    schema: 'spikeloop.explore/1', network: loaded.net.name, arch: loaded.arch.name, objective: o.objective,
    points: results.map((r) => ('error' in r.result ? { label: r.label, capacity_bytes: r.capacity_bytes, error: r.result.error } : {
      label: r.label, capacity_bytes: r.capacity_bytes, ...brief(r.result),
      ...(o.pareto ? { pareto: r.result.pareto.map((p) => ({ energy_pJ: p.energy_pJ, cycles: p.cycles, offchip_bytes: p.offchip_bytes, schedule: p.schedule })) } : {}),
    })),
  };
  const last = ok[ok.length - 1].result as ExploreResult;
  if (o.out !== undefined) {
    const { written, diagnostics } = writeArtifacts(host, o.out, [
      { name: 'explore.json', mediaType: 'application/json', content: JSON.stringify(doc, null, 2) + '\n' },
      { name: 'best-evaluation.json', mediaType: 'application/json', content: JSON.stringify(last.best.result, null, 2) + '\n' },
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
    host.stdout(`== ${r.label}: ${e.method}, ${e.evaluated} full + ${e.blockEvaluations} block simulations in ${e.seconds.toFixed(1)} s${e.stopped ? ' (stopped early: best so far)' : ''}`);
    for (const u of e.uniform) host.stdout(`  ${u.name.padEnd(7)} energy ${(u.energy_pJ / 1e6).toFixed(3)} uJ, off-chip ${(u.offchip_bytes / 1e6).toFixed(3)} MB, cycles ${u.cycles.toExponential(3)}`);
    host.stdout(networkSummary(e.best.result, !!o.sweep).split('\n').map((l) => `  ${l}`).join('\n'));
    if (o.pareto) for (const p of e.pareto) host.stdout(`  pareto: energy ${(p.energy_pJ / 1e6).toFixed(3)} uJ, cycles ${p.cycles.toExponential(3)}, off-chip ${(p.offchip_bytes / 1e6).toFixed(3)} MB`);
  }
  return EXIT.ok;
}
