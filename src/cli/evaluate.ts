/** `spikeloop evaluate`: native specs (--arch/--workload/--mapping) or Timeloop v0.3 files (--timeloop). */
import type { Diagnostic, SourcePos } from '../core/diagnostics.ts';
import type { Result } from '../core/result.ts';
import type { Arch } from '../arch/types.ts';
import type { Mapping } from '../mapping/types.ts';
import type { Workload } from '../workload/types.ts';
import { readSources, type SourceFile } from './files.ts';
import type { Host } from './io.ts';
import { emitOutcome, EXIT, printDiagnostics, type OutputOptions } from './render.ts';

export interface EvaluateOptions extends OutputOptions {
  readonly arch?: string;
  readonly workload?: string;
  readonly mapping?: string;
  readonly timeloop?: readonly string[];
  readonly timing: 'roofline' | 'pipeline';
}

interface Loaded {
  readonly arch: Arch;
  readonly workload: Workload;
  readonly mapping: Mapping;
  readonly mappingFile: SourceFile;
  readonly levelPos?: readonly SourcePos[];
}

/** Checks the combination of options; returns a usage message when it is wrong. */
export function evaluateUsageProblem(o: EvaluateOptions): string | undefined {
  const native = (['arch', 'workload', 'mapping'] as const).filter((k) => o[k] !== undefined);
  if (o.timeloop) {
    if (native.length > 0) return `--timeloop cannot be combined with ${native.map((k) => `--${k}`).join(', ')}`;
    if (o.timeloop.length < 3 || o.timeloop.length > 4) {
      return `--timeloop takes ARCH PROBLEM MAPPING [ERT] (3 or 4 files, any order), got ${o.timeloop.length}`;
    }
    return undefined;
  }
  const missing = (['arch', 'workload', 'mapping'] as const).filter((k) => o[k] === undefined);
  if (missing.length > 0) return `missing ${missing.map((k) => `--${k} <file>`).join(', ')} (or use --timeloop ARCH PROBLEM MAPPING [ERT])`;
  return undefined;
}

async function loadNative(host: Host, o: EvaluateOptions): Promise<Loaded | Diagnostic[]> {
  const { sources, diagnostics } = readSources(host, [o.arch!, o.workload!, o.mapping!]);
  if (diagnostics.length > 0) return diagnostics;
  const [a, w, m] = sources;
  const [{ parseArch }, { parseWorkload }, { parseMapping }, { unpricedActions }] = await Promise.all([
    import('../spec/arch.ts'),
    import('../spec/workload.ts'),
    import('../spec/mapping.ts'),
    import('../spec/pairing.ts'),
  ]);
  const ra = parseArch(a.text, a.file);
  const rw = parseWorkload(w.text, w.file);
  const diags: Diagnostic[] = [...problems(ra), ...problems(rw)];
  if (!ra.ok || !rw.ok) return diags;
  diags.push(...unpricedActions(ra.value, a.file, a.text, rw.value));
  const rm = parseMapping(m.text, m.file, ra.value, rw.value);
  diags.push(...problems(rm));
  if (!rm.ok) return diags;
  printDiagnostics(host, diags); // warnings only
  return { arch: ra.value, workload: rw.value, mapping: rm.value.mapping, mappingFile: m, levelPos: rm.value.levelPos };
}

async function loadTimeloop(host: Host, files: readonly string[]): Promise<Loaded | Diagnostic[]> {
  const { sources, diagnostics } = readSources(host, files);
  if (diagnostics.length > 0) return diagnostics;
  const { importTimeloop, arrangeTimeloopFiles } = await import('../spec/timeloop/index.ts');
  const arranged = arrangeTimeloopFiles(sources);
  const mapping = arranged.mapping;
  const r = importTimeloop(arranged);
  if (!r.ok) return [...r.diagnostics];
  printDiagnostics(host, r.warnings);
  const v = r.value as { arch: Arch; workload: Workload; mapping: Mapping; levelPos?: readonly SourcePos[] };
  return { arch: v.arch, workload: v.workload, mapping: v.mapping, mappingFile: mapping, levelPos: v.levelPos };
}

function problems<T>(r: Result<T>): readonly Diagnostic[] {
  return r.ok ? r.warnings : r.diagnostics;
}

export async function runEvaluate(host: Host, o: EvaluateOptions): Promise<number> {
  const loaded = o.timeloop ? await loadTimeloop(host, o.timeloop) : await loadNative(host, o);
  if (Array.isArray(loaded)) {
    const code = printDiagnostics(host, loaded);
    return code === EXIT.ok ? EXIT.invalidInput : code;
  }
  const { evaluate } = await import('../model/evaluate.ts');
  const outcome = evaluate(loaded.arch, loaded.workload, loaded.mapping, { timing: o.timing });
  return emitOutcome(host, outcome, o, {
    file: loaded.mappingFile.file,
    text: loaded.mappingFile.text,
    levelNames: loaded.arch.levels.map((l) => l.name),
    levelPos: loaded.levelPos,
  }, o.timeloop ? [...o.timeloop] : [o.arch, o.workload, o.mapping]);
}
