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
  readonly cycles: number;
  readonly bandwidth_throttling: number;
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
  };
  /** Utilization of the compute array: computes / (cycles * instances). */
  readonly utilization: number;
  /** Off-chip bytes per tensor (reads + fills + updates at off-chip levels). */
  readonly offchip_bytes_by_tensor: Readonly<Record<string, number>>;
  /** Energy per tensor summed over levels. */
  readonly energy_by_tensor: Readonly<Record<string, number>>;
  readonly energy_source: string;
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
