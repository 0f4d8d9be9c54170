/**
 * The mapspace of one layer on one arch under constraints: where each dim's factors may go (temporal per level,
 * spatial X/Y per level with a physical fan-out), which keep/bypass bits are free, the loop-order rules (partial
 * orders from the constraints, and for membrane accumulation "every T loop outside all reduction loops", DESIGN.md
 * §2, built into the space so no candidate breaks it) and who observes each level's loop order (orders.ts).
 * Points of the space are `Point`s (point.ts); this file only describes the space, in dense arrays.
 */
import { physicalFanout } from '../../arch/fanout.ts';
import type { Arch } from '../../arch/types.ts';
import type { Workload } from '../../workload/types.ts';
import { noConstraints, type FactorBound, type SearchConstraints } from '../types.ts';
import { orderedFactorizations, type SlotBound } from './factorize.ts';
import { observerClasses, type DimClass } from './orders.ts';

export interface Slot {
  readonly kind: 'temporal' | 'X' | 'Y';
  readonly level: number;
  /** Largest product of factors in this slot over all dims (the fan-out for spatial slots). */
  readonly capacity: number;
}

/** Why the space is empty: a message and, when it comes from the constraints, the level and dim it concerns. */
export interface EmptyReason {
  readonly message: string;
  readonly level?: number;
  readonly dim?: number;
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
  /** Bounds of each dim's factor in each slot: [d * S + s]. */
  readonly slotMin: Float64Array;
  readonly slotMax: Float64Array;
  /** Keep bits fixed by the space: outermost level keeps everything; constraints force others. */
  readonly keepForced: readonly (readonly (boolean | undefined)[])[];
  /** Free keep bits as [level, tensor], in a fixed order. */
  readonly keepFree: readonly (readonly [number, number])[];
  /** Minimum product of all spatial factors (from the min PE utilization). */
  readonly minSpatial: number;
  /** Per level: pairs [a, b] = a non-unit `a` loop sits outside a non-unit `b` loop at that level. */
  readonly precedence: readonly (readonly (readonly [number, number])[])[];
  /** Membrane accumulation: the time dim and a mask of the reduction dims (T loops outside every reduction loop). */
  readonly membrane?: { readonly time: number; readonly reduction: Uint8Array };
  /** Per level: the order observers (class vectors per dim, orders.ts); empty when the level's order costs nothing. */
  readonly observers: readonly (readonly (readonly DimClass[])[])[];
  /** At most one spatial axis per dim and level (SpaceOptions). */
  readonly singleAxis: boolean;
  /** Why the space is empty, when it is. */
  readonly emptyBecause: readonly EmptyReason[];
}

function bound(b: FactorBound | undefined, cap: number): SlotBound {
  if (b?.fixed !== undefined) return { min: b.fixed, max: Math.min(b.fixed, cap) };
  return { min: b?.min ?? 1, max: Math.min(b?.max ?? Infinity, cap) };
}

export interface SpaceOptions {
  /** At most one spatial axis per dim and level (Timeloop's spatial directive has one factor per dim). */
  readonly singleAxis?: boolean;
}

export function buildMapSpace(arch: Arch, w: Workload, constraints?: SearchConstraints, options: SpaceOptions = {}): MapSpace {
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
  const S = slots.length;
  const emptyBecause: EmptyReason[] = [];
  const statefulT = w.snn && !w.snn.stateless ? w.snn.timeDim : -1;
  const slotMin = new Float64Array(D * S);
  const slotMax = new Float64Array(D * S);
  const dimOptions = w.dims.map((name, d) => {
    const bounds = slots.map((s): SlotBound => {
      const lc = c.levels[s.level];
      if (s.kind === 'temporal') return bound(lc.temporal[d], Infinity);
      const b = bound(s.kind === 'X' ? lc.spatialX[d] : lc.spatialY[d], s.capacity);
      return d === statefulT ? { min: b.min, max: 1 } : b; // the timesteps of a stateful neuron run in order
    });
    bounds.forEach((b, s) => {
      slotMin[d * S + s] = b.min;
      slotMax[d * S + s] = b.max;
    });
    for (let l = 0; l < L; l++) {
      const fan = physicalFanout(arch, l);
      for (const [axis, arr, cap] of [['X', c.levels[l].spatialX, fan.x], ['Y', c.levels[l].spatialY, fan.y]] as const) {
        const b = arr[d];
        const min = b?.fixed ?? b?.min ?? 1;
        if (min <= 1) continue;
        if (d === statefulT) {
          emptyBecause.push({ level: l, dim: d, message: `${name} needs a spatial factor >= ${min} on ${axis} at ${arch.levels[l].name}, but the timesteps of a stateful neuron run in order (each starts from the previous membrane potential): T can never be spatial` });
        } else if (cap <= 1) {
          emptyBecause.push({ level: l, dim: d, message: `${name} needs a spatial factor >= ${min} on ${axis} at ${arch.levels[l].name}, which does not fan out along ${axis}` });
        } else if (min > cap) {
          emptyBecause.push({ level: l, dim: d, message: `${name} needs a spatial factor >= ${min} on ${axis} at ${arch.levels[l].name}, which fans out to ${cap} along ${axis}` });
        }
      }
    }
    let opts = orderedFactorizations(w.sizes[d], bounds);
    if (options.singleAxis) {
      opts = opts.filter((o) => {
        for (let l = 0; l < L; l++) {
          let axes = 0;
          slots.forEach((s, si) => s.level === l && s.kind !== 'temporal' && o[si] > 1 && axes++);
          if (axes > 1) return false;
        }
        return true;
      });
    }
    if (opts.length === 0 && !emptyBecause.some((e) => e.dim === d)) emptyBecause.push({ dim: d, message: explainNoSplit(arch, w, d, bounds, slots) });
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
    if (keepForced.every((row) => row[t] === false)) emptyBecause.push({ message: `${w.tensors[t].name} is bypassed at every level by the constraints` });
  }
  const minSpatial = Math.ceil(c.minUtilization * arch.compute.instances - 1e-9);
  let membrane: MapSpace['membrane'];
  if (w.snn && w.snn.accumulation === 'membrane') {
    const reduction = new Uint8Array(D);
    for (const d of w.snn.reductionDims) reduction[d] = 1;
    membrane = { time: w.snn.timeDim, reduction };
  }
  const precedence = c.levels.map((lc) => {
    const pairs: [number, number][] = [];
    for (let i = 0; i + 1 < lc.order.length; i++) pairs.push([lc.order[i], lc.order[i + 1]]);
    if (membrane) for (let d = 0; d < D; d++) if (membrane.reduction[d]) pairs.push([membrane.time, d]);
    return pairs;
  });
  const classes = w.tensors.map((_, t) => observerClasses(w, t));
  const observers = arch.levels.map((_, l) => {
    // The innermost level without a fan-out to the compute units: its children read every operand at every step,
    // whatever the order (the kernel counts compute cycles there), so its order costs nothing.
    const f = physicalFanout(arch, l);
    return l === L - 1 && f.x * f.y === 1 ? [] : classes;
  });
  return { arch, workload: w, constraints: c, levels: L, dims: D, tensors: nT, slots, dimOptions, slotMin, slotMax, keepForced, keepFree, minSpatial, precedence, membrane, observers, singleAxis: !!options.singleAxis, emptyBecause };
}

function explainNoSplit(arch: Arch, w: Workload, d: number, bounds: readonly SlotBound[], slots: readonly Slot[]): string {
  const name = w.dims[d];
  const where = (s: Slot): string => (s.kind === 'temporal' ? `${arch.levels[s.level].name} temporal` : `${arch.levels[s.level].name} spatial ${s.kind}`);
  const fixed: string[] = [];
  let minProduct = 1;
  bounds.forEach((b, s) => {
    if (b.min > 1) {
      fixed.push(`${where(slots[s])} >= ${b.min}`);
      minProduct *= b.min;
    }
  });
  const why = minProduct > w.sizes[d] ? `their minimums multiply to ${minProduct} > ${w.sizes[d]}` : 'no combination of divisors fits every bound';
  return `no split of ${name}=${w.sizes[d]} over the levels meets the factor bounds (${fixed.join(', ') || 'fan-outs'}): ${why}; relax a bound of ${name} in the constraints file`;
}

/** Product of spatial factors of a tiling (the compute instances used). */
export function spatialProduct(space: MapSpace, tiling: ArrayLike<number>): number {
  const S = space.slots.length;
  let p = 1;
  for (let d = 0; d < space.dims; d++) for (let s = space.levels; s < S; s++) p *= tiling[d * S + s];
  return p;
}

/**
 * Membrane accumulation: every T loop outside all reduction loops. For a tiling: no reduction factor (temporal or
 * spatial) at a level outside the innermost level with a T factor (loops of a level run outside its spatial loops,
 * so reductions spread spatially at that level are fine); the order inside that level is the precedence rule.
 */
export function membraneTilingOk(space: MapSpace, tiling: ArrayLike<number>): boolean {
  const m = space.membrane;
  if (!m) return true;
  const S = space.slots.length;
  let innermostT = -1;
  for (let l = 0; l < space.levels; l++) if (tiling[m.time * S + l] > 1) innermostT = l;
  if (innermostT <= 0) return true;
  for (let s = 0; s < S; s++) {
    if (space.slots[s].level >= innermostT) continue;
    for (let d = 0; d < space.dims; d++) if (m.reduction[d] && tiling[d * S + s] > 1) return false;
  }
  return true;
}
