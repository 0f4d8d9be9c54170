/**
 * Timeloop mapping (`mapping: [directives]`) -> Mapping, following Timeloop v3's `mapping/parser.cpp`:
 * - `permutation` lists loops INNERMOST first; dimensions it leaves out are appended after the listed ones, in
 *   problem order, i.e. they become the OUTERMOST loops of that level (Timeloop pads the same way). A missing
 *   factor is 1. Our `temporal` is outermost first, so the permutation is reversed; factor-1 loops are dropped.
 * - spatial: the first `split` dimensions of the (padded) spatial permutation are on X, the rest on Y (default:
 *   all on X). X loops are inner to Y loops, so `spatial` (outermost first) lists the Y loops, then the X loops,
 *   each in reversed permutation order. A spatial directive describes the fan-out from its target level to the
 *   instances below it.
 * - `datatype`/`bypass` directives keep or bypass data-spaces; a level without one keeps everything.
 * - a target is a level name, or a number counted from the innermost storage level (0), as in Timeloop.
 */
import type { SourcePos } from '../../core/diagnostics.ts';
import type { Arch } from '../../arch/types.ts';
import type { LevelMapping, Loop, Mapping, SpatialLoop } from '../../mapping/types.ts';
import type { Workload } from '../../workload/types.ts';
import { didYouMean } from '../../core/math.ts';
import type { PMap, PNode } from '../yaml-source.ts';
import { readFactors, readPermutation, type FactorEntry } from './factors.ts';
import { msg } from './messages.ts';
import { parseRangeName } from './names.ts';
import { asMap, asSeq, Diags, entry, field, nameList, num, required, str } from './tree.ts';

interface LoopPlan {
  readonly factors: readonly FactorEntry[];
  readonly perm: readonly number[] | undefined;
  readonly split?: number;
  readonly node: PMap;
}

interface LevelPlan {
  temporal?: LoopPlan;
  spatial?: LoopPlan;
  keep: (boolean | undefined)[];
  keepNode: (PNode | undefined)[];
  pos?: SourcePos;
}

const KEYS: Readonly<Record<string, readonly string[]>> = {
  temporal: ['target', 'name', 'type', 'factors', 'permutation'],
  spatial: ['target', 'name', 'type', 'factors', 'permutation', 'split'],
  datatype: ['target', 'name', 'type', 'keep', 'bypass'],
};
const UNSUPPORTED_KEYS = ['no_link_transfer', 'no_multicast_no_reduction', 'no_temporal_reuse', 'rmw_on_first_writeback', 'passthrough'];
const ALL_KEYS = [...new Set(Object.values(KEYS).flat())];

function targetLevel(d: Diags, m: PMap, names: readonly string[]): number | undefined {
  const node = field(m, 'target') ?? field(m, 'name');
  if (!node) {
    d.add(m, msg.missingKey('a mapping directive', 'target'));
    return undefined;
  }
  if (node.kind === 'scalar' && typeof node.value === 'number') {
    const id = node.value;
    if (Number.isInteger(id) && id >= 0 && id < names.length) return names.length - 1 - id;
    d.add(node, msg.unknownLevel(String(id), names));
    return undefined;
  }
  const raw = str(d, node, 'a target level');
  if (raw === undefined) return undefined;
  const r = parseRangeName(raw);
  const li = names.indexOf('error' in r ? raw : r.base);
  if (li < 0) d.add(node, msg.unknownLevel(raw, names));
  return li < 0 ? undefined : li;
}

function checkKeys(d: Diags, m: PMap, type: string): void {
  const allowed = KEYS[type];
  for (const e of m.entries) {
    const k = e.key.replace(/-/g, '_');
    const at = { pos: e.keyPos, path: [...m.path, e.key] };
    if (allowed.includes(k)) continue;
    const nonEmpty = !(e.value.kind === 'seq' && e.value.items.length === 0) && !(e.value.kind === 'scalar' && e.value.value === null);
    if (UNSUPPORTED_KEYS.includes(k)) {
      if (nonEmpty) d.add(at, msg.unsupported(`the mapping option '${e.key}'`, 'remove it; spikeloop models the default behaviour'));
    } else if (ALL_KEYS.includes(k)) {
      d.add(at, msg.ignored(`'${e.key}' in a ${type} directive`, `Timeloop reads it only in ${Object.keys(KEYS).filter((t) => KEYS[t].includes(k)).join(' or ')} directives`));
    } else {
      const g = didYouMean(e.key, allowed);
      d.add(at, msg.ignored(`the unknown key '${e.key}'`, g ? `did you mean '${g}'?` : `a ${type} directive reads ${allowed.join(', ')}`));
    }
  }
}

function readKeep(d: Diags, m: PMap, plan: LevelPlan, level: string, w: Workload): void {
  const names = w.tensors.map((t) => t.name);
  for (const [key, value] of [['keep', true], ['bypass', false]] as const) {
    for (const { name, node } of nameList(d, field(m, key), `'${key}'`)) {
      const ti = names.indexOf(name);
      if (ti < 0) {
        d.add(node, msg.unknownDataspace(name, names));
        continue;
      }
      if (plan.keep[ti] !== undefined && plan.keep[ti] !== value) {
        d.add(node, msg.keepBypass(name, level, 'it is both kept and bypassed'));
      }
      plan.keep[ti] = value;
      plan.keepNode[ti] = node;
    }
  }
}

function loops(plan: LoopPlan | undefined, w: Workload): { dim: number; factor: number; index: number }[] {
  const factor = w.dims.map(() => 1);
  for (const f of plan?.factors ?? []) factor[f.dim] = f.factor === 0 ? w.sizes[f.dim] : f.factor;
  const perm = [...(plan?.perm ?? [])];
  for (let dim = 0; dim < w.dims.length; dim++) if (!perm.includes(dim)) perm.push(dim);
  return perm.map((dim, index) => ({ dim, factor: factor[dim], index }));
}

function padWarning(d: Diags, plan: LoopPlan | undefined, level: string, w: Workload): void {
  if (!plan?.perm) return;
  const missing = plan.factors.filter((f) => !plan.perm?.includes(f.dim) && f.factor !== 1 && w.sizes[f.dim] > 1);
  if (missing.length > 0) d.add(field(plan.node, 'permutation'), msg.permutationPad(level, missing.map((f) => w.dims[f.dim])));
}

function directive(d: Diags, item: PNode, plans: LevelPlan[], arch: Arch, w: Workload): void {
  const m = asMap(d, item, 'a mapping directive');
  if (!m) return;
  const names = arch.levels.map((l) => l.name);
  const type = str(d, required(d, m, 'type', 'a mapping directive'), 'the directive type');
  const li = targetLevel(d, m, names);
  if (type === undefined) return;
  const kind = type === 'bypass' || type === 'bypassing' ? 'datatype' : type;
  if (kind === 'skew') {
    d.add(field(m, 'type'), msg.unsupported("'skew' directives"));
    return;
  }
  if (!KEYS[kind]) {
    d.add(field(m, 'type'), msg.unknownType(type));
    return;
  }
  checkKeys(d, m, kind);
  if (li === undefined) return;
  const plan = plans[li];
  plan.pos ??= m.pos;
  const level = names[li];
  if (kind === 'datatype') {
    readKeep(d, m, plan, level, w);
    return;
  }
  const factors = readFactors(d, field(m, 'factors'), w.dims);
  for (const f of factors) if (f.factor === 0) d.add(f.node, msg.factorZero(w.dims[f.dim], w.sizes[f.dim]));
  const perm = readPermutation(d, field(m, 'permutation'), w.dims, level);
  const lp: LoopPlan = { factors, perm, node: m };
  if (kind === 'temporal') {
    if (plan.temporal) d.add(m, msg.duplicateDirective(level, 'temporal'));
    plan.temporal = lp;
    return;
  }
  const split = num(d, field(m, 'split'), 'split', 'non-negative integer');
  if (plan.spatial) d.add(m, msg.duplicateDirective(level, 'spatial'));
  plan.spatial = { ...lp, split };
  const child = arch.levels[li + 1] ?? arch.compute;
  const fanout = child.instances / arch.levels[li].instances;
  if (fanout <= 1 && factors.some((f) => (f.factor === 0 ? w.sizes[f.dim] : f.factor) > 1)) {
    d.add(entry(m, 'factors')?.value ?? m, msg.noFanout(level, child.name, child.instances));
  }
}

function levelMapping(d: Diags, plan: LevelPlan, level: string, w: Workload): LevelMapping {
  padWarning(d, plan.temporal, level, w);
  padWarning(d, plan.spatial, level, w);
  const temporal: Loop[] = loops(plan.temporal, w)
    .reverse()
    .filter((l) => l.factor !== 1)
    .map(({ dim, factor }) => ({ dim, factor }));
  const split = plan.spatial?.split ?? w.dims.length;
  const spatial: SpatialLoop[] = loops(plan.spatial, w)
    .reverse()
    .filter((l) => l.factor !== 1)
    .map(({ dim, factor, index }) => ({ dim, factor, axis: index < split ? 'X' : 'Y' }));
  return { temporal, spatial, keep: plan.keep.map((k) => k ?? true) };
}

/** `root` is the value of the top-level `mapping` key (or the bare list). */
export function readMapping(d: Diags, root: PNode, arch: Arch, w: Workload): { mapping: Mapping; levelPos: SourcePos[] } | undefined {
  const list = asSeq(d, root, "'mapping'");
  if (!list) return undefined;
  const before = d.errorCount;
  const plans: LevelPlan[] = arch.levels.map(() => ({ keep: w.tensors.map(() => undefined), keepNode: w.tensors.map(() => undefined) }));
  for (const item of list.items) directive(d, item, plans, arch, w);
  const levels = plans.map((p, li) => levelMapping(d, p, arch.levels[li].name, w));
  plans[0].keep.forEach((k, ti) => {
    if (k === false) d.add(plans[0].keepNode[ti], msg.keepBypass(w.tensors[ti].name, arch.levels[0].name, 'the outermost level must keep every data-space'));
  });
  if (d.errorCount === before) {
    for (let dim = 0; dim < w.dims.length; dim++) {
      let product = 1;
      for (const l of levels) for (const x of [...l.temporal, ...l.spatial]) if (x.dim === dim) product *= x.factor;
      if (product === w.sizes[dim]) continue;
      // Point at the first factor of this dimension other than 1 (else at its first mention).
      const mentions = plans.flatMap((p) => [p.temporal, p.spatial]).flatMap((p) => p?.factors.filter((f) => f.dim === dim) ?? []);
      const at = mentions.find((f) => f.factor !== 1) ?? mentions[0];
      d.add(at?.node ?? list, msg.factorProduct(w.dims[dim], product, w.sizes[dim]));
    }
  }
  if (d.errorCount > before) return undefined;
  return { mapping: { levels }, levelPos: plans.map((p) => p.pos ?? list.pos) };
}
