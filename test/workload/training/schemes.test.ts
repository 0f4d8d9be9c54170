import { describe, expect, it } from 'vitest';
import type { ConvSpec } from '../../../src/workload/tt/conv-spec.ts';
import { denseLayer, ttLayer } from '../../../src/workload/tt/layer.ts';
import { layerActivations, networkSchemeMemory, schemeMemory, traceBits } from '../../../src/workload/training/schemes.ts';

// 8 -> 16 channels, 4x4 output, stride 1, T = 5, spike inputs, 16-bit reals.
const conv: ConvSpec = { name: 'c', cin: 8, cout: 16, hOut: 4, wOut: 4, kernel: 3, stride: 1, T: 5, N: 1, inputDensity: 0.1, spikingInput: true, realBits: 16, weightBits: 8 };

describe('activation memory per training scheme', () => {
  const a = layerActivations(denseLayer(conv));
  it('layer sizes: input spikes 8*16 bits, membranes 16*16*16 bits, outputs 256 bits', () => {
    expect(a).toMatchObject({ inputElems: 128, inputBits: 128, membraneBits: 4096, outputBits: 256, ttInputBitsAllT: 0 });
  });
  it('BPTT keeps inputs and membranes of every timestep: T * (128 + 4096) bits * batch, stored and re-read', () => {
    const m1 = schemeMemory(a, 'bptt', 1);
    expect(m1.activationBytes).toBe((5 * (128 + 4096)) / 8); // 2640 B
    expect(m1.trafficBytes).toBe(2 * 2640);
    expect(schemeMemory(a, 'bptt', 128).activationBytes).toBe(128 * 2640);
  });
  it('OTTT/SAF keep a 16-bit trace per input element, flat in T, read and written every timestep', () => {
    expect(traceBits(a)).toBe(128 * 16);
    const o = schemeMemory(a, 'ottt', 1);
    expect(o.activationBytes).toBe(256);
    expect(o.trafficBytes).toBe(2 * 5 * 256);
    expect(o.forwardFactor).toBe(2);
    const s = schemeMemory(a, 'saf', 1);
    expect(s.activationBytes).toBe(256);
    expect(s.forwardFactor).toBe(1); // half of OTTT's forward operations
    const longer = layerActivations(denseLayer({ ...conv, T: 50 }));
    expect(schemeMemory(longer, 'ottt', 1).activationBytes).toBe(256);
  });
  it('reversible keeps the last membrane and spikes only and recomputes one forward pass', () => {
    const r = schemeMemory(a, 'reversible', 1);
    expect(r.activationBytes).toBe((4096 + 256) / 8);
    expect(r.recomputeForwardPasses).toBe(1);
  });
  it('TT layers add the real-valued core inputs: STT 3, PTT 2, HTT 2 early + 1 late tensors of r*H*W', () => {
    const r = 4;
    const t = r * 16 * 16; // r*H*W*16 bits = 1024
    expect(layerActivations(ttLayer(conv, r, 'stt')).ttInputBitsAllT).toBe(3 * t * 5);
    expect(layerActivations(ttLayer(conv, r, 'ptt')).ttInputBitsAllT).toBe(2 * t * 5);
    expect(layerActivations(ttLayer(conv, r, 'htt', 2)).ttInputBitsAllT).toBe(2 * t * 2 + 1 * t * 3);
    const stt = schemeMemory(layerActivations(ttLayer(conv, r, 'stt')), 'bptt', 1);
    expect(stt.activationBytes).toBe((5 * (128 + 4096) + 3 * t * 5) / 8);
    expect(traceBits(layerActivations(ttLayer(conv, r, 'ptt')))).toBe(128 * 16 + 2 * t);
  });
  it('a network sums its layers', () => {
    const n = networkSchemeMemory([denseLayer(conv), denseLayer({ ...conv, name: 'd' })], 'bptt', 2);
    expect(n.activationBytes).toBe(2 * 2 * 2640);
    expect(n.perLayer).toHaveLength(2);
  });
});

describe('shared inputs', () => {
  it('a shortcut conv reads the block input its block already keeps: not stored or traced twice', () => {
    const sc = layerActivations(denseLayer({ ...conv, kernel: 1, output: 'real', sharedInput: true }));
    expect(sc).toMatchObject({ inputElems: 0, inputBits: 0, membraneBits: 0, outputBits: 0 });
    expect(schemeMemory(sc, 'bptt', 1).activationBytes).toBe(0);
  });
});
