import { describe, expect, it } from 'vitest';
import { computeActions } from '../../../src/model/compute.ts';
import { totalOperations, tensorSize } from '../../../src/workload/types.ts';
import { denseConvWorkload, type ConvSpec } from '../../../src/workload/tt/conv-spec.ts';
import { ttCoreWorkloads } from '../../../src/workload/tt/cores.ts';
import { backwardWorkload, onTrace, postGradWorkload, traceUpdateWorkload, wgradWorkload } from '../../../src/workload/training/phases.ts';
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
    const b = backwardWorkload(denseConvWorkload(conv), 0.3);
    expect(totalOperations(b.workload)).toBe(MACS);
    expect(computeActions(a, b.workload).actions.mac.count).toBeCloseTo(0.3 * MACS, 6);
    expect(b.actions).toEqual({ mac: 'bwd_mac' });
    // dX[N2, T4, C16, 2*7+3 = 17, 17]: the (padded) input window of the stride-2 conv.
    expect(tensorSize(b.workload, b.workload.tensors.find((t) => t.name === 'GradX')!)).toBe(2 * 4 * 16 * 17 * 17);
    // A dense output gradient (between TT cores) is not zero-skipped.
    expect(computeActions(a, backwardWorkload(denseConvWorkload(conv), 1).workload).actions.mac.count).toBe(MACS);
  });

  it('post-gradient ops = outputs * T, only for layers with a neuron', () => {
    expect(totalOperations(postGradWorkload(denseConvWorkload(conv))!.workload)).toBe(32 * 64 * 4 * 2);
    const g = ttCoreWorkloads({ ...conv, stride: 1 }, 8);
    expect(postGradWorkload(g.G2)).toBeUndefined();
    expect(postGradWorkload(g.G4)).toBeDefined();
    expect(postGradWorkload(denseConvWorkload({ ...conv, output: 'real' }))).toBeUndefined(); // the classifier's logits
  });

  it('weight gradient skips the zeros of one operand: spikes (SATA), else dU, else none', () => {
    const wg = wgradWorkload(denseConvWorkload(conv), 'input', 0.3);
    expect(computeActions(a, wg.workload).actions.ac.count).toBeCloseTo(0.1 * MACS, 6);
    expect(wg.actions).toEqual({ ac: 'weight_gradient' });
    expect(tensorSize(wg.workload, wg.workload.tensors.find((t) => t.name === 'GradW')!)).toBe(16 * 32 * 9);
    const g4 = wgradWorkload(ttCoreWorkloads({ ...conv, stride: 1 }, 8).G4, 'grad', 0.3);
    expect(g4.actions).toEqual({ mac: 'wgrad_mac' });
    expect(computeActions(a, g4.workload).actions.mac.count).toBeCloseTo(0.3 * totalOperations(g4.workload), 6);
    const g2 = wgradWorkload(ttCoreWorkloads({ ...conv, stride: 1 }, 8).G2, 'none', 1);
    expect(computeActions(a, g2.workload).actions.mac.count).toBe(totalOperations(g2.workload));
  });

  it('online schemes: the weight gradient on the 16-bit trace is a full MAC; the trace update is one op per input element', () => {
    const tr = onTrace(denseConvWorkload(conv), 16);
    const inputs = tr.tensors[tr.snn!.inputTensor];
    expect(inputs).toMatchObject({ bits: 16, density: 1 });
    expect(computeActions(a, tr).actions.mac.count).toBe(MACS);
    const wg = wgradWorkload(tr, 'none', 1);
    expect(wg.actions).toEqual({ mac: 'wgrad_mac' });
    expect(computeActions(a, wg.workload).actions.mac.count).toBe(MACS);
    const up = traceUpdateWorkload(denseConvWorkload(conv), 16);
    // N2 * T4 * C16 * 17 * 17 input elements (the padded window), one op each.
    expect(totalOperations(up.workload)).toBe(2 * 4 * 16 * 17 * 17);
    expect(up.actions).toEqual({ mac: 'trace_update' });
  });
});
