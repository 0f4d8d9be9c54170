/** Deterministic streams over the mapspace: tilings (fan-out pruned as they are built), keep choices, orders. */
import { orderObservers } from './point.ts';
import { orderRepresentatives } from './orders.ts';
import type { MapSpace } from './space.ts';

/** Every tiling whose spatial factors fit the fan-outs and reach the minimum utilization, in a fixed order. */
export function* tilings(space: MapSpace): Generator<number[][]> {
  const D = space.dims;
  const S = space.slots.length;
  const used = new Array<number>(S).fill(1);
  const cur: number[][] = new Array(D);
  function* rec(d: number): Generator<number[][]> {
    if (d === D) {
      let p = 1;
      for (let s = space.levels; s < S; s++) p *= used[s];
      if (p >= space.minSpatial) yield cur.map((r) => [...r]);
      return;
    }
    for (const opt of space.dimOptions[d]) {
      let fits = true;
      for (let s = space.levels; s < S; s++) if (used[s] * opt[s] > space.slots[s].capacity) fits = false;
      if (!fits) continue;
      for (let s = space.levels; s < S; s++) used[s] *= opt[s];
      cur[d] = opt as number[];
      yield* rec(d + 1);
      for (let s = space.levels; s < S; s++) used[s] /= opt[s];
    }
  }
  yield* rec(0);
}

/** The keep/bypass matrix for keep choice `k` (bit i = free bit i), or undefined if a tensor has no home. */
export function keepChoice(space: MapSpace, k: number): boolean[][] | undefined {
  const keep = space.keepForced.map((row) => row.map((v) => v ?? false));
  space.keepFree.forEach(([l, t], i) => (keep[l][t] = ((k >> i) & 1) === 1));
  for (let t = 0; t < space.tensors; t++) if (!keep.some((row) => row[t])) return undefined;
  return keep;
}

export function keepChoices(space: MapSpace): number {
  return 2 ** space.keepFree.length;
}

/**
 * Order representatives of a level for a tiling: full permutations (non-unit loops in a
 * representative order, then the unit dims). Memoized per (level, non-unit set).
 */
export class OrderCatalogue {
  private readonly cache = new Map<string, number[][]>();
  constructor(private readonly space: MapSpace) {}

  forLevel(tiling: readonly (readonly number[])[], l: number): number[][] {
    const sp = this.space;
    const nonUnit: number[] = [];
    const unit: number[] = [];
    for (let d = 0; d < sp.dims; d++) (tiling[d][l] > 1 ? nonUnit : unit).push(d);
    const obs = orderObservers(sp);
    const key = `${l}|${nonUnit.join('.')}`;
    let reps = this.cache.get(key);
    if (!reps) {
      reps = orderRepresentatives(nonUnit, obs, sp.constraints.levels[l].order).map((r) => [...r, ...unit]);
      this.cache.set(key, reps);
    }
    return reps;
  }
}
