/** `spikeloop report RESULT.json... [--out DIR]`: HTML + Markdown report with SVG charts of result files. */
import { basename, dirname, extname, join } from 'node:path';
import type { Diagnostic } from '../core/diagnostics.ts';
import type { Artifact } from '../report/artifact.ts';
import type { InputRecord, Provenance } from '../report/doc.ts';
import type { ReportInput } from '../report/inputs.ts';
import { readSources, writeArtifacts } from './files.ts';
import { commandLine, provenanceRecord, sha256 } from './provenance.ts';
import type { Host } from './io.ts';
import { EXIT, printDiagnostics } from './render.ts';

export interface ReportOptions {
  readonly out?: string;
}

export const REPORT_HELP = `
Each RESULT.json is a file written by another command: an evaluation (spikeloop evaluate --json, or
evaluation.json from --out), a network evaluation, a search result (search.json, pareto.json), an explore
result (explore.json, with or without --sweep) or a training result (evaluate on a tt_network); the kind is
detected from its content. The report holds charts (energy breakdown, off-chip traffic, bandwidth roofline,
pipeline timeline and activity, Pareto front, sweep, memory per layer, occupancy, training phases and schemes:
whatever the input has), the tables behind them, and the inputs' SHA-256, the energy tables, the spikeloop
version, the command, and the command and spec files each result records.

Writes DIR/report.html (one self-contained page: inline SVG and CSS, no network), DIR/report.md,
DIR/charts/*.svg (linked from the Markdown) and DIR/provenance.json (the command and the SHA-256 of each file
read). DIR defaults to reports/<name>/.

Examples:
  $ spikeloop evaluate --arch arch-specs/eyeriss-like.yaml --workload workloads/vgg-conv3-snn.yaml \\
      --mapping mappings/eyeriss-like-vgg-conv3-t-inner.yaml --json > t-inner.json
  $ spikeloop report t-inner.json                      # reports/t-inner/report.html
  $ spikeloop report reports/out/conv3/evaluation.json --out reports/out/conv3-report
  $ spikeloop report a.json b.json --out reports/out/both

Exit codes: 0 ok, 1 a file cannot be read or is not a result (file:line:col: error CODE: message), 2 usage error.`;

const GENERIC = new Set(['evaluation', 'result', 'results', 'search', 'pareto', 'explore', 'network', 'training', 'summary', 'report', 'out']);

/** Short label of a result file: its base name, or its folder's name when the base name is generic. */
export function labelOf(file: string): string {
  const base = basename(file, extname(file));
  const parent = basename(dirname(file));
  return GENERIC.has(base.toLowerCase()) && parent && parent !== '.' && parent !== '..' ? parent : base;
}

/** Labels made unique: a shared folder name falls back to `folder-base`, then `#2`, `#3`. */
export function uniqueLabels(files: readonly string[]): string[] {
  const first = files.map(labelOf);
  const seen = new Map<string, number>();
  return files.map((f, i) => {
    const base = basename(f, extname(f));
    const l = first[i] !== base && first.filter((x) => x === first[i]).length > 1 ? `${first[i]}-${base}` : first[i];
    const n = (seen.get(l) ?? 0) + 1;
    seen.set(l, n);
    return n === 1 ? l : `${l}#${n}`;
  });
}

export const safeName = (s: string): string => s.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80) || 'report';

export { commandLine, sha256 } from './provenance.ts';

export interface Loaded {
  readonly inputs: ReportInput[];
  readonly records: InputRecord[];
}

/** Read, hash and parse every result file; all problems are reported, not just the first. */
export async function loadResults(host: Host, files: readonly string[]): Promise<Loaded | Diagnostic[]> {
  const { sources, diagnostics } = readSources(host, files);
  const { readInput } = await import('../report/inputs.ts');
  const labels = uniqueLabels(files);
  const inputs: ReportInput[] = [];
  const records: InputRecord[] = [];
  const problems: Diagnostic[] = [...diagnostics];
  for (const s of sources) {
    const name = labels[files.indexOf(s.file)];
    const r = readInput(s.text, s.file, name);
    if (!r.ok) {
      problems.push(...r.diagnostics);
      continue;
    }
    inputs.push(r.value);
    records.push({ file: s.file, name, kind: r.value.kind, sha256: sha256(s.text) });
  }
  return problems.length > 0 ? problems : { inputs, records };
}

/**
 * `provenance.json` beside the report: the command and the SHA-256 of each result file it read, in the same
 * `{command, inputs: [{path, sha256}]}` form the other commands record in their results.
 */
export function provenanceArtifact(host: Host, args: readonly string[], files: readonly string[], version: string): Artifact {
  return { name: 'provenance.json', mediaType: 'application/json', content: `${JSON.stringify({ schema: 'spikeloop.report-provenance/1', version, ...provenanceRecord(host, args, files) }, null, 2)}\n` };
}

/** Write the artifacts, print the HTML path on stdout and the rest on stderr. */
export function emitReport(host: Host, dir: string, artifacts: readonly Artifact[]): number {
  const { written, diagnostics } = writeArtifacts(host, dir, artifacts);
  if (diagnostics.length > 0) return printDiagnostics(host, diagnostics);
  const html = written.find((w) => w.endsWith('report.html'));
  const charts = written.filter((w) => w.endsWith('.svg')).length;
  host.stderr(`wrote ${written.filter((w) => w.endsWith('.md')).join(', ')} and ${charts} chart${charts === 1 ? '' : 's'} in ${join(dir, 'charts')}`);
  if (html) host.stdout(html);
  return EXIT.ok;
}

export async function runReport(host: Host, files: readonly string[], o: ReportOptions, version: string): Promise<number> {
  const loaded = await loadResults(host, files);
  if (Array.isArray(loaded)) {
    const code = printDiagnostics(host, loaded);
    return code === EXIT.ok ? EXIT.invalidInput : code;
  }
  const { reportArtifacts, energyTablesOf } = await import('../report/report.ts');
  const dir = o.out ?? join('reports', safeName(loaded.inputs.map((i) => i.name).join('+')));
  const args = ['report', ...files, ...(o.out !== undefined ? ['--out', o.out] : [])];
  const provenance: Provenance = { version, command: commandLine(args), inputs: loaded.records, energyTables: energyTablesOf(loaded.inputs) };
  return emitReport(host, dir, [...reportArtifacts(loaded.inputs, provenance), provenanceArtifact(host, args, files, version)]);
}
