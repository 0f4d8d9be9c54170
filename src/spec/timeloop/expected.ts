/**
 * A reference `expected.json` (numbers Timeloop v3.0.3 printed, see ../shared/reference/timeloop/README.md) ->
 * a compact structure to compare an evaluation with, levels OUTERMOST first like `Evaluation.levels`; and the
 * comparison itself, which returns every mismatch as a readable line. Pure functions over plain data: the
 * evaluation is taken structurally, so this file needs nothing from model/.
 */
import type { Diagnostic } from '../../core/diagnostics.ts';
import { fail, ok, type Result } from '../../core/result.ts';
import { msg } from './messages.ts';

export const EXPECTED_TENSOR_FIELDS = [
  'reads', 'fills', 'updates', 'utilized_capacity', 'partition_size', 'utilized_instances', 'temporal_reductions',
  'multicast', 'spatial_reductions',
] as const;

export type ExpectedTensorField = (typeof EXPECTED_TENSOR_FIELDS)[number];
export type ExpectedTensor = Readonly<Record<ExpectedTensorField, number>>;

export interface ExpectedLevel {
  readonly name: string;
  readonly cycles: number;
  readonly energy_pJ: number;
  /** Only the data-spaces kept at this level (a bypassed one is absent, as in Timeloop's stats). */
  readonly tensors: Readonly<Record<string, ExpectedTensor>>;
}

export interface ExpectedCase {
  readonly name: string;
  readonly cycles: number;
  readonly energy_pJ: number;
  readonly computes: number;
  readonly compute: { readonly name: string; readonly energy_pJ: number; readonly utilized_instances: number };
  /** Outermost (DRAM) first. */
  readonly levels: readonly ExpectedLevel[];
}

type Json = Record<string, unknown>;
const isObj = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x);

export function expectedFromTimeloop(json: unknown): Result<ExpectedCase> {
  const diags: Diagnostic[] = [];
  const bad = (path: string, detail: string): void => {
    const m = msg.expected(path, detail);
    diags.push({ code: m.code, severity: m.severity, message: m.message, hint: m.hint, path: path.split('.') });
  };
  const numAt = (o: Json, key: string, path: string): number => {
    const v = o[key];
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    bad(`${path}.${key}`, `must be a number, found ${JSON.stringify(v)}`);
    return 0;
  };
  if (!isObj(json)) {
    bad('(root)', 'must be an object');
    return fail(diags);
  }
  const arith = isObj(json.arithmetic) ? json.arithmetic : undefined;
  if (!arith) bad('arithmetic', 'is missing');
  if (!Array.isArray(json.levels)) bad('levels', 'must be a list');
  const levels: ExpectedLevel[] = [];
  (Array.isArray(json.levels) ? json.levels : []).forEach((l: unknown, i) => {
    const path = `levels.${i}`;
    if (!isObj(l) || typeof l.name !== 'string' || !isObj(l.dataspaces)) {
      bad(path, 'must have a name and dataspaces');
      return;
    }
    const tensors: Record<string, ExpectedTensor> = {};
    for (const [ds, v] of Object.entries(l.dataspaces)) {
      if (!isObj(v)) {
        bad(`${path}.dataspaces.${ds}`, 'must be an object');
        continue;
      }
      const t = {} as Record<ExpectedTensorField, number>;
      for (const f of EXPECTED_TENSOR_FIELDS) t[f] = numAt(v, f, `${path}.dataspaces.${ds}`);
      tensors[ds] = t;
    }
    levels.push({ name: l.name, cycles: numAt(l, 'cycles', path), energy_pJ: numAt(l, 'energy_pJ', path), tensors });
  });
  const value: ExpectedCase = {
    name: typeof json.case === 'string' ? json.case : 'case',
    cycles: numAt(json, 'cycles', '(root)'),
    energy_pJ: numAt(json, 'energy_pJ', '(root)'),
    computes: numAt(json, 'computes', '(root)'),
    compute: {
      name: typeof arith?.name === 'string' ? arith.name : 'MAC',
      energy_pJ: arith ? numAt(arith, 'energy_pJ', 'arithmetic') : 0,
      utilized_instances: arith ? numAt(arith, 'utilized_instances', 'arithmetic') : 0,
    },
    levels: levels.reverse(),
  };
  return diags.length > 0 ? fail(diags) : ok(value);
}

/** The parts of an evaluation the comparison reads (structurally compatible with model/types.ts `Evaluation`). */
export interface ComparableEvaluation {
  readonly totals: { readonly energy_pJ: number; readonly cycles: number; readonly computes: number };
  readonly levels: readonly {
    readonly name: string;
    readonly energy_pJ: number;
    readonly cycles: number;
    readonly tensors: Readonly<Record<string, Partial<Record<ExpectedTensorField, number>> | undefined>>;
  }[];
}

export interface CompareOptions {
  /** Relative tolerance on total and per-level energy; default 1e-4 (0.01 %). */
  readonly energyRelTol?: number;
  /** Tensor fields compared exactly; default all of EXPECTED_TENSOR_FIELDS. */
  readonly fields?: readonly ExpectedTensorField[];
}

const close = (got: number, want: number, rel: number): boolean => Math.abs(got - want) <= rel * Math.max(Math.abs(want), 1e-9);

/** Every difference between an evaluation and the reference, one line each; empty when they agree. */
export function compareWithExpected(exp: ExpectedCase, got: ComparableEvaluation, options: CompareOptions = {}): string[] {
  const rel = options.energyRelTol ?? 1e-4;
  const fields = options.fields ?? EXPECTED_TENSOR_FIELDS;
  const out: string[] = [];
  if (got.totals.cycles !== exp.cycles) out.push(`cycles: got ${got.totals.cycles}, want ${exp.cycles}`);
  if (got.totals.computes !== exp.computes) out.push(`computes: got ${got.totals.computes}, want ${exp.computes}`);
  if (!close(got.totals.energy_pJ, exp.energy_pJ, rel)) out.push(`energy_pJ: got ${got.totals.energy_pJ}, want ${exp.energy_pJ}`);
  const gotNames = got.levels.map((l) => l.name).join(' > ');
  const wantNames = exp.levels.map((l) => l.name).join(' > ');
  if (gotNames !== wantNames) out.push(`levels: got ${gotNames}, want ${wantNames}`);
  for (const el of exp.levels) {
    const gl = got.levels.find((l) => l.name === el.name);
    if (!gl) continue;
    if (gl.cycles !== el.cycles) out.push(`${el.name}.cycles: got ${gl.cycles}, want ${el.cycles}`);
    if (!close(gl.energy_pJ, el.energy_pJ, rel)) out.push(`${el.name}.energy_pJ: got ${gl.energy_pJ}, want ${el.energy_pJ}`);
    for (const [ds, want] of Object.entries(el.tensors)) {
      const g = gl.tensors[ds];
      for (const f of fields) {
        if (g?.[f] !== want[f]) out.push(`${el.name}.${ds}.${f}: got ${g?.[f]}, want ${want[f]}`);
      }
    }
    for (const [ds, g] of Object.entries(gl.tensors)) {
      if (ds in el.tensors || !g) continue;
      const moved = (g.reads ?? 0) + (g.fills ?? 0) + (g.updates ?? 0);
      if (moved !== 0) out.push(`${el.name}.${ds}: bypassed in the reference, but got ${moved} reads + fills + updates`);
    }
  }
  return out;
}
