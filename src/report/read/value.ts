/** Tolerant getters over parsed JSON: wrong or missing values read as undefined, never throw. */

export type Json = unknown;
export type Obj = Readonly<Record<string, unknown>>;

export const isObj = (v: Json): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A finite number under the first of `keys` that holds one. */
export function num(o: Json, ...keys: string[]): number | undefined {
  if (!isObj(o)) return undefined;
  for (const k of keys) {
    const v = o[k];
    if (typeof v === 'number' && Number.isFinite(v)) return v;
  }
  return undefined;
}

export function str(o: Json, ...keys: string[]): string | undefined {
  if (!isObj(o)) return undefined;
  for (const k of keys) {
    const v = o[k];
    if (typeof v === 'string' && v !== '') return v;
  }
  return undefined;
}

export function obj(o: Json, ...keys: string[]): Obj | undefined {
  if (!isObj(o)) return undefined;
  for (const k of keys) if (isObj(o[k])) return o[k] as Obj;
  return undefined;
}

export function arr(o: Json, ...keys: string[]): readonly Json[] | undefined {
  if (!isObj(o)) return undefined;
  for (const k of keys) if (Array.isArray(o[k])) return o[k] as Json[];
  return undefined;
}

/** The key of `keys` that is present in `o` (for diagnostics). */
export function keyOf(o: Json, keys: readonly string[]): string | undefined {
  return isObj(o) ? keys.find((k) => o[k] !== undefined) : undefined;
}

/** `{a: 1, b: 2}` or `[{name: 'a', value: 1}, ...]` as name/value pairs with finite values. */
export function pairs(v: Json, valueKeys: readonly string[] = ['value']): [string, number][] {
  const out: [string, number][] = [];
  if (Array.isArray(v)) {
    for (const e of v) {
      const name = str(e, 'name', 'kind', 'label');
      const value = num(e, ...valueKeys);
      if (name !== undefined && value !== undefined) out.push([name, value]);
    }
  } else if (isObj(v)) {
    for (const [k, x] of Object.entries(v)) {
      if (typeof x === 'number' && Number.isFinite(x)) out.push([k, x]);
      else if (isObj(x)) {
        const value = num(x, ...valueKeys);
        if (value !== undefined) out.push([k, value]);
      }
    }
  }
  return out;
}
