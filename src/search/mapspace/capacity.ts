/**
 * Early capacity pruning from tile sizes: the tile of a tensor at a level spans the factors of that level and all
 * inner ones (temporal and spatial). The sum over kept tensors, without the partial sums (the model may drop them
 * above the level where their reduction completes), is a lower bound on the capacity the model checks, so a point
 * over it is invalid for sure. Dense scratch arrays, no allocation per check.
 */
import { storedBits } from '../../arch/types.ts';
import type { MapSpace } from './space.ts';
import { projectionRows } from '../../workload/projection-rows.ts';

export interface CapacityViolation {
  readonly level: number;
  readonly needed: number;
  readonly available: number;
}

export class CapacityCheck {
  /** [l * D + d] product of the factors of dim d at level l and all inner levels. */
  readonly inner: Float64Array;
  /** After `check`: the violated level (or -1) and its bits. */
  level = -1;
  needed = 0;
  private readonly bits: Float64Array; // [l * T + t] stored bits x (2 if double-buffered); 0 = not counted
  private readonly capacity: Float64Array;
  private readonly rankStart: Int32Array;
  private readonly termStart: Int32Array;
  private readonly termDim: Int32Array;
  private readonly termCoeff: Float64Array;

  constructor(private readonly space: MapSpace) {
    const { levels: L, dims: D, tensors: nT, arch, workload: w } = space;
    this.inner = new Float64Array(L * D);
    this.bits = new Float64Array(L * nT);
    this.capacity = new Float64Array(L);
    for (let l = 0; l < L; l++) {
      const lvl = arch.levels[l];
      this.capacity[l] = lvl.capacityBits ?? Infinity;
      for (let t = 0; t < nT; t++) {
        const tensor = w.tensors[t];
        this.bits[l * nT + t] = tensor.role === 'psum' ? 0 : storedBits(lvl, tensor.bits) * (lvl.doubleBuffered ? 2 : 1);
      }
    }
    ({ rankStart: this.rankStart, termStart: this.termStart, termDim: this.termDim, termCoeff: this.termCoeff } = projectionRows(w.tensors));
  }

  /** Fill `inner` from a tiling ([d * S + s]). */
  products(tiling: ArrayLike<number>): void {
    const sp = this.space;
    const { levels: L, dims: D } = sp;
    const S = sp.slots.length;
    const inner = this.inner;
    inner.fill(1);
    for (let s = 0; s < S; s++) {
      const l = sp.slots[s].level;
      for (let d = 0; d < D; d++) inner[l * D + d] *= tiling[d * S + s];
    }
    for (let l = L - 2; l >= 0; l--) for (let d = 0; d < D; d++) inner[l * D + d] *= inner[(l + 1) * D + d];
  }

  /** Elements of tensor t in the tile of level l (bounding box of the projection; `products` first). */
  tileElements(t: number, l: number): number {
    const D = this.space.dims;
    let size = 1;
    for (let r = this.rankStart[t]; r < this.rankStart[t + 1]; r++) {
      let e = 1;
      for (let q = this.termStart[r]; q < this.termStart[r + 1]; q++) e += this.termCoeff[q] * (this.inner[l * D + this.termDim[q]] - 1);
      size *= e;
    }
    return size;
  }

  /** True when the kept tiles (partial sums left out) fit every level; else sets `level` and `needed`. */
  check(tiling: ArrayLike<number>, keep: ArrayLike<number>): boolean {
    this.products(tiling);
    return this.checkKeep(keep);
  }

  /** `check` for the tiling of the last `products` call. */
  checkKeep(keep: ArrayLike<number>): boolean {
    const { levels: L, tensors: nT } = this.space;
    for (let l = 0; l < L; l++) {
      const cap = this.capacity[l];
      if (cap === Infinity) continue;
      let bits = 0;
      for (let t = 0; t < nT; t++) {
        const b = this.bits[l * nT + t];
        if (b === 0 || !keep[l * nT + t]) continue;
        bits += this.tileElements(t, l) * b;
      }
      if (bits > cap) {
        this.level = l;
        this.needed = bits;
        return false;
      }
    }
    this.level = -1;
    return true;
  }

  violation(): CapacityViolation | null {
    return this.level < 0 ? null : { level: this.level, needed: this.needed, available: this.capacity[this.level] };
  }
}

export function capacityReason(space: MapSpace, v: CapacityViolation): string {
  const name = space.arch.levels[v.level].name;
  return `the tiles kept at ${name} need at least ${v.needed} bits, it holds ${v.available}`;
}
