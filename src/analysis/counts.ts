/**
 * Access counts of one layer under one mapping, in dense arrays reused across mappings (the hot path of search):
 * generic tensors with Timeloop v3.0.3 semantics, plus the SNN semantics of DESIGN.md §2 (psum completion at the
 * neuron unit, State and output spikes on the nest with the reduction loops removed, final-state write-back
 * elision). A kernel is built once per (arch, workload); `run(mapping)` overwrites its arrays.
 *
 * Dense layout: index = arch level (outermost first) * tensors + tensor (workload order).
 */
import { physicalFanout } from '../arch/fanout.ts';
import type { Arch } from '../arch/types.ts';
import type { Mapping } from '../mapping/types.ts';
import { opDensity, type Workload } from '../workload/types.ts';
import { NestKernel } from './kernel-nest.ts';
import type { TensorLevelCounts } from './nest-types.ts';
import { psumCompletion } from './snn-order.ts';

/** Whether a tensor is analysed on the nest with the reduction loops removed. */
export function onReducedNest(w: Workload, t: number): boolean {
  const role = w.tensors[t].role;
  if (!w.snn) return false;
  return role === 'spikes-out' || (role === 'state' && w.snn.accumulation === 'psum');
}

/** Fraction of the synaptic ops whose accesses to tensor t happen (zero-skipping; workload/types.ts). */
export const opGate = opDensity;

export interface LayerCounts {
  /** [arch level, outermost first][tensor] */
  readonly levels: readonly (readonly TensorLevelCounts[])[];
  /** Compute cycles per compute instance on the full nest. */
  readonly computeCycles: number;
  /** Compute instances used by the full nest. */
  readonly computeInstances: number;
  /** Per tensor: arch level where the neuron unit consumes it (psum), else -1. */
  readonly completionLevel: readonly number[];
}

interface NestPart {
  readonly kernel: NestKernel;
  /** The nest with the reduction loops removed. */
  readonly reduced: boolean;
  /** Workload tensor index of each of the nest's tensors. */
  readonly tensors: Int32Array;
}

export class LayerKernel {
  readonly L: number;
  readonly nT: number;
  readonly kept: Uint8Array;
  readonly reads: Float64Array;
  readonly fills: Float64Array;
  readonly updates: Float64Array;
  readonly size: Float64Array;
  readonly partition: Float64Array;
  readonly instances: Float64Array;
  readonly temporalReductions: Float64Array;
  readonly multicast: Float64Array;
  readonly spatialReductions: Float64Array;
  readonly linkTransfers: Float64Array;
  /** Per tensor: arch level where the neuron unit consumes it (psum), else -1. */
  readonly completion: Int32Array;
  /** Per tensor: outermost level that holds its partial sums (psum), else -1. */
  readonly completionOuter: Int32Array;
  computeCycles = 0;
  computeInstances = 1;
  private readonly parts: NestPart[] = [];
  private readonly keep: Uint8Array;
  /** Per psum tensor (else null): dims it depends on. */
  private readonly relevant: (Uint8Array | null)[];
  private readonly stateTensors: number[];

  constructor(arch: Arch, w: Workload) {
    const L = arch.levels.length;
    const nT = w.tensors.length;
    this.L = L;
    this.nT = nT;
    const n = L * nT;
    this.kept = new Uint8Array(n);
    this.reads = new Float64Array(n);
    this.fills = new Float64Array(n);
    this.updates = new Float64Array(n);
    this.size = new Float64Array(n);
    this.partition = new Float64Array(n);
    this.instances = new Float64Array(n);
    this.temporalReductions = new Float64Array(n);
    this.multicast = new Float64Array(n);
    this.spatialReductions = new Float64Array(n);
    this.linkTransfers = new Float64Array(n);
    this.completion = new Int32Array(nT).fill(-1);
    this.completionOuter = new Int32Array(nT).fill(-1);
    this.keep = new Uint8Array(n);
    const fanX: number[] = [];
    const fanY: number[] = [];
    for (let level = 0; level < L; level++) {
      const f = physicalFanout(arch, L - 1 - level);
      fanX.push(f.x);
      fanY.push(f.y);
    }
    for (const reduced of [false, true]) {
      const idx = w.tensors.map((_, i) => i).filter((i) => onReducedNest(w, i) === reduced);
      if (idx.length === 0 && reduced) continue; // the full nest is always run: it gives the compute cycles
      const gates = idx.map((i) => opGate(w, i));
      const kernel = new NestKernel(L, w.dims.length, idx.map((i) => w.tensors[i]), fanX, fanY, reduced ? w.snn!.reductionDims : [], gates);
      this.parts.push({ kernel, reduced, tensors: Int32Array.from(idx) });
    }
    this.relevant = w.tensors.map((t) => {
      if (t.role !== 'psum') return null;
      const rel = new Uint8Array(w.dims.length);
      for (const rank of t.projection) for (const term of rank) if (term.coeff !== 0) rel[term.dim] = 1;
      return rel;
    });
    this.stateTensors = w.snn && !w.snn.keepFinalState ? w.tensors.flatMap((t, i) => (t.role === 'state' ? [i] : [])) : [];
  }

  run(mapping: Mapping): void {
    const L = this.L;
    const nT = this.nT;
    const keep = this.keep;
    for (let e = 0; e < L; e++) {
      const k = mapping.levels[e].keep;
      for (let t = 0; t < nT; t++) keep[e * nT + t] = k[t] ? 1 : 0;
    }
    // A psum is kept only as far out as partial sums go; the neuron unit reads it where it completes.
    for (let t = 0; t < nT; t++) {
      const rel = this.relevant[t];
      if (rel === null) {
        this.completion[t] = -1;
        this.completionOuter[t] = -1;
        continue;
      }
      const c = psumCompletion(mapping, keep, nT, t, rel);
      this.completion[t] = c.inner;
      this.completionOuter[t] = c.outer;
      for (let e = 0; e < c.outer; e++) keep[e * nT + t] = 0;
    }
    for (const part of this.parts) {
      const k = part.kernel;
      k.run(mapping, keep, nT, part.tensors);
      if (!part.reduced) {
        this.computeCycles = k.computeCycles;
        this.computeInstances = k.computeInstances;
      }
      const o = k.out;
      const m = part.tensors.length;
      for (let level = 0; level < L; level++) {
        const e = L - 1 - level;
        for (let j = 0; j < m; j++) {
          const src = level * m + j;
          const dst = e * nT + part.tensors[j];
          this.kept[dst] = o.kept[src];
          this.reads[dst] = o.reads[src];
          this.fills[dst] = o.fills[src];
          this.updates[dst] = o.updates[src];
          this.size[dst] = o.size[src];
          this.partition[dst] = o.partition[src];
          this.instances[dst] = o.instances[src];
          this.temporalReductions[dst] = o.temporalReductions[src];
          this.multicast[dst] = o.multicast[src];
          this.spatialReductions[dst] = o.spatialReductions[src];
          this.linkTransfers[dst] = o.linkTransfers[src];
        }
      }
    }
    for (let t = 0; t < nT; t++) {
      const at = this.completion[t];
      if (at < 0) continue;
      // The neuron unit reads each completed synaptic current once, where it completes.
      this.reads[at * nT + t] += this.partition[at * nT + t];
      // Partial sums spilled further out come back, but the completed value is never written out again: the last
      // write-back of each element at every level between the completion level and the outermost one that holds
      // partials is elided.
      for (let e = this.completionOuter[t]; e < at; e++) {
        const i = e * nT + t;
        if (this.kept[i]) this.updates[i] = Math.max(0, this.updates[i] - this.partition[i]);
      }
    }
    // The state after the last timestep is dead unless the workload keeps it: its write-back after the last timestep
    // is elided at every level outside the innermost one that holds it (where the neuron unit writes it every step).
    for (const t of this.stateTensors) {
      let innermost = -1;
      for (let e = L - 1; e >= 0; e--) {
        if (this.kept[e * nT + t]) {
          innermost = e;
          break;
        }
      }
      for (let e = 0; e < innermost; e++) {
        const i = e * nT + t;
        if (this.kept[i]) this.updates[i] = Math.max(0, this.updates[i] - this.partition[i]);
      }
    }
  }

  /** The counts as objects (for the full evaluation and the pipeline timing model). */
  toLayerCounts(): LayerCounts {
    const levels: TensorLevelCounts[][] = [];
    for (let e = 0; e < this.L; e++) {
      const row: TensorLevelCounts[] = [];
      for (let t = 0; t < this.nT; t++) {
        const i = e * this.nT + t;
        row.push({
          kept: this.kept[i] === 1,
          reads: this.reads[i],
          fills: this.fills[i],
          updates: this.updates[i],
          size: this.size[i],
          partitionSize: this.partition[i],
          instances: this.instances[i],
          temporalReductions: this.temporalReductions[i],
          multicast: this.multicast[i],
          spatialReductions: this.spatialReductions[i],
          linkTransfers: this.linkTransfers[i],
        });
      }
      levels.push(row);
    }
    return { levels, computeCycles: this.computeCycles, computeInstances: this.computeInstances, completionLevel: [...this.completion] };
  }
}

const KERNELS = new WeakMap<Arch, WeakMap<Workload, LayerKernel>>();

/** The kernel of (arch, workload), built on first use. */
export function layerKernel(arch: Arch, w: Workload): LayerKernel {
  let byWorkload = KERNELS.get(arch);
  if (!byWorkload) KERNELS.set(arch, (byWorkload = new WeakMap()));
  let k = byWorkload.get(w);
  if (!k) byWorkload.set(w, (k = new LayerKernel(arch, w)));
  return k;
}

export function analyzeAccesses(arch: Arch, w: Workload, mapping: Mapping): LayerCounts {
  const k = layerKernel(arch, w);
  k.run(mapping);
  return k.toLayerCounts();
}
