/** Tick values for log axes (pure). */

/** Ticks of a log axis over [lo, hi]: powers of ten, with 2 and 5 between them when the span is under three decades. */
export function logTicks(lo: number, hi: number): number[] {
  const out: number[] = [];
  const decades = Math.log10(hi / lo);
  const mults = decades < 1.2 ? [1, 1.25, 1.5, 2, 3, 4, 5, 6, 8] : decades < 3 ? [1, 2, 5] : [1];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    for (const m of mults) {
      const v = Number((m * 10 ** e).toPrecision(6));
      if (v >= lo && v <= hi) out.push(v);
    }
  }
  // At most about 8 ticks, always including 1 when it is in range (the baseline of a ratio axis), thinned around it.
  const every = Math.ceil(out.length / 8);
  const at1 = out.indexOf(1);
  const thin = out.filter((v, i) => v === 1 || (at1 >= 0 ? Math.abs(i - at1) % every === 0 : i % every === 0));
  return thin.length > 0 ? thin : [lo, hi];
}
