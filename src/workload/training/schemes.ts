/**
 * Training schemes and the activation memory each keeps between a layer's forward and backward pass (per layer,
 * counted in whole bytes per tensor). What each pass computes and moves is in graph.ts; these are the sizes:
 * - `bptt`: everything, every timestep: the layer's input (1-bit spikes, for the weight gradient), its membrane
 *   potentials (16 bit, for the surrogate gradient) and, for TT layers, the real-valued inputs of G2..G4 (STT: 3
 *   tensors of r*H*W, PTT: 2, since G2 and G3 share G1's output; HTT: 2 for the PTT timesteps, 1 for the
 *   G1 -> G4 ones). Grows with T. Stored once, read once: DRAM traffic 2 x memory.
 * - `ottt`, `saf`: online, one timestep at a time through the whole network: a 16-bit presynaptic trace per input
 *   element of every weighted op (the layer input and the TT core inputs) and this timestep's membranes. Flat in T.
 *   Written and read back every timestep: DRAM traffic 2 x T x memory.
 * - `reversible`: reversible neurons recompute the earlier states from the last one: only the final membrane
 *   potentials and output spikes are kept (flat in T); the backward recomputes the forward once. Traffic 2 x memory.
 */
import type { TtLayer } from '../tt/layer.ts';

export type Scheme = 'bptt' | 'ottt' | 'saf' | 'reversible';
export const SCHEMES: readonly Scheme[] = ['bptt', 'ottt', 'saf', 'reversible'];

/** Per-sample sizes of what a layer could keep, in bits (one timestep unless said otherwise). */
export interface LayerActivations {
  /** Input elements of the layer (Cin x Hin x Win); 0 when another layer keeps the same tensor (a shortcut). */
  readonly inputElems: number;
  /** Bits of one input element (1 for spikes). */
  readonly inputBits: number;
  /** Bits of a real value (membrane potential, trace). */
  readonly realBits: number;
  /** Neurons of the layer (0 without a neuron). */
  readonly neurons: number;
  /** Real-valued TT core inputs (G2..G4): per timestep, how many r*H*W tensors, summed over the T timesteps. */
  readonly ttTensorsAllT: number;
  /** Distinct TT core inputs per timestep that carry a trace (online schemes). */
  readonly ttTraceTensors: number;
  /** Elements of one TT core input (r*H*W). */
  readonly ttTensorElems: number;
  readonly timesteps: number;
}

export function layerActivations(l: TtLayer): LayerActivations {
  const c = l.conv;
  // A shortcut reads the block input its block's first conv already keeps (and traces): counted once.
  const inputElems = c.sharedInput ? 0 : c.cin * c.hOut * c.stride * c.wOut * c.stride;
  let perStep = 0;
  let allT = 0;
  if (l.tt) {
    const { mode, fullTimesteps } = l.tt;
    perStep = mode === 'stt' ? 3 : 2;
    allT = mode === 'htt' ? 2 * fullTimesteps + 1 * (c.T - fullTimesteps) : perStep * c.T;
  }
  return {
    inputElems,
    inputBits: c.spikingInput ? 1 : c.realBits,
    realBits: c.realBits,
    neurons: c.output !== 'real' ? c.cout * c.hOut * c.wOut : 0,
    ttTensorsAllT: allT,
    ttTraceTensors: perStep,
    ttTensorElems: l.tt ? l.tt.rank * c.hOut * c.wOut : 0,
    timesteps: c.T,
  };
}

export interface SchemeMemory {
  readonly scheme: Scheme;
  /** Activation memory kept between forward and backward, whole bytes, for the batch. */
  readonly activationBytes: number;
  /** DRAM traffic of storing it and reading it back, bytes. */
  readonly trafficBytes: number;
  /** Passes of the forward ops (OTTT: the spike path and the trace path). */
  readonly forwardPasses: number;
  /** Extra forward passes run during the backward (reversible: 1). */
  readonly recomputeForwardPasses: number;
}

/** Whole bytes of `elems` elements of `bits` each over a batch. */
const bytes = (elems: number, bits: number, batch: number): number => Math.ceil((elems * bits * batch) / 8);

/** Activation memory and its traffic for one layer at batch `batch`. */
export function schemeMemory(a: LayerActivations, scheme: Scheme, batch: number): SchemeMemory {
  const T = a.timesteps;
  switch (scheme) {
    case 'bptt': {
      const m = bytes(a.inputElems * T, a.inputBits, batch) + bytes(a.neurons * T, a.realBits, batch) + bytes(a.ttTensorElems * a.ttTensorsAllT, a.realBits, batch);
      return { scheme, activationBytes: m, trafficBytes: 2 * m, forwardPasses: 1, recomputeForwardPasses: 0 };
    }
    case 'ottt':
    case 'saf': {
      const m = bytes(a.inputElems, a.realBits, batch) + bytes(a.ttTensorElems * a.ttTraceTensors, a.realBits, batch) + bytes(a.neurons, a.realBits, batch);
      return { scheme, activationBytes: m, trafficBytes: 2 * T * m, forwardPasses: scheme === 'ottt' ? 2 : 1, recomputeForwardPasses: 0 };
    }
    case 'reversible': {
      const m = bytes(a.neurons, a.realBits, batch) + bytes(a.neurons, 1, batch);
      return { scheme, activationBytes: m, trafficBytes: 2 * m, forwardPasses: 1, recomputeForwardPasses: 1 };
    }
  }
}

/** A scheme over a list of layers: the sum of the layers' memory and traffic. */
export function networkSchemeMemory(layers: readonly TtLayer[], scheme: Scheme, batch: number): SchemeMemory & { readonly perLayer: readonly SchemeMemory[] } {
  const perLayer = layers.map((l) => schemeMemory(layerActivations(l), scheme, batch));
  return {
    scheme,
    activationBytes: perLayer.reduce((a, m) => a + m.activationBytes, 0),
    trafficBytes: perLayer.reduce((a, m) => a + m.trafficBytes, 0),
    forwardPasses: scheme === 'ottt' ? 2 : 1,
    recomputeForwardPasses: scheme === 'reversible' ? 1 : 0,
    perLayer,
  };
}
