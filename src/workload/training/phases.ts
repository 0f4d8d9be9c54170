/**
 * The three phases of SNN training for one layer workload (SATA's analytic model, ttsnn.md), each a Workload the
 * layer model evaluates like any other:
 * - forward: the layer itself (accumulates scaled by the spike rate, neuron updates `outputs * T`);
 * - backward: the input gradient through the transposed kernel, `dX[n,t,c,s*p+r,s*q+s'] += W[k,c,r,s'] *
 *   dU[n,t,k,p,q]`, with zero-skipping on dU (density `1 - s_du` where dU is a membrane-potential gradient, i.e.
 *   after a neuron; dense between TT cores); plus, for layers with a neuron, the post-gradient ops
 *   `dU = dS * surrogate(U)` over `outputs * T`;
 * - weight gradient: `dW[k,c,r,s'] += dU[n,t,k,p,q] * X[n,t,c,s*p+r,s*q+s']`, skipping zero input spikes
 *   (`(1 - s_spike) * MACs * T`).
 * Every phase workload keeps the dims `N T K C P Q R S` of the forward layer, so its operation count is the forward
 * MAC count before sparsity.
 */
import type { ProjectionTerm, Tensor, TensorRole, Workload } from '../types.ts';

export type Phase = 'forward' | 'backward' | 'wgrad';
export const PHASES: readonly Phase[] = ['forward', 'backward', 'wgrad'];

/** A phase workload and the names of its compute actions (model action -> reported action). */
export interface PhaseWorkload {
  readonly id: string;
  readonly workload: Workload;
  readonly actions: Readonly<Record<string, string>>;
  /** Priced as operations only, without a memory pass (see TtLayer's LayerPart). */
  readonly computeOnly?: boolean;
}

const CONV_DIMS = ['N', 'T', 'K', 'C', 'P', 'Q', 'R', 'S'];

function mk(name: string, role: TensorRole, projection: readonly (readonly ProjectionTerm[])[], rw: boolean, bits: number, density = 1): Tensor {
  return { name, role, projection, readWrite: rw, bits, density };
}

/** Whether a workload is an SNN conv/FC layer (or TT core) with the dims `N T K C P Q R S`. */
export function isConvLayer(w: Workload): boolean {
  return !!w.snn && w.dims.length === CONV_DIMS.length && w.dims.every((d, i) => d === CONV_DIMS[i]);
}

function parts(w: Workload) {
  const d = (n: string): number => CONV_DIMS.indexOf(n);
  const t1 = (n: string): ProjectionTerm[] => [{ dim: d(n), coeff: 1 }];
  const weights = w.tensors.find((t) => t.role === 'weight')!;
  const inputs = w.tensors[w.snn!.inputTensor];
  const psum = w.tensors.find((t) => t.role === 'psum' || t.role === 'output');
  const realBits = psum?.bits ?? 16;
  const hasNeuron = w.tensors.some((t) => t.role === 'spikes-out');
  const out: ProjectionTerm[][] = [t1('N'), t1('T'), t1('K'), t1('P'), t1('Q')];
  return { d, t1, weights, inputs, realBits, hasNeuron, out };
}

/** Backward (data gradient) workload: transposed kernel, zero-skipping on dU with density `duDensity`. */
export function backwardWorkload(w: Workload, duDensity: number): PhaseWorkload {
  const { d, weights, inputs, realBits, hasNeuron, out } = parts(w);
  const density = hasNeuron ? duDensity : 1;
  const workload: Workload = {
    name: `${w.name}.bwd`,
    shape: 'snn-conv-transposed',
    dims: CONV_DIMS,
    sizes: w.sizes,
    tensors: [
      mk('Weights', 'weight', weights.projection, false, weights.bits),
      mk('GradU', 'input', out, false, realBits, density),
      // dX has the forward input's shape and projection (sliding window over K-reduced outputs).
      mk('GradX', 'output', inputs.projection, true, realBits),
    ],
    snn: {
      accumulation: 'psum', stateless: true, keepFinalState: false,
      reductionDims: [d('K'), d('R'), d('S')], timeDim: d('T'),
      spikingInput: false, zeroSkipping: true, inputTensor: 1,
    },
  };
  return { id: 'bwd', workload, actions: { mac: 'bwd_mac' } };
}

/** Post-gradient ops of a layer with a neuron: `dU = dS * surrogate(U)` per output neuron and timestep. */
export function postGradWorkload(w: Workload): PhaseWorkload | undefined {
  const { d, realBits, hasNeuron } = parts(w);
  if (!hasNeuron) return undefined;
  const dims = ['N', 'T', 'K', 'P', 'Q'];
  const proj = dims.map((_, i) => [{ dim: i, coeff: 1 }]);
  const sizes = dims.map((n) => w.sizes[d(n)]);
  const workload: Workload = {
    name: `${w.name}.postgrad`,
    shape: 'elementwise',
    dims,
    sizes,
    tensors: [mk('GradS', 'input', proj, false, realBits), mk('Membrane', 'input', proj, false, realBits), mk('GradU', 'output', proj, true, realBits)],
  };
  return { id: 'postgrad', workload, actions: { mac: 'post_grad' } };
}

/** Weight-gradient workload: accumulates gated by input spikes (or MACs for real inputs). */
export function wgradWorkload(w: Workload): PhaseWorkload {
  const { d, weights, inputs, realBits, out } = parts(w);
  const spiking = w.snn!.spikingInput;
  const workload: Workload = {
    name: `${w.name}.wgrad`,
    shape: 'snn-conv-wgrad',
    dims: CONV_DIMS,
    sizes: w.sizes,
    tensors: [
      mk('Inputs', 'input', inputs.projection, false, inputs.bits, inputs.density),
      mk('GradU', 'input', out, false, realBits),
      mk('GradW', 'output', weights.projection, true, realBits),
    ],
    snn: {
      accumulation: 'psum', stateless: true, keepFinalState: false,
      reductionDims: [d('N'), d('T'), d('P'), d('Q')], timeDim: d('T'),
      spikingInput: spiking, zeroSkipping: true, inputTensor: 0,
    },
  };
  return { id: 'wgrad', workload, actions: spiking ? { ac: 'weight_gradient' } : { mac: 'wgrad_mac' } };
}

/**
 * The phase workloads of one forward workload (with its forward action names). Elementwise workloads (PTT's
 * average) pass the gradient on to both branches in the backward phase (one op per element) and have no weights.
 */
export function phaseWorkloads(fwd: PhaseWorkload, phase: Phase, duDensity: number): PhaseWorkload[] {
  if (phase === 'forward') return [fwd];
  if (!isConvLayer(fwd.workload)) {
    return phase === 'backward' ? [{ ...fwd, id: `${fwd.id}.bwd`, workload: { ...fwd.workload, name: `${fwd.workload.name}.bwd` } }] : [];
  }
  if (phase === 'backward') {
    const pg = postGradWorkload(fwd.workload);
    return [...(pg ? [pg] : []), backwardWorkload(fwd.workload, duDensity)];
  }
  return [wgradWorkload(fwd.workload)];
}
