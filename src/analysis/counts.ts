/**
 * Access counts of one layer under one mapping: generic tensors with Timeloop v3.0.3 semantics, plus the SNN
 * tensor semantics of DESIGN.md §2 (psum completion at the neuron unit, state and spikes on the nest with the
 * reduction loops removed, final-state write-back elision).
 */
import type { Arch } from '../arch/types.ts';
import type { Mapping } from '../mapping/types.ts';
import { relevantDims, type Workload } from '../workload/types.ts';
import { buildNest } from './build-nest.ts';
import { collapse } from './collapse.ts';
import { runFastNestAnalysis } from './fast-nest.ts';
import type { TensorLevelCounts } from './nest-types.ts';
import { completionLevel } from './snn-order.ts';

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

/** Whether a tensor is analysed on the nest with the reduction loops removed. */
export function onReducedNest(w: Workload, t: number): boolean {
  const role = w.tensors[t].role;
  if (!w.snn) return false;
  return role === 'spikes-out' || (role === 'state' && w.snn.accumulation === 'psum');
}

export function analyzeAccesses(arch: Arch, w: Workload, mapping: Mapping): LayerCounts {
  const L = arch.levels.length;
  const nT = w.tensors.length;
  const keep: boolean[][] = mapping.levels.map((m) => [...m.keep]);
  const completion = new Array<number>(nT).fill(-1);
  w.tensors.forEach((t, i) => {
    if (t.role !== 'psum') return;
    const col = keep.map((k) => k[i]);
    const at = completionLevel(mapping, col, relevantDims(t));
    completion[i] = at;
    for (let l = 0; l < at; l++) keep[l][i] = false;
  });
  const result: TensorLevelCounts[][] = Array.from({ length: L }, () => new Array<TensorLevelCounts>(nT));
  let computeCycles = 0;
  let computeInstances = 1;
  for (const reduced of [false, true]) {
    const idx = w.tensors.map((_, i) => i).filter((i) => onReducedNest(w, i) === reduced);
    if (idx.length === 0 && reduced) continue;
    const nest = buildNest(
      arch,
      w.dims.length,
      idx.map((i) => w.tensors[i]),
      mapping,
      {
        dropDims: reduced ? new Set(w.snn!.reductionDims) : undefined,
        keep: keep.map((k) => idx.map((i) => k[i])),
      },
    );
    const counts = collapse(nest, runFastNestAnalysis(nest));
    if (!reduced) {
      computeCycles = counts.computeCycles;
      computeInstances = counts.computeInstances;
    }
    for (let level = 0; level < L; level++) {
      const ext = L - 1 - level;
      idx.forEach((ti, k) => {
        result[ext][ti] = counts.perLevel[level][k];
      });
    }
  }
  // SNN adjustments.
  for (let ti = 0; ti < nT; ti++) {
    const t = w.tensors[ti];
    if (t.role === 'psum' && completion[ti] >= 0) {
      // The neuron unit reads each completed synaptic current once where its reduction completes.
      const c = result[completion[ti]][ti];
      result[completion[ti]][ti] = { ...c, reads: c.reads + c.partitionSize };
    }
    if (t.role === 'state' && w.snn && !w.snn.keepFinalState) {
      // The state after the last timestep is dead: its final write at every level is elided.
      for (let ext = 0; ext < L; ext++) {
        const c = result[ext][ti];
        if (c.kept) result[ext][ti] = { ...c, updates: Math.max(0, c.updates - c.partitionSize) };
      }
    }
  }
  return { levels: result, computeCycles, computeInstances, completionLevel: completion };
}
