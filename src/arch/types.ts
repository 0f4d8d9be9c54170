/** What the hardware is: storage levels (outermost first), the fan-out, compute actions and energies. */

export interface LevelEnergy {
  /** pJ per vector read (a vector is `widthBits` bits). */
  readonly read: number;
  /** pJ per vector fill (write from the parent). */
  readonly fill: number;
  /** pJ per vector update (write from a child). */
  readonly update: number;
}

export interface StorageLevel {
  readonly name: string;
  /** Total number of instances of this level (meshX * meshY). */
  readonly instances: number;
  readonly meshX: number;
  readonly meshY: number;
  /** Usable capacity in bits per instance; `null` means unbounded (DRAM). */
  readonly capacityBits: number | null;
  /** Bits moved by one access (a vector). */
  readonly widthBits: number;
  /**
   * Word width of this level when it stores every tensor at one width (Timeloop-style archs).
   * `null`: each tensor uses its own `bits` (SNN archs: 1-bit spikes beside 16-bit state).
   */
  readonly wordBits: number | null;
  /** Bandwidths in bits per cycle per instance; `null` = unlimited. */
  readonly readBandwidth: number | null;
  readonly writeBandwidth: number | null;
  readonly sharedBandwidth: number | null;
  readonly energy: LevelEnergy;
  readonly doubleBuffered: boolean;
  /** Static power per instance in mW. */
  readonly leakageMw: number;
  /** Access latency in cycles (used by the pipeline timing model). */
  readonly latencyCycles: number;
  /** Off-chip memory: its traffic counts as off-chip bytes. */
  readonly offChip: boolean;
  /**
   * Burst size in bits (DRAM): every transfer to or from this level is rounded up to whole bursts by the pipeline
   * timing model. Absent or 0 = no rounding.
   */
  readonly burstBits?: number;
  /**
   * Tensor roles this level is built to hold (e.g. a weight SRAM: ['weight']); absent = any tensor. Used by
   * mapping generators to choose keep/bypass; a hand-written mapping may still keep anything.
   */
  readonly holds?: readonly string[];
}

export interface ComputeUnit {
  readonly name: string;
  readonly instances: number;
  readonly meshX: number;
  readonly meshY: number;
  /** pJ per action: `mac`, `ac`, `neuron_update`, ... */
  readonly energy: Readonly<Record<string, number>>;
  /** Idle (clocked) power of the whole array in mW. */
  readonly idleMw: number;
  /** Pipeline timing: cycles from a completed reduction to its neuron update's result (absent = 0). */
  readonly neuronLatencyCycles?: number;
  /** Pipeline timing: neuron updates per cycle per PE (absent or null = not a limit). */
  readonly neuronThroughput?: number | null;
}

export interface Arch {
  readonly name: string;
  /** Outermost (DRAM) first. */
  readonly levels: readonly StorageLevel[];
  readonly compute: ComputeUnit;
  readonly clockMhz: number;
  /** Name and source of the energy table the numbers come from, for reports. */
  readonly energySource: string;
  /** The named energy table the arch uses (arch/energy-tables.ts), and which numbers were estimated from it. */
  readonly energyTable?: {
    readonly name: string;
    readonly source: string;
    readonly notes: readonly string[];
    /** Per estimated value: what (level or compute action) and how it was obtained. */
    readonly estimated: readonly { readonly what: string; readonly how: string }[];
  };
}

/** Words of a tensor moved per vector access at a level. */
export function wordsPerVector(level: StorageLevel, tensorBits: number): number {
  const bits = level.wordBits ?? tensorBits;
  // A word wider than the port takes several accesses: a fractional number of words per vector.
  return bits > level.widthBits ? level.widthBits / bits : Math.floor(level.widthBits / bits);
}

/** Bits one word of a tensor occupies at a level. */
export function storedBits(level: StorageLevel, tensorBits: number): number {
  return level.wordBits ?? tensorBits;
}
