/** The loop nest as the delta analysis walks it (innermost loop first, like Timeloop's nest). */
import type { ProjectionTerm } from '../workload/types.ts';

export type LoopKind = 'T' | 'X' | 'Y';

export interface NestLoop {
  readonly dim: number;
  readonly end: number;
  readonly kind: LoopKind;
  /** Internal storage level, 0 = innermost. */
  readonly level: number;
}

export interface NestTensor {
  readonly projection: readonly (readonly ProjectionTerm[])[];
  readonly readWrite: boolean;
}

export interface NestProblem {
  readonly dimCount: number;
  readonly tensors: readonly NestTensor[];
  readonly levelCount: number;
  /**
   * Innermost first. Within a level: its spatial loops (X inner to Y), then its temporal loops; every level has
   * at least one temporal loop, and its outermost temporal loop is the level's storage boundary.
   */
  readonly loops: readonly NestLoop[];
  /** Physical fan-out of each level to its children along X and Y (internal level order). */
  readonly fanoutX: readonly number[];
  readonly fanoutY: readonly number[];
  /** keep[level][tensor], internal level order. */
  readonly keep: readonly (readonly boolean[])[];
}

/** Per level (internal order) and tensor: the counts Timeloop's tiling step produces. */
export interface TensorLevelCounts {
  readonly kept: boolean;
  readonly reads: number;
  readonly fills: number;
  readonly updates: number;
  readonly size: number;
  readonly partitionSize: number;
  readonly instances: number;
  readonly temporalReductions: number;
  readonly multicast: number;
  readonly spatialReductions: number;
  readonly linkTransfers: number;
}

export interface NestCounts {
  /** [level][tensor], internal level order (0 = innermost). */
  readonly perLevel: readonly (readonly TensorLevelCounts[])[];
  /** Compute cycles per compute instance (spatial steps included). */
  readonly computeCycles: number;
  /** Compute instances used (product of all spatial factors). */
  readonly computeInstances: number;
}
