/**
 * A network: a graph of layers, each one a single-layer `Workload` (so the layer model evaluates it) plus its
 * graph and shape information, grouped into blocks (the unit of a schedule choice). Generic on purpose: other
 * layer kinds (e.g. TT-decomposed layers) only need a Workload and the fields below.
 */
import type { TileAxis } from './network-schedule.ts';
import type { Workload } from './types.ts';

/** Channels x height x width of a feature map (an FC output is C x 1 x 1). */
export interface FeatureShape {
  readonly c: number;
  readonly h: number;
  readonly w: number;
}

/** `conv` / `fc`: synaptic layers with weights; `add`: element-wise sum (residual); `pool`: max/avg pooling. */
export type LayerOp = 'conv' | 'fc' | 'add' | 'pool';

/** Index of the network input in `NetworkLayer.inputs`. */
export const NETWORK_INPUT = -1;

export interface NetworkLayer {
  readonly name: string;
  readonly index: number;
  readonly op: LayerOp;
  /** Producer layer indices (NETWORK_INPUT for the network input), in declaration order. */
  readonly inputs: readonly number[];
  readonly inShape: FeatureShape;
  readonly outShape: FeatureShape;
  /** Window along rows and columns (1 for add/fc), stride and zero padding along rows. */
  readonly kernel: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly padding: readonly [number, number];
  /** Outputs are 1-bit spikes (false: multi-bit activations of a non-spiking layer). */
  readonly spiking: boolean;
  /** Inputs are spikes (synaptic ops are accumulates). */
  readonly spikingInput: boolean;
  /** Has a membrane state carried across timesteps. */
  readonly stateful: boolean;
  /** Bits per element. */
  readonly bits: { readonly input: number; readonly output: number; readonly weight: number; readonly state: number; readonly psum: number };
  /** Fraction of non-zero inputs (producer's output rate) and of non-zero outputs (this layer's firing rate). */
  readonly inputDensity: number;
  readonly outputDensity: number;
  /** Index of the block that holds this layer. */
  readonly block: number;
  /** The whole layer (all T, all rows) as a single-layer workload. */
  readonly workload: Workload;
}

export interface NetworkInput {
  readonly name: string;
  readonly shape: FeatureShape;
  readonly bits: number;
  readonly density: number;
  readonly spiking: boolean;
}

export interface Block {
  readonly name: string;
  /** Layer indices, in topological order. */
  readonly layers: readonly number[];
}

export interface Network {
  readonly name: string;
  /** Timesteps T of every layer. */
  readonly timesteps: number;
  readonly input: NetworkInput;
  /** In topological order: every producer before its consumers. */
  readonly layers: readonly NetworkLayer[];
  readonly blocks: readonly Block[];
}

/** Consumers of every layer (index -> consumer indices); the network input is not listed. */
export function consumersOf(net: Network): number[][] {
  const out: number[][] = net.layers.map(() => []);
  for (const l of net.layers) for (const p of l.inputs) if (p >= 0 && !out[p].includes(l.index)) out[p].push(l.index);
  return out;
}

/** Elements of one tensor size. */
export const elems = (s: FeatureShape): number => s.c * s.h * s.w;

/** Bits of the layer's weights (0 for add/pool). */
export function weightBits(l: NetworkLayer): number {
  if (l.op !== 'conv' && l.op !== 'fc') return 0;
  const groupsIn = l.op === 'fc' ? elems(l.inShape) : l.inShape.c;
  return l.outShape.c * groupsIn * l.kernel[0] * l.kernel[1] * l.bits.weight;
}

/** Bits of the layer's membrane state (0 when stateless). */
export function stateBits(l: NetworkLayer): number {
  return l.stateful ? elems(l.outShape) * l.bits.state : 0;
}

/** Bits of the layer's output over all T. */
export function outputBits(l: NetworkLayer, timesteps: number): number {
  return elems(l.outShape) * timesteps * l.bits.output;
}

/** Dense synaptic operations of a layer over all T (MACs or accumulates; elementwise ops for add/pool). */
export function denseOps(l: NetworkLayer): number {
  let p = 1;
  for (const s of l.workload.sizes) p *= s;
  return p;
}

/** How spike tensors are stored between layers (and in the global buffer). */
export type SpikeFormat = 'dense' | 'compressed' | 'auto';
export const SPIKE_FORMATS: readonly SpikeFormat[] = ['dense', 'compressed', 'auto'];

/**
 * Bits per element of a 1-bit spike map stored in `format`, one line (row or column) of `lineElems` elements per
 * timestep at a time:
 *  - `dense`: a bitmap, 1 bit per element whatever the rate;
 *  - `compressed`: a coordinate list per line and timestep: a count of ceil(log2(lineElems + 1)) bits, then the
 *    ceil(log2(lineElems))-bit address of each spike, so the size scales with the spike rate;
 *  - `auto`: the smaller of the two for this tensor (a compiler picks the format per tensor).
 */
export function spikeBitsPerElement(format: SpikeFormat, density: number, lineElems: number): number {
  if (format === 'dense' || lineElems <= 1) return 1;
  const addr = Math.max(1, Math.ceil(Math.log2(lineElems)));
  const header = Math.ceil(Math.log2(lineElems + 1));
  const compressed = density * addr + header / lineElems;
  return format === 'compressed' ? compressed : Math.min(1, compressed);
}

export interface ChunkOptions {
  readonly stateless?: boolean;
  readonly dense?: boolean;
  readonly membrane?: boolean;
  readonly keepFinalState?: boolean;
  /** The output dim the chunk cuts: P (rows, default) or Q (columns). */
  readonly axis?: TileAxis;
  /** Bits per element of the input and output spike tensors (a compressed format); absent = declared bits. */
  readonly inputBits?: number;
  readonly outputBits?: number;
}

/**
 * The same layer restricted to a chunk: `t` timesteps and `lines` output rows (dim P) or columns (dim Q). Every
 * other dim is unchanged; a chunk of a stateless copy drops the State tensor. Pure data: no evaluation here.
 */
export function chunkWorkload(w: Workload, t: number, lines: number, opts: ChunkOptions = {}): Workload {
  const ti = w.dims.indexOf('T');
  const li = w.dims.indexOf(opts.axis === 'cols' ? 'Q' : 'P');
  const sizes = w.sizes.map((s, i) => (i === ti ? t : i === li ? lines : s));
  let tensors = w.tensors;
  let snn = w.snn;
  if (snn && opts.stateless && !snn.stateless) {
    tensors = tensors.filter((x) => x.role !== 'state');
    snn = { ...snn, stateless: true };
  }
  if (snn && opts.membrane && snn.accumulation === 'psum' && !snn.stateless) {
    tensors = tensors.filter((x) => x.role !== 'psum');
    snn = { ...snn, accumulation: 'membrane' };
  }
  if (snn && opts.keepFinalState !== undefined) snn = { ...snn, keepFinalState: opts.keepFinalState };
  if (opts.dense) tensors = tensors.map((x) => (x.density === 1 ? x : { ...x, density: 1 }));
  if (opts.inputBits !== undefined || opts.outputBits !== undefined) {
    tensors = tensors.map((x) => {
      if (x.role === 'input' && opts.inputBits !== undefined && x.bits === 1) return { ...x, bits: opts.inputBits };
      if (x.role === 'spikes-out' && opts.outputBits !== undefined && x.bits === 1) return { ...x, bits: opts.outputBits };
      return x;
    });
  }
  if (snn) {
    const inputName = w.tensors[w.snn!.inputTensor].name;
    snn = { ...snn, inputTensor: tensors.findIndex((x) => x.name === inputName) };
  }
  const tag = opts.axis === 'cols' ? 'Q' : 'P';
  return { ...w, name: `${w.name}[T${t},${tag}${lines}]`, sizes, tensors, snn };
}
