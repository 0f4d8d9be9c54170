/**
 * Strict field access for the result readers: an absent field (or `null`) is simply absent, but a field that is
 * present with the wrong type, a non-finite or a negative number is a problem at its full JSON path
 * (`layers[3].energy_pJ`), collected rather than thrown, so one run reports every problem of a file.
 */
import type { ReadProblem } from '../views.ts';
import { isObj, type Json, type Obj } from './value.ts';

export type Path = readonly (string | number)[];

/** `layers[3].energy_pJ` */
export function pathText(path: Path): string {
  let s = '';
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : s === '' ? p : `.${p}`;
  return s || '(document)';
}

const kindOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : typeof v === 'string' ? `the string ${JSON.stringify(v.length > 24 ? `${v.slice(0, 24)}...` : v)}` : `${typeof v} ${String(v)}`);

export interface NumOpts {
  /** Negative values are allowed (default: energies, cycles, bytes and counts cannot be negative). */
  readonly signed?: boolean;
}

export class Ctx {
  readonly problems: ReadProblem[] = [];

  problem(path: Path, message: string, hint?: string): void {
    this.problems.push({ problem: true, path, message, hint });
  }

  /** The first of `keys` present in `o` (not undefined, not null). */
  private pick(o: Json, keys: readonly string[]): [string, unknown] | undefined {
    if (!isObj(o)) return undefined;
    for (const k of keys) if (o[k] !== undefined && o[k] !== null) return [k, o[k]];
    return undefined;
  }

  /** A number under the first present key; a present non-number, non-finite or negative value is a problem. */
  num(o: Json, path: Path, keys: string | readonly string[], opts: NumOpts = {}): number | undefined {
    const hit = this.pick(o, typeof keys === 'string' ? [keys] : keys);
    if (!hit) return undefined;
    const [k, v] = hit;
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      this.problem([...path, k], `\`${pathText([...path, k])}\` should be a number, got ${kindOf(v)}`);
      return undefined;
    }
    if (!opts.signed && v < 0) {
      this.problem([...path, k], `\`${pathText([...path, k])}\` is ${v}: energies, cycles, bytes and counts cannot be negative`);
      return undefined;
    }
    return v;
  }

  /** A required number: absent is a problem too. */
  need(o: Json, path: Path, keys: string | readonly string[], hint?: string): number | undefined {
    const ks = typeof keys === 'string' ? [keys] : keys;
    const before = this.problems.length;
    const v = this.num(o, path, ks);
    if (v === undefined && this.problems.length === before) this.problem([...path, ks[0]], `\`${pathText([...path, ks[0]])}\` is missing`, hint);
    return v;
  }

  str(o: Json, path: Path, keys: string | readonly string[]): string | undefined {
    const hit = this.pick(o, typeof keys === 'string' ? [keys] : keys);
    if (!hit) return undefined;
    const [k, v] = hit;
    if (typeof v === 'string') return v === '' ? undefined : v;
    if (typeof v === 'number' && Number.isFinite(v)) return String(v);
    this.problem([...path, k], `\`${pathText([...path, k])}\` should be a string, got ${kindOf(v)}`);
    return undefined;
  }

  bool(o: Json, path: Path, key: string): boolean | undefined {
    const hit = this.pick(o, [key]);
    if (!hit) return undefined;
    if (typeof hit[1] === 'boolean') return hit[1];
    this.problem([...path, key], `\`${pathText([...path, key])}\` should be true or false, got ${kindOf(hit[1])}`);
    return undefined;
  }

  arr(o: Json, path: Path, keys: string | readonly string[]): readonly Json[] | undefined {
    const hit = this.pick(o, typeof keys === 'string' ? [keys] : keys);
    if (!hit) return undefined;
    if (Array.isArray(hit[1])) return hit[1] as Json[];
    this.problem([...path, hit[0]], `\`${pathText([...path, hit[0]])}\` should be an array, got ${kindOf(hit[1])}`);
    return undefined;
  }

  obj(o: Json, path: Path, keys: string | readonly string[]): Obj | undefined {
    const hit = this.pick(o, typeof keys === 'string' ? [keys] : keys);
    if (!hit) return undefined;
    if (isObj(hit[1])) return hit[1];
    this.problem([...path, hit[0]], `\`${pathText([...path, hit[0]])}\` should be an object, got ${kindOf(hit[1])}`);
    return undefined;
  }

  /** An array element that must be an object (else a problem, and undefined). */
  item(v: Json, path: Path): Obj | undefined {
    if (isObj(v)) return v;
    this.problem(path, `\`${pathText(path)}\` should be an object, got ${kindOf(v)}`);
    return undefined;
  }

  /**
   * `{a: 1, b: 2}`, `{a: {<valueKey>: 1}}` or `[{name, <valueKey>}]` as name/value pairs; other shapes or values
   * are problems.
   */
  pairs(o: Json, path: Path, keys: string | readonly string[], valueKeys: readonly string[] = ['value']): [string, number][] {
    const hit = this.pick(o, typeof keys === 'string' ? [keys] : keys);
    if (!hit) return [];
    const [k, v] = hit;
    const at = [...path, k];
    const out: [string, number][] = [];
    if (Array.isArray(v)) {
      v.forEach((e, i) => {
        const it = this.item(e, [...at, i]);
        const name = it && this.str(it, [...at, i], ['name', 'kind', 'label']);
        const val = it && this.num(it, [...at, i], valueKeys);
        if (name !== undefined && val !== undefined) out.push([name, val]);
      });
    } else if (isObj(v)) {
      for (const [name, x] of Object.entries(v)) {
        if (x === null || x === undefined) continue;
        if (isObj(x)) {
          const val = this.num(x, [...at, name], valueKeys);
          if (val !== undefined) out.push([name, val]);
        } else {
          const val = this.num(v, at, name);
          if (val !== undefined) out.push([name, val]);
        }
      }
    } else this.problem(at, `\`${pathText(at)}\` should be an object of numbers, got ${kindOf(v)}`);
    return out;
  }

  /** Result: the value, or the problems found while reading it. */
  done<T>(v: T): T | ReadProblem[] {
    return this.problems.length > 0 ? this.problems : v;
  }
}
