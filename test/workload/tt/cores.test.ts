import { describe, expect, it } from 'vitest';
import { totalOperations } from '../../../src/workload/types.ts';
import { denseMacsPerTimestep, denseParams, type ConvSpec } from '../../../src/workload/tt/conv-spec.ts';
import { averageWorkload, coreParams, ttCoreWorkloads, ttParams } from '../../../src/workload/tt/cores.ts';
import { layerCounts, ttLayer, denseLayer } from '../../../src/workload/tt/layer.ts';

const conv = (o: Partial<ConvSpec> = {}): ConvSpec => ({
  name: 'c', cin: 64, cout: 64, hOut: 32, wOut: 32, kernel: 3, stride: 1, T: 4, N: 1, inputDensity: 0.1, spikingInput: true,
  realBits: 16, weightBits: 8, ...o,
});

describe('TT cores of a 3x3 conv', () => {
  it('parameters follow Cin*r + 3r^2 + 3r^2 + r*Cout (hand-computed)', () => {
    // 64*24 + 3*576 + 3*576 + 24*64 = 1536 + 1728 + 1728 + 1536 = 6528
    expect(ttParams(conv(), 24)).toBe(6528);
    expect(coreParams(conv({ cin: 64, cout: 128 }), 22)).toEqual({ G1: 1408, G2: 1452, G3: 1452, G4: 2816 });
    expect(denseParams(conv())).toBe(36864);
    // compression 36864 / 6528
    expect(denseParams(conv()) / ttParams(conv(), 24)).toBeCloseTo(5.647, 3);
  });

  it('each core workload has the params x output pixels x T operations and its own kernel', () => {
    const c = conv({ cin: 64, cout: 128, hOut: 16, wOut: 16, stride: 2 });
    const g = ttCoreWorkloads(c, 22);
    const p = coreParams(c, 22);
    for (const k of ['G1', 'G2', 'G3', 'G4'] as const) expect(totalOperations(g[k])).toBe(p[k] * 16 * 16 * 4);
    const RS = (w: typeof g.G1) => [w.sizes[6], w.sizes[7]];
    expect([RS(g.G1), RS(g.G2), RS(g.G3), RS(g.G4)]).toEqual([[1, 1], [3, 1], [1, 3], [1, 1]]);
    // G1 applies the stride: its input window steps by 2 along P and Q.
    expect(g.G1.tensors[1].projection[3][0].coeff).toBe(2);
    expect(g.G2.tensors[1].projection[3][0].coeff).toBe(1);
  });

  it('only G1 sees spikes; no neuron between cores; G4 drives the neuron', () => {
    const g = ttCoreWorkloads(conv(), 24);
    expect(g.G1.snn!.spikingInput).toBe(true);
    expect(g.G1.tensors[1].density).toBe(0.1);
    for (const k of ['G2', 'G3', 'G4'] as const) {
      expect(g[k].snn!.spikingInput).toBe(false);
      expect(g[k].tensors[1].bits).toBe(16);
    }
    for (const k of ['G1', 'G2', 'G3'] as const) {
      expect(g[k].tensors.map((t) => t.role)).toEqual(['weight', 'input', 'output']);
      expect(g[k].snn!.stateless).toBe(true);
    }
    expect(g.G4.tensors.map((t) => t.role)).toEqual(['weight', 'input', 'psum', 'state', 'spikes-out']);
  });

  it("PTT's average is r*H*W adds per timestep", () => {
    expect(totalOperations(averageWorkload(conv(), 24))).toBe(24 * 32 * 32 * 4);
  });
});

describe('TT layer modes', () => {
  it('STT and PTT have the same params and MACs; PTT adds r*H*W per timestep; HTT runs G2/G3 on fewer steps', () => {
    const c = conv();
    const stt = layerCounts(ttLayer(c, 24, 'stt'));
    const ptt = layerCounts(ttLayer(c, 24, 'ptt'));
    const htt = layerCounts(ttLayer(c, 24, 'htt', 2));
    expect(stt.params).toBe(6528);
    expect(ptt.params).toBe(6528);
    expect(stt.macsPerTimestep).toBe(6528 * 1024);
    expect(ptt.macsPerTimestep).toBe(stt.macsPerTimestep);
    expect(stt.addsPerTimestep).toBe(0);
    expect(ptt.addsPerTimestep).toBe(24 * 1024);
    // HTT, 2 of 4 timesteps with G2/G3: G1 + G4 always, G2 + G3 half the time.
    expect(htt.macsPerTimestep).toBe((1536 + 1536) * 1024 + (1728 + 1728) * 1024 * 0.5);
    expect(htt.addsPerTimestep).toBe(24 * 1024 * 0.5);
  });

  it('modes: HTT runs G2, G3 for its first timesteps only (the graphs of workload/training/graph.ts run them)', () => {
    expect(ttLayer(conv(), 24, 'stt').tt).toMatchObject({ mode: 'stt', fullTimesteps: 4, merge: 'fused' });
    expect(ttLayer(conv(), 24, 'htt', 3).tt!.fullTimesteps).toBe(3);
    expect(ttLayer(conv(), 24, 'htt').tt!.fullTimesteps).toBe(2); // ceil(T / 2)
    expect(ttLayer(conv(), 24, 'htt', 9).tt!.fullTimesteps).toBe(4); // at most T
  });

  it('a dense layer counts Cin*Cout*k*k params at its output resolution', () => {
    const c = conv({ cin: 64, cout: 128, hOut: 16, wOut: 16, stride: 2 });
    expect(layerCounts(denseLayer(c))).toMatchObject({ params: 73728, macsPerTimestep: 73728 * 256 });
    expect(denseMacsPerTimestep(c)).toBe(73728 * 256);
  });
});
