/**
 * Early capacity pruning from tile sizes: the tile of a tensor at a level spans the factors of that level and all
 * inner ones (temporal and spatial). The sum over kept tensors, without the partial sums (the model may drop them
 * above the level where their reduction completes), is a lower bound on the capacity the model checks, so a point
 * over it is invalid for sure.
 */
import { storedBits } from '../../arch/types.ts';
import type { MapSpace } from './space.ts';

/** [level][dim] product of factors at this level and all inner levels. */
export function innerProducts(space: MapSpace, tiling: readonly (readonly number[])[]): number[][] {
  const out: number[][] = [];
  const acc = new Array<number>(space.dims).fill(1);
  const perLevel: number[][] = Array.from({ length: space.levels }, () => new Array<number>(space.dims).fill(1));
  space.slots.forEach((s, si) => {
    for (let d = 0; d < space.dims; d++) perLevel[s.level][d] *= tiling[d][si];
  });
  for (let l = space.levels - 1; l >= 0; l--) {
    for (let d = 0; d < space.dims; d++) acc[d] *= perLevel[l][d];
    out[l] = [...acc];
  }
  return out;
}

/** Elements of tensor t in a tile whose dims have extents `f` (bounding box of the projection). */
export function tileElements(space: MapSpace, t: number, f: readonly number[]): number {
  let size = 1;
  for (const rank of space.workload.tensors[t].projection) {
    let extent = 1;
    for (const term of rank) extent += term.coeff * (f[term.dim] - 1);
    size *= extent;
  }
  return size;
}

export interface CapacityViolation {
  readonly level: number;
  readonly needed: number;
  readonly available: number;
}

/** The first level whose kept tiles (partial sums left out) cannot fit, or null. */
export function capacityViolation(space: MapSpace, inner: readonly (readonly number[])[], keep: readonly (readonly boolean[])[]): CapacityViolation | null {
  for (let l = 0; l < space.levels; l++) {
    const lvl = space.arch.levels[l];
    if (lvl.capacityBits === null) continue;
    let bits = 0;
    for (let t = 0; t < space.tensors; t++) {
      const tensor = space.workload.tensors[t];
      if (!keep[l][t] || tensor.role === 'psum') continue;
      bits += tileElements(space, t, inner[l]) * storedBits(lvl, tensor.bits) * (lvl.doubleBuffered ? 2 : 1);
    }
    if (bits > lvl.capacityBits) return { level: l, needed: bits, available: lvl.capacityBits };
  }
  return null;
}
