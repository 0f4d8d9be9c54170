/**
 * Named facts from top-level fields of a result (how it was computed: chunk mapper, constraints, spike format,
 * ...): strings as they are, booleans as yes / no, numbers with separators; absent or null fields are left out.
 */
import type { Ctx, Path } from './ctx.ts';
import { isObj, type Json } from './value.ts';

/** [JSON key, label] */
export type FactKey = readonly [string, string];

export function factsIn(c: Ctx, doc: Json, path: Path, keys: readonly FactKey[]): [string, string][] {
  const out: [string, string][] = [];
  for (const [k, label] of keys) {
    const v = isObj(doc) ? doc[k] : undefined;
    if (v === undefined || v === null) continue;
    if (typeof v === 'boolean') out.push([label, v ? 'yes' : 'no']);
    else if (typeof v === 'number') {
      const n = c.num(doc, path, k, { signed: true });
      if (n !== undefined) out.push([label, n.toLocaleString('en-US', { maximumFractionDigits: 3 })]);
    } else {
      const s = c.str(doc, path, k);
      if (s !== undefined) out.push([label, s]);
    }
  }
  return out;
}
