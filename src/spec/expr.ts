/**
 * Numeric expressions in specs (`64 * 1024`, `2 ** 10`), evaluated once with mathjs. mathjs lives only here.
 *
 * mathjs is loaded on the first expression, not at import: its module tree (hundreds of files) costs about 2 s to
 * load on a slow file system, which every command paid at start-up. Its single-file build (`lib/browser/math.js`,
 * the same library and version, an instance created with every function) loads in a quarter of that; the package
 * entry is the fallback. Plain YAML numbers never reach this file.
 */
import { createRequire } from 'node:module';
import type { MathJsInstance } from 'mathjs';

let math: MathJsInstance | undefined;

/** A `require` for this module: from its file URL; in a CommonJS bundle (no file URL), the bundle's own. */
function requireHere(): NodeJS.Require {
  try {
    return createRequire(import.meta.url);
  } catch {
    if (typeof require === 'function') return require;
    throw new Error('the expression engine (mathjs) cannot be located from this bundled code');
  }
}

function mathjs(): MathJsInstance {
  if (math) return math;
  const require = requireHere();
  let m: MathJsInstance;
  try {
    m = require('mathjs/lib/browser/math.js') as MathJsInstance;
  } catch {
    m = require('mathjs') as MathJsInstance;
  }
  // A private instance, so the lock-down below touches nothing else; no way to reach I/O or redefine functions.
  const all = (m as unknown as { all?: Parameters<MathJsInstance['create']>[0] }).all;
  const inst = all ? m.create(all) : m;
  inst.import({ import: () => { throw new Error('not allowed'); }, createUnit: () => { throw new Error('not allowed'); } }, { override: true });
  math = inst;
  return inst;
}

/** Evaluate `text`; `scope` names constants it may use (e.g. an energy table's entries). */
export function evaluateExpression(text: string, scope?: Readonly<Record<string, number>>): { ok: true; value: number } | { ok: false; error: string } {
  const plain = text.trim();
  // A number written as a string ("1e3", "0.5") is a number: no need to load the expression engine for it.
  if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(plain)) {
    return { ok: true, value: Number(plain) }; // as mathjs would evaluate it (1e400 is Infinity: the caller checks)
  }
  try {
    const v: unknown = mathjs().evaluate(text.replace(/\*\*/g, '^'), scope ? { ...scope } : {});
    if (typeof v === 'number') return { ok: true, value: v };
    return { ok: false, error: 'it is not a plain number' };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}
