/**
 * The spikeloop CLI (DESIGN.md §1, §4): the only place with file I/O, console output and exit codes.
 * `run` takes the user's arguments (without `node` and the script) and injectable I/O, and returns the exit code.
 * The pipeline (spec parsers, model) is imported lazily so that `--help` and usage errors start fast.
 */
import { Command, CommanderError, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { runEvaluate, evaluateUsageProblem, type EvaluateOptions } from './evaluate.ts';
import { EVALUATE_HELP, ROOT_HELP, VALIDATE_HELP } from './help.ts';
import { makeHost, type Host, type Io } from './io.ts';
import { EXIT } from './render.ts';
import { runValidate } from './validate.ts';
import { isTtNetworkWorkload, runTraining, TRAINING_PHASES, TRAINING_SCHEMES, trainingUsageProblem, type ForeignOptions, type TrainingOptions } from './training.ts';
import { COMPARE_HELP, runCompare } from './compare.ts';
import { REPORT_HELP, runReport } from './report.ts';
import { isNetworkWorkload, runNetworkEvaluate, type NetworkEvaluateOptions } from './network.ts';
import { runExplore, type ExploreCliOptions } from './explore.ts';
import { runSearchCommand, searchUsageProblem, type SearchCliOptions } from './search.ts';
import { SEARCH_HELP } from './help.ts';

const EXPLORE_HELP = `
Examples:
  spikeloop explore --arch arch-specs/meta-prototype-like.yaml --workload workloads/sew-resnet-7plif.yaml
  spikeloop explore --arch arch-specs/meta-prototype-like.yaml --workload workloads/sew-resnet-5plif.yaml --objective offchip --pareto
  spikeloop explore --arch arch-specs/meta-prototype-like.yaml --workload workloads/red-lif.yaml --sweep gb_size --json
Ctrl-C or --time-limit stops the search and reports the best schedule found so far.`;

export type { Io } from './io.ts';
export { EXIT } from './render.ts';

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

function buildProgram(host: Host, setCode: (code: number) => void): Command {
  const program = new Command('spikeloop')
    .description('Cost model for spiking-neural-network accelerators: off-chip traffic, energy and latency of a layer under a mapping.')
    .version(packageVersion(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => host.stdout(s.replace(/\n$/, '')),
      writeErr: (s) => host.stderr(s.replace(/\n$/, '')),
    })
    .showHelpAfterError('(run with --help for usage and examples)')
    .addHelpText('after', ROOT_HELP);

  program
    .command('validate')
    .description('check arch, workload and mapping files and report every problem')
    .argument('<files...>', 'spec files (arch, workload, mapping)')
    .addHelpText('after', VALIDATE_HELP)
    .action(async (files: string[]) => setCode(await runValidate(host, files)));

  program
    .command('evaluate')
    .description('evaluate one mapping of one layer on one arch: access counts, energy, cycles, off-chip traffic')
    .option('--arch <file>', 'arch spec (YAML)')
    .option('--workload <file>', 'workload spec (YAML)')
    .option('--mapping <file>', 'mapping spec (YAML)')
    .option('--timeloop <files...>', 'Timeloop v0.3 files instead: ARCH PROBLEM MAPPING [ERT]')
    .addOption(new Option('--timing <model>', 'timing model').choices(['roofline', 'pipeline']).default('roofline'))
    .option('--json', 'print the evaluation as one JSON document on stdout')
    .addOption(new Option('--brief', 'print only energy, off-chip bytes and cycles').conflicts('json'))
    .option('--out <dir>', 'write evaluation.json and summary.md to DIR')
    .option('--schedule <file>', 'network workloads: the inter-layer schedule (YAML); default: time-batched, fused 1-row tiles')
    .option('--stems-compat', "network workloads: STEMS's conventions (membrane accumulation, state from/to DRAM, dense activity)")
    .addOption(new Option('--spike-format <format>', 'network workloads: how spike maps are stored (compressed: traffic scales with the rate)').choices(['dense', 'compressed', 'auto']))
    .option('--constraints <file>', "network workloads: the chunk mapper's bounds (default mappings/constraints/<arch file name>.yaml if it exists; 'none' for none)")
    .option('--chunk-mapper <mapper>', 'network and TT workloads: greedy (default) or search[:N] (refine each chunk / op shape with N candidates of the intra-layer mapper; for TT networks only ops the heuristic leaves under 90 % busy, N = 1500 by default)')
    .option('--seed <n>', 'network and TT workloads: seed of --chunk-mapper search')
    .option('--final-state-writeback', "network workloads: write every layer's final state back to DRAM")
    .addOption(new Option('--phase <phase>', 'TT networks: training phase to evaluate (step = all three)').choices([...TRAINING_PHASES]))
    .addOption(new Option('--scheme <scheme>', 'TT networks: training scheme whose activation memory is reported (default: all)').choices([...TRAINING_SCHEMES]))
    .option('--batch <n>', "TT networks: batch size (default: the network file's)")
    .option('--timesteps <n>', "TT networks: timesteps T (default: the network file's)")
    .addOption(new Option('--tt-mode <mode>', "TT networks: TT schedule (default: the network file's)").choices(['stt', 'ptt', 'htt']))
    .addHelpText('after', EVALUATE_HELP)
    .action(async (opts: EvaluateOptions, cmd: Command) => {
      if (!opts.timeloop && (await isTtNetworkWorkload(host, opts.workload))) {
        const problem = trainingUsageProblem(opts as TrainingOptions & ForeignOptions);
        if (problem) cmd.error(`error: ${problem}`, { exitCode: EXIT.usage, code: 'spikeloop.usage' });
        setCode(await runTraining(host, opts as TrainingOptions));
        return;
      }
      if (!opts.timeloop && (await isNetworkWorkload(host, opts.workload))) {
        if (!opts.arch) cmd.error('error: missing --arch <file> (a network is evaluated on one arch)', { exitCode: EXIT.usage, code: 'spikeloop.usage' });
        if (opts.mapping) cmd.error('error: --mapping applies to one layer; a network takes --schedule <file> (or none for the default)', { exitCode: EXIT.usage, code: 'spikeloop.usage' });
        if (opts.timing === 'pipeline') {
          cmd.error('error: --timing pipeline applies to one layer under one mapping; a network schedule is timed chunk by chunk (the larger of its on-chip roofline cycles and its DRAM transfers)', { exitCode: EXIT.usage, code: 'spikeloop.usage' });
        }
        setCode(await runNetworkEvaluate(host, opts as NetworkEvaluateOptions));
        return;
      }
      const problem = evaluateUsageProblem(opts);
      if (problem) cmd.error(`error: ${problem}`, { exitCode: EXIT.usage, code: 'spikeloop.usage' });
      setCode(await runEvaluate(host, opts));
    });

  program
    .command('report')
    .description('write an HTML and Markdown report with SVG charts of result JSON files (evaluation, network, search, training)')
    .argument('<results...>', 'result JSON files written by evaluate --json / --out, search or explore')
    .option('--out <dir>', 'write report.html, report.md and charts/*.svg to DIR (default: reports/<name>/)')
    .addHelpText('after', REPORT_HELP)
    .action(async (files: string[], opts: { out?: string }) => setCode(await runReport(host, files, opts, packageVersion())));

  program
    .command('compare')
    .description('compare two or more results side by side, with ratios to the first')
    .argument('<results...>', 'two or more result JSON files; the first is the baseline')
    .option('--out <dir>', 'write report.html, report.md and charts/*.svg to DIR (default: reports/compare-<A>-vs-<B>/)')
    .addHelpText('after', COMPARE_HELP)
    .action(async (files: string[], opts: { out?: string }, cmd: Command) => {
      if (files.length < 2) cmd.error(`error: compare needs at least two result files, got ${files.length}`, { exitCode: EXIT.usage, code: 'spikeloop.usage' });
      setCode(await runCompare(host, files, opts, packageVersion()));
    });

  program
    .command('explore')
    .description('search the inter-layer schedules of a network (time batching, fusion, state placement) on one arch')
    .option('--arch <file>', 'arch spec (YAML)')
    .option('--workload <file>', 'network spec (YAML, top-level network:)')
    .addOption(new Option('--objective <goal>', 'what to minimise').choices(['energy', 'cycles', 'edp', 'offchip']).default('energy'))
    .addOption(new Option('--space <set>', 'per-block choices: full (every b | T, whole or fused k along rows/columns) or stems (ST/TB x LBL/F)').choices(['full', 'stems']).default('full'))
    .option('--pareto', 'also report the Pareto front (energy, cycles, off-chip bytes) of the schedules the search kept')
    .option('--sweep <param>', 're-run the search per arch point: gb_size (ARCH.sweep.yaml) or LEVEL.capacity_bytes=V1,V2,... / LEVEL.bandwidth_bits=...')
    .option('--time-limit <seconds>', 'stop each search (each sweep point) after this long with the best schedule found')
    .option('--threads <n>', 'worker threads for the block simulations (same result for any N)', '1')
    .option('--beam <n>', 'keep at most N boundary states per block (bounded work for huge spaces; the answer is then not proven optimal)')
    .option('--seed <n>', 'seed of the randomized parts (--chunk-mapper search)', '1')
    .option('--stems-compat', "STEMS's conventions (membrane accumulation, state from/to DRAM, dense activity)")
    .option('--final-state-writeback', "write every layer's final state back to DRAM")
    .option('--allow-stateless', 'let the search make layers stateless (a what-if that changes the network)')
    .addOption(new Option('--spike-format <format>', 'how spike maps are stored (compressed: traffic scales with the rate)').choices(['dense', 'compressed', 'auto']))
    .option('--constraints <file>', "the chunk mapper's bounds (default mappings/constraints/<arch file name>.yaml if it exists; 'none' for none)")
    .option('--chunk-mapper <mapper>', 'greedy (default) or search[:N] (refine each chunk shape with N candidates of the intra-layer mapper)')
    .option('--json', 'print the result as one JSON document on stdout')
    .option('--out <dir>', 'write explore.json and best-evaluation.json to DIR')
    .addHelpText('after', EXPLORE_HELP)
    .action(async (opts: ExploreCliOptions) => {
      const signal = { stop: false };
      const onInt = (): void => {
        signal.stop = true;
      };
      process.once('SIGINT', onInt);
      try {
        setCode(await runExplore(host, opts, signal));
      } finally {
        process.removeListener('SIGINT', onInt);
      }
    });

  program
    .command('search')
    .description('find the best mapping of one layer on one arch: tiling, loop orders, spatial fan-out, keep/bypass')
    .option('--arch <file>', 'arch spec (YAML)')
    .option('--workload <file>', 'workload spec (YAML)')
    .option('--timeloop <files...>', 'Timeloop v0.3 files instead: ARCH PROBLEM [MAPPING (ignored)] [ERT]')
    .option('--constraints <file>', 'mapspace constraints (YAML): fixed/bounded factors, orders, keep/bypass, min PE utilization')
    .addOption(new Option('--strategy <name>', 'search strategy').choices(['anneal', 'exhaustive', 'random']).default('anneal'))
    .option('--objective <metrics>', 'energy|cycles|edp|offchip; "a,b" lexicographic, "a:1,b:0.5" weighted product', 'energy')
    .option('--tolerance <fraction>', 'relative tolerance of a lexicographic objective', '0')
    .option('--offchip-exclude <tensors...>', 'leave these tensors out of the offchip metric (e.g. State: a state-blind search)')
    .option('--pareto', 'keep the Pareto front over energy, cycles and off-chip bytes')
    .option('--seed <n>', 'random seed (same seed, same result, for any --threads, unless --time-limit or Ctrl-C cuts it short)', '1')
    .option('--threads <n>', 'threads (the main thread and n - 1 workers; at most the cores)', '1')
    .option('--time-limit <seconds>', 'stop after this long and report the best so far (annealing cools with the clock)')
    .option('--max-evals <n>', 'candidates to consider (anneal/random: default 20000; exhaustive: the first n of its enumeration)')
    .option('--chains <n>', 'independent annealing chains (default 4)')
    .option('--timing <model>', 'timing model of the reported evaluation: roofline (default) or pipeline (re-ranks the best candidates)')
    .option('--rerank <n>', 're-evaluate the n best candidates and the Pareto front with the pipeline timing model, pick by the objective')
    .option('--out <dir>', 'write search.json, best-mapping.yaml (and pareto.json) to DIR')
    .option('--json', 'print the result as one JSON document (schema spikeloop.search/1) on stdout')
    .addHelpText('after', SEARCH_HELP)
    .action(async (opts: SearchCliOptions, cmd: Command) => {
      if (!opts.timeloop && (await isNetworkWorkload(host, opts.workload))) {
        cmd.error(`error: ${opts.workload} is a network: search maps one layer; search a network's schedules with \`spikeloop explore --arch A --workload ${opts.workload}\``, { exitCode: EXIT.usage, code: 'spikeloop.usage' });
      }
      const problem = searchUsageProblem(opts);
      if (problem) cmd.error(`error: ${problem}`, { exitCode: EXIT.usage, code: 'spikeloop.usage' });
      setCode(await runSearchCommand(host, opts));
    });

  return program;
}

function internalError(host: Host, e: unknown): number {
  const err = e instanceof Error ? e : new Error(String(e));
  const debug = host.env.SPIKELOOP_DEBUG === '1';
  const line = `spikeloop: internal error: ${err.message.split('\n')[0]}`;
  host.stderr(debug ? `${line}\n${err.stack ?? ''}` : `${line} (this is a bug; set SPIKELOOP_DEBUG=1 for the stack trace)`);
  return EXIT.internal;
}

/** Run the CLI. `argv` are the user's arguments, e.g. `['evaluate', '--arch', 'a.yaml', ...]`. */
export async function run(argv: readonly string[], io?: Io): Promise<number> {
  let host: Host | undefined;
  try {
    host = makeHost(io, argv);
    let code: number = EXIT.ok;
    const program = buildProgram(host, (c) => (code = c));
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return EXIT.ok;
      // `spikeloop help [command]` exits 0; help shown because no command was given exits non-zero: a usage error.
      if (e.code === 'commander.help' && e.exitCode === 0) return EXIT.ok;
      return EXIT.usage;
    }
    return internalError(host ?? makeHost(), e);
  }
}
