/** Number cells for report tables: exact values with separators, plus shares (pure). */
import { bytes, energy, num, pct } from '../format.ts';

const round = (x: number, d: number): number => Math.round(x * 10 ** d) / 10 ** d;

/** Energy as two cells: readable (`1.234 uJ`) and exact pJ with two decimals. */
export const pJ = (x: number): [string, string] => [energy(x), num(round(x, 2))];
export const count = (x: number | undefined): string => (x === undefined ? '-' : num(round(x, 2)));
export const byteCell = (x: number | undefined): string => (x === undefined ? '-' : bytes(x));
export const share = (part: number, whole: number): string => pct(part, whole);
export const opt = (x: number | undefined, f: (v: number) => string): string => (x === undefined ? '-' : f(x));
export { energy, num, pct };
