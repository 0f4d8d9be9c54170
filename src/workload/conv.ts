/**
 * Pure builder of SNN conv/FC layer workloads (dims `N T K C P Q R S`), shared by the YAML parser
 * (`spec/workload.ts`) and the network builders (TT cores, ResNets, training phases).
 */
import type { Accumulation, ProjectionTerm, Tensor, TensorRole, Workload } from './types.ts';

export const SNN_DIMS: readonly string[] = ['N', 'T', 'K', 'C', 'P', 'Q', 'R', 'S'];

export interface SnnSizes {
  readonly N: number;
  readonly T: number;
  readonly K: number;
  readonly C: number;
  readonly P: number;
  readonly Q: number;
  readonly R: number;
  readonly S: number;
}

export interface SnnPrecision {
  readonly Weights: number;
  readonly Inputs: number;
  readonly Psum: number;
  readonly State: number;
  readonly Outputs: number;
}

export const DEFAULT_PRECISION: SnnPrecision = { Weights: 8, Inputs: 1, Psum: 16, State: 16, Outputs: 1 };

export interface SnnConvOptions {
  readonly name: string;
  /** `snn-conv` or `snn-fc` (informational). */
  readonly shape?: string;
  readonly sizes: SnnSizes;
  readonly stride?: readonly [number, number];
  readonly dilation?: readonly [number, number];
  readonly precision?: Partial<SnnPrecision>;
  /** Input density (spike rate for spiking inputs). */
  readonly inputDensity?: number;
  readonly accumulation?: Accumulation;
  readonly stateless?: boolean;
  readonly keepFinalState?: boolean;
  readonly spikingInput?: boolean;
  readonly zeroSkipping?: boolean;
  /**
   * `neuron` (default): Psum -> neuron (State) -> spike Outputs, the usual SNN layer.
   * `real`: no neuron; the accumulated real value is the output (a TT core feeding the next core): tensors
   * Weights, Inputs and Outputs (role `output`, `Psum` bits), and the layer is stateless.
   */
  readonly output?: 'neuron' | 'real';
}

const d = (n: string): number => SNN_DIMS.indexOf(n);
const t1 = (n: string): ProjectionTerm[] => [{ dim: d(n), coeff: 1 }];
const mk = (name: string, role: TensorRole, projection: ProjectionTerm[][], rw: boolean, bits: number, density = 1): Tensor => ({
  name, role, projection, readWrite: rw, bits, density,
});

/** An SNN conv (or FC, with P = Q = R = S = 1) layer as a Workload. */
export function snnConvWorkload(o: SnnConvOptions): Workload {
  const [sh, sw] = o.stride ?? [1, 1];
  const [dh, dw] = o.dilation ?? [1, 1];
  const prec: SnnPrecision = { ...DEFAULT_PRECISION, ...o.precision };
  const acc: Accumulation = o.accumulation ?? 'psum';
  const real = o.output === 'real';
  const stateless = real || (o.stateless ?? false);
  const s = o.sizes;
  const sizes = [s.N, s.T, s.K, s.C, s.P, s.Q, s.R, s.S];
  const tensors: Tensor[] = [
    mk('Weights', 'weight', [t1('K'), t1('C'), t1('R'), t1('S')], false, prec.Weights),
    mk('Inputs', 'input', [t1('N'), t1('T'), t1('C'), [{ dim: d('P'), coeff: sh }, { dim: d('R'), coeff: dh }], [{ dim: d('Q'), coeff: sw }, { dim: d('S'), coeff: dw }]], false, prec.Inputs, o.inputDensity ?? 1),
  ];
  if (real) {
    tensors.push(mk('Outputs', 'output', [t1('N'), t1('T'), t1('K'), t1('P'), t1('Q')], true, prec.Psum));
  } else {
    if (acc !== 'membrane') tensors.push(mk('Psum', 'psum', [t1('N'), t1('T'), t1('K'), t1('P'), t1('Q')], true, prec.Psum));
    if (!stateless) tensors.push(mk('State', 'state', [t1('N'), t1('K'), t1('P'), t1('Q')], true, prec.State));
    tensors.push(mk('Outputs', 'spikes-out', [t1('N'), t1('T'), t1('K'), t1('P'), t1('Q')], true, prec.Outputs));
  }
  return {
    name: o.name,
    shape: o.shape ?? 'snn-conv',
    dims: SNN_DIMS,
    sizes,
    tensors,
    snn: {
      accumulation: real ? 'psum' : acc,
      stateless,
      keepFinalState: o.keepFinalState ?? false,
      reductionDims: [d('C'), d('R'), d('S')],
      timeDim: d('T'),
      spikingInput: o.spikingInput ?? true,
      zeroSkipping: o.zeroSkipping ?? true,
      inputTensor: 1,
    },
  };
}
