/** The data a report draws, read tolerantly from result JSON (inputs.ts says which fields feed which view). */

export interface TensorView {
  readonly name: string;
  readonly reads: number;
  readonly fills: number;
  readonly updates: number;
  readonly energy_pJ: number;
  /** Bytes in and out of the level (all instances), when the JSON has them. */
  readonly bytes?: number;
}

export interface LevelView {
  readonly name: string;
  readonly energy_pJ: number;
  readonly byAction?: { readonly read: number; readonly fill: number; readonly update: number };
  /** Cycles this level needs for its traffic (roofline), and the throttling it imposes (1 = none). */
  readonly cycles?: number;
  readonly throttling?: number;
  readonly capacityUsedBits?: number;
  /** null: unbounded (DRAM). */
  readonly capacityBits?: number | null;
  readonly bandwidthBitsPerCycle?: number;
  readonly tensors: readonly TensorView[];
}

export interface ActionView {
  readonly action: string;
  readonly count: number;
  readonly energy_pJ: number;
}

/** Per-level busy / stall / idle cycles of the pipeline timing model. */
export interface LevelActivity {
  readonly level: string;
  readonly busy?: number;
  readonly stall?: number;
  readonly idle?: number;
}

export interface Span {
  readonly start: number;
  readonly end: number;
  /** busy, stall, fill, drain, idle, ... (as the JSON names it). */
  readonly state: string;
}

export interface Timeline {
  /** `spansTotal`: spans the model counted for the lane (more than `spans.length` when capped). */
  readonly lanes: readonly { readonly level: string; readonly spans: readonly Span[]; readonly spansTotal?: number }[];
  /** The JSON said the timeline was cut to a maximum size. */
  readonly capped: boolean;
}

export interface EvalView {
  readonly name: string;
  readonly workload: string;
  readonly arch: string;
  readonly energySource?: string;
  readonly totals: { readonly energy_pJ: number; readonly cycles: number; readonly offchip_bytes?: number; readonly computes?: number };
  readonly levels: readonly LevelView[];
  readonly compute: readonly ActionView[];
  readonly energyByTensor: readonly (readonly [string, number])[];
  readonly offchipByTensor: readonly (readonly [string, number])[];
  readonly timing: {
    readonly model?: string;
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
  readonly staticEnergy?: { readonly total: number; readonly levels: readonly (readonly [string, number])[]; readonly computeIdle: number };
  readonly utilization?: number;
}

export interface LayerView extends EvalView {
  readonly stateBytes?: number;
  readonly weightBytes?: number;
  readonly peakOnchipBytes?: number;
}

export interface Occupancy {
  readonly steps: readonly string[];
  readonly series: readonly string[];
  /** steps x series, bytes. */
  readonly values: readonly (readonly number[])[];
  readonly capacityBytes?: number;
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
}

export interface SearchPoint {
  readonly energy_pJ: number;
  readonly cycles: number;
  readonly offchip_bytes?: number;
  readonly label: string;
}

export interface SearchView {
  readonly name: string;
  readonly points: readonly SearchPoint[];
  readonly chosen?: SearchPoint;
  readonly objective?: string;
  readonly stats: readonly (readonly [string, string])[];
  /** The chosen mapping's full evaluation, when the search result carries it. */
  readonly best?: EvalView;
}

export interface PhaseView {
  readonly name: string;
  readonly energy_pJ: number;
  readonly cycles?: number;
  readonly offchip_bytes?: number;
  readonly byLevel: readonly (readonly [string, number])[];
}

export interface SchemeView {
  readonly name: string;
  readonly memoryBytes?: number;
  readonly dramBytes?: number;
  readonly recomputeOps?: number;
}

export interface TrainingView {
  readonly name: string;
  readonly energySource?: string;
  readonly phases: readonly PhaseView[];
  readonly schemes: readonly SchemeView[];
}

/** A reader's complaint: a message at a JSON path, with a fix. */
export interface ReadProblem {
  readonly problem: true;
  readonly path: readonly (string | number)[];
  readonly message: string;
  readonly hint?: string;
}

export const isProblem = (v: unknown): v is ReadProblem => typeof v === 'object' && v !== null && (v as { problem?: unknown }).problem === true;
