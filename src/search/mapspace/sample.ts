/** Random points of the mapspace and neighbourhood moves (factor / order / keep), all driven by a seeded Rng. */
import type { Rng } from '../../core/rng.ts';
import { clonePoint, type Point } from './point.ts';
import { imposePartialOrder } from './orders.ts';
import type { MapSpace } from './space.ts';

type MutablePoint = { tiling: number[][]; orders: number[][]; keep: boolean[][] };

/** A random tiling that fits the fan-outs and the utilization, or undefined after too many dead ends. */
export function randomTiling(space: MapSpace, rng: Rng): number[][] | undefined {
  const S = space.slots.length;
  for (let attempt = 0; attempt < 64; attempt++) {
    const used = new Array<number>(S).fill(1);
    const tiling: number[][] = [];
    let dead = false;
    for (const d of rng.shuffle([...Array(space.dims).keys()])) {
      const fits = space.dimOptions[d].filter((o) => {
        for (let s = space.levels; s < S; s++) if (used[s] * o[s] > space.slots[s].capacity) return false;
        return true;
      });
      if (fits.length === 0) {
        dead = true;
        break;
      }
      const o = rng.pick(fits);
      for (let s = space.levels; s < S; s++) used[s] *= o[s];
      tiling[d] = [...o];
    }
    if (dead) continue;
    let p = 1;
    for (let s = space.levels; s < S; s++) p *= used[s];
    if (p >= space.minSpatial) return tiling;
  }
  return undefined;
}

export function randomOrders(space: MapSpace, rng: Rng): number[][] {
  return space.constraints.levels.map((lc) => imposePartialOrder(rng.shuffle([...Array(space.dims).keys()]), lc.order));
}

export function randomKeep(space: MapSpace, rng: Rng): boolean[][] {
  for (;;) {
    const keep = space.keepForced.map((row) => row.map((v) => v ?? rng.next() < 0.5));
    let homeless = false;
    for (let t = 0; t < space.tensors; t++) if (!keep.some((r) => r[t])) homeless = true;
    if (!homeless) return keep;
  }
}

export function randomPoint(space: MapSpace, rng: Rng): Point | undefined {
  const tiling = randomTiling(space, rng);
  return tiling && { tiling, orders: randomOrders(space, rng), keep: randomKeep(space, rng) };
}

/** Whether a tiling respects the fan-outs, the utilization and each dim's allowed splits. */
export function tilingAllowed(space: MapSpace, tiling: readonly (readonly number[])[], allowed: readonly ReadonlySet<string>[]): boolean {
  let total = 1;
  for (let s = space.levels; s < space.slots.length; s++) {
    let p = 1;
    for (let d = 0; d < space.dims; d++) p *= tiling[d][s];
    if (p > space.slots[s].capacity) return false;
    total *= p;
  }
  if (total < space.minSpatial) return false;
  for (let d = 0; d < space.dims; d++) if (!allowed[d].has(tiling[d].join(','))) return false;
  return true;
}

export function allowedSplits(space: MapSpace): Set<string>[] {
  return space.dimOptions.map((opts) => new Set(opts.map((o) => o.join(','))));
}

function smallestPrime(n: number): number {
  for (let p = 2; p * p <= n; p++) if (n % p === 0) return p;
  return n;
}

/** One random neighbour: move a prime factor between slots, swap two loops of a level, or flip a keep bit. */
export function neighbour(space: MapSpace, p: Point, rng: Rng, allowed: readonly ReadonlySet<string>[]): Point | undefined {
  const q: MutablePoint = clonePoint(p);
  const r = rng.next();
  if (r < 0.55 || (r >= 0.85 && space.keepFree.length === 0)) {
    for (let attempt = 0; attempt < 16; attempt++) {
      const d = rng.int(space.dims);
      const row = q.tiling[d];
      const from = rng.int(row.length);
      if (row[from] === 1) continue;
      const to = rng.int(row.length);
      if (to === from) continue;
      const f = rng.next() < 0.5 ? smallestPrime(row[from]) : row[from];
      const saved = [...row];
      row[from] /= f;
      row[to] *= f;
      if (tilingAllowed(space, q.tiling, allowed)) return q;
      q.tiling[d] = saved;
    }
    return undefined;
  }
  if (r < 0.85) {
    const l = rng.int(space.levels);
    const nonUnit = q.orders[l].map((d, i) => [d, i] as const).filter(([d]) => q.tiling[d][l] > 1);
    if (nonUnit.length < 2) return undefined;
    const a = rng.int(nonUnit.length);
    let b = rng.int(nonUnit.length - 1);
    if (b >= a) b++;
    const order = q.orders[l];
    [order[nonUnit[a][1]], order[nonUnit[b][1]]] = [order[nonUnit[b][1]], order[nonUnit[a][1]]];
    q.orders[l] = imposePartialOrder(order, space.constraints.levels[l].order);
    return q;
  }
  const [l, t] = rng.pick(space.keepFree);
  q.keep[l][t] = !q.keep[l][t];
  if (!q.keep.some((row) => row[t])) return undefined;
  return q;
}
