/**
 * `spikeloop validate FILE...`: every problem in every file, as `file:line:col: error CODE: message`. Mappings are
 * also evaluated against their arch and workload, so a tile that does not fit or a loop order that breaks SNN
 * semantics is reported here too (SL-EVAL-*, at the mapping entry of the level), as `evaluate` would.
 */
import type { Diagnostic } from '../core/diagnostics.ts';
import type { Host } from './io.ts';
import { readSources } from './files.ts';
import { invalidOutcomeDiagnostic } from './outcome.ts';
import { EXIT, printDiagnostics, sortDiagnostics } from './render.ts';

export async function runValidate(host: Host, files: readonly string[]): Promise<number> {
  const { sources, diagnostics } = readSources(host, files);
  const [{ checkSpecs }, { evaluate }] = await Promise.all([import('../spec/load.ts'), import('../model/evaluate.ts')]);
  const checked = checkSpecs(sources);
  const all: Diagnostic[] = [...diagnostics, ...checked.diagnostics];
  for (const m of checked.mappings) {
    const r = evaluate(m.arch, m.workload, m.mapping);
    if (r.status === 'invalid') {
      all.push(invalidOutcomeDiagnostic(r, { file: m.src.file, text: m.src.text, levelNames: m.arch.levels.map((l) => l.name), levelPos: m.levelPos }));
    }
  }
  const code = printDiagnostics(host, sortDiagnostics(all));
  // Well-formed files whose mapping cannot run on its arch: exit 3 as evaluate does; any other error: exit 1.
  if (code !== EXIT.ok) return all.every((d) => d.severity !== 'error' || d.code.startsWith('SL-EVAL-')) ? EXIT.noValidMapping : code;
  host.stdout(`ok: ${files.length} file${files.length === 1 ? '' : 's'} valid`);
  return EXIT.ok;
}
