/**
 * What is computed: dims, tensors, projections, tensor roles and densities.
 * Behaviour in the model is driven by this declared structure, never by a layer-type switch.
 */

/** One term `coeff * dim` of a tensor coordinate. */
export interface ProjectionTerm {
  readonly dim: number;
  readonly coeff: number;
}

/**
 * How the model treats a tensor.
 * - `input`, `weight`: read-only operands of every synaptic operation.
 * - `output`: read-write result accumulated over the reduction dims (Timeloop semantics).
 * - `psum`: SNN synaptic current. Read-write over the reduction dims; once its reduction completes it is read once
 *   by the neuron unit and never written further out (DESIGN.md §2).
 * - `state`: SNN membrane potential. In `psum` accumulation it is touched once per neuron per timestep, and its
 *   traffic follows the loop nest with the reduction dims removed; in `membrane` accumulation it is an ordinary
 *   read-write tensor reduced over the reduction dims and T.
 * - `spikes-out`: SNN output spikes, written once per neuron per timestep (nest with reduction dims removed).
 */
export type TensorRole = 'input' | 'weight' | 'output' | 'psum' | 'state' | 'spikes-out';

export interface Tensor {
  readonly name: string;
  readonly role: TensorRole;
  /** One entry per tensor rank; each rank is a sum of terms. */
  readonly projection: readonly (readonly ProjectionTerm[])[];
  readonly readWrite: boolean;
  /** Word width in bits (1 for spikes). */
  readonly bits: number;
  /** Fraction of non-zero elements (spike rate for spike tensors); 1 when dense. */
  readonly density: number;
}

export type Accumulation = 'psum' | 'membrane';

export interface SnnInfo {
  readonly accumulation: Accumulation;
  readonly stateless: boolean;
  readonly keepFinalState: boolean;
  /** Dims reduced into each output element by synaptic operations (C, R, S). */
  readonly reductionDims: readonly number[];
  /** The timestep dim T. */
  readonly timeDim: number;
  /** Inputs are binary spikes: synaptic ops are accumulates (`ac`), not MACs. */
  readonly spikingInput: boolean;
  /** The compute skips zero inputs: `ac`/`mac` counts scale with the input density. */
  readonly zeroSkipping: boolean;
  readonly inputTensor: number;
}

export interface Workload {
  readonly name: string;
  /** Human description of the layer shape (e.g. "snn-conv"); informational only. */
  readonly shape: string;
  readonly dims: readonly string[];
  readonly sizes: readonly number[];
  readonly tensors: readonly Tensor[];
  /** Present for SNN layers; absent for generic (Timeloop-style) problems. */
  readonly snn?: SnnInfo;
}

export function dimIndex(w: Workload, name: string): number {
  return w.dims.indexOf(name);
}

/** Number of elements of a tensor (AAHR bounding box, as Timeloop counts it). */
export function tensorSize(w: Workload, t: Tensor): number {
  let size = 1;
  for (const rank of t.projection) {
    let extent = 1;
    for (const term of rank) extent += term.coeff * (w.sizes[term.dim] - 1);
    size *= extent;
  }
  return size;
}

/** Dims a tensor's coordinates depend on. */
export function relevantDims(t: Tensor): Set<number> {
  const s = new Set<number>();
  for (const rank of t.projection) for (const term of rank) if (term.coeff !== 0) s.add(term.dim);
  return s;
}

export function totalOperations(w: Workload): number {
  let p = 1;
  for (const s of w.sizes) p *= s;
  return p;
}

/** The compute actions a layer's operations are charged as: synaptic op (`mac`, or `ac` on spikes) and neuron updates. */
export function computeActionNames(w: Workload): string[] {
  if (!w.snn) return ['mac'];
  return [w.snn.spikingInput ? 'ac' : 'mac', 'neuron_update'];
}

/**
 * Fraction of the synaptic ops whose accesses to tensor t happen. With zero-skipping, an op on a zero input spike is
 * skipped with its operand traffic: no weight read, no partial-sum (or, in membrane accumulation, membrane)
 * read-modify-write; the input spikes themselves are still read. Tiles still move whole between levels.
 */
export function opDensity(w: Workload, t: number): number {
  if (!w.snn || !w.snn.zeroSkipping) return 1;
  const role = w.tensors[t].role;
  const gated = role === 'weight' || role === 'psum' || (role === 'state' && w.snn.accumulation === 'membrane');
  return gated ? w.tensors[w.snn.inputTensor].density : 1;
}
