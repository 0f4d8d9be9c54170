/**
 * Training schemes and what each keeps between the forward and the backward pass (per layer, in bits):
 * - `bptt`: everything, every timestep: the layer's input spikes (for the weight gradient), its membrane
 *   potentials (for the surrogate gradient) and, for TT layers, the real-valued inputs of G2..G4 (STT: 3 tensors of
 *   r*H*W, PTT: 2, since G2 and G3 share G1's output; HTT: 2 for the PTT timesteps, 1 for the G1 -> G4 ones).
 *   Grows with T; stored once and re-read once.
 * - `ottt`: online training through time: the gradient is formed at every timestep from running presynaptic
 *   traces (one real value per input of every weighted op: the layer input, and the G2..G4 inputs of a TT layer);
 *   flat in T. The trace is read and written every timestep (and the forward runs twice: the spike path and the
 *   trace path).
 * - `saf`: spiking accumulation forward: OTTT's traces, with the trace path merged into the spike path, so half of
 *   OTTT's forward operations.
 * - `reversible`: reversible neurons recompute the earlier states from the last one: only the final membrane
 *   potential and output spikes are kept (flat in T); the backward recomputes the forward once.
 */
import type { TtLayer } from '../tt/layer.ts';

export type Scheme = 'bptt' | 'ottt' | 'saf' | 'reversible';
export const SCHEMES: readonly Scheme[] = ['bptt', 'ottt', 'saf', 'reversible'];

/** Per-sample sizes of what a layer could keep, in bits. */
export interface LayerActivations {
  /** Input elements of the layer (Cin x Hin x Win), one timestep. */
  readonly inputElems: number;
  /** Input spikes (or real inputs) of the layer, one timestep. */
  readonly inputBits: number;
  /** Bits of a real value (membrane potential, trace). */
  readonly realBits: number;
  /** Membrane potentials of the layer's neurons, one timestep (0 without a neuron). */
  readonly membraneBits: number;
  /** Output spikes, one timestep (0 without a neuron). */
  readonly outputBits: number;
  /** Real-valued TT core inputs (G2..G4) summed over the T timesteps (0 for dense layers). */
  readonly ttInputBitsAllT: number;
  /** Distinct real-valued TT core inputs that carry a trace (OTTT/SAF), one timestep. */
  readonly ttTraceTensors: number;
  /** r*H*W*bits: one TT core input, one timestep. */
  readonly ttTensorBits: number;
  readonly timesteps: number;
}

export function layerActivations(l: TtLayer): LayerActivations {
  const c = l.conv;
  const inBits = c.spikingInput ? 1 : c.realBits;
  // A shortcut reads the block input its block's first conv already keeps (and traces): counted once.
  const inputElems = c.sharedInput ? 0 : c.cin * c.hOut * c.stride * c.wOut * c.stride;
  const inputBits = inputElems * inBits;
  const neuron = c.output !== 'real';
  const outElems = c.cout * c.hOut * c.wOut;
  const ttTensorBits = l.tt ? l.tt.rank * c.hOut * c.wOut * c.realBits : 0;
  let perStepTensors = 0;
  let ttAllT = 0;
  if (l.tt) {
    const { mode, fullTimesteps } = l.tt;
    perStepTensors = mode === 'stt' ? 3 : 2;
    ttAllT = mode === 'htt' ? ttTensorBits * (2 * fullTimesteps + 1 * (c.T - fullTimesteps)) : ttTensorBits * perStepTensors * c.T;
  }
  return {
    inputElems,
    inputBits,
    realBits: c.realBits,
    membraneBits: neuron ? outElems * c.realBits : 0,
    outputBits: neuron ? outElems : 0,
    ttInputBitsAllT: ttAllT,
    ttTraceTensors: perStepTensors,
    ttTensorBits,
    timesteps: c.T,
  };
}

export interface SchemeMemory {
  readonly scheme: Scheme;
  /** Activation memory kept between forward and backward, bytes, for the batch. */
  readonly activationBytes: number;
  /** DRAM traffic of storing it and reading it back, bytes (off-chip: it exceeds the on-chip buffers). */
  readonly trafficBytes: number;
  /** Multiplier of the forward phase's operations (OTTT runs the spike and the trace path). */
  readonly forwardFactor: number;
  /** Extra forward passes run during the backward (reversible: 1). */
  readonly recomputeForwardPasses: number;
}

/** Activation memory and its traffic for one layer at batch `batch` (bits -> bytes). */
export function schemeMemory(a: LayerActivations, scheme: Scheme, batch: number): SchemeMemory {
  const T = a.timesteps;
  const bytes = (bits: number): number => (bits * batch) / 8;
  switch (scheme) {
    case 'bptt': {
      const m = bytes(T * (a.inputBits + a.membraneBits) + a.ttInputBitsAllT);
      return { scheme, activationBytes: m, trafficBytes: 2 * m, forwardFactor: 1, recomputeForwardPasses: 0 };
    }
    case 'ottt':
    case 'saf': {
      const m = bytes(traceBits(a));
      return { scheme, activationBytes: m, trafficBytes: 2 * T * m, forwardFactor: scheme === 'ottt' ? 2 : 1, recomputeForwardPasses: 0 };
    }
    case 'reversible': {
      const m = bytes(a.membraneBits + a.outputBits);
      return { scheme, activationBytes: m, trafficBytes: 2 * m, forwardFactor: 1, recomputeForwardPasses: 1 };
    }
  }
}

/** OTTT/SAF traces: a real-valued trace per layer input element and per TT core input element (flat in T). */
export function traceBits(a: LayerActivations): number {
  return a.inputElems * a.realBits + a.ttTraceTensors * a.ttTensorBits;
}

/** A scheme over a list of layers: the sum of the layers' memory and traffic. */
export function networkSchemeMemory(layers: readonly TtLayer[], scheme: Scheme, batch: number): SchemeMemory & { readonly perLayer: readonly SchemeMemory[] } {
  const perLayer = layers.map((l) => schemeMemory(layerActivations(l), scheme, batch));
  const first = perLayer[0] ?? schemeMemory({ inputElems: 0, inputBits: 0, realBits: 16, membraneBits: 0, outputBits: 0, ttInputBitsAllT: 0, ttTraceTensors: 0, ttTensorBits: 0, timesteps: 1 }, scheme, batch);
  return {
    scheme,
    activationBytes: perLayer.reduce((a, m) => a + m.activationBytes, 0),
    trafficBytes: perLayer.reduce((a, m) => a + m.trafficBytes, 0),
    forwardFactor: first.forwardFactor,
    recomputeForwardPasses: first.recomputeForwardPasses,
    perLayer,
  };
}
