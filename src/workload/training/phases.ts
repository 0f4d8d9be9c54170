/**
 * The workloads of SNN training for one forward workload (SATA's analytic model, ttsnn.md), each a Workload the
 * layer model evaluates like any other:
 * - forward: the layer itself (accumulates scaled by the spike rate, neuron updates `outputs * T`);
 * - backward: the input gradient through the transposed kernel, `dX[n,t,c,s*p+r,s*q+s'] += W[k,c,r,s'] *
 *   dY[n,t,k,p,q]`, skipping zeros of the output gradient dY (density `1 - s_du` when dY is a membrane-potential
 *   gradient, 1 between TT cores); plus, for layers with a neuron, the post-gradient ops `dU = dS * surrogate(U)`
 *   over `outputs * T`;
 * - weight gradient: `dW[k,c,r,s'] += dY[n,t,k,p,q] * X[n,t,c,s*p+r,s*q+s']`, skipping the zeros of one operand,
 *   the one a zero-skipping PE checks: the input spikes (`(1 - s_spike) * MACs * T`, SATA's formula) when X is
 *   spikes, else dY when it is a membrane-potential gradient, else none (full MACs);
 * - the presynaptic trace of online schemes (OTTT, SAF): `a[t] = lambda * a[t-1] + x[t]` per input element.
 * Every conv phase workload keeps the dims `N T K C P Q R S` of the forward layer, so its operation count is the
 * forward MAC count before sparsity.
 */
import type { ProjectionTerm, Tensor, TensorRole, Workload } from '../types.ts';

export type Phase = 'forward' | 'backward' | 'wgrad';
export const PHASES: readonly Phase[] = ['forward', 'backward', 'wgrad'];

/** A phase workload and the names of its compute actions (model action -> reported action). */
export interface PhaseWorkload {
  readonly id: string;
  readonly workload: Workload;
  readonly actions: Readonly<Record<string, string>>;
}

const CONV_DIMS = ['N', 'T', 'K', 'C', 'P', 'Q', 'R', 'S'];
const dim = (n: string): number => CONV_DIMS.indexOf(n);
const t1 = (n: string): ProjectionTerm[] => [{ dim: dim(n), coeff: 1 }];
const OUT: ProjectionTerm[][] = [t1('N'), t1('T'), t1('K'), t1('P'), t1('Q')];

function mk(name: string, role: TensorRole, projection: readonly (readonly ProjectionTerm[])[], rw: boolean, bits: number, density = 1): Tensor {
  return { name, role, projection, readWrite: rw, bits, density };
}

/** Whether a workload is an SNN conv/FC layer (or TT core) with the dims `N T K C P Q R S`. */
export function isConvLayer(w: Workload): boolean {
  return !!w.snn && w.dims.length === CONV_DIMS.length && w.dims.every((d, i) => d === CONV_DIMS[i]);
}

function parts(w: Workload) {
  const weights = w.tensors.find((t) => t.role === 'weight')!;
  const inputs = w.tensors[w.snn!.inputTensor];
  const acc = w.tensors.find((t) => t.role === 'psum' || t.role === 'output');
  return { weights, inputs, realBits: acc?.bits ?? 16, hasNeuron: w.tensors.some((t) => t.role === 'spikes-out') };
}

/** Backward (input gradient): transposed kernel, zero-skipping on the output gradient of density `gradDensity`. */
export function backwardWorkload(w: Workload, gradDensity: number): PhaseWorkload {
  const { weights, inputs, realBits } = parts(w);
  const workload: Workload = {
    name: `${w.name}.bwd`,
    shape: 'snn-conv-transposed',
    dims: CONV_DIMS,
    sizes: w.sizes,
    tensors: [
      mk('Weights', 'weight', weights.projection, false, weights.bits),
      mk('GradU', 'input', OUT, false, realBits, gradDensity),
      // dX has the forward input's shape and projection (sliding window over K-reduced outputs).
      mk('GradX', 'output', inputs.projection, true, realBits),
    ],
    snn: {
      accumulation: 'psum', stateless: true, keepFinalState: false,
      reductionDims: [dim('K'), dim('R'), dim('S')], timeDim: dim('T'),
      spikingInput: false, zeroSkipping: gradDensity < 1, inputTensor: 1,
    },
  };
  return { id: 'bwd', workload, actions: { mac: 'bwd_mac' } };
}

/** Post-gradient ops of a layer with a neuron: `dU = dS * surrogate(U)` per output neuron and timestep. */
export function postGradWorkload(w: Workload): PhaseWorkload | undefined {
  const { realBits, hasNeuron } = parts(w);
  if (!hasNeuron) return undefined;
  const dims = ['N', 'T', 'K', 'P', 'Q'];
  const proj = dims.map((_, i) => [{ dim: i, coeff: 1 }]);
  const workload: Workload = {
    name: `${w.name}.postgrad`,
    shape: 'elementwise',
    dims,
    sizes: dims.map((n) => w.sizes[dim(n)]),
    tensors: [mk('GradS', 'input', proj, false, realBits), mk('Membrane', 'input', proj, false, realBits), mk('GradU', 'output', proj, true, realBits)],
  };
  return { id: 'postgrad', workload, actions: { mac: 'post_grad' } };
}

/** Which operand's zeros the weight gradient skips (see the file comment). */
export type WgradSkip = 'input' | 'grad' | 'none';

/** Weight-gradient workload on the forward's inputs (spikes, real values or a trace) and the output gradient. */
export function wgradWorkload(w: Workload, skip: WgradSkip, gradDensity: number): PhaseWorkload {
  const { weights, inputs, realBits } = parts(w);
  const spikes = w.snn!.spikingInput;
  const workload: Workload = {
    name: `${w.name}.wgrad`,
    shape: 'snn-conv-wgrad',
    dims: CONV_DIMS,
    sizes: w.sizes,
    tensors: [
      mk('Inputs', 'input', inputs.projection, false, inputs.bits, inputs.density),
      mk('GradU', 'input', OUT, false, realBits, gradDensity),
      mk('GradW', 'output', weights.projection, true, realBits),
    ],
    snn: {
      accumulation: 'psum', stateless: true, keepFinalState: false,
      reductionDims: [dim('N'), dim('T'), dim('P'), dim('Q')], timeDim: dim('T'),
      spikingInput: skip === 'input' && spikes, zeroSkipping: skip !== 'none', inputTensor: skip === 'grad' ? 1 : 0,
    },
  };
  return { id: 'wgrad', workload, actions: skip === 'input' && spikes ? { ac: 'weight_gradient' } : { mac: 'wgrad_mac' } };
}

/**
 * The forward workload with its input replaced by the presynaptic trace: real-valued (`bits`), dense, so its
 * synaptic ops are full MACs. OTTT's trace path and the weight gradient of online schemes use it.
 */
export function onTrace(w: Workload, bits: number): Workload {
  const i = w.snn!.inputTensor;
  return {
    ...w,
    name: `${w.name}.trace`,
    tensors: w.tensors.map((t, ti) => (ti === i ? { ...t, name: 'Inputs', bits, density: 1 } : t)),
    snn: { ...w.snn!, spikingInput: false, zeroSkipping: false },
  };
}

/**
 * The trace update of online schemes over the forward's input elements: `Trace[t] = lambda * Prev + X[t]` (one
 * op per element and timestep; reads the previous trace and the input, writes the new trace).
 */
export function traceUpdateWorkload(w: Workload, bits: number): PhaseWorkload {
  const inputs = w.tensors[w.snn!.inputTensor];
  // Input extent per rank of the forward input (N, T, C, rows, cols).
  const ext = inputs.projection.map((rank) => rank.reduce((a, term) => a + term.coeff * (w.sizes[term.dim] - 1), 1));
  const dims = ['N', 'T', 'C', 'H', 'W'];
  const proj = dims.map((_, i) => [{ dim: i, coeff: 1 }]);
  const workload: Workload = {
    name: `${w.name}.trace-update`,
    shape: 'elementwise',
    dims,
    sizes: ext,
    tensors: [mk('X', 'input', proj, false, inputs.bits, inputs.density), mk('Prev', 'input', proj, false, bits), mk('Trace', 'output', proj, true, bits)],
  };
  return { id: 'trace', workload, actions: { mac: 'trace_update' } };
}
