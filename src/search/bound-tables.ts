/**
 * The per-(arch, workload) constants of the lower bound (bound.ts): tensor projections in compressed rows, which dims
 * are anchors or off a tensor's nest, per-level word sizes, energies, bandwidths, static power, and the
 * mapping-independent compute energy.
 */
import { levelTables } from '../arch/level-tables.ts';
import { relevantDims, totalOperations, type Workload } from '../workload/types.ts';
import type { MapSpace } from './mapspace/space.ts';
import { projectionRows } from '../workload/projection-rows.ts';

/** Mapping-independent compute energy (the same actions as the model's compute stage, DESIGN.md §2). */
export function computeEnergy(space: MapSpace): number {
  const w: Workload = space.workload;
  const e = (a: string): number => space.arch.compute.energy[a] ?? 0;
  const ops = totalOperations(w);
  if (!w.snn) return ops * e('mac');
  const input = w.tensors[w.snn.inputTensor];
  const synaptic = w.snn.zeroSkipping ? ops * input.density : ops;
  let energy = synaptic * e(w.snn.spikingInput ? 'ac' : 'mac');
  const out = w.tensors.find((t) => t.role === 'spikes-out');
  if (out) {
    let neurons = 1;
    for (const d of relevantDims(out)) neurons *= w.sizes[d];
    energy += neurons * e('neuron_update');
  }
  return energy;
}

/** How a tensor is counted: read-only operand, result (read-write, updates), partial sum, not counted (state). */
export const R_OPERAND = 0;
export const R_RESULT = 1;
export const R_PSUM = 2;
export const R_NONE = 3;

export class BoundTables {
  readonly kind: Uint8Array; // per tensor: R_*
  readonly drop: Uint8Array; // [t * D + d] dim not on the tensor's nest
  readonly anchor: Uint8Array; // [t * D + d]
  readonly rankStart: Int32Array;
  readonly termStart: Int32Array;
  readonly termDim: Int32Array;
  readonly termCoeff: Float64Array;
  /** Per tensor: its ranks share no dim (then multicast groups multiply over ranks). */
  readonly disjoint: Uint8Array;
  readonly bits: Float64Array; // [e * T + t]
  readonly wpv: Float64Array;
  readonly eRead: Float64Array;
  readonly eFill: Float64Array;
  readonly eUpdate: Float64Array;
  readonly width: Float64Array;
  readonly offChip: Uint8Array;
  readonly readBw: Float64Array;
  readonly writeBw: Float64Array;
  readonly sharedBw: Float64Array;
  readonly staticPerCycle: number;
  /** The innermost level fans out to the compute units. */
  readonly innermostFanout: boolean;
  readonly fixedEnergy: number;

  constructor(space: MapSpace) {
    const { levels: L, dims: D, tensors: nT, arch, workload: w } = space;
    this.kind = Uint8Array.from(w.tensors, (t) => (t.role === 'psum' ? R_PSUM : t.role === 'state' ? R_NONE : t.readWrite ? R_RESULT : R_OPERAND));
    this.drop = new Uint8Array(nT * D);
    this.anchor = new Uint8Array(nT * D);
    w.tensors.forEach((t, i) => {
      const reduced = w.snn && (t.role === 'spikes-out' || (t.role === 'state' && w.snn.accumulation === 'psum'));
      if (reduced) for (const d of w.snn!.reductionDims) this.drop[i * D + d] = 1;
      for (const rank of t.projection) {
        const terms = rank.filter((x) => x.coeff !== 0);
        if (terms.length === 1 && Math.abs(terms[0].coeff) >= 1) this.anchor[i * D + terms[0].dim] = 1;
      }
    });
    ({ rankStart: this.rankStart, termStart: this.termStart, termDim: this.termDim, termCoeff: this.termCoeff } = projectionRows(w.tensors));
    const lv = levelTables(arch, w.tensors.map((t) => t.bits));
    ({ bits: this.bits, wpv: this.wpv, eRead: this.eRead, eFill: this.eFill, eUpdate: this.eUpdate, width: this.width, offChip: this.offChip } = lv);
    ({ readBw: this.readBw, writeBw: this.writeBw, sharedBw: this.sharedBw } = lv);
    const leak = lv.leakMw.reduce((a, x) => a + x, 0);
    this.staticPerCycle = ((arch.compute.idleMw + leak) * 1000) / arch.clockMhz;
    const last = space.slots.some((s) => s.kind !== 'temporal' && s.level === L - 1);
    this.innermostFanout = last;
    this.fixedEnergy = computeEnergy(space);
    this.disjoint = Uint8Array.from(w.tensors, (t) => {
      const seen = new Set<number>();
      for (const rank of t.projection) {
        const dims = new Set(rank.filter((x) => x.coeff !== 0).map((x) => x.dim));
        for (const d of dims) {
          if (seen.has(d)) return 0;
          seen.add(d);
        }
      }
      return 1;
    });
  }
}
