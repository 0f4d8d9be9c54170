/** Axis units: values are divided by `div` before plotting, so tick labels are short and the axis label names the unit. */

export interface Unit {
  readonly div: number;
  /** Shown in the axis label: `energy (uJ)`. */
  readonly name: string;
  /** d3-format specifier for tick labels (applied after dividing). */
  readonly tick: string;
}

const pick = (max: number, steps: readonly (readonly [number, string])[]): readonly [number, string] => {
  let best = steps[0];
  for (const s of steps) if (Math.abs(max) >= s[0]) best = s;
  return best;
};

export function energyUnit(maxPJ: number): Unit {
  const [div, name] = pick(maxPJ, [
    [1, 'pJ'],
    [1e3, 'nJ'],
    [1e6, 'uJ'],
    [1e9, 'mJ'],
    [1e12, 'J'],
  ]);
  return { div, name, tick: '~g' };
}

export function bytesUnit(maxBytes: number): Unit {
  const [div, name] = pick(maxBytes, [
    [1, 'B'],
    [1024, 'KiB'],
    [1024 ** 2, 'MiB'],
    [1024 ** 3, 'GiB'],
    [1024 ** 4, 'TiB'],
  ]);
  return { div, name, tick: '~g' };
}

/** A byte count with the binary prefix that suits it: `64 KiB`, `690 KiB`, `1 MiB` (4 significant digits). */
export function sizeText(b: number): string {
  const u = bytesUnit(b);
  return `${Number((b / u.div).toPrecision(4))} ${u.name}`;
}

/** Plain counts (cycles, operations): SI-prefixed ticks (`1.5M`), the noun as the unit. */
export function countUnit(noun: string): Unit {
  return { div: 1, name: noun, tick: '~s' };
}

/** A dimensionless ratio (`x` times the baseline). */
export const RATIO: Unit = { div: 1, name: 'x baseline', tick: '~g' };
export const PERCENT: Unit = { div: 0.01, name: '%', tick: '~g' };
