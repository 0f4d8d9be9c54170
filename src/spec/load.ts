/** Validate a set of native spec files: each file's kind is found from its top-level key; mappings are checked
 * against the arch and workload given alongside them (a mapping only makes sense for one of each). */
import type { Arch } from '../arch/types.ts';
import type { Diagnostic } from '../core/diagnostics.ts';
import type { Workload } from '../workload/types.ts';
import { parseArch } from './arch.ts';
import { parseConstraints } from './constraints.ts';
import { parseMapping } from './mapping.ts';
import { parseNetwork } from './network.ts';
import { unpricedActions } from './pairing.ts';
import { parseNetworkSchedule } from './network-schedule.ts';
import type { Network } from '../workload/network.ts';
import { specDiagnostic } from './messages.ts';
import { parseTtNetwork } from './tt-network.ts';
import { parseWorkload } from './workload.ts';
import { parseYaml } from './yaml-source.ts';

export type SpecKind = 'arch' | 'workload' | 'mapping' | 'network' | 'tt_network' | 'schedule' | 'constraints';

export interface SpecSource {
  readonly file: string;
  readonly text: string;
}

const KINDS: readonly SpecKind[] = ['arch', 'workload', 'mapping', 'network', 'tt_network', 'schedule', 'constraints'];

/** The kind of a spec file (its top-level key), or the diagnostics that say why it has none. */
export function detectSpecKind(src: SpecSource): { kind: SpecKind } | { diagnostics: readonly Diagnostic[] } {
  const tree = parseYaml(src.text, src.file);
  if (!tree.ok) return { diagnostics: tree.diagnostics };
  const root = tree.value;
  if (root.kind !== 'map') {
    return { diagnostics: [specDiagnostic('SL-SPEC-KIND', `a spec file must be a map with one top-level key: ${KINDS.join(', ')}`, root.pos)] };
  }
  const found = root.entries.filter((e) => (KINDS as readonly string[]).includes(e.key));
  if (found.length === 1) return { kind: found[0].key as SpecKind };
  const pos = found.length > 1 ? found[1].keyPos : root.pos;
  const message =
    found.length > 1
      ? `this file has ${found.map((e) => `'${e.key}'`).join(' and ')}; put each spec in its own file`
      : `no top-level key of a spec kind (${KINDS.join(', ')}; found ${root.entries.map((e) => `'${e.key}'`).join(', ') || 'nothing'})`;
  return { diagnostics: [specDiagnostic('SL-SPEC-KIND', message, pos, { hint: 'start the file with arch:, workload:, mapping:, network:, tt_network:, schedule: or constraints:' })] };
}

function problems(r: { ok: true; warnings: readonly Diagnostic[] } | { ok: false; diagnostics: readonly Diagnostic[] }): readonly Diagnostic[] {
  return r.ok ? r.warnings : r.diagnostics;
}

/** Every problem in every file. Mappings need exactly one valid arch and one valid workload among the files. */
export function validateSpecs(sources: readonly SpecSource[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const arches: Arch[] = [];
  const archSources: SpecSource[] = [];
  const workloads: Workload[] = [];
  let archFiles = 0;
  let workloadFiles = 0;
  const mappings: SpecSource[] = [];
  const constraints: SpecSource[] = [];
  const networks: Network[] = [];
  const schedules: SpecSource[] = [];
  let networkFiles = 0;
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
      if (r.ok) {
        arches.push(r.value);
        archSources.push(src);
      }
    } else if (k.kind === 'workload') {
      workloadFiles++;
      const r = parseWorkload(src.text, src.file);
      out.push(...problems(r));
      if (r.ok) workloads.push(r.value);
    } else if (k.kind === 'network') {
      networkFiles++;
      const r = parseNetwork(src.text, src.file);
      out.push(...problems(r));
      if (r.ok) networks.push(r.value);
    } else if (k.kind === 'schedule') {
      schedules.push(src);
    } else if (k.kind === 'tt_network') {
      out.push(...problems(parseTtNetwork(src.text, src.file)));
    } else if (k.kind === 'constraints') {
      constraints.push(src);
    } else mappings.push(src);
  }
  if (arches.length === 1 && workloads.length === 1) out.push(...unpricedActions(arches[0], archSources[0].file, archSources[0].text, workloads[0]));
  for (const m of mappings) {
    if (archFiles !== 1 || workloadFiles !== 1) {
      out.push(
        specDiagnostic('SL-MAP-CONTEXT', `a mapping is checked against one arch and one workload, but ${archFiles} arch and ${workloadFiles} workload files were given`,
          { file: m.file, line: 1, col: 1 }, { hint: `validate it together with its specs: spikeloop validate ARCH WORKLOAD ${m.file}` }),
      );
      continue;
    }
    if (arches.length === 0 || workloads.length === 0) continue; // their own errors are reported already
    out.push(...problems(parseMapping(m.text, m.file, arches[0], workloads[0])));
  }
  // Mapspace constraints, like a mapping, only make sense for one arch and one workload.
  for (const c of constraints) {
    if (archFiles !== 1 || workloadFiles !== 1) {
      out.push(
        specDiagnostic('SL-MAP-CONTEXT', `a constraints file is checked against one arch and one workload, but ${archFiles} arch and ${workloadFiles} workload files were given`,
          { file: c.file, line: 1, col: 1 }, { hint: `validate it together with its specs: spikeloop validate ARCH WORKLOAD ${c.file}` }),
      );
      continue;
    }
    if (arches.length === 0 || workloads.length === 0) continue;
    out.push(...problems(parseConstraints(c.text, c.file, arches[0], workloads[0])));
  }
  // A network schedule is checked against the one network given beside it.
  for (const s of schedules) {
    if (networkFiles !== 1) {
      out.push(
        specDiagnostic('SL-SCHED-CONTEXT', `a schedule is checked against one network, but ${networkFiles} network files were given`,
          { file: s.file, line: 1, col: 1 }, { hint: `validate it together with its network: spikeloop validate NETWORK ${s.file}` }),
      );
      continue;
    }
    if (networks.length === 0) continue; // the network's own errors are reported already
    out.push(...problems(parseNetworkSchedule(s.text, s.file, networks[0])));
  }
  return out;
}
