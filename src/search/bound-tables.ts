/**
 * The per-(arch, workload) constants of the lower bound (bound.ts): tensor projections in compressed rows, which dims
 * are anchors or off a tensor's nest, per-level word sizes, energies, bandwidths, static power, and the
 * mapping-independent compute energy.
 */
import { storedBits, wordsPerVector } from '../arch/types.ts';
import { relevantDims, totalOperations, type Workload } from '../workload/types.ts';
import type { MapSpace } from './mapspace/space.ts';

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
    const ranks = w.tensors.reduce((a, t) => a + t.projection.length, 0);
    const terms = w.tensors.reduce((a, t) => a + t.projection.reduce((b, r) => b + r.length, 0), 0);
    this.rankStart = new Int32Array(nT + 1);
    this.termStart = new Int32Array(ranks + 1);
    this.termDim = new Int32Array(terms);
    this.termCoeff = new Float64Array(terms);
    let ri = 0;
    let ti = 0;
    w.tensors.forEach((t, i) => {
      this.rankStart[i] = ri;
      for (const rank of t.projection) {
        this.termStart[ri++] = ti;
        for (const term of rank) {
          this.termDim[ti] = term.dim;
          this.termCoeff[ti] = term.coeff;
          ti++;
        }
      }
    });
    this.rankStart[nT] = ri;
    this.termStart[ri] = ti;
    this.bits = new Float64Array(L * nT);
    this.wpv = new Float64Array(L * nT);
    this.eRead = new Float64Array(L);
    this.eFill = new Float64Array(L);
    this.eUpdate = new Float64Array(L);
    this.width = new Float64Array(L);
    this.offChip = new Uint8Array(L);
    this.readBw = new Float64Array(L);
    this.writeBw = new Float64Array(L);
    this.sharedBw = new Float64Array(L);
    let leak = 0;
    arch.levels.forEach((lvl, e) => {
      for (let t = 0; t < nT; t++) {
        this.bits[e * nT + t] = storedBits(lvl, w.tensors[t].bits);
        this.wpv[e * nT + t] = wordsPerVector(lvl, w.tensors[t].bits);
      }
      this.eRead[e] = lvl.energy.read;
      this.eFill[e] = lvl.energy.fill;
      this.eUpdate[e] = lvl.energy.update;
      this.width[e] = lvl.widthBits;
      this.offChip[e] = lvl.offChip ? 1 : 0;
      const bw = (x: number | null): number => (x !== null && x > 0 ? x : 0);
      this.readBw[e] = bw(lvl.readBandwidth);
      this.writeBw[e] = bw(lvl.writeBandwidth);
      this.sharedBw[e] = bw(lvl.sharedBandwidth);
      leak += lvl.leakageMw * lvl.instances;
    });
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
