/** The shape of one convolution of a network (dense or to be TT-decomposed), and its dense SNN workload. */
import { snnConvWorkload } from '../conv.ts';
import type { Workload } from '../types.ts';

export interface ConvSpec {
  readonly name: string;
  readonly cin: number;
  readonly cout: number;
  /** Output resolution (the counting convention: every conv at its output resolution). */
  readonly hOut: number;
  readonly wOut: number;
  /** Square kernel size (3 for block convs, 1 for shortcuts and FC). */
  readonly kernel: number;
  readonly stride: number;
  /** Timesteps and batch. */
  readonly T: number;
  readonly N: number;
  /** Density of the layer's input (spike rate when spiking). */
  readonly inputDensity: number;
  /** Binary spike inputs (accumulates); false for real-valued inputs (e.g. direct-encoded images). */
  readonly spikingInput: boolean;
  /** Bits of real-valued activations (TT core outputs, psums, state). */
  readonly realBits: number;
  readonly weightBits: number;
  /** `neuron` (default): LIF neuron and spike outputs; `real`: no neuron (a shortcut conv added to the residual). */
  readonly output?: 'neuron' | 'real';
  /** The layer's input is the same tensor another layer of the network already keeps (a shortcut reads the block
   * input that the block's first conv reads): training schemes store it once. */
  readonly sharedInput?: boolean;
  /** The gradient of the layer's input is needed (false for the stem: its input is the data). Default true. */
  readonly inputGrad?: boolean;
  /**
   * What the gradient at the layer's output is: `membrane` (default), a membrane-potential gradient dU, zero where
   * the surrogate is (density 1 - s_du): layers with a neuron and convs whose current feeds one (shortcuts);
   * `dense`: the classifier's logits.
   */
  readonly outputGradient?: 'membrane' | 'dense';
}

/** Dense parameters of a conv: `Cin * Cout * k * k` (no bias, no batch-norm; see README). */
export function denseParams(c: ConvSpec): number {
  return c.cin * c.cout * c.kernel * c.kernel;
}

/** Dense MACs per timestep per sample: params x output pixels. */
export function denseMacsPerTimestep(c: ConvSpec): number {
  return denseParams(c) * c.hOut * c.wOut;
}

/** The dense conv as one SNN layer (psum accumulation, stateful LIF neuron, spike outputs). */
export function denseConvWorkload(c: ConvSpec): Workload {
  return snnConvWorkload({
    name: c.name,
    shape: c.kernel === 1 && c.hOut === 1 && c.wOut === 1 ? 'snn-fc' : 'snn-conv',
    sizes: { N: c.N, T: c.T, K: c.cout, C: c.cin, P: c.hOut, Q: c.wOut, R: c.kernel, S: c.kernel },
    stride: [c.stride, c.stride],
    precision: { Weights: c.weightBits, Inputs: c.spikingInput ? 1 : c.realBits, Psum: c.realBits, State: c.realBits, Outputs: 1 },
    inputDensity: c.inputDensity,
    spikingInput: c.spikingInput,
    output: c.output,
  });
}
