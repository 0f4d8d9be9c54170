/** Data of block runs (block-sim.ts): boundaries, options, results, and the compiled form of a block. */
import type { Network, NetworkLayer, SpikeFormat } from '../workload/network.ts';
import type { Plan } from './plan.ts';
import type { BlockSchedule, LayerCost, LayerCostFn, StatePlacement, TileAxis, TrafficKind } from './types.ts';

/** The lines of one tensor produced before a block: granularity and where each item is. */
export interface LiveTensor {
  /** Producer layer (-1: the network input). */
  readonly layer: number;
  readonly timeBatch: number;
  readonly axis: TileAxis;
  readonly lines: number;
  /** Per item (batch * lines + line): 0 = only in DRAM, 1 = on chip and clean, 2 = on chip and dirty (no DRAM copy). */
  readonly status: Uint8Array;
}

export interface Boundary {
  readonly tensors: readonly LiveTensor[];
}

export const EMPTY_BOUNDARY: Boundary = { tensors: [] };

const KEYS = new WeakMap<Boundary, string>();

/** A stable text key of a boundary (for memoizing block runs); computed once per boundary object. */
export function boundaryKey(b: Boundary): string {
  const hit = KEYS.get(b);
  if (hit !== undefined) return hit;
  const k = computeKey(b);
  KEYS.set(b, k);
  return k;
}

function computeKey(b: Boundary): string {
  let s = '';
  for (const t of b.tensors) {
    s += `${t.layer}/${t.timeBatch}/${t.axis}/${t.lines}:`;
    let run = 0;
    let prev = -1;
    for (let i = 0; i < t.status.length; i++) {
      if (t.status[i] === prev) run++;
      else {
        if (prev >= 0) s += `${prev}x${run},`;
        prev = t.status[i];
        run = 1;
      }
    }
    if (prev >= 0) s += `${prev}x${run}`;
    s += ';';
  }
  return s;
}

export interface SimOptions {
  readonly stemsCompat: boolean;
  readonly finalStateWriteback: boolean;
  readonly spikeFormat: SpikeFormat;
  /** Largest chunk (lines) of a whole-layer block. */
  readonly wholeTileLines: number;
}

/** Per-layer results of a block run (only with `detail`). */
export interface LayerDetail {
  energy: number;
  cycles: number;
  computes: number;
  chunks: number;
  offchip: Record<TrafficKind, number>;
  /** Level statistics (types.ts LevelStats layout), on-chip work and the layer's share of the DRAM traffic. */
  stats: Float64Array;
  compute: Record<string, { count: number; energy_pJ: number }>;
  mapping?: string;
  mappingOps: number;
}

export interface OccupancySample {
  readonly op: number;
  readonly label: string;
  readonly byKind: readonly number[];
}

export interface BlockRun {
  readonly ok: true;
  readonly energy: number;
  readonly cycles: number;
  readonly dramBoundCycles: number;
  readonly offchipBits: number;
  readonly offchipBitsByKind: readonly number[];
  readonly streamed: number;
  readonly peakBits: number;
  readonly ops: number;
  readonly exit: Boundary;
  readonly layers?: ReadonlyMap<number, LayerDetail>;
  readonly occupancy?: readonly OccupancySample[];
}

export type BlockOutcome = BlockRun | { readonly ok: false; readonly reason: string; readonly layer?: string };

export interface BlockInput {
  readonly bi: number;
  readonly choice: BlockSchedule;
  readonly axis: TileAxis;
  readonly entry: Boundary;
  /** Per layer of the network (only this block's entries matter). */
  readonly placement: readonly StatePlacement[];
  readonly detail?: boolean;
  /** Occupancy sampling: global index of the block's first op and ops per sample. */
  readonly occupancy?: { readonly firstOp: number; readonly every: number };
}

export const KIND = { weights: 0, spikes: 1, activations: 2, psums: 3, state: 4 } as const;
export const SLOT_W = 0;
export const SLOT_IN = 1;
export const SLOT_PSUM = 2;
export const SLOT_STATE = 3;
export const SLOT_OUT = 4;

export interface TensorKeys {
  readonly layer: number;
  readonly base: number;
  readonly nb: number;
  readonly b: number;
  readonly lines: number;
  readonly axis: TileAxis;
  readonly itemBits: number;
  readonly elemBits: number;
  readonly kind: number;
  readonly liveAfter: boolean;
}

/** What a block run needs that does not depend on where the boundary's lines are: keys, plan, references, costs. */
export interface Compiled {
  readonly tensors: ReadonlyMap<number, TensorKeys>;
  readonly nKeys: number;
  readonly psumKey: number;
  readonly plan: Plan;
  readonly opStart: Int32Array;
  readonly refs: Int32Array;
  readonly roles: Uint8Array;
  readonly nextUse: Int32Array;
  /** First op that references each key (-1: none in this block). */
  readonly first: Int32Array;
  readonly bitsOf: Float64Array;
  readonly kindOf: Uint8Array;
  readonly ownerOf: Int32Array;
  readonly elemBitsOf: Float64Array;
  readonly slotOf: Uint8Array;
  readonly liveLater: Uint8Array;
  readonly inDram0: Uint8Array;
  readonly opCost: readonly LayerCost[];
  readonly sKeyOf: Int32Array;
  readonly wholeLines: readonly number[];
}

/** What compiling a block needs from the simulator (ScheduleSim implements it). */
export interface SimContext {
  readonly net: Network;
  readonly o: SimOptions;
  readonly consumers: number[][];
  lineElems(l: NetworkLayer, axis: TileAxis): number;
  outElemBits(l: NetworkLayer, axis: TileAxis): number;
  inputElemBits(axis: TileAxis): number;
  chunkCost(li: number, b: number, n: number, ref: number, axis: TileAxis, stateless: boolean, inputBits: number | undefined): LayerCost | string;
}

export type { BlockSchedule, LayerCostFn, StatePlacement, TrafficKind, SpikeFormat };
