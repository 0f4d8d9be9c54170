/** Deterministic streams over the mapspace for tests and the size report: tilings and keep choices. */
import { membraneTilingOk, type MapSpace } from './space.ts';

/** Every tiling ([d * S + s]) that fits the fan-outs, the utilization and the membrane rule, in a fixed order. */
export function* tilings(space: MapSpace): Generator<Int32Array> {
  const D = space.dims;
  const S = space.slots.length;
  const used = new Array<number>(S).fill(1);
  const cur = new Int32Array(D * S).fill(1);
  function* rec(d: number): Generator<Int32Array> {
    if (d === D) {
      let p = 1;
      for (let s = space.levels; s < S; s++) p *= used[s];
      if (p >= space.minSpatial && membraneTilingOk(space, cur)) yield cur.slice();
      return;
    }
    for (const opt of space.dimOptions[d]) {
      let fits = true;
      for (let s = space.levels; s < S; s++) if (used[s] * opt[s] > space.slots[s].capacity) fits = false;
      if (!fits) continue;
      for (let s = 0; s < S; s++) {
        used[s] *= opt[s];
        cur[d * S + s] = opt[s];
      }
      yield* rec(d + 1);
      for (let s = 0; s < S; s++) used[s] /= opt[s];
    }
  }
  yield* rec(0);
}

/** The keep/bypass bits ([l * T + t]) of keep choice `k` (bit i = free bit i), or undefined if a tensor has no home. */
export function keepChoice(space: MapSpace, k: number): Uint8Array | undefined {
  const nT = space.tensors;
  const keep = new Uint8Array(space.levels * nT);
  for (let l = 0; l < space.levels; l++) for (let t = 0; t < nT; t++) keep[l * nT + t] = space.keepForced[l][t] ? 1 : 0;
  space.keepFree.forEach(([l, t], i) => (keep[l * nT + t] = (k >> i) & 1));
  for (let t = 0; t < nT; t++) {
    let home = false;
    for (let l = 0; l < space.levels; l++) if (keep[l * nT + t]) home = true;
    if (!home) return undefined;
  }
  return keep;
}

export function keepChoices(space: MapSpace): number {
  return 2 ** space.keepFree.length;
}

/** Mask of the dims with a non-unit temporal factor at level l. */
export function levelMask(space: MapSpace, tiling: ArrayLike<number>, l: number): number {
  const S = space.slots.length;
  let mask = 0;
  for (let d = 0; d < space.dims; d++) if (tiling[d * S + l] > 1) mask |= 1 << d;
  return mask;
}
