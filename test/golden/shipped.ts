/**
 * Discovery, pairing and evaluation of the shipped specs (arch-specs/, workloads/, mappings/), shared by the golden
 * test and `scripts/update-golden.ts`.
 *
 * Kinds: a file's kind is its top-level key (`arch`, `workload`, `mapping`, or anything else other tools define,
 * such as `network`, `tt_network`, `sweep`), refined by `type:` for workloads. Only HANDLED_KINDS are validated and
 * evaluated here; other kinds are reported as skipped. A file whose kind is handled must be valid.
 *
 * Pairing a mapping with its arch and workload (documented in README "Spec files"):
 *   1. `for: { arch: NAME, workload: NAME }` in the mapping file names them by their `name:` fields;
 *   2. otherwise the file name `<arch>-<workload>[-<variant>].yaml`, where `<arch>` and `<workload>` are file stems in
 *      arch-specs/ and workloads/ (the longest matching stem wins, so `fc-snn-x` beats `fc-snn` + variant `x`).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Arch } from '../../src/arch/types.ts';
import type { Diagnostic } from '../../src/core/diagnostics.ts';
import { formatDiagnostic } from '../../src/core/diagnostics.ts';
import type { Result } from '../../src/core/result.ts';
import { evaluate } from '../../src/model/evaluate.ts';
import type { EvalOutcome, Evaluation } from '../../src/model/types.ts';
import { parseArch } from '../../src/spec/arch.ts';
import { mappingTarget, parseMapping } from '../../src/spec/mapping.ts';
import { parseWorkload } from '../../src/spec/workload.ts';
import { parseYaml } from '../../src/spec/yaml-source.ts';
import type { Workload } from '../../src/workload/types.ts';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SPEC_DIRS = ['arch-specs', 'workloads', 'mappings'] as const;
export const EXPECTED_DIR = join(ROOT, 'test', 'golden', 'expected');

/** The kinds this test validates (and, for mappings, evaluates). Anything else is skipped, by name. */
export const HANDLED_KINDS = ['arch', 'mapping', 'workload:snn-conv', 'workload:snn-fc', 'workload:generic'] as const;
export type HandledKind = (typeof HANDLED_KINDS)[number];

export interface SpecFile {
  /** Path relative to the repository root, with `/`. */
  readonly path: string;
  readonly stem: string;
  readonly text: string;
  /** e.g. `arch`, `workload:snn-fc`, `mapping`, `network`; `yaml-error` when the file does not parse. */
  readonly kind: string;
}

export function isHandled(kind: string): kind is HandledKind {
  // A file that does not parse, or a workload without a type, has a known kind but is invalid: it must fail.
  return (HANDLED_KINDS as readonly string[]).includes(kind) || kind === 'yaml-error' || kind === 'workload:?';
}

/** Kind of a spec file from its top-level keys (and the workload's `type:`). */
export function kindOf(text: string, file: string): string {
  const tree = parseYaml(text, file);
  if (!tree.ok) return 'yaml-error';
  if (tree.value.kind !== 'map') return 'not-a-map';
  const keys = tree.value.entries.map((e) => e.key);
  const known = keys.filter((k) => k === 'arch' || k === 'workload' || k === 'mapping');
  if (known.length !== 1) return keys.join('+') || 'empty';
  if (known[0] !== 'workload') return known[0];
  const w = tree.value.entries.find((e) => e.key === 'workload')!.value;
  const type = w.kind === 'map' ? w.entries.find((e) => e.key === 'type')?.value : undefined;
  return `workload:${type && type.kind === 'scalar' ? String(type.value) : '?'}`;
}

/** Every regular file in the spec folders (sorted, so runs are stable). */
export function discover(): SpecFile[] {
  const out: SpecFile[] = [];
  for (const dir of SPEC_DIRS) {
    for (const name of readdirSync(join(ROOT, dir)).sort()) {
      const abs = join(ROOT, dir, name);
      if (!statSync(abs).isFile()) continue;
      const text = readFileSync(abs, 'utf8');
      const path = `${dir}/${name}`;
      out.push({ path, stem: name.replace(/\.ya?ml$/, ''), text, kind: kindOf(text, path) });
    }
  }
  return out;
}

export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problems: string[] };

function checked<T>(r: Result<T>): Checked<T> {
  const ds: readonly Diagnostic[] = r.ok ? r.warnings : r.diagnostics;
  // Shipped specs must be clean: warnings count as problems too.
  if (r.ok && ds.length === 0) return { ok: true, value: r.value };
  return { ok: false, problems: ds.map(formatDiagnostic) };
}

export interface Shipped {
  readonly files: readonly SpecFile[];
  readonly archs: ReadonlyMap<string, Checked<Arch>>;
  readonly workloads: ReadonlyMap<string, Checked<Workload>>;
}

/** Parse every handled arch and workload file. */
export function loadShipped(files: readonly SpecFile[] = discover()): Shipped {
  const archs = new Map<string, Checked<Arch>>();
  const workloads = new Map<string, Checked<Workload>>();
  for (const f of files) {
    if (f.kind === 'arch') archs.set(f.path, checked(parseArch(f.text, f.path)));
    else if (f.kind.startsWith('workload:') && isHandled(f.kind)) workloads.set(f.path, checked(parseWorkload(f.text, f.path)));
  }
  return { files, archs, workloads };
}

/** Validate a non-mapping file alone (arch or workload). */
export function validateAlone(s: Shipped, f: SpecFile): Checked<unknown> {
  if (f.kind === 'yaml-error') {
    const r = parseYaml(f.text, f.path);
    return { ok: false, problems: r.ok ? ['does not parse'] : r.diagnostics.map(formatDiagnostic) };
  }
  return (s.archs.get(f.path) ?? s.workloads.get(f.path)) as Checked<unknown>;
}

export interface Pairing {
  readonly arch?: SpecFile;
  readonly workload?: SpecFile;
  readonly problems: string[];
}

function byName(s: Shipped, key: 'arch' | 'workload', name: string): SpecFile[] {
  const table = key === 'arch' ? s.archs : s.workloads;
  return s.files.filter((f) => {
    const c = table.get(f.path);
    return c?.ok === true && (c.value as { name: string }).name === name;
  });
}

/** The arch and workload a mapping is written for (see the rule at the top of this file). */
export function pairMapping(s: Shipped, m: SpecFile): Pairing {
  const problems: string[] = [];
  const target = mappingTarget(m.text, m.path);
  const archFiles = s.files.filter((f) => f.path.startsWith('arch-specs/') && f.kind === 'arch');
  const workloadFiles = s.files.filter((f) => f.path.startsWith('workloads/') && f.kind.startsWith('workload:'));
  const longest = (cands: SpecFile[], ok: (stem: string) => boolean): SpecFile | undefined =>
    cands.filter((f) => ok(f.stem)).sort((a, b) => b.stem.length - a.stem.length)[0];
  const archByStem = longest(archFiles, (st) => m.stem.startsWith(`${st}-`));
  let arch: SpecFile | undefined;
  if (target.arch !== undefined) {
    const found = byName(s, 'arch', target.arch);
    if (found.length !== 1) problems.push(`for.arch '${target.arch}' matches ${found.length} valid arch files (${found.map((f) => f.path).join(', ') || 'none'})`);
    arch = found[0];
  } else {
    arch = archByStem;
    if (!arch) problems.push(`no file in arch-specs/ whose stem starts the mapping's name (${m.stem}); add 'for: { arch: NAME, workload: NAME }'`);
  }
  let workload: SpecFile | undefined;
  if (target.workload !== undefined) {
    const found = byName(s, 'workload', target.workload);
    if (found.length !== 1) problems.push(`for.workload '${target.workload}' matches ${found.length} valid workload files (${found.map((f) => f.path).join(', ') || 'none'})`);
    workload = found[0];
  } else if (archByStem) {
    const rest = m.stem.slice(archByStem.stem.length + 1);
    workload = longest(workloadFiles, (st) => rest === st || rest.startsWith(`${st}-`));
    if (!workload) problems.push(`no file in workloads/ matches '${rest}' in the mapping's name; add 'for: { arch: NAME, workload: NAME }'`);
  } else problems.push(`cannot find the workload of ${m.stem}: no arch stem starts its name and it has no for.workload`);
  return { arch, workload, problems };
}

export interface MappingRun {
  readonly pairing: Pairing;
  /** Why the mapping cannot be evaluated here (its arch or workload is of a kind this test does not handle). */
  readonly skip?: string;
  readonly problems: string[];
  readonly outcome?: EvalOutcome;
}

export function runMapping(s: Shipped, m: SpecFile): MappingRun {
  const pairing = pairMapping(s, m);
  if (pairing.problems.length > 0 || !pairing.arch || !pairing.workload) return { pairing, problems: pairing.problems };
  if (!isHandled(pairing.workload.kind)) return { pairing, problems: [], skip: `its workload ${pairing.workload.path} is of kind ${pairing.workload.kind}` };
  const a = s.archs.get(pairing.arch.path);
  const w = s.workloads.get(pairing.workload.path);
  if (!a?.ok || !w?.ok) return { pairing, problems: [`its arch or workload is invalid (${pairing.arch.path}, ${pairing.workload.path})`] };
  const pm = checked(parseMapping(m.text, m.path, a.value, w.value));
  if (!pm.ok) return { pairing, problems: pm.problems };
  const outcome = evaluate(a.value, w.value, pm.value.mapping);
  const problems = outcome.status === 'ok' ? [] : [`evaluation is invalid (${outcome.stage}${outcome.level ? ` at ${outcome.level}` : ''}): ${outcome.reason}`];
  return { pairing, problems, outcome };
}

/** The key numbers of an evaluation that the golden files pin down. */
export function goldenOf(m: SpecFile, p: Pairing, e: Evaluation): Record<string, unknown> {
  return {
    mapping: m.path,
    arch: p.arch?.path,
    workload: p.workload?.path,
    totals: { ...e.totals },
    // Leakage + idle energy over the run (part of totals.energy_pJ), when the model reports it.
    ...(e.energy_static_pJ !== undefined ? { energy_static_pJ: e.energy_static_pJ } : {}),
    timing: { cycles: e.timing.cycles, compute_cycles: e.timing.compute_cycles, bottleneck: e.timing.bottleneck },
    compute: Object.fromEntries(Object.entries(e.compute).map(([k, v]) => [k, { count: v.count, energy_pJ: v.energy_pJ }])),
    offchip_bytes_by_tensor: { ...e.offchip_bytes_by_tensor },
    levels: e.levels.map((l) => ({
      name: l.name,
      energy_pJ: l.energy_pJ,
      capacity_used_bits: l.capacity_used_bits,
      tensors: Object.fromEntries(
        Object.entries(l.tensors).map(([t, v]) => [t, { reads: v.reads, fills: v.fills, updates: v.updates, utilized_capacity: v.utilized_capacity, utilized_instances: v.utilized_instances }]),
      ),
    })),
  };
}

export function goldenPath(m: SpecFile): string {
  return join(EXPECTED_DIR, `${basename(m.path).replace(/\.ya?ml$/, '')}.json`);
}

export function goldenText(g: Record<string, unknown>): string {
  return `${JSON.stringify(g, null, 2)}\n`;
}

/**
 * Differences between an expected and an actual golden value, as `path: expected X, got Y` lines. Counts must be
 * equal exactly; energies (keys ending in `energy_pJ`) to a relative 1e-12 (summation order only).
 */
export function diffGolden(expected: unknown, actual: unknown, path = ''): string[] {
  const energy = /energy_pJ$/.test(path);
  if (typeof expected === 'number' && typeof actual === 'number') {
    const same = energy ? Math.abs(expected - actual) <= 1e-12 * Math.max(Math.abs(expected), Math.abs(actual)) : expected === actual;
    return same ? [] : [`${path}: expected ${expected}, got ${actual}`];
  }
  if (expected && actual && typeof expected === 'object' && typeof actual === 'object' && Array.isArray(expected) === Array.isArray(actual)) {
    const keys = [...new Set([...Object.keys(expected), ...Object.keys(actual)])];
    return keys.flatMap((k) => diffGolden((expected as Record<string, unknown>)[k], (actual as Record<string, unknown>)[k], path ? `${path}.${k}` : k));
  }
  return JSON.stringify(expected) === JSON.stringify(actual) ? [] : [`${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
}
