/** `spikeloop search`: find the best mapping of one layer on one arch (DESIGN.md §1 search/, §5 long work). */
import { availableParallelism } from 'node:os';
import type { Diagnostic } from '../core/diagnostics.ts';
import type { SearchConstraints } from '../search/types.ts';
import { readSources, writeArtifacts } from './files.ts';
import type { Host } from './io.ts';
import { provenanceRecord } from './provenance.ts';
import { EXIT, printDiagnostics } from './render.ts';
import type { SearchInputs } from './search-input.ts';
import type { Chosen, StopReason } from './search-output.ts';

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
  readonly timing?: string;
  readonly rerank?: string;
  readonly out?: string;
  readonly json?: boolean;
}

/** Candidates re-ranked with the pipeline model under `--timing pipeline` when --rerank is not given. */
const DEFAULT_RERANK = 8;
/** Exhaustive searches of more candidates than this start with a short anneal (warm start). */
const WARM_START_ABOVE = 200_000n;
const WARM_START_EVALS = 2000;

export function searchUsageProblem(o: SearchCliOptions): string | undefined {
  if (o.timeloop) {
    if (o.arch || o.workload) return '--timeloop cannot be combined with --arch or --workload';
    if (o.timeloop.length < 2 || o.timeloop.length > 4) return `--timeloop takes ARCH PROBLEM [MAPPING] [ERT] (2 to 4 files), got ${o.timeloop.length}`;
  } else if (!o.arch || !o.workload) return 'missing --arch <file> and --workload <file> (or use --timeloop ARCH PROBLEM [MAPPING] [ERT])';
  const int = (v: string | undefined, name: string, min: number): string | undefined =>
    v !== undefined && !(/^\d+$/.test(v) && Number(v) >= min) ? `${name} must be a whole number >= ${min}, got '${v}'` : undefined;
  if (o.timing !== undefined && o.timing !== 'roofline' && o.timing !== 'pipeline') return `--timing must be roofline or pipeline, got '${o.timing}'`;
  if (o.rerank !== undefined && o.timing === 'roofline') return '--rerank re-evaluates with the pipeline timing model; drop --timing roofline (or use --timing pipeline)';
  return (
    int(o.seed, '--seed', 0) ?? int(o.threads, '--threads', 1) ?? int(o.maxEvals, '--max-evals', 1) ?? int(o.chains, '--chains', 1) ?? int(o.rerank, '--rerank', 1) ??
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

  const [{ buildMapSpace }, { spaceSize }, plan, out, pool, { modelEvaluator, pipelineReranker }, { evaluate }, { rerank }] = await Promise.all([
    import('../search/mapspace/space.ts'),
    import('../search/mapspace/size.ts'),
    import('../search/plan.ts'),
    import('./search-output.ts'),
    import('./search-pool.ts'),
    import('./search-evaluator.ts'),
    import('../model/evaluate.ts'),
    import('../search/rerank.ts'),
  ]);
  const spaceOptions = { singleAxis: !!o.timeloop };
  const space = buildMapSpace(arch, workload, constraints, spaceOptions);
  const size = spaceSize(space);
  if (!o.json) host.stderr(out.sizeText(size));
  const cores = availableParallelism();
  let threads = Number(o.threads);
  if (threads > cores) {
    if (!o.json) host.stderr(`note: --threads ${threads} is more than the ${cores} cores here; using ${cores}`);
    threads = cores;
  }
  const timing = o.timing === 'pipeline' || o.rerank !== undefined ? 'pipeline' : 'roofline';
  const rerankN = o.rerank !== undefined ? Number(o.rerank) : timing === 'pipeline' ? DEFAULT_RERANK : 0;
  const timeLimitMs = o.timeLimit !== undefined ? Number(o.timeLimit) * 1000 : undefined;
  const info0 = { strategy: o.strategy, objective, seed: Number(o.seed), threads, constraints: constraints?.name ?? 'none', timing, timeloop: !!o.timeloop } as const;

  const emptyWhy = space.emptyBecause.length > 0 ? space.emptyBecause.map((e) => e.message) : size.tilings === 0n ? ['no tiling fits the fan-outs with the minimum PE utilization'] : undefined;
  if (emptyWhy) {
    const res = plan.mergeResults({ strategy: o.strategy, objective, pareto: !!o.pareto, seed: info0.seed }, []);
    const info = { ...info0, seconds: 0, cpuSeconds: 0, stop: 'completed' as StopReason };
    const json = { ...out.searchJson({ space, size, res, info, emptyBecause: emptyWhy }), ...provenanceRecord(host, host.argv, [...(o.timeloop ?? [o.arch, o.workload]), o.constraints]) };
    for (const w of emptyWhy) host.stderr(`spikeloop: no valid mapping: ${w}`);
    return finish(host, o, json, undefined, undefined, undefined) ?? EXIT.noValidMapping;
  }
  const shards = o.strategy === 'exhaustive' ? (threads > 1 ? threads * 4 : 1) : undefined;
  const evaluator = modelEvaluator(arch, workload);
  const options0 = {
    strategy: o.strategy,
    objective,
    pareto: !!o.pareto,
    seed: info0.seed,
    maxEvals: o.maxEvals !== undefined ? Number(o.maxEvals) : undefined,
    chains: o.chains !== undefined ? Number(o.chains) : undefined,
    shards,
    warmStart: o.strategy === 'exhaustive' && !(size.exact && size.total <= WARM_START_ABOVE) ? WARM_START_EVALS : 0,
    timeLimitMs,
    keepTop: rerankN,
  };
  const stop = pool.newStopFlag();
  let reason: StopReason = 'completed';
  const onSigint = (): void => {
    reason = 'interrupted';
    Atomics.store(stop, 0, 1);
  };
  process.once('SIGINT', onSigint);
  const timer = timeLimitMs
    ? setTimeout(() => {
        if (reason === 'completed') reason = 'time-limit';
        Atomics.store(stop, 0, 1);
      }, timeLimitMs)
    : undefined;
  const tty = process.stderr.isTTY === true && !o.json && host.env.SPIKELOOP_NO_PROGRESS !== '1';
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let results;
  let options: import('../search/plan.ts').SearchOptions = options0;
  try {
    options = plan.prepareSearch(space, evaluator, options0);
    results = await pool.driveSearch({ arch, workload, constraints, spaceOptions, space, evaluator }, options, {
      threads,
      stop,
      interleave: timeLimitMs !== undefined,
      onProgress: tty ? (p) => process.stderr.write(`\r${progressLine(p, objective, out.objectiveText)}\x1b[K`) : undefined,
    });
  } finally {
    process.removeListener('SIGINT', onSigint);
    if (timer) clearTimeout(timer);
    if (tty) process.stderr.write('\r\x1b[K');
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const res = plan.mergeResults(options, results);
  if (reason === 'completed' && (results.length < plan.planTasks(options).length || results.some((r) => !r.finished))) reason = 'budget';
  const info = { ...info0, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, stop: reason };
  if (!res.best) {
    const json = { ...out.searchJson({ space, size, res, info }), ...provenanceRecord(host, host.argv, [...(o.timeloop ?? [o.arch, o.workload]), o.constraints]) };
    host.stderr(out.summaryText(size, res, info));
    host.stderr(`spikeloop: no valid mapping among ${res.stats.considered.toLocaleString('en-US')} candidates${res.invalid.length ? '; why:' : ''}`);
    for (const l of out.invalidText(res)) host.stderr(l);
    return finish(host, o, json, undefined, undefined, undefined) ?? EXIT.noValidMapping;
  }
  let chosen: Chosen = { point: res.best.point, totals: res.best.totals };
  let reranked: import('../search/rerank.ts').RerankResult | undefined;
  if (rerankN > 0) {
    reranked = rerank(space, objective, [...res.top, ...res.front, res.best], pipelineReranker(arch, workload));
    const win = reranked.best;
    if (win) chosen = { point: win.point, totals: win.search, pipeline: win.detailed };
  }
  const yamls = out.bestYamls(space, info, chosen.point);
  const { toMapping } = await import('../search/mapspace/point.ts');
  const full = evaluate(arch, workload, toMapping(space, chosen.point), { timing });
  const evaluation = full.status === 'ok' ? full.evaluation : undefined;
  if (evaluation && timing === 'pipeline' && !chosen.pipeline) chosen = { ...chosen, pipeline: { energy_pJ: evaluation.totals.energy_pJ, cycles: evaluation.totals.cycles, offchip_bytes: evaluation.totals.offchip_bytes } };
  const bestYaml = yamls.timeloop ?? yamls.native;
  const json = { ...out.searchJson({ space, size, res, info, chosen, evaluation, bestYaml: yamls.native, bestTimeloopYaml: yamls.timeloop, rerank: reranked }), ...provenanceRecord(host, host.argv, [...(o.timeloop ?? [o.arch, o.workload]), o.constraints]) };
  const code = finish(host, o, json, bestYaml, yamls.timeloop ? yamls.native : undefined, () => out.summaryText(size, res, info, chosen, reranked));
  return code ?? EXIT.ok;
}

/** Write artifacts and print; returns an exit code only when writing failed. */
function finish(host: Host, o: SearchCliOptions, json: object & { pareto: unknown }, bestYaml: string | undefined, nativeYaml: string | undefined, summary: (() => string) | undefined): number | undefined {
  if (o.out !== undefined) {
    const artifacts = [
      { name: 'search.json', mediaType: 'application/json', content: JSON.stringify(json, null, 2) + '\n' },
      ...(bestYaml ? [{ name: 'best-mapping.yaml', mediaType: 'application/yaml', content: bestYaml }] : []),
      ...(nativeYaml ? [{ name: 'best-mapping.native.yaml', mediaType: 'application/yaml', content: nativeYaml }] : []),
      ...(o.pareto && bestYaml ? [{ name: 'pareto.json', mediaType: 'application/json', content: JSON.stringify(json.pareto, null, 2) + '\n' }] : []),
    ];
    const { written, diagnostics } = writeArtifacts(host, o.out, artifacts);
    if (diagnostics.length > 0) return printDiagnostics(host, diagnostics);
    if (!o.json) host.stderr(`wrote ${written.join(', ')}`);
  }
  if (o.json) host.stdout(JSON.stringify(json, null, 2));
  else if (summary) {
    host.stdout(summary());
    if (o.out === undefined && bestYaml) host.stdout(`\n${bestYaml}`);
  }
  return undefined;
}

function progressLine(p: import('./search-pool.ts').Progress, objective: import('../search/objective.ts').Objective, text: (o: import('../search/objective.ts').Objective, t: import('../search/types.ts').SearchTotals) => string): string {
  const s = p.stats;
  const rate = Math.round(s.evaluated / Math.max(p.elapsedMs / 1000, 1e-9));
  const best = p.best ? `best ${text(objective, p.best.totals)}` : 'no valid mapping yet';
  return `search: ${s.considered.toLocaleString('en-US')} considered, ${s.evaluated.toLocaleString('en-US')} evaluated, ${s.valid.toLocaleString('en-US')} valid, ${best}, ${rate.toLocaleString('en-US')}/s on ${p.threads} thread${p.threads === 1 ? '' : 's'}, ${(p.elapsedMs / 1000).toFixed(1)} s`;
}

function usage(host: Host, message: string): number {
  host.stderr(`error: ${message}`);
  return EXIT.usage;
}
