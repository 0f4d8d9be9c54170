/**
 * Single-layer workloads for the layers of a network, built with the same tensors and projections as a native
 * `snn-conv` / `snn-fc` workload spec (src/spec/workload.ts), plus depthwise pooling and element-wise add.
 * Every layer has dims named T (timesteps) and P (output rows), which is what a schedule chunks.
 */
import type { ProjectionTerm, Tensor, TensorRole, Workload } from './types.ts';
import type { FeatureShape, LayerOp } from './network.ts';

export interface LayerBuild {
  readonly name: string;
  readonly op: LayerOp;
  readonly timesteps: number;
  readonly inShape: FeatureShape;
  /** Number of inputs (for add). */
  readonly arity: number;
  readonly outShape: FeatureShape;
  readonly kernel: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly spikingInput: boolean;
  readonly stateful: boolean;
  readonly bits: { readonly input: number; readonly output: number; readonly weight: number; readonly state: number; readonly psum: number };
  readonly inputDensity: number;
  readonly outputDensity: number;
  readonly accumulation: 'psum' | 'membrane';
}

const term = (dim: number, coeff = 1): ProjectionTerm => ({ dim, coeff });
const mk = (name: string, role: TensorRole, projection: ProjectionTerm[][], readWrite: boolean, bits: number, density = 1): Tensor => ({
  name, role, projection, readWrite, bits, density,
});

function synaptic(b: LayerBuild): Workload {
  const dims = ['N', 'T', 'K', 'C', 'P', 'Q', 'R', 'S'];
  const d = (n: string): number => dims.indexOf(n);
  const fc = b.op === 'fc';
  const C = fc ? b.inShape.c * b.inShape.h * b.inShape.w : b.inShape.c;
  const sizes = [1, b.timesteps, b.outShape.c, C, fc ? 1 : b.outShape.h, fc ? 1 : b.outShape.w, fc ? 1 : b.kernel[0], fc ? 1 : b.kernel[1]];
  const [sh, sw] = fc ? [1, 1] : b.stride;
  const tensors: Tensor[] = [
    mk('Weights', 'weight', [[term(d('K'))], [term(d('C'))], [term(d('R'))], [term(d('S'))]], false, b.bits.weight),
    mk('Inputs', 'input', [[term(d('N'))], [term(d('T'))], [term(d('C'))], [term(d('P'), sh), term(d('R'))], [term(d('Q'), sw), term(d('S'))]], false, b.bits.input, b.inputDensity),
  ];
  const out = (): ProjectionTerm[][] => [[term(d('N'))], [term(d('T'))], [term(d('K'))], [term(d('P'))], [term(d('Q'))]];
  const membrane = b.accumulation === 'membrane' && b.stateful;
  if (!membrane) tensors.push(mk('Psum', 'psum', out(), true, b.bits.psum));
  if (b.stateful) tensors.push(mk('State', 'state', [[term(d('N'))], [term(d('K'))], [term(d('P'))], [term(d('Q'))]], true, b.bits.state));
  tensors.push(mk('Outputs', 'spikes-out', out(), true, b.bits.output, b.outputDensity));
  return {
    name: b.name, shape: fc ? 'snn-fc' : 'snn-conv', dims, sizes, tensors,
    snn: {
      accumulation: membrane ? 'membrane' : 'psum', stateless: !b.stateful, keepFinalState: false,
      reductionDims: [d('C'), d('R'), d('S')], timeDim: d('T'), spikingInput: b.spikingInput, zeroSkipping: true, inputTensor: 1,
    },
  };
}

function pool(b: LayerBuild): Workload {
  const dims = ['N', 'T', 'K', 'P', 'Q', 'R', 'S'];
  const d = (n: string): number => dims.indexOf(n);
  const sizes = [1, b.timesteps, b.outShape.c, b.outShape.h, b.outShape.w, b.kernel[0], b.kernel[1]];
  const out = (): ProjectionTerm[][] => [[term(d('N'))], [term(d('T'))], [term(d('K'))], [term(d('P'))], [term(d('Q'))]];
  const tensors: Tensor[] = [
    mk('Inputs', 'input', [[term(d('N'))], [term(d('T'))], [term(d('K'))], [term(d('P'), b.stride[0]), term(d('R'))], [term(d('Q'), b.stride[1]), term(d('S'))]], false, b.bits.input, b.inputDensity),
    mk('Outputs', 'spikes-out', out(), true, b.bits.output, b.outputDensity),
  ];
  return {
    name: b.name, shape: 'pool', dims, sizes, tensors,
    snn: { accumulation: 'psum', stateless: true, keepFinalState: false, reductionDims: [d('R'), d('S')], timeDim: d('T'), spikingInput: b.spikingInput, zeroSkipping: true, inputTensor: 0 },
  };
}

function add(b: LayerBuild): Workload {
  const dims = ['N', 'T', 'K', 'P', 'Q'];
  const sizes = [1, b.timesteps, b.outShape.c, b.outShape.h, b.outShape.w];
  const out = (): ProjectionTerm[][] => dims.map((_, i) => [term(i)]);
  const tensors: Tensor[] = [];
  for (let i = 0; i < b.arity; i++) tensors.push(mk(i === 0 ? 'Inputs' : `Inputs${i + 1}`, 'input', out(), false, b.bits.input, b.inputDensity));
  tensors.push(mk('Outputs', 'spikes-out', out(), true, b.bits.output, b.outputDensity));
  return {
    name: b.name, shape: 'add', dims, sizes, tensors,
    snn: { accumulation: 'psum', stateless: true, keepFinalState: false, reductionDims: [], timeDim: 1, spikingInput: b.spikingInput, zeroSkipping: true, inputTensor: 0 },
  };
}

/** The single-layer workload of one network layer over all T and all rows. */
export function layerWorkload(b: LayerBuild): Workload {
  if (b.op === 'pool') return pool(b);
  if (b.op === 'add') return add(b);
  return synaptic(b);
}
