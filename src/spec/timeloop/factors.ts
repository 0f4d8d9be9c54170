/**
 * The two small languages inside a Timeloop mapping directive: `factors: "N=2 K=4 C=1"` (also `N2 K4`, a list of
 * such strings, or a map `{N: 2}`) and `permutation: "CKN"` (one letter per dimension, innermost first; also a list).
 */
import { describeKind, type PNode } from '../yaml-source.ts';
import { msg } from './messages.ts';
import { Diags, numericValue } from './tree.ts';

export interface FactorEntry {
  readonly dim: number;
  /** 0 means "the full dimension" (Timeloop); resolved by the caller. */
  readonly factor: number;
  readonly node: PNode;
}

const TOKEN = /([A-Za-z]+)\s*=*\s*([0-9]+)(,([0-9]+))?/g;

function parseText(d: Diags, text: string, node: PNode, dims: readonly string[], out: FactorEntry[]): void {
  const body = text.split('#')[0];
  const leftover = body.replace(TOKEN, ' ').trim();
  if (leftover.length > 0) {
    d.add(node, msg.factors(text, `unexpected '${leftover.split(/\s+/)[0]}'`));
    return;
  }
  for (const m of body.matchAll(TOKEN)) {
    const dim = dims.indexOf(m[1]);
    if (dim < 0) {
      d.add(node, msg.unknownDim(m[1], `the factors '${text}'`, dims));
      continue;
    }
    if (m[4] !== undefined) {
      d.add(node, msg.unsupported(`the residual factor '${m[0].trim()}' (imperfect factorization)`, 'use factors that divide the dimension'));
      continue;
    }
    out.push({ dim, factor: Number(m[2]), node });
  }
}

/** Factors of one directive, per dimension index; duplicates and unknown dimensions are diagnosed. */
export function readFactors(d: Diags, node: PNode | undefined, dims: readonly string[]): FactorEntry[] {
  const out: FactorEntry[] = [];
  if (!node || (node.kind === 'scalar' && node.value === null)) return out;
  if (node.kind === 'scalar' && typeof node.value === 'string') parseText(d, node.value, node, dims, out);
  else if (node.kind === 'seq') {
    for (const it of node.items) {
      if (it.kind === 'scalar' && typeof it.value === 'string') parseText(d, it.value, it, dims, out);
      else d.add(it, msg.factors(describeKind(it), "each entry must be a string such as 'K=4'"));
    }
  } else if (node.kind === 'map') {
    for (const e of node.entries) {
      const dim = dims.indexOf(e.key);
      const v = numericValue(e.value);
      if (dim < 0) d.add({ pos: e.keyPos, path: [...node.path, e.key] }, msg.unknownDim(e.key, 'the factors', dims));
      else if (v === undefined || !Number.isInteger(v) || v < 0) d.add(e.value, msg.factors(`${e.key}: ${describeKind(e.value)}`, 'a factor must be a whole number'));
      else out.push({ dim, factor: v, node: e.value });
    }
  } else d.add(node, msg.factors(describeKind(node), "write factors as a string such as 'N=2 K=4'"));
  const seen = new Set<number>();
  for (const f of out) {
    if (seen.has(f.dim)) d.add(f.node, msg.factors(dims[f.dim], `${dims[f.dim]} is given twice in one directive`));
    seen.add(f.dim);
  }
  return out;
}

/** Dimension indices in permutation order (innermost first); undefined when it cannot be read. */
export function readPermutation(d: Diags, node: PNode | undefined, dims: readonly string[], level: string): number[] | undefined {
  if (!node || (node.kind === 'scalar' && node.value === null)) return undefined;
  let names: { name: string; node: PNode }[];
  if (node.kind === 'scalar' && typeof node.value === 'string') names = [...node.value.replace(/\s+/g, '')].map((c) => ({ name: c, node }));
  else if (node.kind === 'seq' && node.items.every((i) => i.kind === 'scalar' && i.value !== null)) {
    names = node.items.map((i) => ({ name: String((i as { value: unknown }).value), node: i }));
  } else {
    d.add(node, msg.permutation(level, `expected a string of dimension letters, found ${describeKind(node)}`));
    return undefined;
  }
  const out: number[] = [];
  let bad = false;
  for (const n of names) {
    const dim = dims.indexOf(n.name);
    if (dim < 0) {
      d.add(n.node, msg.unknownDim(n.name, `the permutation at ${level}`, dims));
      bad = true;
    } else if (out.includes(dim)) {
      d.add(n.node, msg.permutation(level, `${n.name} is listed twice`));
      bad = true;
    } else out.push(dim);
  }
  return bad ? undefined : out;
}
