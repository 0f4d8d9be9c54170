/**
 * The outer-tile schedule of a mapping: the temporal loops of every level but the innermost (outermost first),
 * whose iterations are the outer tiles (steps), as a mixed-radix counter.
 *
 * Two tick spaces share the counter. Tensors on the full nest see every step. Tensors the neuron unit touches on
 * the nest with the reduction loops removed (State in psum accumulation, output spikes) see only the *completing*
 * steps (every outer reduction loop at its last iteration), indexed by the counter of the non-reduction loops. A
 * tick's *class* is the outermost loop (of its tick space) whose digit changed since the previous tick; the loops
 * inside it were reset; the first tick has class -1.
 */
import type { Mapping } from '../../mapping/types.ts';
import type { Workload } from '../../workload/types.ts';
import { snapUp } from './grid.ts';

export interface OuterLoop {
  readonly dim: number;
  readonly factor: number;
  /** Arch level (outermost first) whose temporal loop this is. */
  readonly level: number;
  /** A reduction loop of an SNN layer (C, R, S). */
  readonly reduction: boolean;
}

export interface TileSchedule {
  readonly levels: number;
  readonly tensors: number;
  readonly loops: readonly OuterLoop[];
  readonly M: number;
  /** Number of outer tiles (steps) = product of the outer loop factors. */
  readonly steps: number;
  /** Compute cycles of one step on one PE (the innermost level's temporal loops; on the time grid, grid.ts). */
  readonly stepCycles: number;
  /** boundary[e]: number of outer loops at levels above e (the loops that move e's tiles). */
  readonly boundary: readonly number[];
  /** stride[k]: steps per iteration of loop k (product of the factors inside it). */
  readonly stride: Float64Array;
  /** Reduced tick space: rstride[k] for non-reduction loops (0 for reduction loops), and its size. */
  readonly rstride: Float64Array;
  readonly reducedSteps: number;
  /** Completing steps (= reducedSteps) and the step index of the first one. */
  readonly completingSteps: number;
  readonly firstCompleting: number;
  readonly reduction: Uint8Array;
}

export function buildSchedule(w: Workload, mapping: Mapping, levels: number, computeCycles: number): TileSchedule {
  const L = levels;
  const reductionDims = new Set(w.snn?.reductionDims ?? []);
  const loops: OuterLoop[] = [];
  const boundary: number[] = [0];
  for (let e = 0; e < L - 1; e++) {
    for (const l of mapping.levels[e].temporal) {
      if (l.factor > 1) loops.push({ dim: l.dim, factor: l.factor, level: e, reduction: reductionDims.has(l.dim) });
    }
    boundary.push(loops.length);
  }
  const M = loops.length;
  const stride = new Float64Array(M);
  const rstride = new Float64Array(M);
  const reduction = new Uint8Array(M);
  let steps = 1;
  let rsteps = 1;
  let firstCompleting = 0;
  for (let k = M - 1; k >= 0; k--) {
    stride[k] = steps;
    if (loops[k].reduction) {
      reduction[k] = 1;
      firstCompleting += (loops[k].factor - 1) * steps;
    } else {
      rstride[k] = rsteps;
      rsteps *= loops[k].factor;
    }
    steps *= loops[k].factor;
  }
  return {
    levels: L,
    tensors: w.tensors.length,
    loops,
    M,
    steps,
    stepCycles: snapUp(computeCycles / steps),
    boundary,
    stride,
    rstride,
    reducedSteps: rsteps,
    completingSteps: rsteps,
    firstCompleting,
    reduction,
  };
}

/** Step index of a completing step given the digits of the non-reduction loops (reduction digits at their last). */
export function completingStepOf(s: TileSchedule, digits: Int32Array): number {
  let n = 0;
  for (let k = 0; k < s.M; k++) n += (s.reduction[k] ? s.loops[k].factor - 1 : digits[k]) * s.stride[k];
  return n;
}
