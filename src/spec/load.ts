/** Validate a set of native spec files: each file's kind is found from its top-level key; mappings are checked
 * against the arch and workload given alongside them (a mapping only makes sense for one of each). */
import type { Arch } from '../arch/types.ts';
import type { Diagnostic, SourcePos } from '../core/diagnostics.ts';
import type { Mapping } from '../mapping/types.ts';
import type { Workload } from '../workload/types.ts';
import { parseArch } from './arch.ts';
import { parseConstraints } from './constraints.ts';
import { mappingTarget, parseMapping } from './mapping.ts';
import { parseNetwork } from './network.ts';
import { unpricedActions } from './pairing.ts';
import { parseNetworkSchedule } from './network-schedule.ts';
import type { Network } from '../workload/network.ts';
import { specDiagnostic } from './messages.ts';
import { parseSweep } from './sweep.ts';
import { parseTtNetwork } from './tt-network.ts';
import { parseWorkload } from './workload.ts';
import { snnConvWorkload } from '../workload/conv.ts';
import { parseYaml } from './yaml-source.ts';

export type SpecKind = 'arch' | 'workload' | 'mapping' | 'network' | 'tt_network' | 'schedule' | 'constraints' | 'sweep';

export interface SpecSource {
  readonly file: string;
  readonly text: string;
}

const KINDS: readonly SpecKind[] = ['arch', 'workload', 'mapping', 'network', 'tt_network', 'schedule', 'constraints', 'sweep'];

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
  return { diagnostics: [specDiagnostic('SL-SPEC-KIND', message, pos, { hint: 'start the file with arch:, workload:, mapping:, network:, tt_network:, schedule:, constraints: or sweep:' })] };
}

function problems(r: { ok: true; warnings: readonly Diagnostic[] } | { ok: false; diagnostics: readonly Diagnostic[] }): readonly Diagnostic[] {
  return r.ok ? r.warnings : r.diagnostics;
}

interface Parsed<T> {
  readonly value: T;
  readonly src: SpecSource;
  /** File name without folder and extension. */
  readonly stem: string;
}

/** A mapping that parsed against its arch and workload (the CLI evaluates it to check capacity and semantics). */
export interface CheckedMapping {
  readonly arch: Arch;
  readonly workload: Workload;
  readonly mapping: Mapping;
  readonly levelPos: readonly SourcePos[];
  readonly src: SpecSource;
}

/**
 * The layer arch-wide constraints are checked against: SNN conv dims of a size every small factor divides (720720 =
 * 2^4 3^2 5 7 11 13), so only names, levels, fan-outs and bounds are checked, not divisibility by a particular layer.
 */
const ANY_SNN_CONV: Workload = snnConvWorkload({ name: 'any SNN conv layer', sizes: { N: 720720, T: 720720, K: 720720, C: 720720, P: 720720, Q: 720720, R: 720720, S: 720720 } });

const stemOf = (file: string): string => file.replace(/^.*[\\/]/, '').replace(/\.ya?ml$/i, '');

/**
 * The arch and workload a mapping (or constraints file) is for, among the ones given: the only ones; or those its
 * `for: { arch, workload }` names; or the ones whose file stems make its name, `<arch>-<workload>[-<variant>]`
 * (the longest stems win). Otherwise a diagnostic that says what is missing.
 */
function pairOf(
  m: SpecSource,
  what: string,
  archs: readonly Parsed<Arch>[],
  workloads: readonly Parsed<Workload>[],
  counts: { archFiles: number; workloadFiles: number },
): { arch: Arch; workload: Workload } | Diagnostic | undefined {
  if (counts.archFiles === 1 && counts.workloadFiles === 1) {
    return archs.length === 1 && workloads.length === 1 ? { arch: archs[0].value, workload: workloads[0].value } : undefined;
  }
  const target = mappingTarget(m.text, m.file);
  const stem = stemOf(m.file);
  if (what === 'a constraints file' && target.workload === undefined) {
    // Arch-wide constraints (for every layer of a network): checked against the arch with a generic SNN conv layer.
    const arch = target.arch !== undefined ? archs.find((a) => a.value.name === target.arch) : archs.find((a) => a.stem === stem);
    if (arch) return { arch: arch.value, workload: ANY_SNN_CONV };
  }
  const longest = <T>(xs: readonly Parsed<T>[], ok: (st: string) => boolean): Parsed<T> | undefined =>
    xs.filter((x) => ok(x.stem)).sort((a, b) => b.stem.length - a.stem.length)[0];
  const arch = target.arch !== undefined ? archs.find((a) => a.value.name === target.arch) : longest(archs, (st) => stem.startsWith(`${st}-`));
  const byStem = longest(archs, (st) => stem.startsWith(`${st}-`));
  const rest = byStem ? stem.slice(byStem.stem.length + 1) : stem;
  const workload =
    target.workload !== undefined
      ? workloads.find((w) => w.value.name === target.workload)
      : longest(workloads, (st) => rest === st || rest.startsWith(`${st}-`));
  if (arch && workload) return { arch: arch.value, workload: workload.value };
  if (archs.length < counts.archFiles || workloads.length < counts.workloadFiles) return undefined; // an invalid spec may be the one
  const missing = [!arch ? 'arch' : undefined, !workload ? 'workload' : undefined].filter(Boolean).join(' and ');
  return specDiagnostic(
    'SL-MAP-CONTEXT',
    `${what} is checked against one arch and one workload; among the ${counts.archFiles} arch and ${counts.workloadFiles} workload files given, none is its ${missing}`,
    { file: m.file, line: 1, col: 1 },
    { hint: `give it 'for: { arch: NAME, workload: NAME }', name it <arch>-<workload>[-variant].yaml, or validate it with its specs only: spikeloop validate ARCH WORKLOAD ${m.file}` },
  );
}

/** Every problem in every file. Mappings and constraints are checked against their arch and workload (pairOf). */
export function validateSpecs(sources: readonly SpecSource[]): Diagnostic[] {
  return checkSpecs(sources).diagnostics;
}

export function checkSpecs(sources: readonly SpecSource[]): { diagnostics: Diagnostic[]; mappings: CheckedMapping[] } {
  const out: Diagnostic[] = [];
  const checked: CheckedMapping[] = [];
  const archs: Parsed<Arch>[] = [];
  const workloads: Parsed<Workload>[] = [];
  const counts = { archFiles: 0, workloadFiles: 0 };
  const mappings: SpecSource[] = [];
  const constraints: SpecSource[] = [];
  const sweeps: SpecSource[] = [];
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
      counts.archFiles++;
      const r = parseArch(src.text, src.file);
      out.push(...problems(r));
      if (r.ok) archs.push({ value: r.value, src, stem: stemOf(src.file) });
    } else if (k.kind === 'workload') {
      counts.workloadFiles++;
      const r = parseWorkload(src.text, src.file);
      out.push(...problems(r));
      if (r.ok) workloads.push({ value: r.value, src, stem: stemOf(src.file) });
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
    } else if (k.kind === 'sweep') {
      sweeps.push(src);
    } else mappings.push(src);
  }
  if (archs.length === 1 && workloads.length === 1) out.push(...unpricedActions(archs[0].value, archs[0].src.file, archs[0].src.text, workloads[0].value));
  for (const m of mappings) {
    const pair = pairOf(m, 'a mapping', archs, workloads, counts);
    if (!pair) continue; // its arch or workload has errors of its own, reported already
    if ('code' in pair) {
      out.push(pair);
      continue;
    }
    const r = parseMapping(m.text, m.file, pair.arch, pair.workload);
    out.push(...problems(r));
    if (r.ok) checked.push({ arch: pair.arch, workload: pair.workload, mapping: r.value.mapping, levelPos: r.value.levelPos, src: m });
  }
  for (const c of constraints) {
    const pair = pairOf(c, 'a constraints file', archs, workloads, counts);
    if (!pair) continue;
    if ('code' in pair) {
      out.push(pair);
      continue;
    }
    out.push(...problems(parseConstraints(c.text, c.file, pair.arch, pair.workload)));
  }
  // Sweep points: their level is checked against the arch when exactly one is given.
  for (const sw of sweeps) out.push(...problems(parseSweep(sw.text, sw.file, archs.length === 1 && counts.archFiles === 1 ? archs[0].value : undefined)));
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
  return { diagnostics: out, mappings: checked };
}
