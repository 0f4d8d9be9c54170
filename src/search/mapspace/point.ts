/** A point of the mapspace (tiling, loop orders, keep/bypass) and its conversion to the ONE Mapping type. */
import type { LevelMapping, Loop, Mapping, SpatialLoop } from '../../mapping/types.ts';
import { orderKey, type DimClass } from './orders.ts';
import type { MapSpace } from './space.ts';

export interface Point {
  /** [dim][slot] factor (slots of the space: temporal per level, then spatial). */
  readonly tiling: readonly (readonly number[])[];
  /** [level] a permutation of all dims, outer to inner; unit loops are dropped when converting. */
  readonly orders: readonly (readonly number[])[];
  /** [level][tensor] keep (true) or bypass (false). */
  readonly keep: readonly (readonly boolean[])[];
}

export function toMapping(space: MapSpace, p: Point): Mapping {
  const levels: LevelMapping[] = [];
  for (let l = 0; l < space.levels; l++) {
    const temporal: Loop[] = [];
    for (const d of p.orders[l]) if (p.tiling[d][l] > 1) temporal.push({ dim: d, factor: p.tiling[d][l] });
    const spatial: SpatialLoop[] = [];
    for (const axis of ['Y', 'X'] as const) {
      space.slots.forEach((s, si) => {
        if (s.level !== l || s.kind !== axis) return;
        for (let d = 0; d < space.dims; d++) if (p.tiling[d][si] > 1) spatial.push({ dim: d, factor: p.tiling[d][si], axis });
      });
    }
    levels.push({ temporal, spatial, keep: [...p.keep[l]] });
  }
  return { levels };
}

/**
 * Observers of the loop order at a level: every tensor (the compute units below all levels see a new operand
 * element only when it changes, so even the innermost level's order matters), plus the membrane rule.
 */
export function orderObservers(space: MapSpace): DimClass[][] {
  const obs = space.dimClass.map((c) => c as DimClass[]);
  if (space.membraneClass) obs.push(space.membraneClass as DimClass[]);
  return obs;
}

/** Non-unit temporal dims of level `l`, in the point's order. */
export function nonUnitOrder(p: Point, l: number): number[] {
  return p.orders[l].filter((d) => p.tiling[d][l] > 1);
}

/** A key equal for points of equal cost (tiling, keep, and the cost-equivalence class of each level's order). */
export function pointKey(space: MapSpace, p: Point): string {
  let k = '';
  for (const row of p.tiling) k += row.join(',') + ';';
  for (const row of p.keep) k += row.map((b) => (b ? '1' : '0')).join('');
  for (let l = 0; l < space.levels; l++) k += '/' + orderKey(nonUnitOrder(p, l), orderObservers(space));
  return k;
}

export function clonePoint(p: Point): { tiling: number[][]; orders: number[][]; keep: boolean[][] } {
  return { tiling: p.tiling.map((r) => [...r]), orders: p.orders.map((r) => [...r]), keep: p.keep.map((r) => [...r]) };
}
