// Network layers as single-layer workloads, and their chunks (the unit the layer model evaluates per schedule).
import { describe, expect, it } from 'vitest';
import { parseNetwork } from '../../src/spec/network.ts';
import { chunkWorkload, consumersOf, stateBits, weightBits } from '../../src/workload/network.ts';
import { tensorSize, totalOperations } from '../../src/workload/types.ts';

const NET = `network:
  name: n
  timesteps: 8
  defaults: { precision: { weights: 4, state: 12, psum: 16, spikes: 1 }, spike_rate: 0.2 }
  input: { name: x, shape: [3, 10, 10], bits: 1, density: 0.3 }
  layers:
    - { name: c, op: conv, input: x, channels: 4, kernel: 3, stride: 2, padding: 1 }
    - { name: p, op: pool, input: c, kernel: 2 }
    - { name: s, op: add, inputs: [p, p] }
    - { name: f, op: fc, input: s, channels: 10 }
`;

const net = (() => {
  const r = parseNetwork(NET, 'n.yaml');
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return r.value;
})();

describe('network layers as workloads', () => {
  it('conv: SNN dims, shapes, densities from the producer', () => {
    const c = net.layers[0];
    expect(c.outShape).toEqual({ c: 4, h: 5, w: 5 });
    expect(c.workload.dims).toEqual(['N', 'T', 'K', 'C', 'P', 'Q', 'R', 'S']);
    expect(c.workload.sizes).toEqual([1, 8, 4, 3, 5, 5, 3, 3]);
    expect(c.workload.tensors.map((t) => t.name)).toEqual(['Weights', 'Inputs', 'Psum', 'State', 'Outputs']);
    expect(c.workload.tensors[1].density).toBe(0.3);
    expect(weightBits(c)).toBe(4 * 3 * 9 * 4);
    expect(stateBits(c)).toBe(4 * 25 * 12);
  });

  it('pool, add and fc', () => {
    const [, p, s, f] = net.layers;
    expect(p.outShape).toEqual({ c: 4, h: 2, w: 2 });
    expect(p.workload.tensors.map((t) => t.role)).toEqual(['input', 'spikes-out']);
    expect(s.workload.tensors.filter((t) => t.role === 'input')).toHaveLength(2);
    // under independence: a 2x2 max-pool of spikes at rate 0.2 fires where any of its 4 inputs does; an add of two
    // spike maps where either does (its ac count uses the mean input rate)
    expect(p.outputDensity).toBeCloseTo(1 - 0.8 ** 4, 12);
    expect(s.inputDensity).toBeCloseTo(1 - 0.8 ** 4, 12);
    expect(s.outputDensity).toBeCloseTo(1 - (0.8 ** 4) ** 2, 12);
    expect(f.inputDensity).toBeCloseTo(s.outputDensity, 12);
    expect(f.outShape).toEqual({ c: 10, h: 1, w: 1 });
    expect(f.workload.sizes[3]).toBe(16); // C = 4 x 2 x 2 flattened
    expect(consumersOf(net)).toEqual([[1], [2], [3], []]);
  });

  it('chunks restrict T and P; what-ifs drop State (stateless) or Psum (membrane); dense sets densities to 1', () => {
    const w = net.layers[0].workload;
    const ch = chunkWorkload(w, 2, 1);
    expect(ch.sizes).toEqual([1, 2, 4, 3, 1, 5, 3, 3]);
    expect(totalOperations(ch) * 4 * 5).toBe(totalOperations(w));
    expect(tensorSize(ch, ch.tensors[1])).toBe(1 * 2 * 3 * 3 * 11); // 3 input rows (the window) x 11 padded columns
    const sl = chunkWorkload(w, 8, 5, { stateless: true });
    expect(sl.tensors.map((t) => t.role)).not.toContain('state');
    expect(sl.snn!.stateless).toBe(true);
    const mem = chunkWorkload(w, 8, 5, { membrane: true, dense: true });
    expect(mem.tensors.map((t) => t.name)).toEqual(['Weights', 'Inputs', 'State', 'Outputs']);
    expect(mem.snn!.accumulation).toBe('membrane');
    expect(mem.tensors.every((t) => t.density === 1)).toBe(true);
    expect(mem.tensors[mem.snn!.inputTensor].name).toBe('Inputs');
    // a column chunk restricts Q instead of P; a compressed spike format changes the spike tensors' bits
    const col = chunkWorkload(w, 2, 1, { axis: 'cols', inputBits: 0.25, outputBits: 0.5 });
    expect(col.sizes).toEqual([1, 2, 4, 3, 5, 1, 3, 3]);
    expect(col.tensors.find((t) => t.role === 'input')!.bits).toBe(0.25);
    expect(col.tensors.find((t) => t.role === 'spikes-out')!.bits).toBe(0.5);
    expect(col.tensors.find((t) => t.role === 'state')!.bits).toBe(12);
  });
});
