/** Printing diagnostics and evaluation results. */
import { formatDiagnostic, hasErrors, type Diagnostic } from '../core/diagnostics.ts';
import type { EvalOutcome } from '../model/types.ts';
import { evaluationArtifacts } from '../report/bundle.ts';
import { evaluationJson } from '../report/json.ts';
import { briefSummary, textSummary } from '../report/text-summary.ts';
import { writeArtifacts } from './files.ts';
import type { Host } from './io.ts';
import { invalidOutcomeDiagnostic, type MappingSource } from './outcome.ts';
import { provenanceRecord } from './provenance.ts';

export const EXIT = { ok: 0, invalidInput: 1, usage: 2, noValidMapping: 3, internal: 70 } as const;

/** Diagnostics in reading order: by file (first appearance), then line and column; stable otherwise. */
export function sortDiagnostics(ds: readonly Diagnostic[]): Diagnostic[] {
  const fileOrder = new Map<string, number>();
  for (const d of ds) if (d.pos && !fileOrder.has(d.pos.file)) fileOrder.set(d.pos.file, fileOrder.size);
  return ds
    .map((d, i) => ({ d, i }))
    .sort((a, b) => {
      const fa = a.d.pos ? fileOrder.get(a.d.pos.file)! : -1;
      const fb = b.d.pos ? fileOrder.get(b.d.pos.file)! : -1;
      return fa - fb || (a.d.pos?.line ?? 0) - (b.d.pos?.line ?? 0) || (a.d.pos?.col ?? 0) - (b.d.pos?.col ?? 0) || a.i - b.i;
    })
    .map((x) => x.d);
}

/** Print diagnostics on stderr, one per line; returns 1 when any is an error, else 0. */
export function printDiagnostics(host: Host, ds: readonly Diagnostic[]): number {
  for (const d of ds) host.stderr(formatDiagnostic(d));
  return hasErrors(ds) ? EXIT.invalidInput : EXIT.ok;
}

export interface OutputOptions {
  readonly json?: boolean;
  readonly brief?: boolean;
  readonly out?: string;
}

/** Print an evaluation outcome (and write artifacts); returns the exit code. `inputs`: the files it read. */
export function emitOutcome(host: Host, outcome: EvalOutcome, opts: OutputOptions, mapping: MappingSource, inputs: readonly (string | undefined)[] = []): number {
  if (outcome.status === 'invalid') {
    host.stderr(formatDiagnostic(invalidOutcomeDiagnostic(outcome, mapping)));
    return EXIT.noValidMapping;
  }
  const e = outcome.evaluation;
  const label = { mapping: mapping.file };
  const extras = provenanceRecord(host, host.argv, inputs);
  if (opts.out !== undefined) {
    const { written, diagnostics } = writeArtifacts(host, opts.out, evaluationArtifacts(e, label, extras));
    if (diagnostics.length > 0) return printDiagnostics(host, diagnostics);
    if (!opts.json) host.stderr(`wrote ${written.join(', ')}`);
  }
  if (opts.json) host.stdout(evaluationJson(e, extras));
  else host.stdout(opts.brief ? briefSummary(e, label) : textSummary(e, label));
  return EXIT.ok;
}
