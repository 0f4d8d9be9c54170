/**
 * The mapspace of one layer on one arch under constraints: where each dim's factors may go (temporal per level,
 * spatial X/Y per level with a physical fan-out), which keep/bypass bits are free, and the loop-order rules.
 * Points of the space are `Point`s (point.ts); this file only describes the space.
 */
import { physicalFanout } from '../../arch/fanout.ts';
import type { Arch } from '../../arch/types.ts';
import type { Workload } from '../../workload/types.ts';
import { noConstraints, type FactorBound, type SearchConstraints } from '../types.ts';
import { orderedFactorizations, type SlotBound } from './factorize.ts';
import { dimClasses, type DimClass } from './orders.ts';

export interface Slot {
  readonly kind: 'temporal' | 'X' | 'Y';
  readonly level: number;
  /** Largest product of factors in this slot over all dims (the fan-out for spatial slots). */
  readonly capacity: number;
}

export interface MapSpace {
  readonly arch: Arch;
  readonly workload: Workload;
  readonly constraints: SearchConstraints;
  readonly levels: number;
  readonly dims: number;
  readonly tensors: number;
  /** Temporal slots first (one per level, index = level), then the spatial slots of levels that fan out. */
  readonly slots: readonly Slot[];
  /** Per dim: every allowed split of its size over the slots (each of length slots.length). */
  readonly dimOptions: readonly (readonly (readonly number[])[])[];
  /** Keep bits fixed by the space: outermost level keeps everything; constraints force others. */
  readonly keepForced: readonly (readonly (boolean | undefined)[])[];
  /** Free keep bits as [level, tensor], in a fixed order. */
  readonly keepFree: readonly (readonly [number, number])[];
  /** Minimum product of all spatial factors (from the min PE utilization). */
  readonly minSpatial: number;
  /** Per tensor, per dim: how loop order affects it (orders.ts). */
  readonly dimClass: readonly (readonly DimClass[])[];
  /** Extra order observer for membrane accumulation: T and the reduction dims never commute. */
  readonly membraneClass?: readonly DimClass[];
  /** Why the space is empty, when it is. */
  readonly emptyBecause: string[];
}

function bound(b: FactorBound | undefined, cap: number): SlotBound {
  if (b?.fixed !== undefined) return { min: b.fixed, max: Math.min(b.fixed, cap) };
  return { min: b?.min ?? 1, max: Math.min(b?.max ?? Infinity, cap) };
}

export function buildMapSpace(arch: Arch, w: Workload, constraints?: SearchConstraints): MapSpace {
  const L = arch.levels.length;
  const D = w.dims.length;
  const nT = w.tensors.length;
  const c = constraints ?? noConstraints(L, D, nT);
  const slots: Slot[] = [];
  for (let l = 0; l < L; l++) slots.push({ kind: 'temporal', level: l, capacity: Infinity });
  for (let l = 0; l < L; l++) {
    const f = physicalFanout(arch, l);
    if (f.y > 1) slots.push({ kind: 'Y', level: l, capacity: f.y });
    if (f.x > 1) slots.push({ kind: 'X', level: l, capacity: f.x });
  }
  const emptyBecause: string[] = [];
  const statefulT = w.snn && !w.snn.stateless ? w.snn.timeDim : -1;
  const dimOptions = w.dims.map((name, d) => {
    const bounds = slots.map((s): SlotBound => {
      const lc = c.levels[s.level];
      if (s.kind === 'temporal') return bound(lc.temporal[d], Infinity);
      const b = bound(s.kind === 'X' ? lc.spatialX[d] : lc.spatialY[d], s.capacity);
      return d === statefulT ? { min: b.min, max: 1 } : b; // the timesteps of a stateful neuron run in order
    });
    // Constraints on an axis that does not fan out: a fixed factor > 1 there cannot be met.
    for (let l = 0; l < L; l++) {
      for (const [axis, arr] of [['X', c.levels[l].spatialX], ['Y', c.levels[l].spatialY]] as const) {
        const b = arr[d];
        const min = b?.fixed ?? b?.min ?? 1;
        if (min > 1 && !slots.some((s) => s.level === l && s.kind === axis)) {
          emptyBecause.push(`${name} needs a spatial factor >= ${min} on ${axis} at ${arch.levels[l].name}, which does not fan out along ${axis}`);
        }
      }
    }
    const opts = orderedFactorizations(w.sizes[d], bounds);
    if (opts.length === 0) emptyBecause.push(`no split of ${name}=${w.sizes[d]} over the levels meets the factor bounds and fan-outs`);
    return opts;
  });
  const keepForced: (boolean | undefined)[][] = [];
  const keepFree: [number, number][] = [];
  for (let l = 0; l < L; l++) {
    const row: (boolean | undefined)[] = [];
    for (let t = 0; t < nT; t++) {
      const forced = c.levels[l].keep[t];
      const v = forced !== undefined ? forced : l === 0 ? true : undefined;
      row.push(v);
      if (v === undefined) keepFree.push([l, t]);
    }
    keepForced.push(row);
  }
  for (let t = 0; t < nT; t++) {
    if (keepForced.every((row) => row[t] === false)) emptyBecause.push(`${w.tensors[t].name} is bypassed at every level by the constraints`);
  }
  const minSpatial = Math.ceil(c.minUtilization * arch.compute.instances - 1e-9);
  return {
    arch,
    workload: w,
    constraints: c,
    levels: L,
    dims: D,
    tensors: nT,
    slots,
    dimOptions,
    keepForced,
    keepFree,
    minSpatial,
    dimClass: w.tensors.map((_, t) => dimClasses(w, t)),
    membraneClass:
      w.snn && w.snn.accumulation === 'membrane'
        ? w.dims.map((_, d) => (d === w.snn!.timeDim || w.snn!.reductionDims.includes(d) ? 'slide' : 'inv'))
        : undefined,
    emptyBecause,
  };
}

/** Product of spatial factors of a tiling (the compute instances used). */
export function spatialProduct(space: MapSpace, tiling: readonly (readonly number[])[]): number {
  let p = 1;
  for (let s = space.levels; s < space.slots.length; s++) for (let d = 0; d < space.dims; d++) p *= tiling[d][s];
  return p;
}
