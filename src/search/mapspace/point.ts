/**
 * A point of the mapspace in flat typed arrays (the hot path of the search copies and compares these), and its
 * conversion to the ONE Mapping type: fresh (`toMapping`) or into a reused Mapping (`MappingBuilder`, for the
 * evaluator, which must not keep it).
 */
import type { LevelMapping, Loop, Mapping, SpatialLoop } from '../../mapping/types.ts';
import type { MapSpace } from './space.ts';

export interface Point {
  /** [d * S + s] factor of dim d in slot s (slots of the space: temporal per level, then spatial). */
  readonly tiling: Int32Array;
  /** [l * D + i] the dim at position i (outer to inner) of level l: a permutation of all dims per level. */
  readonly orders: Uint8Array;
  /** [l * T + t] 1 = keep, 0 = bypass. */
  readonly keep: Uint8Array;
}

export function newPoint(space: MapSpace): Point {
  return {
    tiling: new Int32Array(space.dims * space.slots.length),
    orders: new Uint8Array(space.levels * space.dims),
    keep: new Uint8Array(space.levels * space.tensors),
  };
}

export function copyPoint(from: Point, to: Point): void {
  to.tiling.set(from.tiling);
  to.orders.set(from.orders);
  to.keep.set(from.keep);
}

export function clonePoint(p: Point): Point {
  return { tiling: p.tiling.slice(), orders: p.orders.slice(), keep: p.keep.slice() };
}

/** A point from nested arrays: tiling[d][s], orders[l] (outer to inner; missing dims appended), keep[l][t]. */
export function pointOf(space: MapSpace, tiling: readonly (readonly number[])[], orders: readonly (readonly number[])[], keep: readonly (readonly boolean[])[]): Point {
  const p = newPoint(space);
  const S = space.slots.length;
  const D = space.dims;
  for (let d = 0; d < D; d++) for (let s = 0; s < S; s++) p.tiling[d * S + s] = tiling[d][s];
  for (let l = 0; l < space.levels; l++) {
    const o = [...orders[l], ...[...Array(D).keys()].filter((d) => !orders[l].includes(d))];
    for (let i = 0; i < D; i++) p.orders[l * D + i] = o[i];
    for (let t = 0; t < space.tensors; t++) p.keep[l * space.tensors + t] = keep[l][t] ? 1 : 0;
  }
  return p;
}

export function factor(space: MapSpace, p: Point, d: number, s: number): number {
  return p.tiling[d * space.slots.length + s];
}

/** Non-unit temporal dims of level l, in the point's order. */
export function nonUnitOrder(space: MapSpace, p: Point, l: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < space.dims; i++) {
    const d = p.orders[l * space.dims + i];
    if (factor(space, p, d, l) > 1) out.push(d);
  }
  return out;
}

export function toMapping(space: MapSpace, p: Point): Mapping {
  const b = new MappingBuilder(space);
  b.fill(p);
  const m = b.mapping;
  return {
    levels: m.levels.map((lm) => ({
      temporal: lm.temporal.map((x) => ({ dim: x.dim, factor: x.factor })),
      spatial: lm.spatial.map((x) => ({ dim: x.dim, factor: x.factor, axis: x.axis })),
      keep: [...lm.keep],
    })),
  };
}

interface MutableLoop {
  dim: number;
  factor: number;
}
interface MutableSpatial extends MutableLoop {
  axis: 'X' | 'Y';
}

/** One Mapping object rewritten in place for each point (no allocation per candidate). */
export class MappingBuilder {
  readonly mapping: Mapping;
  private readonly temporal: MutableLoop[][];
  private readonly spatial: MutableSpatial[][];
  private readonly keep: boolean[][];
  /** Loop objects per (level, dim) and (slot, dim), reused. */
  private readonly tLoops: MutableLoop[][];
  private readonly sLoops: MutableSpatial[][];
  /** Per level: its spatial slots, Y first (Y loops sit outside X loops). */
  private readonly spatialSlots: number[][];

  constructor(private readonly space: MapSpace) {
    const L = space.levels;
    const D = space.dims;
    this.temporal = Array.from({ length: L }, () => []);
    this.spatial = Array.from({ length: L }, () => []);
    this.keep = Array.from({ length: L }, () => new Array<boolean>(space.tensors).fill(true));
    this.tLoops = Array.from({ length: L }, () => Array.from({ length: D }, (_, d) => ({ dim: d, factor: 1 })));
    this.sLoops = space.slots.map((s) => Array.from({ length: D }, (_, d) => ({ dim: d, factor: 1, axis: s.kind === 'X' ? ('X' as const) : ('Y' as const) })));
    this.spatialSlots = Array.from({ length: L }, (_, l) => {
      const out: number[] = [];
      for (const axis of ['Y', 'X'] as const) space.slots.forEach((s, si) => s.level === l && s.kind === axis && out.push(si));
      return out;
    });
    const levels: LevelMapping[] = [];
    for (let l = 0; l < L; l++) levels.push({ temporal: this.temporal[l] as Loop[], spatial: this.spatial[l] as SpatialLoop[], keep: this.keep[l] });
    this.mapping = { levels };
  }

  fill(p: Point): Mapping {
    const sp = this.space;
    const D = sp.dims;
    const S = sp.slots.length;
    const nT = sp.tensors;
    for (let l = 0; l < sp.levels; l++) {
      const tl = this.temporal[l];
      tl.length = 0;
      for (let i = 0; i < D; i++) {
        const d = p.orders[l * D + i];
        const f = p.tiling[d * S + l];
        if (f > 1) {
          const loop = this.tLoops[l][d];
          loop.factor = f;
          tl.push(loop);
        }
      }
      const sl = this.spatial[l];
      sl.length = 0;
      for (const si of this.spatialSlots[l]) {
        for (let d = 0; d < D; d++) {
          const f = p.tiling[d * S + si];
          if (f > 1) {
            const loop = this.sLoops[si][d];
            loop.factor = f;
            sl.push(loop);
          }
        }
      }
      const k = this.keep[l];
      for (let t = 0; t < nT; t++) k[t] = p.keep[l * nT + t] === 1;
    }
    return this.mapping;
  }
}
