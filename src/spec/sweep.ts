/**
 * Hardware sweep points (YAML, beside an arch: ARCH.sweep.yaml), read by `spikeloop explore --sweep gb_size`:
 *
 *   sweep:
 *     parameter: gb_size                 # the name --sweep uses
 *     level: GlobalBuffer                # the arch level swept
 *     capacity_bytes: [128 * 1024, ...]  # or bandwidth_bits: [...]
 */
import type { Arch } from '../arch/types.ts';
import { fail, ok, type Result } from '../core/result.ts';
import { Reader } from './reader.ts';
import { parseYaml } from './yaml-source.ts';

export const SWEEP_FIELDS = ['capacity_bytes', 'bandwidth_bits'] as const;
export type SweepField = (typeof SWEEP_FIELDS)[number];

export interface SweepSpec {
  readonly parameter: string;
  readonly level: string;
  readonly field: SweepField;
  readonly values: readonly number[];
}

/** Parse a sweep file; with `arch`, its level must be one of the arch's. */
export function parseSweep(text: string, file: string, arch?: Arch): Result<SweepSpec> {
  const tree = parseYaml(text, file);
  if (!tree.ok) return tree;
  const r = new Reader();
  const root = r.map(tree.value, 'the sweep file');
  const s = root && r.map(r.required(root, 'sweep', 'the sweep file'), 'sweep');
  if (!root || !s) return fail(r.diags);
  r.keys(root, ['sweep'], 'the sweep file');
  r.keys(s, ['parameter', 'level', 'description', ...SWEEP_FIELDS], 'sweep');
  const parameter = r.string(r.required(s, 'parameter', 'sweep'), 'parameter') ?? '';
  const levelNode = r.required(s, 'level', 'sweep');
  const level = arch
    ? (arch.levels[r.oneOf(levelNode, arch.levels.map((l) => l.name), 'level', 'SL-SPEC-ENUM')]?.name ?? '')
    : (r.string(levelNode, 'level') ?? '');
  const given = SWEEP_FIELDS.filter((f) => r.get(s, f) !== undefined);
  if (given.length !== 1) {
    r.error(s, 'SL-SPEC-MISSING-KEY', `a sweep gives exactly one list of points (${SWEEP_FIELDS.join(' or ')}), found ${given.length}`, `add ${SWEEP_FIELDS[0]}: [v1, v2, ...]`);
    return fail(r.diags);
  }
  const field = given[0];
  const list = r.get(s, field)!;
  const values: number[] = [];
  if (list.kind !== 'seq' || list.items.length === 0) r.error(list, 'SL-SPEC-TYPE', `${field} must be a non-empty list of numbers`);
  else for (const it of list.items) {
    const v = r.number(it, `a point of ${field}`, { positive: true });
    if (v !== undefined) values.push(v);
  }
  if (r.failed) return fail(r.diags);
  return ok({ parameter, level, field, values }, r.diags);
}
