/**
 * Typed access to the positioned YAML tree for the Timeloop importer. Keys are matched the way Timeloop v3 reads
 * them: hyphens and underscores are interchangeable (`read-bandwidth` = `read_bandwidth`). Every problem becomes a
 * diagnostic at the node it concerns; nothing throws.
 */
import type { Diagnostic, SourcePos } from '../../core/diagnostics.ts';
import { describeKind, type PMap, type PNode, type PSeq } from '../yaml-source.ts';
import { msg, type Message } from './messages.ts';

/** Anything with a position: a node, or a key of a mapping. */
export interface Located {
  readonly pos: SourcePos;
  readonly path?: readonly (string | number)[];
}

export class Diags {
  readonly list: Diagnostic[] = [];

  add(at: Located | undefined, m: Message): void {
    this.list.push({ code: m.code, severity: m.severity, message: m.message, pos: at?.pos, path: at?.path, hint: m.hint });
  }

  get errorCount(): number {
    return this.list.filter((d) => d.severity === 'error').length;
  }
}

const norm = (k: string): string => k.replace(/-/g, '_');

export interface Entry {
  readonly key: string;
  readonly keyPos: SourcePos;
  readonly value: PNode;
}

/** The first entry whose key matches one of `names` (hyphen/underscore-insensitive). */
export function entry(m: PMap, ...names: string[]): Entry | undefined {
  const wanted = names.map(norm);
  for (const n of wanted) {
    const e = m.entries.find((x) => norm(x.key) === n);
    if (e) return e;
  }
  return undefined;
}

export function field(m: PMap, ...names: string[]): PNode | undefined {
  return entry(m, ...names)?.value;
}

export function hasKey(m: PMap, ...names: string[]): boolean {
  return entry(m, ...names) !== undefined;
}

export const isNull = (n: PNode | undefined): boolean => n !== undefined && n.kind === 'scalar' && n.value === null;

/** A required entry; a missing key or an empty value is reported at the mapping. */
export function required(d: Diags, m: PMap, key: string, what: string): PNode | undefined {
  const v = field(m, key);
  if (v === undefined || isNull(v)) {
    d.add(m, msg.missingKey(what, key));
    return undefined;
  }
  return v;
}

export function asMap(d: Diags, n: PNode | undefined, what: string): PMap | undefined {
  if (!n) return undefined;
  if (n.kind === 'map') return n;
  d.add(n, msg.type(what, 'a mapping (key: value lines)', describeKind(n)));
  return undefined;
}

/** A list; an empty value (`key:` with nothing after it) is read as an empty list. */
export function asSeq(d: Diags, n: PNode | undefined, what: string): PSeq | undefined {
  if (!n) return undefined;
  if (n.kind === 'seq') return n;
  if (isNull(n)) return { kind: 'seq', pos: n.pos, path: n.path, items: [] };
  d.add(n, msg.type(what, 'a list', describeKind(n)));
  return undefined;
}

/** A name: a string or a number scalar. */
export function str(d: Diags, n: PNode | undefined, what: string): string | undefined {
  if (!n) return undefined;
  if (n.kind === 'scalar' && (typeof n.value === 'string' || typeof n.value === 'number')) return String(n.value);
  d.add(n, msg.type(what, 'a name', describeKind(n)));
  return undefined;
}

export type NumberRule = 'positive integer' | 'non-negative integer' | 'positive number' | 'non-negative number';

/** The value of a numeric scalar (a number, or a string holding one), or undefined when it is not numeric. */
export function numericValue(n: PNode): number | undefined {
  if (n.kind !== 'scalar') return undefined;
  if (typeof n.value === 'number') return n.value;
  if (typeof n.value === 'string' && /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(n.value)) return Number(n.value);
  return undefined;
}

export function num(d: Diags, n: PNode | undefined, what: string, rule: NumberRule): number | undefined {
  if (!n) return undefined;
  const v = numericValue(n);
  const okRule =
    v !== undefined &&
    Number.isFinite(v) &&
    (rule.startsWith('positive') ? v > 0 : v >= 0) &&
    (!rule.endsWith('integer') || Number.isInteger(v));
  if (!okRule) {
    d.add(n, msg.number(what, describeKind(n), `a ${rule}`));
    return undefined;
  }
  return v;
}

export function bool(d: Diags, n: PNode | undefined, what: string): boolean | undefined {
  if (!n) return undefined;
  if (n.kind === 'scalar' && typeof n.value === 'boolean') return n.value;
  if (n.kind === 'scalar' && typeof n.value === 'string') {
    const s = n.value.toLowerCase();
    if (s === 'true' || s === 'yes') return true;
    if (s === 'false' || s === 'no') return false;
  }
  d.add(n, msg.type(what, 'true or false', describeKind(n)));
  return undefined;
}

/** A list of names (`[Weights, Inputs]`), each with its node for positions. */
export function nameList(d: Diags, n: PNode | undefined, what: string): { name: string; node: PNode }[] {
  const s = asSeq(d, n, what);
  if (!s) return [];
  const out: { name: string; node: PNode }[] = [];
  for (const it of s.items) {
    const name = str(d, it, `an entry of ${what}`);
    if (name !== undefined) out.push({ name, node: it });
  }
  return out;
}
