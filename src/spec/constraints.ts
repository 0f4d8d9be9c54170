/**
 * Mapspace constraints (YAML) -> dense per-level restrictions, checked against the arch and workload, every problem
 * reported with its position. The result has the shape of `SearchConstraints` (search/types.ts; spec/ may not import
 * search/, so the shape is repeated here and checked structurally where the CLI passes it on).
 *
 *   constraints:
 *     name: weight-stationary
 *     min_utilization: 0.5              # fraction of the compute instances the spatial fan-out must use
 *     levels:
 *       - level: RegisterFile
 *         temporal: { K: 1, C: 1 }      # a number fixes a factor; {min, max} bounds it
 *         spatial: { X: { C: { max: 14 } }, Y: { K: 4 } }
 *         order: "C K"                  # these dims' non-unit loops keep this relative order (outer to inner)
 *         keep: [Weights]               # forced keep; `bypass` forces bypass; unlisted tensors stay free
 */
import type { Arch } from '../arch/types.ts';
import { physicalFanout } from '../arch/fanout.ts';
import { fail, ok, type Result } from '../core/result.ts';
import type { Workload } from '../workload/types.ts';
import { Reader } from './reader.ts';
import { parseYaml, type PNode } from './yaml-source.ts';

export interface FactorBoundSpec {
  readonly fixed?: number;
  readonly min?: number;
  readonly max?: number;
}

export interface LevelConstraintSpec {
  readonly temporal: readonly (FactorBoundSpec | undefined)[];
  readonly spatialX: readonly (FactorBoundSpec | undefined)[];
  readonly spatialY: readonly (FactorBoundSpec | undefined)[];
  readonly order: readonly number[];
  readonly keep: readonly (boolean | undefined)[];
}

export interface ConstraintsSpec {
  readonly name: string;
  readonly levels: readonly LevelConstraintSpec[];
  readonly minUtilization: number;
}

export const CONSTRAINT_CODES = {
  factor: 'SL-CON-FACTOR',
  bounds: 'SL-CON-BOUNDS',
  order: 'SL-CON-ORDER',
  keep: 'SL-CON-KEEP',
  utilization: 'SL-CON-UTILIZATION',
  fanout: 'SL-CON-FANOUT',
  time: 'SL-CON-TIME',
  level: 'SL-CON-UNKNOWN-LEVEL',
  dim: 'SL-CON-UNKNOWN-DIM',
  tensor: 'SL-CON-UNKNOWN-TENSOR',
} as const;

/** Where each dim's bound was written (for checks across levels). */
type Nodes = (PNode | undefined)[];

function factors(r: Reader, node: PNode | undefined, w: Workload, what: string, cap: number | undefined, nodes: Nodes = []): (FactorBoundSpec | undefined)[] {
  const out: (FactorBoundSpec | undefined)[] = w.dims.map(() => undefined);
  const m = r.map(node, what);
  if (!m) return out;
  for (const e of m.entries) {
    const d = r.oneOf({ ...m, kind: 'scalar', value: e.key, pos: e.keyPos } as PNode, w.dims, `dimension in ${what}`, CONSTRAINT_CODES.dim);
    if (d < 0) continue;
    const size = w.sizes[d];
    let b: FactorBoundSpec | undefined;
    if (e.value.kind === 'map') {
      r.keys(e.value, ['min', 'max'], `the bounds of ${e.key} in ${what}`);
      const min = r.number(r.get(e.value, 'min'), `min of ${e.key} in ${what}`, { positive: true, integer: true });
      const max = r.number(r.get(e.value, 'max'), `max of ${e.key} in ${what}`, { positive: true, integer: true });
      if (min !== undefined && max !== undefined && min > max) r.error(e.value, CONSTRAINT_CODES.bounds, `the bounds of ${e.key} in ${what} are empty: min ${min} > max ${max}`, 'make min <= max');
      else if (min !== undefined && min > size) r.error(e.value, CONSTRAINT_CODES.bounds, `min ${min} of ${e.key} in ${what} is larger than ${e.key} = ${size}`, `use a min <= ${size}`);
      else if (min !== undefined && cap !== undefined && min > cap) r.error(e.value, CONSTRAINT_CODES.fanout, `min ${min} of ${e.key} in ${what} exceeds the fan-out ${cap}`, `use a min of at most ${cap}`);
      b = { min, max };
    } else {
      const f = r.number(e.value, `factor of ${e.key} in ${what}`, { positive: true, integer: true });
      if (f === undefined) continue;
      if (size % f !== 0) {
        r.error(e.value, CONSTRAINT_CODES.factor, `factor ${f} of ${e.key} in ${what} does not divide ${e.key} = ${size}`, `use a divisor of ${size}`);
        continue;
      }
      if (cap !== undefined && f > cap) {
        r.error(e.value, CONSTRAINT_CODES.fanout, `spatial factor ${f} of ${e.key} in ${what} exceeds the fan-out ${cap}`, `use at most ${cap}`);
        continue;
      }
      b = { fixed: f };
    }
    out[d] = b;
    nodes[d] = e.value;
  }
  return out;
}

/**
 * Checks across levels: the fixed factors and minimums of a dim, over every level and axis, must fit in its size
 * (reported at the entry that goes over), and a stateful layer's T cannot be spatial.
 */
function crossChecks(r: Reader, w: Workload, levels: readonly LevelConstraintSpec[], nodes: readonly { temporal: Nodes; spatialX: Nodes; spatialY: Nodes }[], names: readonly string[]): void {
  const statefulT = w.snn && !w.snn.stateless ? w.snn.timeDim : -1;
  for (let d = 0; d < w.dims.length; d++) {
    let fixed = 1;
    let mins = 1;
    let reported = false;
    const parts: string[] = [];
    for (let l = 0; l < levels.length && !reported; l++) {
      for (const kind of ['temporal', 'spatialX', 'spatialY'] as const) {
        const b = levels[l][kind][d];
        const node = nodes[l][kind][d];
        if (!node || !b) continue;
        const min = b.fixed ?? b.min ?? 1;
        const where = `${names[l]} ${kind === 'temporal' ? 'temporal' : `spatial ${kind === 'spatialX' ? 'X' : 'Y'}`}`;
        if (d === statefulT && kind !== 'temporal' && min > 1) {
          r.error(node, CONSTRAINT_CODES.time, `${where} asks for a spatial split of ${w.dims[d]} by ${min}, but the timesteps of a stateful neuron run in order (each starts from the previous membrane potential)`, `split ${w.dims[d]} temporally, or declare the layer stateless`);
          continue;
        }
        if (min <= 1) continue;
        if (b.fixed !== undefined) fixed *= b.fixed;
        else mins *= min;
        parts.push(`${b.fixed !== undefined ? '' : '>= '}${min} at ${where}`);
        if (w.sizes[d] % fixed !== 0 || fixed * mins > w.sizes[d]) {
          r.error(node, CONSTRAINT_CODES.bounds, `the factors of ${w.dims[d]} asked for (${parts.join(', ')}) need ${fixed * mins}${w.sizes[d] % fixed !== 0 ? ` (fixed ones ${fixed}, not a divisor)` : ''}, but ${w.dims[d]} = ${w.sizes[d]}`, `make the fixed factors and minimums of ${w.dims[d]} over all levels fit ${w.sizes[d]}`);
          reported = true;
          break;
        }
      }
    }
  }
}

export function parseConstraints(text: string, file: string, arch: Arch, w: Workload): Result<ConstraintsSpec> {
  const tree = parseYaml(text, file);
  if (!tree.ok) return tree;
  const r = new Reader();
  const root = r.map(tree.value, 'the constraints file');
  const c = root && r.map(r.required(root, 'constraints', 'the constraints file'), 'constraints');
  if (!root || !c) return fail(r.diags);
  r.keys(root, ['constraints', 'for'], 'the constraints file');
  r.keys(c, ['name', 'min_utilization', 'levels'], 'constraints');
  const name = r.string(r.get(c, 'name'), 'name') ?? file;
  let minUtilization = 0;
  const un = r.get(c, 'min_utilization');
  const u = r.number(un, 'min_utilization', { min: 0 });
  if (u !== undefined && u > 1) r.error(un, CONSTRAINT_CODES.utilization, `min_utilization is a fraction of the compute instances, found ${u}`, 'use a value between 0 and 1, e.g. 0.5');
  else if (u !== undefined) minUtilization = u;
  const names = arch.levels.map((l) => l.name);
  const tensorNames = w.tensors.map((t) => t.name);
  const free = <T>(n: number): (T | undefined)[] => new Array<T | undefined>(n).fill(undefined);
  const levels: LevelConstraintSpec[] = names.map(() => ({ temporal: free(w.dims.length), spatialX: free(w.dims.length), spatialY: free(w.dims.length), order: [], keep: free(tensorNames.length) }));
  const seen = new Set<number>();
  const nodes = names.map(() => ({ temporal: [] as Nodes, spatialX: [] as Nodes, spatialY: [] as Nodes }));
  const ln = r.get(c, 'levels');
  if (ln && ln.kind !== 'seq') r.error(ln, 'SL-SPEC-TYPE', 'levels must be a list of level entries');
  for (const item of ln?.kind === 'seq' ? ln.items : []) {
    const m = r.map(item, 'a constraints level entry');
    if (!m) continue;
    r.keys(m, ['level', 'temporal', 'spatial', 'order', 'keep', 'bypass'], 'a constraints level entry');
    const li = r.oneOf(r.required(m, 'level', 'a constraints level entry'), names, 'level', CONSTRAINT_CODES.level);
    if (li < 0) continue;
    if (seen.has(li)) r.error(m, CONSTRAINT_CODES.level, `level ${names[li]} is constrained twice`, 'merge the two entries');
    seen.add(li);
    const lv = names[li];
    const fan = physicalFanout(arch, li);
    const temporal = factors(r, r.get(m, 'temporal'), w, `${lv} temporal`, undefined, nodes[li].temporal);
    let spatialX = free<FactorBoundSpec>(w.dims.length);
    let spatialY = free<FactorBoundSpec>(w.dims.length);
    const sp = r.map(r.get(m, 'spatial'), `${lv} spatial`);
    if (sp) {
      r.keys(sp, ['X', 'Y'], `${lv} spatial`);
      spatialX = factors(r, r.get(sp, 'X'), w, `${lv} spatial X`, fan.x, nodes[li].spatialX);
      spatialY = factors(r, r.get(sp, 'Y'), w, `${lv} spatial Y`, fan.y, nodes[li].spatialY);
    }
    const order: number[] = [];
    const on = r.get(m, 'order');
    if (on) {
      const toks = on.kind === 'scalar' && typeof on.value === 'string' ? on.value.split(/[\s,]+/).filter(Boolean) : on.kind === 'seq' ? on.items.map((i) => (i.kind === 'scalar' ? String(i.value) : '')) : undefined;
      if (!toks) r.error(on, 'SL-SPEC-TYPE', `${lv} order must be dims outer to inner, like "C K" or [C, K]`);
      for (const tok of toks ?? []) {
        const d = w.dims.indexOf(tok);
        if (d < 0) r.oneOf({ ...on, kind: 'scalar', value: tok } as PNode, w.dims, `dimension in ${lv} order`, CONSTRAINT_CODES.dim);
        else if (order.includes(d)) r.error(on, CONSTRAINT_CODES.order, `${tok} appears twice in ${lv} order`, 'list each dim once');
        else order.push(d);
      }
    }
    const keep = free<boolean>(tensorNames.length);
    for (const key of ['keep', 'bypass'] as const) {
      const n = r.get(m, key);
      if (!n) continue;
      if (n.kind !== 'seq') {
        r.error(n, 'SL-SPEC-TYPE', `${key} must be a list of tensor names`);
        continue;
      }
      for (const it of n.items) {
        const ti = r.oneOf(it, tensorNames, 'tensor', CONSTRAINT_CODES.tensor);
        if (ti < 0) continue;
        if (keep[ti] !== undefined && keep[ti] !== (key === 'keep')) r.error(it, CONSTRAINT_CODES.keep, `${tensorNames[ti]} is both kept and bypassed at ${lv}`, 'list it under keep or bypass, not both');
        keep[ti] = key === 'keep';
      }
    }
    levels[li] = { temporal, spatialX, spatialY, order, keep };
  }
  if (r.diags.length === 0) crossChecks(r, w, levels, nodes, names);
  if (r.diags.length > 0) return fail(r.diags);
  return ok({ name, levels, minUtilization });
}
