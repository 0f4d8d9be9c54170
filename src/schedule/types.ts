/**
 * Inter-layer schedules of a network (DESIGN.md §1, schedule/): per block, a time-batch size b dividing T, a
 * spatial schedule (whole layer, or fused depth-first over tiles of k output rows or columns) and a per-layer
 * placement of the neuron state. The intra-layer cost of each chunk comes from an injected `LayerCostFn` (the CLI
 * wires the layer model and a mapper); schedule/ never imports model/.
 */
import type { SpikeFormat } from '../workload/network.ts';
import type { Workload } from '../workload/types.ts';

export type { BlockSchedule, NetworkSchedule, StatePlacement, TileAxis } from '../workload/network-schedule.ts';
export { STATE_PLACEMENTS, TILE_AXES } from '../workload/network-schedule.ts';
import type { NetworkSchedule, StatePlacement } from '../workload/network-schedule.ts';

export interface ScheduleOptions {
  /**
   * STEMS conventions: membrane accumulation (no separate partial sum), state initially in DRAM (its first read
   * charged) and written back whenever it is evicted, dense activity (every density 1, dense spike maps).
   */
  readonly stemsCompat?: boolean;
  /**
   * Write every layer's final state back to DRAM after its last timestep (a network whose state persists to the
   * next input). Off by default in both modes: DESIGN.md §2 treats the final state as dead, and STEMS's reference
   * (stems.md) states no such write.
   */
  readonly finalStateWriteback?: boolean;
  /** How spike maps are stored (default dense; STEMS-compatible runs are always dense). */
  readonly spikeFormat?: SpikeFormat;
  /** Record the on-chip occupancy over the schedule (`occupancy[]` of the result; at most this many steps). */
  readonly occupancySteps?: number;
}

/** The tensors of a network's accounting, by role: every layer's tensors map onto these five. */
export const TENSOR_SLOTS = ['Weights', 'Inputs', 'Psum', 'State', 'Outputs'] as const;
export type TensorSlot = (typeof TENSOR_SLOTS)[number];
export const N_SLOTS = TENSOR_SLOTS.length;
/** Statistics per (level, slot): words read, filled, updated (summed over instances) and energy in pJ. */
export const STAT_READS = 0;
export const STAT_FILLS = 1;
export const STAT_UPDATES = 2;
export const STAT_ENERGY = 3;
export const N_STATS = 4;

/**
 * Dense per-level statistics: index `(level * N_SLOTS + slot) * N_STATS + stat`, levels of the arch outermost
 * first. A chunk's costs fill only the on-chip levels; the schedule's own DRAM <-> buffer traffic fills the rest.
 */
export type LevelStats = Float64Array;

export function newLevelStats(levels: number): LevelStats {
  return new Float64Array(levels * N_SLOTS * N_STATS);
}

export function statsEnergy(s: LevelStats | null): number {
  if (!s) return 0;
  let e = 0;
  for (let i = STAT_ENERGY; i < s.length; i += N_STATS) e += s[i];
  return e;
}

/** On-chip cost of one chunk (a layer restricted to `b` timesteps and some output lines), from the layer model. */
export interface LayerCost {
  /** The chunk with its state at rest before and dead after, its weights loaded into the inner levels. */
  readonly base: LevelStats;
  /** Added when the state is carried in (a later time batch, or STEMS's state from DRAM): its first reads. */
  readonly stateIn: LevelStats | null;
  /** Added when the final state is kept (written up to the buffer) for a later time batch. */
  readonly stateOut: LevelStats | null;
  /**
   * Part of `base` that loads the weights into the inner level that holds them all; skipped when the op before ran
   * the same layer (the weights are still there). Null when no inner level holds all the weights.
   */
  readonly weightLoad: LevelStats | null;
  /** Energies of the four parts (sums of their STAT_ENERGY entries). */
  readonly energy: { readonly base: number; readonly stateIn: number; readonly stateOut: number; readonly weightLoad: number };
  /** Per compute action: count and energy. */
  readonly compute: Readonly<Record<string, { readonly count: number; readonly energy_pJ: number }>>;
  readonly computeEnergy: number;
  /** Synaptic operations executed (activity-scaled). */
  readonly computes: number;
  /** On-chip cycles (compute and on-chip bandwidth; DRAM excluded). */
  readonly cycles: number;
  /** Bits the chunk's partial sums hold in the outermost on-chip level (0 when the reduction completes below). */
  readonly psumBits: number;
  /** The chunk's mapping, one line (for reports). */
  readonly mapping?: string;
}

export type LayerCostOutcome = { readonly ok: true; readonly cost: LayerCost } | { readonly ok: false; readonly reason: string };

export interface ChunkRequest {
  /** Whether the chunk's state is carried in and out (the mapper then counts those accesses too). */
  readonly carry: boolean;
  /** The dim the chunk cuts (P or Q) and the line count whose mapping the chunks of this layer share. */
  readonly lineDim: number;
  readonly refLines: number;
}

/** Evaluates a chunk workload on the arch (with a mapping chosen by the caller's mapper). */
export type LayerCostFn = (chunk: Workload, req: ChunkRequest) => LayerCostOutcome;

export type TrafficKind = 'weights' | 'spikes' | 'activations' | 'psums' | 'state';
export const TRAFFIC_KINDS: readonly TrafficKind[] = ['weights', 'spikes', 'activations', 'psums', 'state'];

export interface TensorCounts {
  readonly reads: number;
  readonly fills: number;
  readonly updates: number;
  readonly energy_pJ: number;
}

/** A level of a network or layer result: energy and per-tensor counts (words summed over instances). */
export interface LevelSummary {
  readonly name: string;
  readonly energy_pJ: number;
  readonly tensors: Readonly<Record<string, TensorCounts>>;
}

export interface LayerScheduleResult {
  readonly name: string;
  readonly op: string;
  readonly block: number;
  readonly state_bytes: number;
  readonly weight_bytes: number;
  /** Output activations/spikes over all T (dense). */
  readonly output_bytes: number;
  readonly ops_dense: number;
  readonly ops_effective: number;
  readonly energy_pJ: number;
  readonly cycles: number;
  readonly offchip_bytes: number;
  readonly offchip_bytes_by_kind: Readonly<Record<TrafficKind, number>>;
  readonly state_placement: StatePlacement;
  /** The fields of a layer result (DESIGN.md §4): totals, levels[] with tensors, compute, timing. */
  readonly totals: { readonly energy_pJ: number; readonly cycles: number; readonly offchip_bytes: number; readonly computes: number };
  readonly levels: readonly LevelSummary[];
  readonly compute: Readonly<Record<string, { readonly count: number; readonly energy_pJ: number }>>;
  readonly energy_by_tensor: Readonly<Record<string, number>>;
  readonly timing: { readonly model: 'roofline'; readonly cycles: number; readonly bottleneck: string };
  /** Chunks (ops) this layer ran, and the mapping of its most frequent chunk shape. */
  readonly chunks: number;
  readonly chunk_mapping?: string;
}

export interface OccupancyStep {
  readonly step: number;
  readonly label: string;
  readonly bytes: number;
  readonly by_kind: Readonly<Record<TrafficKind, number>>;
}

export interface NetworkScheduleResult {
  readonly schema: 'spikeloop.network-evaluation/1';
  readonly network: string;
  readonly arch: string;
  readonly energy_source: string;
  readonly schedule: readonly { readonly block: string; readonly time_batch: number; readonly tile_rows: number | null; readonly tile_axis: string }[];
  readonly stems_compat: boolean;
  readonly final_state_writeback: boolean;
  readonly spike_format: SpikeFormat;
  readonly totals: {
    readonly energy_pJ: number;
    readonly cycles: number;
    readonly offchip_bytes: number;
    readonly computes: number;
    readonly ops_dense: number;
    readonly state_bytes: number;
    readonly weight_bytes: number;
    readonly activation_bytes: number;
    readonly offchip_bytes_by_kind: Readonly<Record<TrafficKind, number>>;
    /** Highest global-buffer occupancy over the run, and the buffer's capacity. */
    readonly peak_onchip_bytes: number;
    readonly onchip_capacity_bytes: number;
    /** Chunk operations whose working set did not fit and was streamed from/to DRAM. */
    readonly streamed_ops: number;
  };
  /** Per storage level, outermost first: energy and per-tensor counts (words summed over instances). */
  readonly levels: readonly LevelSummary[];
  /** Sum over chunk ops of max(on-chip cycles, DRAM bits / DRAM bandwidth); the bottleneck is the DRAM level when
   * DRAM-bound ops make up most of the cycles. */
  readonly timing: { readonly model: 'roofline'; readonly cycles: number; readonly bottleneck: string; readonly dram_bound_cycles: number };
  readonly energy_by_level: Readonly<Record<string, number>>;
  readonly energy_by_tensor: Readonly<Record<string, number>>;
  readonly compute: Readonly<Record<string, { readonly count: number; readonly energy_pJ: number }>>;
  readonly layers: readonly LayerScheduleResult[];
  /** On-chip occupancy over the schedule (sampled), for the report's occupancy chart; capacity beside it. */
  readonly occupancy?: readonly OccupancyStep[];
  readonly capacity_bytes: number;
  /** Problems worth a look (streamed ops, ...), as text. */
  readonly warnings: readonly string[];
}

export type ScheduleOutcome = { readonly ok: true; readonly result: NetworkScheduleResult } | { readonly ok: false; readonly reason: string; readonly layer?: string };

