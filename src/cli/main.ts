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
    .addHelpText('after', EVALUATE_HELP)
    .action(async (opts: EvaluateOptions, cmd: Command) => {
      const problem = evaluateUsageProblem(opts);
      if (problem) cmd.error(`error: ${problem}`, { exitCode: EXIT.usage, code: 'spikeloop.usage' });
      setCode(await runEvaluate(host, opts));
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
    host = makeHost(io);
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
