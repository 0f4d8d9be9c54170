/**
 * A 3x3 conv `W[Cout, Cin, 3, 3]` as four TT cores with one rank r (TT-SNN, ttsnn.md):
 * G1 1x1 Cin -> r, G2 3x1 r -> r, G3 1x3 r -> r, G4 1x1 r -> Cout.
 * G1 consumes spikes (accumulates scaled by the spike rate) and applies the conv's stride, so every core runs at
 * the output resolution (the reference's counting convention). G2..G4 consume real values (full MACs). There is
 * no neuron between cores: G1..G3 output real values (role `output`); G4's output is the synaptic current of the
 * layer's LIF neuron (Psum -> State -> spikes).
 */
import { snnConvWorkload } from '../conv.ts';
import type { Tensor, Workload } from '../types.ts';
import type { ConvSpec } from './conv-spec.ts';

export type CoreName = 'G1' | 'G2' | 'G3' | 'G4';

export interface TtCores {
  readonly G1: Workload;
  readonly G2: Workload;
  readonly G3: Workload;
  readonly G4: Workload;
}

/** Kernel (R, S) of each core. */
export const CORE_KERNEL: Readonly<Record<CoreName, readonly [number, number]>> = { G1: [1, 1], G2: [3, 1], G3: [1, 3], G4: [1, 1] };

/** Parameters of each core for rank r: G1 Cin*r, G2 3r^2, G3 3r^2, G4 r*Cout. */
export function coreParams(c: ConvSpec, r: number): Readonly<Record<CoreName, number>> {
  return { G1: c.cin * r, G2: 3 * r * r, G3: 3 * r * r, G4: r * c.cout };
}

/** TT parameters: `Cin*r + 3r^2 + 3r^2 + r*Cout`. */
export function ttParams(c: ConvSpec, r: number): number {
  const p = coreParams(c, r);
  return p.G1 + p.G2 + p.G3 + p.G4;
}

/**
 * The cores as single-layer workloads. `T` overrides the timesteps (HTT runs G2, G3 for fewer timesteps).
 * Real-valued core inputs use `c.realBits`.
 */
export function ttCoreWorkloads(c: ConvSpec, r: number, T: Partial<Record<CoreName, number>> = {}): TtCores {
  const base = (core: CoreName, cin: number, cout: number) => {
    const [R, S] = CORE_KERNEL[core];
    return { N: c.N, T: T[core] ?? c.T, K: cout, C: cin, P: c.hOut, Q: c.wOut, R, S };
  };
  const realIn = { Weights: c.weightBits, Inputs: c.realBits, Psum: c.realBits, State: c.realBits, Outputs: 1 };
  const G1 = snnConvWorkload({
    name: `${c.name}.G1`, sizes: base('G1', c.cin, r), stride: [c.stride, c.stride],
    precision: { ...realIn, Inputs: c.spikingInput ? 1 : c.realBits }, inputDensity: c.inputDensity,
    spikingInput: c.spikingInput, output: 'real',
  });
  const mid = (core: 'G2' | 'G3'): Workload =>
    snnConvWorkload({ name: `${c.name}.${core}`, sizes: base(core, r, r), precision: realIn, spikingInput: false, output: 'real' });
  const G4 = snnConvWorkload({ name: `${c.name}.G4`, sizes: base('G4', r, c.cout), precision: realIn, spikingInput: false, output: c.output });
  return { G1, G2: mid('G2'), G3: mid('G3'), G4 };
}

/**
 * PTT's merge of G2 and G3: `Avg[n,t,k,p,q] = (A + B) / 2`, one add per element (the halving is a shift or is
 * folded into G4's weights). A generic workload of `N*T*r*H*W` operations; its compute action is an `add`.
 */
export function averageWorkload(c: ConvSpec, r: number, T = c.T): Workload {
  const dims = ['N', 'T', 'K', 'P', 'Q'];
  const proj = dims.map((_, i) => [{ dim: i, coeff: 1 }]);
  const t = (name: string, role: Tensor['role'], rw: boolean): Tensor => ({ name, role, projection: proj, readWrite: rw, bits: c.realBits, density: 1 });
  return {
    name: `${c.name}.avg`,
    shape: 'elementwise-add',
    dims,
    sizes: [c.N, T, r, c.hOut, c.wOut],
    tensors: [t('G2out', 'input', false), t('G3out', 'input', false), t('Avg', 'output', true)],
  };
}
