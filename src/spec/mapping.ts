/** Native mapping spec (YAML) -> Mapping, checked against the arch and workload. */
import type { Arch } from '../arch/types.ts';
import type { SourcePos } from '../core/diagnostics.ts';
import { fail, ok, type Result } from '../core/result.ts';
import type { LevelMapping, Loop, Mapping, SpatialLoop } from '../mapping/types.ts';
import type { Workload } from '../workload/types.ts';
import { physicalFanout } from '../arch/fanout.ts';
import { specDiagnostic } from './messages.ts';
import { Reader } from './reader.ts';
import { parseYaml, type PNode } from './yaml-source.ts';

/** Loops written as `{T: 4, K: 2}` or `"T4 K2"`, outer to inner. */
function loops(r: Reader, node: PNode | undefined, w: Workload, what: string): Loop[] {
  if (!node) return [];
  const out: Loop[] = [];
  const add = (nameNode: PNode, name: string, factorNode: PNode | undefined, factor: number | undefined): void => {
    const dim = w.dims.indexOf(name);
    if (dim < 0) {
      r.oneOf({ ...nameNode, kind: 'scalar', value: name } as PNode, w.dims, `dimension in ${what}`, 'SL-MAP-UNKNOWN-DIM');
      return;
    }
    const f = factorNode ? r.number(factorNode, `factor of ${name} in ${what}`, { positive: true, integer: true }) : factor;
    if (f !== undefined) out.push({ dim, factor: f });
  };
  if (node.kind === 'map') for (const e of node.entries) add(node, e.key, e.value, undefined);
  else if (node.kind === 'scalar' && typeof node.value === 'string') {
    for (const tok of node.value.split(/[\s,]+/).filter(Boolean)) {
      const m = /^([A-Za-z]+)(\d+)$/.exec(tok);
      if (!m) r.error(node, 'SL-SPEC-TYPE', `'${tok}' in ${what} is not a loop like K4`, 'write loops as "T4 K2" or {T: 4, K: 2}');
      else add(node, m[1], undefined, Number(m[2]));
    }
  } else r.error(node, 'SL-SPEC-TYPE', `${what} must be loops like "T4 K2" or {T: 4, K: 2}`);
  return out;
}

/**
 * Optional `for: { arch: NAME, workload: NAME }`: the arch and workload (by their `name:`) this mapping was written
 * for. The golden test uses it to pair shipped mappings with their specs; a mismatch here is a warning.
 */
function forCheck(r: Reader, node: PNode | undefined, arch: Arch, w: Workload): void {
  const m = node && r.map(node, "the mapping's 'for'");
  if (!m) return;
  r.keys(m, ['arch', 'workload'], "the mapping's 'for'");
  for (const [key, actual] of [['arch', arch.name], ['workload', w.name]] as const) {
    const v = r.get(m, key);
    const named = v && r.string(v, `for ${key}`);
    if (named !== undefined && named !== actual) {
      r.error(v, 'SL-MAP-FOR-MISMATCH', `this mapping is for ${key} '${named}', but it is checked against ${key} '${actual}'`, `pass the ${key} named '${named}', or update 'for:'`);
    }
  }
}

/** The arch and workload names a mapping file declares in `for:` (no validation; for tools that pair files). */
export function mappingTarget(text: string, file: string): { arch?: string; workload?: string } {
  const tree = parseYaml(text, file);
  if (!tree.ok || tree.value.kind !== 'map') return {};
  const f = tree.value.entries.find((e) => e.key === 'for')?.value;
  if (!f || f.kind !== 'map') return {};
  const out: { arch?: string; workload?: string } = {};
  for (const e of f.entries) if ((e.key === 'arch' || e.key === 'workload') && e.value.kind === 'scalar' && typeof e.value.value === 'string') out[e.key] = e.value.value;
  return out;
}

export function parseMapping(text: string, file: string, arch: Arch, w: Workload): Result<{ mapping: Mapping; levelPos: SourcePos[] }> {
  const tree = parseYaml(text, file);
  if (!tree.ok) return tree;
  const r = new Reader();
  const root = r.map(tree.value, 'the mapping file');
  if (root) {
    r.keys(root, ['mapping', 'for', 'description'], 'the mapping file');
    forCheck(r, r.get(root, 'for'), arch, w);
  }
  const list = root && r.required(root, 'mapping', 'the mapping file');
  if (!root || !list) return fail(r.diags);
  if (list.kind !== 'seq') return fail([...r.diags, specDiagnostic('SL-SPEC-TYPE', 'mapping must be a list of level entries, outermost first', list.pos, { path: list.path })]);
  const names = arch.levels.map((l) => l.name);
  const levels: (LevelMapping | undefined)[] = names.map(() => undefined);
  const levelPos: SourcePos[] = names.map(() => list.pos);
  const entryNode: (PNode | undefined)[] = names.map(() => undefined);
  let lastIndex = -1;
  // An entry whose level is unknown is dropped; its loops and keeps are then missing, so the whole-mapping checks
  // below (coverage, homes) would only repeat that one mistake as noise: they are skipped.
  let lostEntry = false;
  for (const item of list.items) {
    const m = r.map(item, 'a mapping entry');
    if (!m) continue;
    r.keys(m, ['level', 'temporal', 'spatial', 'keep', 'bypass'], 'a mapping entry');
    const li = r.oneOf(r.required(m, 'level', 'a mapping entry'), names, 'level', 'SL-MAP-UNKNOWN-LEVEL');
    if (li < 0) {
      lostEntry = true;
      continue;
    }
    if (li <= lastIndex) r.error(m, 'SL-MAP-LEVEL-ORDER', `level ${names[li]} appears out of order or twice`, `list levels outermost first: ${names.join(', ')}`);
    lastIndex = li;
    const temporal = loops(r, r.get(m, 'temporal'), w, `${names[li]} temporal`);
    const spatial: SpatialLoop[] = [];
    const sp = r.get(m, 'spatial');
    if (sp) {
      const sm = r.map(sp, `${names[li]} spatial`);
      if (sm) {
        r.keys(sm, ['X', 'Y'], `${names[li]} spatial`);
        for (const axis of ['Y', 'X'] as const) for (const l of loops(r, r.get(sm, axis), w, `${names[li]} spatial ${axis}`)) spatial.push({ ...l, axis });
        const f = physicalFanout(arch, li);
        for (const axis of ['X', 'Y'] as const) {
          const used = spatial.filter((s) => s.axis === axis).reduce((a, s) => a * s.factor, 1);
          const avail = axis === 'X' ? f.x : f.y;
          if (used > avail) r.error(r.get(sm, axis), 'SL-MAP-FANOUT', `${names[li]} spatial ${axis} factors multiply to ${used}, but it fans out to only ${avail} along ${axis}`, 'reduce the spatial factors or move them to temporal loops');
        }
      }
    }
    const keep = w.tensors.map(() => true);
    const tensorNames = w.tensors.map((t) => t.name);
    for (const key of ['keep', 'bypass'] as const) {
      const n = r.get(m, key);
      if (!n) continue;
      if (n.kind !== 'seq') {
        r.error(n, 'SL-SPEC-TYPE', `${key} must be a list of tensor names`);
        continue;
      }
      if (key === 'keep') keep.fill(false);
      for (const it of n.items) {
        const ti = r.oneOf(it, tensorNames, 'tensor', 'SL-MAP-UNKNOWN-TENSOR');
        if (ti >= 0) keep[ti] = key === 'keep';
      }
    }
    levels[li] = { temporal, spatial, keep };
    levelPos[li] = m.pos;
    entryNode[li] = m;
  }
  const full: LevelMapping[] = levels.map((l) => l ?? { temporal: [], spatial: [], keep: w.tensors.map(() => true) });
  for (let d = 0; d < w.dims.length && !lostEntry; d++) {
    let prod = 1;
    const parts: string[] = [];
    full.forEach((l, i) => {
      for (const x of [...l.temporal, ...l.spatial]) if (x.dim === d) {
        prod *= x.factor;
        parts.push(`${x.factor} at ${names[i]}`);
      }
    });
    if (prod !== w.sizes[d]) {
      const at = entryNode.find((n, i) => n && [...full[i].temporal, ...full[i].spatial].some((x) => x.dim === d)) ?? list;
      r.error(at, 'SL-MAP-FACTOR-PRODUCT', `the factors of ${w.dims[d]} multiply to ${prod}${parts.length ? ` (${parts.join(' x ')})` : ''}, but ${w.dims[d]} = ${w.sizes[d]}`, `make the ${w.dims[d]} factors over all levels multiply to ${w.sizes[d]}`);
    }
  }
  if (!lostEntry) w.tensors.forEach((t, ti) => {
    if (!full.some((l) => l.keep[ti])) r.error(list, 'SL-MAP-NO-HOME', `${t.name} is bypassed at every level and has no home`, `keep ${t.name} at some level (at least the outermost)`);
  });
  if (r.failed) return fail(r.diags);
  return ok({ mapping: { levels: full }, levelPos }, r.diags);
}
