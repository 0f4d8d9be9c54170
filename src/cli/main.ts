/** The spikeloop CLI: the only place with file I/O, console output and exit codes (DESIGN.md §1, §4). */
import { Command, CommanderError } from 'commander';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatDiagnostic, type Diagnostic } from '../core/diagnostics.ts';
import { evaluate } from '../model/evaluate.ts';
import type { EvalOutcome } from '../model/types.ts';
import { briefSummary, textSummary } from '../report/text-summary.ts';
import { parseArch } from '../spec/arch.ts';
import { parseMapping } from '../spec/mapping.ts';
import { parseWorkload } from '../spec/workload.ts';
import { parseYaml } from '../spec/yaml-source.ts';

export interface Io {
  stdout(s: string): void;
  stderr(s: string): void;
}

const realIo: Io = { stdout: (s) => process.stdout.write(s + '\n'), stderr: (s) => process.stderr.write(s + '\n') };

class InputError extends Error {
  constructor(readonly diagnostics: readonly Diagnostic[], readonly code = 1) {
    super('invalid input');
  }
}

function readText(file: string): string {
  if (!existsSync(file)) {
    throw new InputError([{ code: 'SL-FILE-NOT-FOUND', severity: 'error', message: `cannot read ${file}: no such file`, pos: { file, line: 0, col: 0 }, hint: 'check the path' }]);
  }
  return readFileSync(file, 'utf8');
}

function must<T>(r: { ok: true; value: T } | { ok: false; diagnostics: readonly Diagnostic[] }): T {
  if (!r.ok) throw new InputError(r.diagnostics);
  return r.value;
}

function report(io: Io, outcome: EvalOutcome, opts: { json?: boolean; out?: string; brief?: boolean }, mappingFile: string, levelPos: { file: string; line: number; col: number }[], levelNames: string[]): number {
  if (outcome.status === 'invalid') {
    const li = outcome.level ? levelNames.indexOf(outcome.level) : -1;
    const pos = li >= 0 ? levelPos[li] : { file: mappingFile, line: 1, col: 1 };
    const code = `SL-EVAL-${outcome.stage.toUpperCase()}`;
    io.stderr(formatDiagnostic({ code, severity: 'error', message: outcome.reason, pos }));
    return 3;
  }
  const e = outcome.evaluation;
  if (opts.json) io.stdout(JSON.stringify(e, null, 2));
  else io.stdout(opts.brief ? briefSummary(e) : textSummary(e));
  if (opts.out) {
    mkdirSync(opts.out, { recursive: true });
    writeFileSync(join(opts.out, 'evaluation.json'), JSON.stringify(e, null, 2) + '\n');
    writeFileSync(join(opts.out, 'summary.txt'), textSummary(e) + '\n');
    if (!opts.json) io.stdout(`wrote ${join(opts.out, 'evaluation.json')} and summary.txt`);
  }
  return 0;
}

export function run(argv: readonly string[], io: Io = realIo): number {
  let code = 0;
  const program = new Command('spikeloop')
    .description('Cost model for spiking-neural-network accelerators: off-chip traffic, energy and latency per mapping.')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s.trimEnd()), writeErr: (s) => io.stderr(s.trimEnd()) });
  program
    .command('validate')
    .description('check arch, workload and mapping files and report every problem')
    .argument('<files...>', 'spec files (arch, workload, mapping; the kind is detected from the top-level key)')
    .addHelpText('after', '\nExample:\n  spikeloop validate arch-specs/eyeriss-like.yaml workloads/vgg-conv3-snn.yaml mappings/eyeriss-like-vgg-conv3-t-inner.yaml')
    .action((files: string[]) => {
      const diags: Diagnostic[] = [];
      const texts = files.map((f) => ({ f, text: readText(f) }));
      const kind = (t: string, f: string): string => {
        const tree = parseYaml(t, f);
        if (!tree.ok || tree.value.kind !== 'map') return 'unknown';
        return tree.value.entries[0]?.key ?? 'unknown';
      };
      const arch = texts.filter((x) => kind(x.text, x.f) === 'arch').map((x) => ({ x, r: parseArch(x.text, x.f) }));
      const wl = texts.filter((x) => kind(x.text, x.f) === 'workload').map((x) => ({ x, r: parseWorkload(x.text, x.f) }));
      for (const { r } of [...arch, ...wl]) if (!r.ok) diags.push(...r.diagnostics);
      for (const x of texts) {
        const k = kind(x.text, x.f);
        if (k === 'mapping') {
          const a = arch.find((y) => y.r.ok);
          const w = wl.find((y) => y.r.ok);
          if (a?.r.ok && w?.r.ok) {
            const m = parseMapping(x.text, x.f, a.r.value, w.r.value);
            if (!m.ok) diags.push(...m.diagnostics);
          } else if (!a || !w) diags.push({ code: 'SL-VALIDATE-CONTEXT', severity: 'error', message: 'a mapping is checked against an arch and a workload: pass them too', pos: { file: x.f, line: 1, col: 1 } });
        } else if (k !== 'arch' && k !== 'workload') {
          const tree = parseYaml(x.text, x.f);
          if (!tree.ok) diags.push(...tree.diagnostics);
          else diags.push({ code: 'SL-SPEC-KIND', severity: 'error', message: `cannot tell what ${x.f} is`, pos: { file: x.f, line: 1, col: 1 }, hint: "start the file with 'arch:', 'workload:' or 'mapping:'" });
        }
      }
      for (const d of diags) io.stderr(formatDiagnostic(d));
      if (diags.some((d) => d.severity === 'error')) code = 1;
      else io.stdout(`ok: ${files.length} file(s) valid`);
    });
  program
    .command('evaluate')
    .description('evaluate one mapping of one layer on one arch')
    .requiredOption('--arch <file>', 'arch spec (YAML)')
    .requiredOption('--workload <file>', 'workload spec (YAML)')
    .requiredOption('--mapping <file>', 'mapping spec (YAML)')
    .option('--json', 'print the evaluation as one JSON document')
    .option('--out <dir>', 'write evaluation.json and summary.txt to DIR')
    .option('--brief', 'print one line')
    .addHelpText('after', '\nExample:\n  spikeloop evaluate --arch arch-specs/eyeriss-like.yaml --workload workloads/vgg-conv3-snn.yaml \\\n    --mapping mappings/eyeriss-like-vgg-conv3-t-inner.yaml --json')
    .action((o: { arch: string; workload: string; mapping: string; json?: boolean; out?: string; brief?: boolean }) => {
      const arch = must(parseArch(readText(o.arch), o.arch));
      const w = must(parseWorkload(readText(o.workload), o.workload));
      const { mapping, levelPos } = must(parseMapping(readText(o.mapping), o.mapping, arch, w));
      code = report(io, evaluate(arch, w, mapping), o, o.mapping, levelPos, arch.levels.map((l) => l.name));
    });
  try {
    program.parse([...argv], { from: 'user' });
  } catch (e) {
    if (e instanceof InputError) {
      for (const d of e.diagnostics) io.stderr(formatDiagnostic(d));
      return e.code;
    }
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      return 2;
    }
    io.stderr(`spikeloop: internal error: ${(e as Error).message}${process.env.SPIKELOOP_DEBUG ? `\n${(e as Error).stack}` : ''}`);
    return 70;
  }
  return code;
}
