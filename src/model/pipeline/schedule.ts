/**
 * The tile schedule of a mapping: the outer loops (temporal loops of every level but the innermost, outermost
 * first) whose iterations are the outer tiles (steps), and, per step class, which tiles change at which level.
 *
 * A step's class is the index of the loop that advanced to reach it (inner loops reset); step 0 has class -1.
 * Every quantity the timeline needs depends on a step only through its class, so per-class tables replace per-step
 * work, and `classCount` gives how many steps each class has: 1 for class -1, prod(f_0..f_{k-1}) * (f_k - 1) for
 * class k. Class index `ci = k + 1` is used in arrays (0 = the first step; for evictions, 0 = the final drain).
 */
import type { Arch } from '../../arch/types.ts';
import type { Mapping } from '../../mapping/types.ts';
import { relevantDims, type Workload } from '../../workload/types.ts';

export interface OuterLoop {
  readonly dim: number;
  readonly factor: number;
  /** Arch level (outermost first) whose temporal loop this is. */
  readonly level: number;
  /** A reduction loop of an SNN layer (C, R, S): neuron updates follow its last iteration. */
  readonly reduction: boolean;
}

export interface TileSchedule {
  readonly levels: number;
  readonly tensors: number;
  readonly loops: readonly OuterLoop[];
  /** Number of outer tiles (steps) = product of the outer loop factors. */
  readonly steps: number;
  /** Compute cycles of one step on one PE (the innermost level's temporal loops). */
  readonly stepCycles: number;
  /** Steps per class index (ci = k + 1). */
  readonly classCount: readonly number[];
  /** boundary[e]: number of outer loops at levels above e; the tiles of e change only at classes k < boundary[e]. */
  readonly boundary: readonly number[];
  /** Steps per slot of level e: product of the factors of the loops at index >= boundary[e]. */
  readonly slotSteps: readonly number[];
  /** changes[ci * L * T + e * T + t]: the tile of tensor t at level e differs from the previous step's. */
  readonly changes: Uint8Array;
  /** levelChange[ci * L + e]: some kept tensor at e changes in this class. */
  readonly levelChange: Uint8Array;
  /** Tiles (changes, including the first) per (e, t): the weight denominators of the apportionment. */
  readonly tiles: Float64Array;
  /** Tiles per level (steps at which some kept tensor of the level changes, including the first). */
  readonly levelTiles: readonly number[];
  /** Steps after which a reduction completes (all outer reduction loops at their last iteration). */
  readonly completingSteps: number;
}

/** kept[e][t] are the analysis's kept flags (a Psum completing on chip is not kept above its completion level). */
export function buildSchedule(
  arch: Arch,
  w: Workload,
  mapping: Mapping,
  kept: readonly (readonly boolean[])[],
  computeCycles: number,
): TileSchedule {
  const L = arch.levels.length;
  const T = w.tensors.length;
  const reduction = new Set(w.snn?.reductionDims ?? []);
  const loops: OuterLoop[] = [];
  const boundary: number[] = [0];
  for (let e = 0; e < L - 1; e++) {
    for (const l of mapping.levels[e].temporal) {
      if (l.factor > 1) loops.push({ dim: l.dim, factor: l.factor, level: e, reduction: reduction.has(l.dim) });
    }
    boundary.push(loops.length);
  }
  const M = loops.length;
  let steps = 1;
  const classCount: number[] = [1];
  for (const l of loops) {
    classCount.push(steps * (l.factor - 1));
    steps *= l.factor;
  }
  const slotSteps = boundary.map((b) => loops.slice(b).reduce((p, l) => p * l.factor, 1));
  const rel = w.tensors.map((t) => relevantDims(t));
  const changes = new Uint8Array((M + 1) * L * T);
  const levelChange = new Uint8Array((M + 1) * L);
  const tiles = new Float64Array(L * T);
  const levelTiles = new Array<number>(L).fill(0);
  for (let e = 1; e < L; e++) {
    for (let t = 0; t < T; t++) {
      if (!kept[e][t]) continue;
      changes[e * T + t] = 1;
      levelChange[e] = 1;
      let any = false;
      for (let k = boundary[e] - 1; k >= 0; k--) {
        any = any || rel[t].has(loops[k].dim);
        if (any) {
          changes[(k + 1) * L * T + e * T + t] = 1;
          levelChange[(k + 1) * L + e] = 1;
        }
      }
    }
    for (let ci = 0; ci <= M; ci++) {
      if (levelChange[ci * L + e]) levelTiles[e] += classCount[ci];
      for (let t = 0; t < T; t++) if (changes[ci * L * T + e * T + t]) tiles[e * T + t] += classCount[ci];
    }
  }
  levelTiles[0] = 1;
  let reductionProduct = 1;
  for (const l of loops) if (l.reduction) reductionProduct *= l.factor;
  return {
    levels: L,
    tensors: T,
    loops,
    steps,
    stepCycles: computeCycles / steps,
    classCount,
    boundary,
    slotSteps,
    changes,
    levelChange,
    tiles,
    levelTiles,
    completingSteps: steps / reductionProduct,
  };
}
