/**
 * Timeloop problem (`problem: {shape: {name, dimensions, coefficients, data-spaces}, instance: {...}}`) -> Workload.
 * - A projection is a list of ranks; a rank is a list of terms; a term is `[Dim]` or `[Dim, Coefficient]`
 *   (coefficient value from `instance`, else its default; a number is accepted too). Also accepted: the flat
 *   form `projection: [K, C]` (one dim per rank) and a rank written as a single term `[P, Hstride]`.
 * - read-write data-spaces are `output` tensors, the others `input` (Timeloop semantics: no SNN roles, every
 *   read-write data-space, an SNN State included, is an ordinary accumulated tensor).
 * - Dimension sizes come from `instance` (from `problem` itself in the older flat style); missing ones are 1.
 */
import { describeKind, type PMap, type PNode } from '../yaml-source.ts';
import type { ProjectionTerm, Tensor, Workload } from '../../workload/types.ts';
import { didYouMean } from '../../core/math.ts';
import { msg } from './messages.ts';
import { asMap, asSeq, bool, Diags, entry, field, num, numericValue, required, str } from './tree.ts';

interface Shape {
  readonly name: string;
  readonly dims: readonly string[];
  readonly coefficients: ReadonlyMap<string, number>;
}

function readDims(d: Diags, shape: PMap): string[] {
  const dims: string[] = [];
  const list = asSeq(d, required(d, shape, 'dimensions', "the problem 'shape'"), "'dimensions'");
  for (const it of list?.items ?? []) {
    const name = str(d, it, 'a dimension name');
    if (name === undefined) continue;
    if (name.length !== 1) d.add(it, msg.unsupported(`the dimension name '${name}' (Timeloop dimension names are one character)`, 'rename it to a single letter'));
    else if (dims.includes(name)) d.add(it, msg.duplicateName('dimension', name));
    else dims.push(name);
  }
  return dims;
}

function readCoefficients(d: Diags, shape: PMap): Map<string, number> {
  const out = new Map<string, number>();
  for (const it of asSeq(d, field(shape, 'coefficients'), "'coefficients'")?.items ?? []) {
    const m = asMap(d, it, 'a coefficient');
    if (!m) continue;
    const name = str(d, required(d, m, 'name', 'a coefficient'), 'a coefficient name');
    const value = num(d, required(d, m, 'default', `the coefficient '${name ?? '?'}'`), `the default of '${name ?? '?'}'`, 'non-negative number');
    if (name === undefined) continue;
    if (out.has(name)) d.add(field(m, 'name'), msg.duplicateName('coefficient', name));
    out.set(name, value ?? 1);
  }
  return out;
}

/** Sizes and coefficient values from the instance map; unknown keys are errors with a did-you-mean. */
function readInstance(d: Diags, inst: PMap, shape: Shape, skip: readonly string[]): { sizes: number[]; coeffs: Map<string, number> } {
  const sizes = shape.dims.map(() => 1);
  const coeffs = new Map(shape.coefficients);
  for (const e of inst.entries) {
    if (skip.includes(e.key)) continue;
    const di = shape.dims.indexOf(e.key);
    if (di >= 0) sizes[di] = num(d, e.value, `the size of ${e.key}`, 'positive integer') ?? 1;
    else if (coeffs.has(e.key)) coeffs.set(e.key, num(d, e.value, `the coefficient ${e.key}`, 'non-negative number') ?? coeffs.get(e.key) ?? 1);
    else if (e.key === 'densities') d.add(e.value, msg.ignored("'densities'", 'spikeloop imports Timeloop problems as dense'));
    else d.add({ pos: e.keyPos, path: [...inst.path, e.key] }, msg.unknownDim(e.key, 'the problem instance', [...shape.dims, ...coeffs.keys()]));
  }
  return { sizes, coeffs };
}

function term(d: Diags, items: readonly PNode[], at: PNode, ds: string, shape: Shape, coeffs: ReadonlyMap<string, number>): ProjectionTerm | undefined {
  if (items.length < 1 || items.length > 2 || items.some((i) => i.kind !== 'scalar')) {
    d.add(at, msg.projection(ds, `a term must be [Dim] or [Dim, Coefficient], found ${describeKind(at)}`));
    return undefined;
  }
  const dimName = str(d, items[0], 'a projection dimension');
  if (dimName === undefined) return undefined;
  const dim = shape.dims.indexOf(dimName);
  if (dim < 0) {
    d.add(items[0], msg.unknownDim(dimName, `the projection of ${ds}`, shape.dims));
    return undefined;
  }
  if (items.length === 1) return { dim, coeff: 1 };
  const c = items[1];
  const asNumber = numericValue(c);
  if (asNumber !== undefined) return { dim, coeff: asNumber };
  const cName = str(d, c, 'a coefficient name');
  if (cName === undefined) return undefined;
  const v = coeffs.get(cName);
  if (v !== undefined) return { dim, coeff: v };
  if (shape.dims.includes(cName)) {
    d.add(c, msg.projection(ds, `[${dimName}, ${cName}] is one term ${dimName} x coefficient '${cName}', and '${cName}' is a dimension`,
      `write [ [${dimName}], [${cName}] ] for ${dimName} + ${cName}`));
    return undefined;
  }
  const g = didYouMean(cName, [...coeffs.keys()]);
  d.add(c, msg.projection(ds, `unknown coefficient '${cName}'`, g ? `did you mean '${g}'?` : "declare it under 'coefficients'"));
  return undefined;
}

function projection(d: Diags, node: PNode, ds: string, shape: Shape, coeffs: ReadonlyMap<string, number>): ProjectionTerm[][] | undefined {
  const ranks = asSeq(d, node, `the projection of ${ds}`);
  if (!ranks) return undefined;
  const out: ProjectionTerm[][] = [];
  let bad = false;
  for (const rank of ranks.items) {
    let terms: (ProjectionTerm | undefined)[];
    if (rank.kind === 'scalar') terms = [term(d, [rank], rank, ds, shape, coeffs)];
    else if (rank.kind === 'seq' && rank.items.every((i) => i.kind === 'scalar')) terms = [term(d, rank.items, rank, ds, shape, coeffs)];
    else if (rank.kind === 'seq') terms = rank.items.map((t) => (t.kind === 'seq' ? term(d, t.items, t, ds, shape, coeffs) : term(d, [t], t, ds, shape, coeffs)));
    else {
      d.add(rank, msg.projection(ds, `a rank must be a list of terms, found ${describeKind(rank)}`));
      terms = [undefined];
    }
    if (terms.length === 0) d.add(rank, msg.projection(ds, 'a rank has no term'));
    if (terms.length === 0 || terms.some((t) => t === undefined)) bad = true;
    else out.push(terms as ProjectionTerm[]);
  }
  return bad ? undefined : out;
}

/** `root` is the value of the top-level `problem` key; `bits` is the word width given to every tensor. */
export function readProblem(d: Diags, root: PNode, bits: number): Workload | undefined {
  const p = asMap(d, root, "'problem'");
  if (!p) return undefined;
  const before = d.errorCount;
  const shapeNode = required(d, p, 'shape', "'problem'");
  if (shapeNode?.kind === 'scalar') {
    d.add(shapeNode, msg.unsupported(`the shape '${String(shapeNode.value)}' given by name (no shape library lookup)`,
      'write the shape inline: shape: {name, dimensions, data-spaces}'));
    return undefined;
  }
  const sm = asMap(d, shapeNode, "the problem 'shape'");
  if (!sm) return undefined;
  if (field(sm, 'flatten')) d.add(field(sm, 'flatten'), msg.unsupported("flattened dimensions ('flatten')"));
  const nameNode = field(sm, 'name');
  const name = (nameNode && str(d, nameNode, 'the shape name')) ?? 'timeloop-problem';
  const shape: Shape = { name, dims: readDims(d, sm), coefficients: readCoefficients(d, sm) };
  if (shape.dims.length === 0) {
    // every later check would only repeat that the dimensions are missing
    if (d.errorCount === before) d.add(sm, msg.missingKey("the problem 'shape'", 'dimensions (at least one)'));
    return undefined;
  }
  const instNode = field(p, 'instance');
  const inst = instNode ? asMap(d, instNode, "the problem 'instance'") : p;
  const { sizes, coeffs } = inst ? readInstance(d, inst, shape, instNode ? [] : ['shape']) : { sizes: shape.dims.map(() => 1), coeffs: new Map(shape.coefficients) };
  const tensors: Tensor[] = [];
  const list = asSeq(d, required(d, sm, 'data-spaces', "the problem 'shape'"), "'data-spaces'");
  for (const it of list?.items ?? []) {
    const m = asMap(d, it, 'a data-space');
    if (!m) continue;
    const dsName = str(d, required(d, m, 'name', 'a data-space'), 'a data-space name');
    const projNode = required(d, m, 'projection', `the data-space '${dsName ?? '?'}'`);
    const rw = bool(d, field(m, 'read_write'), `read-write of '${dsName ?? '?'}'`) ?? false;
    if (dsName === undefined || !projNode) continue;
    if (tensors.some((t) => t.name === dsName)) d.add(entry(m, 'name')?.value, msg.duplicateName('data-space', dsName));
    const proj = projection(d, projNode, dsName, shape, coeffs);
    if (proj) tensors.push({ name: dsName, role: rw ? 'output' : 'input', projection: proj, readWrite: rw, bits, density: 1 });
  }
  if (list && list.items.length === 0) d.add(list, msg.missingKey("the problem 'shape'", 'data-spaces (at least one)'));
  if (d.errorCount > before) return undefined;
  return { name, shape: name, dims: shape.dims, sizes, tensors };
}
