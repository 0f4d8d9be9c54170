/** Number formatting shared by the text and Markdown reports (pure). */

const EN = 'en-US';

/** Thousands separators; non-integers get up to two decimals. */
export function num(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x)) return x.toLocaleString(EN);
  return x.toLocaleString(EN, { maximumFractionDigits: 2 });
}

/** An energy in pJ with a readable unit: pJ, nJ, uJ, mJ, J. */
export function energy(pJ: number): string {
  if (!Number.isFinite(pJ)) return `${pJ} pJ`;
  const a = Math.abs(pJ);
  if (a === 0) return '0 pJ';
  if (a < 1e3) return `${pJ.toFixed(2)} pJ`;
  if (a < 1e6) return `${(pJ / 1e3).toFixed(3)} nJ`;
  if (a < 1e9) return `${(pJ / 1e6).toFixed(3)} uJ`;
  if (a < 1e12) return `${(pJ / 1e9).toFixed(3)} mJ`;
  return `${(pJ / 1e12).toFixed(3)} J`;
}

/** Bytes with separators, plus a binary-prefixed size when it is large: `177,152 B (173.0 KiB)`. */
export function bytes(b: number): string {
  const base = `${num(b)} B`;
  if (!Number.isFinite(b) || Math.abs(b) < 1024) return base;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = b / 1024;
  let u = 0;
  while (Math.abs(v) >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${base} (${v.toFixed(1)} ${units[u]})`;
}

/** `part` as a percentage of `whole`, one decimal; `-` when the whole is zero. */
export function pct(part: number, whole: number): string {
  if (!(whole > 0) || !Number.isFinite(part)) return '-';
  return `${((100 * part) / whole).toFixed(1)}%`;
}

/** A capacity in bits as bytes with a binary prefix: `108.0 KiB`, `512 B`. */
export function capacity(bits: number): string {
  const b = bits / 8;
  if (b < 1024) return `${num(b)} B`;
  if (b < 1024 * 1024) return `${(b / 1024).toFixed(1)} KiB`;
  return `${(b / (1024 * 1024)).toFixed(1)} MiB`;
}
