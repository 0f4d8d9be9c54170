/**
 * The ONE loop-nest type (DESIGN.md §1): per storage level, temporal loops (outer to inner), spatial loops
 * (fan-out to the next inner level's instances, each on the X or Y axis), and keep/bypass per tensor.
 */

export interface Loop {
  readonly dim: number;
  readonly factor: number;
}

export interface SpatialLoop extends Loop {
  readonly axis: 'X' | 'Y';
}

export interface LevelMapping {
  /** Temporal loops, outermost first. Dims not listed have factor 1. */
  readonly temporal: readonly Loop[];
  /**
   * Spatial loops of this level: the fan-out from this level to the instances of the next inner level (or to the
   * compute units below the innermost level). Outermost first; Y loops sit outside X loops (Timeloop convention).
   */
  readonly spatial: readonly SpatialLoop[];
  /** Per tensor (workload order): true = a tile is kept at this level, false = bypassed. */
  readonly keep: readonly boolean[];
}

export interface Mapping {
  /** One entry per arch storage level, outermost first (same order as `Arch.levels`). */
  readonly levels: readonly LevelMapping[];
}
