/**
 * Lower bounds on the totals of every point that shares a tiling and keep/bypass choice (any loop order):
 * ideal compute (the compute energy does not depend on the mapping; compute cycles are the product of the temporal
 * factors) plus compulsory traffic (each distinct element of an operand is read at least once from its outermost
 * keeping level and filled at least once into every inner level that keeps it; each result element is written at
 * least once into every level that keeps it). Partial sums and neuron state may need no traffic and are left out.
 */
import { storedBits, wordsPerVector } from '../arch/types.ts';
import { relevantDims, totalOperations } from '../workload/types.ts';
import type { MapSpace } from './mapspace/space.ts';
import type { SearchTotals } from './types.ts';

export interface BoundContext {
  readonly computeEnergy: number;
  /** Per tensor: a lower bound on the distinct elements the layer touches (0 = no compulsory traffic counted). */
  readonly distinct: readonly number[];
}

export function boundContext(space: MapSpace): BoundContext {
  const w = space.workload;
  const e = (a: string): number => space.arch.compute.energy[a] ?? 0;
  const ops = totalOperations(w);
  let computeEnergy: number;
  if (!w.snn) computeEnergy = ops * e('mac');
  else {
    const input = w.tensors[w.snn.inputTensor];
    const synaptic = w.snn.zeroSkipping ? ops * input.density : ops;
    computeEnergy = synaptic * e(w.snn.spikingInput ? 'ac' : 'mac');
    const out = w.tensors.find((t) => t.role === 'spikes-out');
    if (out) {
      let neurons = 1;
      for (const d of relevantDims(out)) neurons *= w.sizes[d];
      computeEnergy += neurons * e('neuron_update');
    }
  }
  // Each rank takes at least as many distinct values as any one of its terms alone.
  const distinct = w.tensors.map((t) => {
    if (t.role === 'psum' || t.role === 'state') return 0;
    let n = 1;
    for (const rank of t.projection) {
      let m = 1;
      for (const term of rank) if (term.coeff !== 0) m = Math.max(m, w.sizes[term.dim]);
      n *= m;
    }
    return n;
  });
  return { computeEnergy, distinct };
}

export function lowerBound(space: MapSpace, ctx: BoundContext, tiling: readonly (readonly number[])[], keep: readonly (readonly boolean[])[]): SearchTotals {
  let computeCycles = 1;
  for (let d = 0; d < space.dims; d++) for (let l = 0; l < space.levels; l++) computeCycles *= tiling[d][l];
  let energy = ctx.computeEnergy;
  let offchip = 0;
  const readBits = new Array<number>(space.levels).fill(0);
  const writeBits = new Array<number>(space.levels).fill(0);
  for (let t = 0; t < space.tensors; t++) {
    const tensor = space.workload.tensors[t];
    const n = ctx.distinct[t];
    if (n === 0) continue;
    const operand = tensor.role === 'input' || tensor.role === 'weight';
    let home = -1;
    for (let l = 0; l < space.levels; l++) {
      if (!keep[l][t]) continue;
      const lvl = space.arch.levels[l];
      const vec = n / wordsPerVector(lvl, tensor.bits);
      const bits = n * storedBits(lvl, tensor.bits);
      const perInstance = bits / lvl.instances;
      if (home < 0) {
        home = l;
        if (operand) {
          energy += vec * lvl.energy.read;
          readBits[l] += perInstance;
        }
      }
      if (operand && l !== home) {
        energy += vec * lvl.energy.fill;
        writeBits[l] += perInstance;
      }
      if (!operand) {
        energy += vec * lvl.energy.update;
        writeBits[l] += perInstance;
      }
      if (lvl.offChip) offchip += bits / 8;
    }
  }
  let cycles = computeCycles;
  space.arch.levels.forEach((lvl, l) => {
    const lim = (bits: number, bw: number | null): void => {
      if (bw !== null && bw > 0 && bits > 0) cycles = Math.max(cycles, Math.ceil(bits / bw - 1e-9));
    };
    lim(readBits[l], lvl.readBandwidth);
    lim(writeBits[l], lvl.writeBandwidth);
    lim(readBits[l] + writeBits[l], lvl.sharedBandwidth);
  });
  return { energy_pJ: energy, cycles, offchip_bytes: offchip };
}
