/**
 * The data of a network schedule (the inter-layer mapping): plain types shared by the spec parser (spec/) and the
 * schedule evaluator (schedule/). Per block: a time-batch size b dividing T, a spatial schedule (whole layer, or
 * fused depth-first over tiles of k output rows or columns) and a per-layer placement of the neuron state.
 */

/**
 * - `auto`: the state lives in the global buffer and is evicted (written back) like any other tensor when it
 *   overflows;
 * - `onchip`: pinned in the global buffer for the whole run (a schedule where it does not fit is infeasible);
 * - `spill`: written back to DRAM after every chunk and read back before the next one;
 * - `stateless`: the layer is made stateless (a what-if the user asks for): no state at all.
 */
export type StatePlacement = 'auto' | 'onchip' | 'spill' | 'stateless';
export const STATE_PLACEMENTS: readonly StatePlacement[] = ['auto', 'onchip', 'spill', 'stateless'];

/** The output axis a schedule cuts layers along: rows (dim P) or columns (dim Q, STEMS's choice). */
export type TileAxis = 'rows' | 'cols';
export const TILE_AXES: readonly TileAxis[] = ['rows', 'cols'];

export interface BlockSchedule {
  /** Timesteps per chunk: 1 = step by step (STEMS ST), T = time-batched (STEMS TB). Divides T. */
  readonly timeBatch: number;
  /** Output lines (rows or columns) of the block's source layers per fused tile; null = whole layer (STEMS LBL). */
  readonly tileRows: number | null;
  /**
   * The axis tiles cut (default `rows`). A whole-layer block without one inherits the axis of the block that
   * feeds it, so its chunks line up with the producer's.
   */
  readonly tileAxis?: TileAxis;
  /** Per layer index: where its state lives (default `auto`). */
  readonly state?: Readonly<Record<number, StatePlacement>>;
}

export interface NetworkSchedule {
  /** One entry per block of the network. */
  readonly blocks: readonly BlockSchedule[];
}
