/** Numeric expressions in specs (`64 * 1024`, `2 ** 10`), evaluated once with mathjs. mathjs lives only here. */
import { create, all } from 'mathjs';

const math = create(all);
const evaluateRaw = math.evaluate.bind(math);
// No way to reach I/O or redefine functions from a spec.
math.import({ import: () => { throw new Error('not allowed'); }, createUnit: () => { throw new Error('not allowed'); } }, { override: true });

/** Evaluate `text`; `scope` names constants it may use (e.g. an energy table's entries). */
export function evaluateExpression(text: string, scope?: Readonly<Record<string, number>>): { ok: true; value: number } | { ok: false; error: string } {
  try {
    const v: unknown = evaluateRaw(text.replace(/\*\*/g, '^'), scope ? { ...scope } : {});
    if (typeof v === 'number') return { ok: true, value: v };
    return { ok: false, error: 'it is not a plain number' };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}
