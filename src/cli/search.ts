/** `spikeloop search`: find the best mapping of one layer on one arch (DESIGN.md §1 search/, §5 long work). */
import type { Diagnostic } from '../core/diagnostics.ts';
import type { SearchConstraints } from '../search/types.ts';
import { readSources, writeArtifacts } from './files.ts';
import type { Host } from './io.ts';
import { EXIT, printDiagnostics } from './render.ts';
import type { SearchInputs } from './search-input.ts';
import type { StopReason } from './search-output.ts';

export interface SearchCliOptions {
  readonly arch?: string;
  readonly workload?: string;
  readonly timeloop?: readonly string[];
  readonly constraints?: string;
  readonly strategy: 'exhaustive' | 'anneal' | 'random';
  readonly objective: string;
  readonly tolerance: string;
  readonly offchipExclude?: readonly string[];
  readonly pareto?: boolean;
  readonly seed: string;
  readonly threads: string;
  readonly timeLimit?: string;
  readonly maxEvals?: string;
  readonly chains?: string;
  readonly out?: string;
  readonly json?: boolean;
}

export function searchUsageProblem(o: SearchCliOptions): string | undefined {
  if (o.timeloop) {
    if (o.arch || o.workload) return '--timeloop cannot be combined with --arch or --workload';
    if (o.timeloop.length < 2 || o.timeloop.length > 4) return `--timeloop takes ARCH PROBLEM [MAPPING] [ERT] (2 to 4 files), got ${o.timeloop.length}`;
  } else if (!o.arch || !o.workload) return 'missing --arch <file> and --workload <file> (or use --timeloop ARCH PROBLEM [MAPPING] [ERT])';
  const int = (v: string | undefined, name: string, min: number): string | undefined =>
    v !== undefined && !(/^\d+$/.test(v) && Number(v) >= min) ? `${name} must be a whole number >= ${min}, got '${v}'` : undefined;
  return (
    int(o.seed, '--seed', 0) ?? int(o.threads, '--threads', 1) ?? int(o.maxEvals, '--max-evals', 1) ?? int(o.chains, '--chains', 1) ??
    (o.timeLimit !== undefined && !(Number(o.timeLimit) > 0) ? `--time-limit must be a number of seconds > 0, got '${o.timeLimit}'` : undefined)
  );
}

async function loadConstraints(host: Host, file: string, inp: SearchInputs): Promise<SearchConstraints | Diagnostic[]> {
  const { sources, diagnostics } = readSources(host, [file]);
  if (diagnostics.length > 0) return diagnostics;
  const { parseConstraints } = await import('../spec/constraints.ts');
  const r = parseConstraints(sources[0].text, sources[0].file, inp.arch, inp.workload);
  return r.ok ? r.value : [...r.diagnostics];
}

export async function runSearchCommand(host: Host, o: SearchCliOptions): Promise<number> {
  const input = await import('./search-input.ts');
  const loaded = o.timeloop ? await input.loadTimeloop(host, o.timeloop) : await input.loadNative(host, o.arch!, o.workload!);
  if (Array.isArray(loaded)) {
    const code = printDiagnostics(host, loaded);
    return code === EXIT.ok ? EXIT.invalidInput : code;
  }
  printDiagnostics(host, loaded.warnings);
  if (loaded.ignored) host.stderr(`note: ${loaded.ignored} is a mapping; search ignores it`);
  const { arch, workload } = loaded;
  let constraints: SearchConstraints | undefined;
  if (o.constraints) {
    const c = await loadConstraints(host, o.constraints, loaded);
    if (Array.isArray(c)) return printDiagnostics(host, c) || EXIT.invalidInput;
    constraints = c;
  }
  const { parseObjective } = await import('../search/objective.ts');
  const exclude: number[] = [];
  for (const name of o.offchipExclude ?? []) {
    const i = workload.tensors.findIndex((t) => t.name === name);
    if (i < 0) return usage(host, `--offchip-exclude: unknown tensor '${name}' (tensors: ${workload.tensors.map((t) => t.name).join(', ')})`);
    exclude.push(i);
  }
  const objective = parseObjective(o.objective, Number(o.tolerance), exclude);
  if (typeof objective === 'string') return usage(host, `--objective: ${objective}`);

  const [{ buildMapSpace }, { spaceSize }, plan, out, pool, { modelEvaluator }, { evaluate }, { mappingYaml }, { toMapping }] = await Promise.all([
    import('../search/mapspace/space.ts'),
    import('../search/mapspace/size.ts'),
    import('../search/plan.ts'),
    import('./search-output.ts'),
    import('./search-pool.ts'),
    import('./search-evaluator.ts'),
    import('../model/evaluate.ts'),
    import('../search/emit.ts'),
    import('../search/mapspace/point.ts'),
  ]);
  const space = buildMapSpace(arch, workload, constraints);
  const size = spaceSize(space);
  if (!o.json) host.stderr(out.sizeText(size));
  if (space.emptyBecause.length > 0 || size.tilings === 0n) {
    const why = space.emptyBecause.length > 0 ? space.emptyBecause : ['no tiling fits the fan-outs with the minimum PE utilization'];
    for (const w of why) host.stderr(`spikeloop: no valid mapping: ${w}`);
    return EXIT.noValidMapping;
  }
  const threads = Number(o.threads);
  const options = {
    strategy: o.strategy,
    objective,
    pareto: !!o.pareto,
    seed: Number(o.seed),
    maxEvals: o.maxEvals !== undefined ? Number(o.maxEvals) : undefined,
    chains: o.chains !== undefined ? Number(o.chains) : undefined,
    shards: o.strategy === 'exhaustive' ? threads : undefined,
  };
  const stop = pool.newStopFlag();
  let reason: StopReason = 'completed';
  const onSigint = (): void => {
    reason = 'interrupted';
    Atomics.store(stop, 0, 1);
  };
  process.once('SIGINT', onSigint);
  const timer = o.timeLimit
    ? setTimeout(() => {
        if (reason === 'completed') reason = 'time-limit';
        Atomics.store(stop, 0, 1);
      }, Number(o.timeLimit) * 1000)
    : undefined;
  const tty = process.stderr.isTTY === true && !o.json && host.env.SPIKELOOP_NO_PROGRESS !== '1';
  const t0 = performance.now();
  let results;
  try {
    results = await pool.driveSearch({ arch, workload, constraints, space, evaluator: modelEvaluator(arch, workload) }, options, {
      threads,
      stop,
      onProgress: tty ? (p) => process.stderr.write(`\r${progressLine(p)}\x1b[K`) : undefined,
    });
  } finally {
    process.removeListener('SIGINT', onSigint);
    if (timer) clearTimeout(timer);
    if (tty) process.stderr.write('\r\x1b[K');
  }
  const seconds = (performance.now() - t0) / 1000;
  const res = plan.mergeResults(options, results);
  if (reason === 'completed' && results.some((r) => !r.finished)) reason = 'budget';
  const info = { strategy: o.strategy, objective, seed: options.seed, threads, constraints: constraints?.name ?? 'none', seconds, stop: reason };
  if (!res.best) {
    host.stderr(out.summaryText(size, res, info));
    host.stderr(`spikeloop: no valid mapping among ${res.stats.considered.toLocaleString('en-US')} candidates${res.invalid.length ? '; why:' : ''}`);
    for (const l of out.invalidText(res)) host.stderr(l);
    return EXIT.noValidMapping;
  }
  const mapping = toMapping(space, res.best.point);
  const bestYaml = mappingYaml(arch, workload, mapping, out.bestHeader(arch, workload, info));
  const full = evaluate(arch, workload, mapping);
  const json = out.searchJson(space, size, res, info, full.status === 'ok' ? full.evaluation : undefined, bestYaml);
  if (o.out !== undefined) {
    const { written, diagnostics } = writeArtifacts(host, o.out, out.searchArtifacts(json, bestYaml, !!o.pareto));
    if (diagnostics.length > 0) return printDiagnostics(host, diagnostics);
    if (!o.json) host.stderr(`wrote ${written.join(', ')}`);
  }
  if (o.json) host.stdout(JSON.stringify(json, null, 2));
  else {
    host.stdout(out.summaryText(size, res, info));
    if (o.out === undefined) host.stdout(`\n${bestYaml}`);
  }
  return EXIT.ok;
}

function progressLine(p: import('./search-pool.ts').Progress): string {
  const s = p.stats;
  const rate = Math.round(s.evaluated / Math.max(p.elapsedMs / 1000, 1e-9));
  const best = p.best ? `best ${p.best.energy_pJ.toExponential(3)} pJ ${p.best.cycles} cyc` : 'no valid mapping yet';
  return `search: ${s.considered.toLocaleString('en-US')} considered, ${s.evaluated.toLocaleString('en-US')} evaluated, ${s.valid.toLocaleString('en-US')} valid, ${best}, ${rate.toLocaleString('en-US')}/s, ${(p.elapsedMs / 1000).toFixed(1)} s`;
}

function usage(host: Host, message: string): number {
  host.stderr(`error: ${message}`);
  return EXIT.usage;
}
