import { describe, expect, it } from 'vitest';
import { computeActions } from '../../../src/model/compute.ts';
import { totalOperations, tensorSize } from '../../../src/workload/types.ts';
import { denseConvWorkload, type ConvSpec } from '../../../src/workload/tt/conv-spec.ts';
import { ttCoreWorkloads, averageWorkload } from '../../../src/workload/tt/cores.ts';
import { backwardWorkload, phaseWorkloads, postGradWorkload, wgradWorkload } from '../../../src/workload/training/phases.ts';
import { arch } from '../../helpers/build.ts';

const conv: ConvSpec = { name: 'c', cin: 16, cout: 32, hOut: 8, wOut: 8, kernel: 3, stride: 2, T: 4, N: 2, inputDensity: 0.1, spikingInput: true, realBits: 16, weightBits: 8 };
const a = arch([{ name: 'DRAM', read: 1 }], { energy: { ac: 1, mac: 1, neuron_update: 1 } });
// MACs over the batch and all T: 16*32*9 params * 64 pixels * T4 * N2 = 294912.
const MACS = 16 * 32 * 9 * 64 * 4 * 2;

describe('training phases (SATA analytic model)', () => {
  it('forward: accumulates scaled by the spike rate, neuron updates = outputs * T', () => {
    const w = denseConvWorkload(conv);
    expect(totalOperations(w)).toBe(MACS);
    const c = computeActions(a, w);
    expect(c.actions.ac.count).toBeCloseTo(0.1 * MACS, 6);
    expect(c.actions.neuron_update.count).toBe(32 * 64 * 4 * 2);
  });

  it('backward: (1 - s_du) * MACs with the transposed kernel, dX has the input shape', () => {
    const fwd = denseConvWorkload(conv);
    const b = backwardWorkload(fwd, 0.3);
    expect(totalOperations(b.workload)).toBe(MACS);
    expect(computeActions(a, b.workload).actions.mac.count).toBeCloseTo(0.3 * MACS, 6);
    expect(b.actions).toEqual({ mac: 'bwd_mac' });
    const gx = b.workload.tensors.find((t) => t.name === 'GradX')!;
    // dX[N2, T4, C16, 2*7+3 = 17, 17]: the (padded) input window of the stride-2 conv.
    expect(tensorSize(b.workload, gx)).toBe(2 * 4 * 16 * 17 * 17);
    expect(tensorSize(b.workload, b.workload.tensors.find((t) => t.name === 'Weights')!)).toBe(16 * 32 * 9);
  });

  it('post-gradient ops = outputs * T, only for layers with a neuron', () => {
    const pg = postGradWorkload(denseConvWorkload(conv))!;
    expect(totalOperations(pg.workload)).toBe(32 * 64 * 4 * 2);
    const g = ttCoreWorkloads({ ...conv, stride: 1 }, 8);
    expect(postGradWorkload(g.G2)).toBeUndefined();
    expect(postGradWorkload(g.G4)).toBeDefined();
  });

  it('between TT cores the gradient is dense (no neuron): G1..G3 backward at density 1, G4 at 1 - s_du', () => {
    const g = ttCoreWorkloads({ ...conv, stride: 1 }, 8);
    const dens = (w: typeof g.G1) => backwardWorkload(w, 0.3).workload.tensors[1].density;
    expect([dens(g.G1), dens(g.G2), dens(g.G3), dens(g.G4)]).toEqual([1, 1, 1, 0.3]);
  });

  it('weight gradient: (1 - s_spike) * MACs on spikes (weight_gradient), full MACs on real inputs', () => {
    const wg = wgradWorkload(denseConvWorkload(conv));
    expect(computeActions(a, wg.workload).actions.ac.count).toBeCloseTo(0.1 * MACS, 6);
    expect(wg.actions).toEqual({ ac: 'weight_gradient' });
    const gw = wg.workload.tensors.find((t) => t.name === 'GradW')!;
    expect(tensorSize(wg.workload, gw)).toBe(16 * 32 * 9);
    const g2 = wgradWorkload(ttCoreWorkloads({ ...conv, stride: 1 }, 8).G2);
    expect(g2.actions).toEqual({ mac: 'wgrad_mac' });
    expect(computeActions(a, g2.workload).actions.mac.count).toBe(totalOperations(g2.workload));
  });

  it("PTT's average: a pass-through in backward, nothing in wgrad", () => {
    const avg = { id: 'avg', workload: averageWorkload(conv, 8), actions: { mac: 'add' } };
    expect(phaseWorkloads(avg, 'backward', 0.3)).toHaveLength(1);
    expect(phaseWorkloads(avg, 'wgrad', 0.3)).toHaveLength(0);
    const fwd = { id: 'dense', workload: denseConvWorkload(conv), actions: {} };
    expect(phaseWorkloads(fwd, 'backward', 0.3).map((p) => p.id)).toEqual(['postgrad', 'bwd']);
    expect(phaseWorkloads(fwd, 'wgrad', 0.3).map((p) => p.id)).toEqual(['wgrad']);
  });
});
