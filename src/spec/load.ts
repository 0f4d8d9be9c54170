/** Validate a set of native spec files: each file's kind is found from its top-level key; mappings are checked
 * against the arch and workload given alongside them (a mapping only makes sense for one of each). */
import type { Arch } from '../arch/types.ts';
import type { Diagnostic } from '../core/diagnostics.ts';
import type { Workload } from '../workload/types.ts';
import { parseArch } from './arch.ts';
import { parseMapping } from './mapping.ts';
import { parseWorkload } from './workload.ts';
import { parseYaml } from './yaml-source.ts';

export type SpecKind = 'arch' | 'workload' | 'mapping';

export interface SpecSource {
  readonly file: string;
  readonly text: string;
}

const KINDS: readonly SpecKind[] = ['arch', 'workload', 'mapping'];

/** The kind of a spec file (its top-level key), or the diagnostics that say why it has none. */
export function detectSpecKind(src: SpecSource): { kind: SpecKind } | { diagnostics: readonly Diagnostic[] } {
  const tree = parseYaml(src.text, src.file);
  if (!tree.ok) return { diagnostics: tree.diagnostics };
  const root = tree.value;
  if (root.kind !== 'map') {
    return {
      diagnostics: [{ code: 'SL-SPEC-KIND', severity: 'error', message: 'a spec file must be a map with one top-level key: arch, workload or mapping', pos: root.pos }],
    };
  }
  const found = root.entries.filter((e) => (KINDS as readonly string[]).includes(e.key));
  if (found.length === 1) return { kind: found[0].key as SpecKind };
  const pos = found.length > 1 ? found[1].keyPos : root.pos;
  const message =
    found.length > 1
      ? `this file has ${found.map((e) => `'${e.key}'`).join(' and ')}; put each spec in its own file`
      : `no top-level 'arch', 'workload' or 'mapping' key (found ${root.entries.map((e) => `'${e.key}'`).join(', ') || 'nothing'})`;
  return { diagnostics: [{ code: 'SL-SPEC-KIND', severity: 'error', message, pos, hint: 'start the file with arch:, workload: or mapping:' }] };
}

function problems(r: { ok: true; warnings: readonly Diagnostic[] } | { ok: false; diagnostics: readonly Diagnostic[] }): readonly Diagnostic[] {
  return r.ok ? r.warnings : r.diagnostics;
}

/** Every problem in every file. Mappings need exactly one valid arch and one valid workload among the files. */
export function validateSpecs(sources: readonly SpecSource[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const arches: Arch[] = [];
  const workloads: Workload[] = [];
  let archFiles = 0;
  let workloadFiles = 0;
  const mappings: SpecSource[] = [];
  for (const src of sources) {
    const k = detectSpecKind(src);
    if ('diagnostics' in k) {
      out.push(...k.diagnostics);
      continue;
    }
    if (k.kind === 'arch') {
      archFiles++;
      const r = parseArch(src.text, src.file);
      out.push(...problems(r));
      if (r.ok) arches.push(r.value);
    } else if (k.kind === 'workload') {
      workloadFiles++;
      const r = parseWorkload(src.text, src.file);
      out.push(...problems(r));
      if (r.ok) workloads.push(r.value);
    } else mappings.push(src);
  }
  for (const m of mappings) {
    if (archFiles !== 1 || workloadFiles !== 1) {
      out.push({
        code: 'SL-MAP-CONTEXT',
        severity: 'error',
        message: `a mapping is checked against one arch and one workload, but ${archFiles} arch and ${workloadFiles} workload files were given`,
        pos: { file: m.file, line: 1, col: 1 },
        hint: `validate it together with its specs: spikeloop validate ARCH WORKLOAD ${m.file}`,
      });
      continue;
    }
    if (arches.length === 0 || workloads.length === 0) continue; // their own errors are reported already
    out.push(...problems(parseMapping(m.text, m.file, arches[0], workloads[0])));
  }
  return out;
}
