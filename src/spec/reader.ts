/** A small typed reader over the positioned YAML tree that collects every problem as a diagnostic. */
import type { Diagnostic } from '../core/diagnostics.ts';
import { didYouMean } from '../core/math.ts';
import { evaluateExpression } from './expr.ts';
import { SPEC_CODES, type SpecCode } from './messages.ts';
import { describeKind, type PMap, type PNode } from './yaml-source.ts';

export class Reader {
  readonly diags: Diagnostic[] = [];
  /** Named constants numeric expressions may use (an arch's energy table). */
  scope: Readonly<Record<string, number>> | undefined;

  /** Report `code` at `node` (or `at`); the severity comes from the catalogue (`messages.ts`). */
  error(node: PNode | undefined, code: SpecCode, message: string, hint?: string, at?: PNode): void {
    const n = at ?? node;
    this.diags.push({ code, severity: SPEC_CODES[code].severity, message, pos: n?.pos, path: n?.path, hint });
  }

  /** True when an error (not a warning) has been reported. */
  get failed(): boolean {
    return this.diags.some((d) => d.severity === 'error');
  }

  map(node: PNode | undefined, what: string): PMap | undefined {
    if (!node) return undefined;
    if (node.kind !== 'map') {
      this.error(node, 'SL-SPEC-TYPE', `${what} must be a mapping (key: value lines), found ${describeKind(node)}`);
      return undefined;
    }
    return node;
  }

  /** Check keys of a mapping against the allowed set, with did-you-mean. */
  keys(m: PMap, allowed: readonly string[], what: string): void {
    for (const e of m.entries) {
      if (allowed.includes(e.key)) continue;
      const guess = didYouMean(e.key, allowed);
      const code: SpecCode = 'SL-SPEC-UNKNOWN-KEY';
      this.diags.push({
        code,
        severity: 'error',
        message: `unknown key '${e.key}' in ${what}`,
        pos: e.keyPos,
        path: [...m.path, e.key],
        hint: guess ? `did you mean '${guess}'?` : `allowed keys: ${allowed.join(', ')}`,
      });
    }
  }

  get(m: PMap, key: string): PNode | undefined {
    for (const e of m.entries) if (e.key === key) return e.value;
    return undefined;
  }

  required(m: PMap, key: string, what: string): PNode | undefined {
    const v = this.get(m, key);
    if (v === undefined || (v.kind === 'scalar' && v.value === null)) {
      this.error(m, 'SL-SPEC-MISSING-KEY', `${what} needs '${key}'`, `add a '${key}:' line`);
      return undefined;
    }
    return v;
  }

  string(node: PNode | undefined, what: string): string | undefined {
    if (!node) return undefined;
    if (node.kind !== 'scalar' || node.value === null || typeof node.value === 'boolean') {
      this.error(node, 'SL-SPEC-TYPE', `${what} must be a name, found ${describeKind(node)}`);
      return undefined;
    }
    return String(node.value);
  }

  bool(node: PNode | undefined, what: string, dflt: boolean): boolean {
    if (!node) return dflt;
    if (node.kind === 'scalar' && typeof node.value === 'boolean') return node.value;
    this.error(node, 'SL-SPEC-TYPE', `${what} must be true or false, found ${describeKind(node)}`);
    return dflt;
  }

  /** A number or an expression string such as `64 * 1024`; checks finiteness, sign and integrality. */
  number(node: PNode | undefined, what: string, opts: { min?: number; positive?: boolean; integer?: boolean } = {}): number | undefined {
    if (!node) return undefined;
    let v: number | undefined;
    if (node.kind === 'scalar' && typeof node.value === 'number') v = node.value;
    else if (node.kind === 'scalar' && typeof node.value === 'string') {
      const r = evaluateExpression(node.value, this.scope);
      if (!r.ok) {
        const names = this.scope ? Object.keys(this.scope) : [];
        const unknown = /Undefined symbol (\w+)/.exec(r.error)?.[1];
        const guess = unknown ? didYouMean(unknown, names) : undefined;
        const hint = guess
          ? `did you mean '${guess}'?`
          : unknown && names.length > 0
            ? `the energy table's constants are: ${names.join(', ')}`
            : 'write a number or an arithmetic expression such as 64 * 1024';
        this.error(node, 'SL-SPEC-EXPR', `${what}: the expression '${node.value}' does not evaluate (${r.error})`, hint);
        return undefined;
      }
      v = r.value;
    } else {
      this.error(node, 'SL-SPEC-TYPE', `${what} must be a number, found ${describeKind(node)}`);
      return undefined;
    }
    if (!Number.isFinite(v)) {
      this.error(node, 'SL-SPEC-TYPE', `${what} must be a finite number, found ${v}`);
      return undefined;
    }
    if (opts.positive && v <= 0) {
      this.error(node, 'SL-SPEC-NEGATIVE', `${what} must be positive, found ${v}`, 'use a value greater than 0');
      return undefined;
    }
    if (opts.min !== undefined && v < opts.min) {
      this.error(node, 'SL-SPEC-NEGATIVE', `${what} must be at least ${opts.min}, found ${v}`);
      return undefined;
    }
    if (opts.integer && !Number.isInteger(v)) {
      this.error(node, 'SL-SPEC-NOT-INTEGER', `${what} must be a whole number, found ${v}`);
      return undefined;
    }
    if (opts.integer && Math.abs(v) > Number.MAX_SAFE_INTEGER) {
      this.error(node, 'SL-SPEC-RANGE', `${what} is ${v}, too large to count exactly (above 2^53)`, 'use a smaller value');
      return undefined;
    }
    return v;
  }

  /** A name that must be one of `names`, with did-you-mean. */
  oneOf(node: PNode | undefined, names: readonly string[], what: string, code: SpecCode): number {
    const s = this.string(node, what);
    if (s === undefined) return -1;
    const i = names.indexOf(s);
    if (i < 0) {
      const g = didYouMean(s, names);
      this.error(node, code, `unknown ${what} '${s}'`, g ? `did you mean '${g}'?` : `expected one of: ${names.join(', ')}`);
    }
    return i;
  }
}
