/** Ordered factorizations of an integer over slots with per-slot bounds (the tiling of one dimension). */
import { divisors } from '../../core/math.ts';

export interface SlotBound {
  readonly min: number;
  readonly max: number;
}

/**
 * Every vector f with f[i] in [min_i, max_i], f[i] | n and prod f = n, in lexicographic order of the divisor
 * chosen for slot 0, then slot 1, ... (deterministic).
 */
export function orderedFactorizations(n: number, bounds: readonly SlotBound[]): number[][] {
  const out: number[][] = [];
  const k = bounds.length;
  const cur = new Array<number>(k).fill(1);
  const rec = (i: number, rest: number): void => {
    if (i === k - 1) {
      if (rest >= bounds[i].min && rest <= bounds[i].max) {
        cur[i] = rest;
        out.push([...cur]);
      }
      return;
    }
    for (const d of divisors(rest)) {
      if (d < bounds[i].min || d > bounds[i].max) continue;
      cur[i] = d;
      rec(i + 1, rest / d);
    }
  };
  if (k === 0) return n === 1 ? [[]] : [];
  rec(0, n);
  return out;
}

/** Number of ordered factorizations of n into k unbounded slots: prod over primes p^e of C(e + k - 1, k - 1). */
export function countFactorizations(n: number, k: number): bigint {
  let total = 1n;
  let m = n;
  for (let p = 2; p * p <= m; p++) {
    let e = 0;
    while (m % p === 0) {
      m /= p;
      e++;
    }
    if (e > 0) total *= binomial(e + k - 1, k - 1);
  }
  if (m > 1) total *= BigInt(k);
  return total;
}

export function binomial(n: number, r: number): bigint {
  let num = 1n;
  let den = 1n;
  for (let i = 0; i < r; i++) {
    num *= BigInt(n - i);
    den *= BigInt(i + 1);
  }
  return num / den;
}
