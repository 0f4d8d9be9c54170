/**
 * YAML text -> a small positioned tree. Every node knows its file, line and column, so every diagnostic about a
 * spec can point at the exact place to fix. The `yaml` library lives only in this file.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import type { Diagnostic, SourcePos } from '../core/diagnostics.ts';
import { fail, ok, type Result } from '../core/result.ts';

export type PNode = PMap | PSeq | PScalar;

interface PBase {
  readonly pos: SourcePos;
  /** Path from the document root, for diagnostics. */
  readonly path: readonly (string | number)[];
}

export interface PMap extends PBase {
  readonly kind: 'map';
  /** Entries in document order; `keyPos` points at the key. */
  readonly entries: readonly { readonly key: string; readonly keyPos: SourcePos; readonly value: PNode }[];
}

export interface PSeq extends PBase {
  readonly kind: 'seq';
  readonly items: readonly PNode[];
}

export interface PScalar extends PBase {
  readonly kind: 'scalar';
  readonly value: string | number | boolean | null;
}

export function mapGet(m: PMap, key: string): PNode | undefined {
  for (const e of m.entries) if (e.key === key) return e.value;
  return undefined;
}

export function describeKind(n: PNode): string {
  if (n.kind === 'map') return 'a mapping';
  if (n.kind === 'seq') return 'a list';
  if (n.value === null) return 'an empty value';
  return `${typeof n.value} ${JSON.stringify(n.value)}`;
}

/** Parse YAML text; syntax errors become diagnostics with positions. */
export function parseYaml(text: string, file: string): Result<PNode> {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  const posAt = (offset: number | undefined): SourcePos => {
    if (offset === undefined) return { file, line: 1, col: 1 };
    const p = lc.linePos(offset);
    return { file, line: p.line, col: p.col };
  };
  const diags: Diagnostic[] = [];
  for (const e of doc.errors) {
    diags.push({
      code: 'SL-YAML-SYNTAX',
      severity: 'error',
      message: `invalid YAML: ${e.message.split('\n')[0]}`,
      pos: posAt(e.pos?.[0]),
      hint: 'check indentation, colons and quotes on this line',
    });
  }
  if (diags.length > 0) return fail(diags);
  if (doc.contents === null) {
    return fail([{ code: 'SL-YAML-EMPTY', severity: 'error', message: 'the file is empty', pos: { file, line: 1, col: 1 } }]);
  }
  // Aliases (*name) are expanded where they are used, and merge keys (<<: *name) add the entries the map does not
  // give itself; a budget on expanded nodes stops alias bombs.
  let budget = 200_000;
  let exploded = false;
  const resolve = (n: YamlNode | null): YamlNode | null => {
    let x = n;
    for (let hops = 0; x && isAlias(x) && hops < 64; hops++) x = (x.resolve(doc) ?? null) as YamlNode | null;
    return x && isAlias(x) ? null : x;
  };
  const convert = (n: unknown, path: (string | number)[], at?: SourcePos): PNode => {
    if (--budget < 0) {
      exploded = true;
      return { kind: 'scalar', pos: at ?? posAt(undefined), path, value: null };
    }
    const raw = n as YamlNode | null;
    const pos = at ?? posAt(raw?.range?.[0]);
    const node = raw && isAlias(raw) ? resolve(raw) : raw;
    if (node && isMap(node)) {
      const entries: { key: string; keyPos: SourcePos; value: PNode }[] = [];
      const merged: { key: string; keyPos: SourcePos; value: PNode }[] = [];
      for (const pair of node.items) {
        const k = pair.key as YamlNode | null;
        const key = k && isScalar(k) ? String(k.value) : String(k);
        if (key === '<<') {
          const v = resolve(pair.value as YamlNode | null);
          const sources = v && isSeq(v) ? v.items.map((it) => resolve(it as YamlNode | null)) : [v];
          for (const src of sources) {
            if (!src || !isMap(src)) continue;
            const m = convert(src, path, posAt(k?.range?.[0]));
            if (m.kind === 'map') merged.push(...m.entries);
          }
          continue;
        }
        entries.push({ key, keyPos: posAt(k?.range?.[0]), value: convert(pair.value, [...path, key]) });
      }
      for (const e of merged) if (!entries.some((x) => x.key === e.key)) entries.push(e);
      return { kind: 'map', pos, path, entries };
    }
    if (node && isSeq(node)) {
      return { kind: 'seq', pos, path, items: node.items.map((it, i) => convert(it, [...path, i])) };
    }
    if (node && isScalar(node)) {
      const v = node.value;
      const value = typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v === null ? v : String(v);
      return { kind: 'scalar', pos, path, value };
    }
    return { kind: 'scalar', pos, path, value: null };
  };
  const root = convert(doc.contents, []);
  if (exploded) {
    return fail([{ code: 'SL-YAML-SYNTAX', severity: 'error', message: 'the file expands to more than 200,000 values (aliases that multiply?)', pos: { file, line: 1, col: 1 }, hint: 'write the values out, or use fewer nested aliases' }]);
  }
  return ok(root);
}
