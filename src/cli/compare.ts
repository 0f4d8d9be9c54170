/** `spikeloop compare A.json B.json ... [--out DIR]`: results side by side, with ratios to the first. */
import { join } from 'node:path';
import type { Provenance } from '../report/doc.ts';
import type { Host } from './io.ts';
import { EXIT, printDiagnostics } from './render.ts';
import { commandLine, emitReport, loadResults, provenanceArtifact, safeName } from './report.ts';

export const COMPARE_HELP = `
Compares two or more results (evaluations, networks, search results' chosen points, explore results, training
results): totals (on a log ratio axis), energy by level and compute action, off-chip bytes per tensor, per layer
for networks, by phase and scheme for training, each with its ratio to the first file (the baseline). Results of
different kinds compare what they share. Typical uses: two archs, two schedules, dense vs TT, T innermost vs T
outermost.

Writes DIR/report.html, DIR/report.md, DIR/charts/*.svg and DIR/provenance.json; DIR defaults to
reports/compare-<A>-vs-<B>/.

Examples:
  $ spikeloop evaluate --arch arch-specs/eyeriss-like.yaml --workload workloads/vgg-conv3-snn.yaml \\
      --mapping mappings/eyeriss-like-vgg-conv3-t-inner.yaml --out reports/out/t-inner
  $ spikeloop evaluate --arch arch-specs/eyeriss-like.yaml --workload workloads/vgg-conv3-snn.yaml \\
      --mapping mappings/eyeriss-like-vgg-conv3-t-outer.yaml --out reports/out/t-outer
  $ spikeloop compare reports/out/t-inner/evaluation.json reports/out/t-outer/evaluation.json

Exit codes: 0 ok, 1 a file cannot be read or is not a result, 2 usage error (fewer than two files).`;

export async function runCompare(host: Host, files: readonly string[], o: { readonly out?: string }, version: string): Promise<number> {
  const loaded = await loadResults(host, files);
  if (Array.isArray(loaded)) {
    const code = printDiagnostics(host, loaded);
    return code === EXIT.ok ? EXIT.invalidInput : code;
  }
  const [{ compareArtifacts }, { energyTablesOf }] = await Promise.all([import('../report/compare.ts'), import('../report/report.ts')]);
  const dir = o.out ?? join('reports', safeName(`compare-${loaded.inputs.map((i) => i.name).join('-vs-')}`));
  const args = ['compare', ...files, ...(o.out !== undefined ? ['--out', o.out] : [])];
  const provenance: Provenance = { version, command: commandLine(args), inputs: loaded.records, energyTables: energyTablesOf(loaded.inputs) };
  return emitReport(host, dir, [...compareArtifacts(loaded.inputs, provenance), provenanceArtifact(host, args, files, version)]);
}
