/** The result of evaluating one mapping of one workload on one arch. Field names follow DESIGN.md §4. */

export interface TensorLevelStats {
  /** Scalar (word) counts per instance, as Timeloop prints them. */
  readonly reads: number;
  readonly fills: number;
  readonly updates: number;
  /** Tile held at this level (words). */
  readonly utilized_capacity: number;
  /** Distinct words that pass through one instance over the whole run. */
  readonly partition_size: number;
  readonly utilized_instances: number;
  readonly temporal_reductions: number;
  /** Multicast factor of the network from this level to its children (1 = unicast). */
  readonly multicast: number;
  /** Spatial reductions on the network from this level to its children. */
  readonly spatial_reductions: number;
  /** Inter-PE link transfers received by the children of this level. */
  readonly link_transfers: number;
  /** Vector accesses per instance (ceil of scalar / words per vector). */
  readonly read_vectors: number;
  readonly fill_vectors: number;
  readonly update_vectors: number;
  /** Energy summed over instances. */
  readonly energy_pJ: number;
  /** Bytes moved in and out of this level over all instances (fills + updates in, reads out). */
  readonly bytes: number;
  /** Word width used for this tensor at this level. */
  readonly word_bits: number;
}

export interface LevelResult {
  readonly name: string;
  readonly energy_pJ: number;
  /** Dynamic energy by action over all tensors and instances. */
  readonly energy_by_action: { readonly read: number; readonly fill: number; readonly update: number };
  /** Cycles this level needs (Timeloop's roofline: never fewer than the compute cycles). */
  readonly cycles: number;
  readonly bandwidth_throttling: number;
  /** Bits one instance reads out (to its children) and writes in (fills + updates) over the run. */
  readonly read_bits: number;
  readonly write_bits: number;
  /** Bandwidths of one instance in bits per cycle (null = unlimited). */
  readonly bandwidth_bits_per_cycle: { readonly read: number | null; readonly write: number | null; readonly shared: number | null };
  /**
   * Cycles the traffic of one instance takes at its bandwidths alone (the larger of read, write and shared port
   * time; 0 when unlimited): the level's point on a bandwidth roofline, to compare with the compute cycles.
   */
  readonly transfer_cycles: number;
  /** Bits of capacity used per instance by the kept tiles (double buffering counted), and available. */
  readonly capacity_used_bits: number;
  readonly capacity_bits: number | null;
  readonly tensors: Readonly<Record<string, TensorLevelStats>>;
}

export interface ComputeActionStats {
  readonly count: number;
  readonly energy_pJ: number;
}

export interface Totals {
  readonly energy_pJ: number;
  readonly cycles: number;
  readonly offchip_bytes: number;
  /** Synaptic operations (MACs or accumulates) actually executed. */
  readonly computes: number;
}

export interface Evaluation {
  readonly schema: 'spikeloop.evaluation/1';
  readonly workload: string;
  readonly arch: string;
  readonly totals: Totals;
  /** Outermost (DRAM) first. */
  readonly levels: readonly LevelResult[];
  readonly compute: Readonly<Record<string, ComputeActionStats>>;
  readonly timing: {
    readonly model: 'roofline' | 'pipeline';
    readonly cycles: number;
    readonly compute_cycles: number;
    /** Level that sets the cycle count, or `compute`. */
    readonly bottleneck: string;
  } & Partial<PipelineTimingDetail>;
  /** Utilization of the compute array: operations scheduled / (cycles * instances), as Timeloop reports it. */
  readonly utilization: number;
  /**
   * Share of PE-cycles doing an op that is not skipped: computes / (cycles x instances). Equals `utilization` without
   * zero-skipping; `utilization` counts a PE-cycle whose op was skipped as busy (cycles stay dense).
   */
  readonly active_utilization: number;
  /** Off-chip bytes per tensor (reads + fills + updates at off-chip levels). */
  readonly offchip_bytes_by_tensor: Readonly<Record<string, number>>;
  /** Energy per tensor summed over levels. */
  readonly energy_by_tensor: Readonly<Record<string, number>>;
  readonly energy_source: string;
  /** The named energy table of the arch and which energies were estimated from it (absent: all given by hand). */
  readonly energy_table?: { readonly name: string; readonly source: string; readonly notes: readonly string[]; readonly estimated: readonly { readonly what: string; readonly how: string }[] };
  /**
   * Static energy over the run (leakage of every storage instance + idle power of the compute array, times the
   * cycles of the timing model at clockMhz). Included in `totals.energy_pJ` under both timing models; zero unless
   * the arch declares `leakage_mw` / `idle_mw`.
   */
  readonly energy_static_pJ?: number;
  readonly energy_static?: { readonly levels: Readonly<Record<string, number>>; readonly compute_idle_pJ: number };
}

/** Busy / stall / idle cycles of one level or of the compute array under the pipeline timing model. */
export interface ActivityCycles {
  /** Cycles its ports move data (levels) or it computes (compute array). */
  readonly busy_cycles: number;
  /** Cycles the compute array waited because of it (its transfers, latency or buffer space). */
  readonly stall_cycles: number;
  /** Cycles minus busy cycles. */
  readonly idle_cycles: number;
}

export interface LevelActivity extends ActivityCycles {
  readonly name: string;
  /** Tiles this level holds over the run (outer tiles at which one of its tiles changes). */
  readonly tiles: number;
}

export interface TimelineSpan {
  readonly start: number;
  readonly end: number;
  /** fill, drain, compute (port use of the outermost level), busy (compute array). */
  readonly state: string;
}

/**
 * Per lane (levels outermost first, then `compute`, then `neuron` for SNN layers) its spans, at most
 * `max_spans_per_lane`. When a lane has more (`capped`), every lane instead reports the whole run in bins of
 * `bin_cycles`: `busy_fraction` per bin, and as `spans` one span per bin from the bin's start, as long as the
 * lane's busy time in it.
 */
export interface PipelineTimeline {
  readonly capped: boolean;
  readonly max_spans_per_lane: number;
  readonly bin_cycles?: number;
  readonly levels: readonly {
    readonly name: string;
    /** Spans of the lane over the run (only when the timeline lists every span, i.e. not `capped`). */
    readonly spans_total?: number;
    readonly spans: readonly TimelineSpan[];
    readonly busy_fraction?: readonly number[];
  }[];
}

/** Extra `timing` fields of the pipeline model (DESIGN.md §3). */
export interface PipelineTimingDetail {
  /** The roofline cycles of the same mapping, for comparison. */
  readonly roofline_cycles: number;
  /** Cycles before the first compute starts (first fills). */
  readonly prologue_cycles: number;
  /** Cycles after the last compute ends (neuron update, last write-backs). */
  readonly epilogue_cycles: number;
  /** Outer tiles (iterations of the temporal loops above the innermost level) and how many were simulated. */
  readonly outer_tiles: number;
  readonly simulated_tiles: number;
  readonly compute_activity: ActivityCycles & {
    readonly neuron_busy_cycles: number;
    /** Compute stall cycles caused by the neuron unit (its throughput or latency holding a buffer). */
    readonly neuron_stall_cycles?: number;
  };
  readonly levels: readonly LevelActivity[];
  /** Share of the compute stall cycles caused by each tensor (sums to 1 when there are stalls). */
  readonly stall_share_by_tensor: Readonly<Record<string, number>>;
  /**
   * The resources the bottleneck is chosen from: the compute array (busy = compute cycles), every level (busy =
   * its busiest port's busy time, stall = compute stall it caused) and the neuron unit; the bottleneck is the one
   * with the largest max(busy, stall).
   */
  readonly bottleneck_lanes?: readonly { readonly name: string; readonly busy_cycles: number; readonly stall_cycles: number }[];
  readonly timeline: PipelineTimeline;
}

/** A mapping that cannot run is an evaluation outcome with a reason, not an exception (DESIGN.md §1). */
export interface InvalidOutcome {
  readonly status: 'invalid';
  readonly stage: 'mapping' | 'capacity' | 'fanout' | 'semantics';
  readonly reason: string;
  readonly level?: string;
  readonly tensor?: string;
  readonly needed?: number;
  readonly available?: number;
}

export type EvalOutcome = { readonly status: 'ok'; readonly evaluation: Evaluation } | InvalidOutcome;
