/**
 * The data a report draws, read from result JSON (inputs.ts says which fields feed which view). An optional field
 * is undefined when the input does not have it: nothing is filled in with zeros.
 */

export interface TensorView {
  readonly name: string;
  readonly reads?: number;
  readonly fills?: number;
  readonly updates?: number;
  readonly energy_pJ?: number;
  /** Bytes in and out of the level (all instances), when the JSON has them. */
  readonly bytes?: number;
}

/** Bits per cycle of a level's ports: null = unlimited, undefined = not given. */
export interface BandwidthView {
  readonly read?: number | null;
  readonly write?: number | null;
  readonly shared?: number | null;
}

export interface LevelView {
  readonly name: string;
  readonly energy_pJ: number;
  readonly byAction?: { readonly read?: number; readonly fill?: number; readonly update?: number };
  /** Timeloop-style per-level cycles (never below the compute cycles) and the throttling it imposes (1 = none). */
  readonly cycles?: number;
  readonly throttling?: number;
  readonly capacityUsedBits?: number;
  /** null: unbounded (DRAM). */
  readonly capacityBits?: number | null;
  /** Bits read from / written into the level over the run (all instances). */
  readonly readBits?: number;
  readonly writeBits?: number;
  readonly bandwidth?: BandwidthView;
  /** Cycles the level's ports need for its traffic alone at its bandwidth (0 when unlimited). */
  readonly transferCycles?: number;
  readonly tensors: readonly TensorView[];
}

export interface ActionView {
  readonly action: string;
  readonly count?: number;
  readonly energy_pJ: number;
}

/** Per-level busy / stall / idle cycles of the pipeline timing model (model/types.ts ActivityCycles). */
export interface LevelActivity {
  readonly level: string;
  /** Cycles its ports move data (levels) or it computes (the compute array). */
  readonly busy?: number;
  /** Cycles the compute array waited because of this level (for the compute array: all its waiting). */
  readonly stall?: number;
  /** Cycles minus busy cycles. */
  readonly idle?: number;
}

export interface Span {
  readonly start: number;
  readonly end: number;
  /** busy, fill, drain, compute, ... (as the JSON names it). */
  readonly state: string;
}

export interface Timeline {
  /** `spansTotal`: spans the model counted for the lane (more than `spans.length` when capped). */
  readonly lanes: readonly { readonly level: string; readonly spans: readonly Span[]; readonly spansTotal?: number }[];
  /** The JSON said the timeline was cut to a maximum size. */
  readonly capped: boolean;
}

/** A spec file a result was computed from, as the producing command recorded it. */
export interface InputRef {
  readonly path: string;
  readonly sha256?: string;
}

/** What a producing command recorded about itself (`command`, `inputs[]`), when it did. */
export interface ResultProvenance {
  readonly command?: string;
  readonly inputs: readonly InputRef[];
}

export interface EvalView {
  readonly name: string;
  /** As the JSON names them; undefined when it does not. */
  readonly workload?: string;
  readonly arch?: string;
  readonly energySource?: string;
  readonly totals: { readonly energy_pJ: number; readonly cycles: number; readonly offchip_bytes?: number; readonly computes?: number };
  readonly levels: readonly LevelView[];
  readonly compute: readonly ActionView[];
  readonly energyByTensor: readonly (readonly [string, number])[];
  readonly offchipByTensor: readonly (readonly [string, number])[];
  readonly timing: {
    readonly model?: string;
    readonly cycles?: number;
    readonly computeCycles?: number;
    readonly bottleneck?: string;
    readonly activity: readonly LevelActivity[];
    readonly timeline?: Timeline;
    /** Pipeline model extras, as named facts (roofline cycles, prologue, epilogue, tiles). */
    readonly details: readonly (readonly [string, number])[];
    /** Share of compute stall cycles caused by each tensor. */
    readonly stallShareByTensor: readonly (readonly [string, number])[];
  };
  /** Static energy (leakage per level, idle compute), not part of the levels' dynamic energy. */
  readonly staticEnergy?: { readonly total: number; readonly levels: readonly (readonly [string, number])[]; readonly computeIdle?: number };
  readonly utilization?: number;
  readonly provenance?: ResultProvenance;
}

export interface LayerView extends EvalView {
  readonly op?: string;
  readonly block?: string;
  readonly stateBytes?: number;
  readonly weightBytes?: number;
  readonly peakOnchipBytes?: number;
  readonly statePlacement?: string;
  readonly offchipByKind: readonly (readonly [string, number])[];
  /** Chunk ops the layer ran, and the mapping of its most frequent chunk shape (network schedules). */
  readonly chunks?: number;
  readonly chunkMapping?: string;
}

export interface Occupancy {
  readonly steps: readonly string[];
  readonly series: readonly string[];
  /** steps x series, bytes (a series a step does not list is 0 there: nothing of it is held). */
  readonly values: readonly (readonly number[])[];
  readonly capacityBytes?: number;
  /** The highest occupancy over the whole run (`totals.peak_onchip_bytes`), which the sampled steps may not reach. */
  readonly peakBytes?: number;
}

/** One block of an inter-layer schedule: time batch, row tiling, state placement overrides. */
export interface ScheduleRow {
  readonly block: string;
  readonly timeBatch?: number;
  /** null: whole feature maps (no row tiling). */
  readonly tileRows?: number | null;
  /** The axis the tiles run along (`rows`, `cols`), when given. */
  readonly tileAxis?: string;
  /** Layer -> placement (`onchip`, `dram`, ...) where the schedule sets one. */
  readonly state: readonly (readonly [string, string])[];
}

export interface NetworkView {
  /** The network totals as one evaluation (levels and compute summed by the producer). */
  readonly total: EvalView;
  readonly layers: readonly LayerView[];
  readonly offchipByKind: readonly (readonly [string, number])[];
  readonly stateBytes?: number;
  readonly weightBytes?: number;
  readonly peakOnchipBytes?: number;
  readonly onchipCapacityBytes?: number;
  readonly occupancy?: Occupancy;
  readonly schedule: readonly ScheduleRow[];
  readonly stemsCompat?: boolean;
  /** The producer's warnings (streamed ops, ...); undefined when the result has no `warnings` field, [] when none. */
  readonly warnings?: readonly string[];
  /** Chunk ops that did not fit on chip and were streamed through DRAM. */
  readonly streamedOps?: number;
  /** Cycles of the ops whose DRAM traffic bounds them (roofline timing). */
  readonly dramBoundCycles?: number;
  /** How the result was computed, as named facts (chunk mapper, mapping constraints, spike format, ...). */
  readonly run: readonly (readonly [string, string])[];
}

export interface SearchPoint {
  readonly energy_pJ: number;
  readonly cycles: number;
  readonly offchip_bytes?: number;
  readonly label: string;
}

export interface SearchView {
  readonly name: string;
  readonly workload?: string;
  readonly arch?: string;
  readonly points: readonly SearchPoint[];
  readonly chosen?: SearchPoint;
  /** Labelled points to compare against (explore: the uniform schedules ST-LBL, TB-F, ...), not part of the front. */
  readonly references: readonly SearchPoint[];
  readonly objective?: string;
  readonly stats: readonly (readonly [string, string])[];
  /** The chosen mapping's full evaluation, when the search result carries it. */
  readonly best?: EvalView;
  /** The chosen mapping as mapping YAML (`best.mapping_yaml`). */
  readonly mappingYaml?: string;
  readonly provenance?: ResultProvenance;
}

/** The arch parameter an explore sweep point sets: `GB.capacity_bytes = 65536`. */
export interface SweepValue {
  readonly level?: string;
  /** `capacity_bytes`, `bandwidth_bits`, ... (as the producer names it). */
  readonly field: string;
  readonly value: number;
}

/** One point of an explore sweep (or the only one): its search over schedules. */
export interface ExplorePoint {
  readonly label: string;
  readonly sweep?: SweepValue;
  /** The swept buffer size, when the sweep is over a capacity. */
  readonly capacityBytes?: number;
  /** Why the point has no schedule (the producer's `error`); its front is then empty. */
  readonly error?: string;
  readonly front: SearchView;
  /** Reference (uniform) schedules that cannot run at this point, with the reason. */
  readonly referenceErrors: readonly (readonly [string, string])[];
  /** State placement of each stateful layer in the best schedule. */
  readonly statePlacement: readonly (readonly [string, string])[];
  /** The best schedule, block by block. */
  readonly schedule: readonly ScheduleRow[];
  /** Schedules of the Pareto points, by their labels. */
  readonly frontSchedules: readonly (readonly [string, readonly ScheduleRow[]])[];
  readonly best?: { readonly totals: readonly (readonly [string, number])[]; readonly offchipByKind: readonly (readonly [string, number])[] };
}

export interface ExploreView {
  readonly name: string;
  readonly network?: string;
  readonly arch?: string;
  readonly objective?: string;
  /** How the search ran, as named facts (schedule space, chunk mapper, constraints, threads, seed, ...). */
  readonly run: readonly (readonly [string, string])[];
  readonly points: readonly ExplorePoint[];
  readonly provenance?: ResultProvenance;
}

export interface PhaseView {
  readonly name: string;
  readonly energy_pJ: number;
  readonly cycles?: number;
  readonly offchip_bytes?: number;
  readonly byLevel: readonly (readonly [string, number])[];
  readonly compute: readonly ActionView[];
}

export interface SchemeView {
  readonly name: string;
  readonly memoryBytes?: number;
  readonly dramBytes?: number;
  readonly recomputeOps?: number;
  /** Activation memory and its DRAM traffic at each batch size the producer evaluated. */
  readonly memory: readonly { readonly batch: number; readonly activationBytes?: number; readonly trafficBytes?: number }[];
  /** Energy of a training step under this scheme and the parts the scheme adds. */
  readonly stepEnergy?: number;
  readonly retentionEnergy?: number;
  readonly extraForwardEnergy?: number;
  readonly recomputeEnergy?: number;
  readonly stepCycles?: number;
}

export interface TrainingLayerView {
  readonly name: string;
  readonly kind?: string;
  readonly params?: number;
  readonly denseParams?: number;
  readonly phases: readonly (readonly [string, number])[];
}

export interface TrainingView {
  readonly name: string;
  readonly network?: string;
  readonly arch?: string;
  readonly energySource?: string;
  readonly batch?: number;
  readonly timesteps?: number;
  readonly decomposition?: string;
  readonly ttMode?: string;
  readonly totals: {
    readonly energy_pJ?: number;
    readonly dynamic_pJ?: number;
    readonly static_pJ?: number;
    readonly cycles?: number;
    readonly offchip_bytes?: number;
    readonly params?: number;
    readonly denseParams?: number;
    readonly macsPerTimestep?: number;
    readonly denseMacsPerTimestep?: number;
  };
  readonly staticPowerMw?: number;
  readonly phases: readonly PhaseView[];
  readonly schemes: readonly SchemeView[];
  readonly layers: readonly TrainingLayerView[];
  readonly provenance?: ResultProvenance;
}

/** A reader's complaint: a message at a JSON path, with a fix. */
export interface ReadProblem {
  readonly problem: true;
  readonly path: readonly (string | number)[];
  readonly message: string;
  readonly hint?: string;
}

export const isProblem = (v: unknown): v is ReadProblem => typeof v === 'object' && v !== null && (v as { problem?: unknown }).problem === true;

/** A reader's result: the view, or every problem found. */
export const isProblems = (v: unknown): v is ReadProblem[] => Array.isArray(v) && v.length > 0 && v.every(isProblem);
