import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { ConvSpec } from '../../../src/workload/tt/conv-spec.ts';
import { denseLayer, ttLayer } from '../../../src/workload/tt/layer.ts';
import { layerActivations, networkSchemeMemory, schemeMemory, SCHEMES } from '../../../src/workload/training/schemes.ts';

// 8 -> 16 channels, 4x4 output, stride 1, T = 5, spike inputs, 16-bit reals.
const conv: ConvSpec = { name: 'c', cin: 8, cout: 16, hOut: 4, wOut: 4, kernel: 3, stride: 1, T: 5, N: 1, inputDensity: 0.1, spikingInput: true, realBits: 16, weightBits: 8 };

describe('activation memory per training scheme', () => {
  const a = layerActivations(denseLayer(conv));
  it('layer sizes: 8*4*4 = 128 input elements of 1 bit, 16*4*4 = 256 neurons', () => {
    expect(a).toMatchObject({ inputElems: 128, inputBits: 1, neurons: 256, ttTensorsAllT: 0 });
  });
  it('BPTT keeps inputs (1 bit) and membranes (16 bit) of every timestep, stored and re-read', () => {
    // 5 * 128 bits = 80 B of spikes + 5 * 256 * 16 bits = 2560 B of membranes.
    const m1 = schemeMemory(a, 'bptt', 1);
    expect(m1.activationBytes).toBe(80 + 2560);
    expect(m1.trafficBytes).toBe(2 * 2640);
    expect(schemeMemory(a, 'bptt', 128).activationBytes).toBe(128 * 2640);
  });
  it('OTTT/SAF keep a 16-bit trace per input element and one timestep of membranes, flat in T', () => {
    // 128 * 16 bits = 256 B of traces + 256 * 16 bits = 512 B of membranes.
    const o = schemeMemory(a, 'ottt', 1);
    expect(o.activationBytes).toBe(256 + 512);
    expect(o.trafficBytes).toBe(2 * 5 * 768);
    expect(o.forwardPasses).toBe(2);
    expect(schemeMemory(a, 'saf', 1)).toMatchObject({ activationBytes: 768, forwardPasses: 1 }); // half of OTTT's passes
    expect(schemeMemory(layerActivations(denseLayer({ ...conv, T: 50 })), 'ottt', 1).activationBytes).toBe(768);
  });
  it('reversible keeps the last membrane and spikes only and recomputes one forward pass', () => {
    expect(schemeMemory(a, 'reversible', 1)).toMatchObject({ activationBytes: 512 + 32, recomputeForwardPasses: 1 });
  });
  it('TT layers add the real-valued core inputs: STT 3, PTT 2, HTT 2 early + 1 late tensors of r*H*W', () => {
    const r = 4;
    expect(layerActivations(ttLayer(conv, r, 'stt'))).toMatchObject({ ttTensorsAllT: 15, ttTraceTensors: 3, ttTensorElems: 64 });
    expect(layerActivations(ttLayer(conv, r, 'ptt')).ttTensorsAllT).toBe(10);
    expect(layerActivations(ttLayer(conv, r, 'htt', 2)).ttTensorsAllT).toBe(2 * 2 + 1 * 3);
    // 15 tensors of 64 16-bit values = 1920 B on top of the dense layer's 2640 B.
    expect(schemeMemory(layerActivations(ttLayer(conv, r, 'stt')), 'bptt', 1).activationBytes).toBe(2640 + 1920);
    // PTT traces: 2 tensors * 64 * 2 B = 256 B more than the dense layer's 768 B.
    expect(schemeMemory(layerActivations(ttLayer(conv, r, 'ptt')), 'ottt', 1).activationBytes).toBe(768 + 256);
  });
  it('memory is counted in whole bytes per tensor (a 3-element spike tensor takes 1 byte, not 0.375)', () => {
    const tiny = layerActivations(denseLayer({ ...conv, cin: 3, hOut: 1, wOut: 1, kernel: 1, T: 1 }));
    expect(schemeMemory(tiny, 'bptt', 1).activationBytes).toBe(1 + 32);
    fc.assert(fc.property(fc.constantFrom(...SCHEMES), fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 16 }), (s, batch, T) => {
      const m = schemeMemory(layerActivations(ttLayer({ ...conv, T }, 5, 'ptt')), s, batch);
      return Number.isInteger(m.activationBytes) && Number.isInteger(m.trafficBytes);
    }));
  });
  it('BPTT grows linearly in T, the online schemes and reversible are flat (property over T)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 16 }), (T) => {
      const at = (t: number, s: (typeof SCHEMES)[number]) => schemeMemory(layerActivations(ttLayer({ ...conv, T: t }, 4, 'stt')), s, 1).activationBytes;
      return at(T, 'bptt') === T * at(1, 'bptt') && at(T, 'ottt') === at(1, 'ottt') && at(T, 'saf') === at(1, 'saf') && at(T, 'reversible') === at(1, 'reversible');
    }));
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
    expect(sc).toMatchObject({ inputElems: 0, neurons: 0 });
    expect(schemeMemory(sc, 'bptt', 1).activationBytes).toBe(0);
  });
});
