/**
 * Inter-layer schedules of a network (DESIGN.md §1, schedule/): per block, a time-batch size b dividing T, a
 * spatial schedule (whole layer, or fused depth-first over tiles of k output rows) and a per-layer placement of
 * the neuron state. The intra-layer cost of each chunk comes from an injected `LayerCostFn` (the CLI wires the
 * layer model and a mapper); schedule/ never imports model/.
 */
import type { Workload } from '../workload/types.ts';

export type { BlockSchedule, NetworkSchedule, StatePlacement } from '../workload/network-schedule.ts';
export { STATE_PLACEMENTS } from '../workload/network-schedule.ts';
import type { NetworkSchedule, StatePlacement } from '../workload/network-schedule.ts';

export interface ScheduleOptions {
  /**
   * STEMS conventions: membrane accumulation (no separate partial sum), state initially in DRAM (its first read
   * charged) and written back after the last timestep, dense activity (every density 1).
   */
  readonly stemsCompat?: boolean;
}

/** On-chip cost of one chunk (a layer restricted to `b` timesteps and some output rows), from the layer model. */
export interface LayerCost {
  /** Energy per on-chip level name (the outermost on-chip level's fills excluded: the schedule charges them). */
  readonly energyByLevel: Readonly<Record<string, number>>;
  readonly energyByTensor: Readonly<Record<string, number>>;
  /** Per compute action: count and energy. */
  readonly compute: Readonly<Record<string, { readonly count: number; readonly energy_pJ: number }>>;
  /** Synaptic operations executed (activity-scaled). */
  readonly computes: number;
  /** On-chip cycles (compute and on-chip bandwidth; DRAM excluded). */
  readonly cycles: number;
}

export type LayerCostOutcome = { readonly ok: true; readonly cost: LayerCost } | { readonly ok: false; readonly reason: string };

/** Evaluates a chunk workload on the arch (with a mapping chosen by the caller's mapper). */
export type LayerCostFn = (chunk: Workload) => LayerCostOutcome;

export type TrafficKind = 'weights' | 'spikes' | 'activations' | 'psums' | 'state';
export const TRAFFIC_KINDS: readonly TrafficKind[] = ['weights', 'spikes', 'activations', 'psums', 'state'];

export interface LayerScheduleResult {
  readonly name: string;
  readonly op: string;
  readonly block: number;
  readonly state_bytes: number;
  readonly weight_bytes: number;
  /** Output activations/spikes over all T. */
  readonly output_bytes: number;
  readonly ops_dense: number;
  readonly ops_effective: number;
  readonly energy_pJ: number;
  readonly cycles: number;
  readonly offchip_bytes: number;
  readonly offchip_bytes_by_kind: Readonly<Record<TrafficKind, number>>;
  readonly state_placement: StatePlacement;
}

export interface NetworkScheduleResult {
  readonly schema: 'spikeloop.network-evaluation/1';
  readonly network: string;
  readonly arch: string;
  readonly schedule: readonly { readonly block: string; readonly time_batch: number; readonly tile_rows: number | null }[];
  readonly stems_compat: boolean;
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
    /** Row operations whose working set did not fit and was streamed from/to DRAM. */
    readonly streamed_ops: number;
  };
  /** Energy per storage level, outermost first (the evaluation contract's `levels[]`, energy only). */
  readonly levels: readonly { readonly name: string; readonly energy_pJ: number }[];
  /** Sum over row ops of max(on-chip cycles, DRAM bits / DRAM bandwidth); the bottleneck is the DRAM level when
   * DRAM-bound ops make up most of the cycles. */
  readonly timing: { readonly model: 'roofline'; readonly cycles: number; readonly bottleneck: string; readonly dram_bound_cycles: number };
  readonly energy_by_level: Readonly<Record<string, number>>;
  readonly energy_by_tensor: Readonly<Record<string, number>>;
  readonly compute: Readonly<Record<string, { readonly count: number; readonly energy_pJ: number }>>;
  readonly layers: readonly LayerScheduleResult[];
}

export type ScheduleOutcome = { readonly ok: true; readonly result: NetworkScheduleResult } | { readonly ok: false; readonly reason: string; readonly layer?: string };
