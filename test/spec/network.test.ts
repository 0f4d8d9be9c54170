// Network specs: the shipped benchmarks parse to the reference's shapes; mistakes give positioned diagnostics.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectSpecKind, validateSpecs } from '../../src/spec/load.ts';
import { parseNetwork } from '../../src/spec/network.ts';
import { denseOps, stateBits, weightBits, type Network } from '../../src/workload/network.ts';

const root = join(import.meta.dirname, '..', '..');
const load = (f: string): Network => {
  const r = parseNetwork(readFileSync(join(root, f), 'utf8'), f);
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return r.value;
};

const BASE = `network:
  name: small
  timesteps: 4
  input: { name: x, shape: [2, 8, 8], bits: 1 }
  layers:
`;
const errs = (layers: string, extra = ''): { code: string; line: number; message: string; hint?: string }[] => {
  const r = parseNetwork(BASE + layers + extra, 'small.yaml');
  if (r.ok) return [];
  return r.diagnostics.map((d) => ({ code: d.code, line: d.pos?.line ?? 0, message: d.message, hint: d.hint }));
};

describe('shipped STEMS networks', () => {
  it('SEW-ResNet 7PLIF: 30 layers in 7 blocks, ~2.6e10 dense synaptic ops, every conv stateful', () => {
    const n = load('workloads/sew-resnet-7plif.yaml');
    expect(n.layers).toHaveLength(30);
    expect(n.blocks.map((b) => b.layers.length)).toEqual([5, 4, 4, 4, 5, 4, 4]);
    expect(n.timesteps).toBe(16);
    const syn = n.layers.filter((l) => l.op === 'conv');
    const ops = syn.reduce((s, l) => s + denseOps(l), 0);
    expect(ops / 1e10).toBeCloseTo(2.6, 1);
    expect(syn.every((l) => l.stateful)).toBe(true);
    expect(n.layers[29].outShape).toEqual({ c: 128, h: 1, w: 1 });
    expect(n.layers[0].spikingInput).toBe(false); // 4-bit frames: MACs
    expect(n.layers[0].bits.input).toBe(4);
  });

  it('SEW-ResNet 5PLIF: no state in layers 0, 1, 2, 5, 6; state footprint ratio 7PLIF / 5PLIF', () => {
    const n7 = load('workloads/sew-resnet-7plif.yaml');
    const n5 = load('workloads/sew-resnet-5plif.yaml');
    expect(n5.layers.filter((l) => l.op === 'conv' && !l.stateful).map((l) => l.index)).toEqual([0, 1, 2, 5, 6]);
    const s7 = n7.layers.reduce((s, l) => s + stateBits(l), 0);
    const s5 = n5.layers.reduce((s, l) => s + stateBits(l), 0);
    // 7PLIF: 3 x 64x128x128 + 2 x 64x64x64 + 2 x 64x32x32 + 2 x 64x16x16 + 3 x 128x8x8 + 2 x 128x4x4 + 2 x 128x2x2
    expect(s7).toBe(12 * (3 * 64 * 128 * 128 + 2 * 64 * 64 * 64 + 2 * 64 * 32 * 32 + 2 * 64 * 16 * 16 + 3 * 128 * 64 + 2 * 128 * 16 + 2 * 128 * 4));
    expect(s5).toBe(12 * (2 * 64 * 32 * 32 + 2 * 64 * 16 * 16 + 3 * 128 * 64 + 2 * 128 * 16 + 2 * 128 * 4));
    expect(s7 / s5).toBeCloseTo(19.96, 2);
  });

  it('RED-LIF: 17 layers in 8 blocks, ~1.05e11 MACs and ~8.8e9 accumulates', () => {
    const n = load('workloads/red-lif.yaml');
    expect(n.layers).toHaveLength(17);
    expect(n.blocks).toHaveLength(8);
    const macs = n.layers.filter((l) => l.op === 'conv' && !l.spikingInput).reduce((s, l) => s + denseOps(l), 0);
    const acs = n.layers.filter((l) => l.op === 'conv' && l.spikingInput).reduce((s, l) => s + denseOps(l), 0);
    expect(macs / 1e11).toBeCloseTo(1.07, 2);
    expect(acs / 1e9).toBeCloseTo(8.74, 1);
    expect(n.layers.filter((l) => l.stateful).map((l) => l.outShape.h)).toEqual([45, 23, 12, 6, 3]);
    expect(weightBits(n.layers[16])).toBe(256 * 256 * 9 * 4);
  });

  it('are detected as network specs and validate', () => {
    for (const f of ['workloads/sew-resnet-7plif.yaml', 'workloads/sew-resnet-5plif.yaml', 'workloads/red-lif.yaml']) {
      const text = readFileSync(join(root, f), 'utf8');
      expect(detectSpecKind({ file: f, text })).toEqual({ kind: 'network' });
      expect(validateSpecs([{ file: f, text }])).toEqual([]);
    }
  });
});

describe('network validation errors point at file and line', () => {
  it('a dangling input, with did-you-mean', () => {
    const e = errs(`    - { name: conv1, op: conv, input: x, channels: 4, kernel: 3, padding: 1 }
    - { name: conv2, op: conv, input: conv11, channels: 4, kernel: 3, padding: 1 }
`);
    expect(e).toHaveLength(1);
    expect(e[0]).toMatchObject({ code: 'SL-NET-DANGLING', line: 7 });
    expect(e[0].hint).toContain("'conv1'");
  });

  it('a cycle names its layers', () => {
    const e = errs(`    - { name: a, op: conv, input: c, channels: 2, kernel: 1 }
    - { name: b, op: conv, input: a, channels: 2, kernel: 1 }
    - { name: c, op: conv, input: b, channels: 2, kernel: 1 }
`);
    expect(e).toHaveLength(1);
    expect(e[0].code).toBe('SL-NET-CYCLE');
    expect(e[0].line).toBe(6);
    expect(e[0].message).toContain('a -> c -> b -> a');
  });

  it('a declared output shape that does not match what the layer computes from its producer', () => {
    const e = errs(`    - { name: a, op: conv, input: x, channels: 4, kernel: 3, output: [4, 8, 8] }
`);
    expect(e[0]).toMatchObject({ code: 'SL-NET-SHAPE', line: 6 });
    expect(e[0].message).toContain('4 x 6 x 6');
  });

  it('in_channels that differ from the producer, and an add of unequal shapes', () => {
    const e = errs(`    - { name: a, op: conv, input: x, channels: 4, kernel: 1, in_channels: 3 }
    - { name: b, op: conv, input: a, channels: 8, kernel: 1 }
    - { name: s, op: add, inputs: [a, b] }
`);
    expect(e.map((d) => [d.code, d.line])).toEqual([['SL-NET-SHAPE', 6], ['SL-NET-SHAPE', 8]]);
  });

  it('a stateful pool, an add with one input, an unknown key, a duplicate name', () => {
    expect(errs(`    - { name: p, op: pool, input: x, stateful: true }\n`)[0]).toMatchObject({ code: 'SL-NET-STATE', line: 6 });
    expect(errs(`    - { name: s, op: add, inputs: [x] }\n`)[0]).toMatchObject({ code: 'SL-NET-ARITY', line: 6 });
    expect(errs(`    - { name: a, op: conv, input: x, chanels: 4 }\n`).map((d) => d.code)).toContain('SL-SPEC-UNKNOWN-KEY');
    expect(errs(`    - { name: a, op: conv, input: x, channels: 4 }\n    - { name: a, op: conv, input: x, channels: 4 }\n`)[0]).toMatchObject({ code: 'SL-NET-DUPLICATE', line: 7 });
  });

  it('blocks: a layer in no block, a layer in two blocks', () => {
    const layers = `    - { name: a, op: conv, input: x, channels: 4 }
    - { name: b, op: conv, input: a, channels: 4 }
`;
    expect(errs(layers, `  blocks:\n    - { name: b0, layers: [a] }\n`)[0]).toMatchObject({ code: 'SL-NET-BLOCK', line: 9 });
    expect(errs(layers, `  blocks:\n    - { name: b0, layers: [a, b] }\n    - { name: b1, layers: [b] }\n`)[0]).toMatchObject({ code: 'SL-NET-BLOCK', line: 10 });
  });

  it('layers may be declared in any order and come out topologically sorted', () => {
    const r = parseNetwork(BASE + `    - { name: b, op: conv, input: a, channels: 4 }\n    - { name: a, op: conv, input: x, channels: 4 }\n`, 'small.yaml');
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value.layers.map((l) => [l.name, l.inputs])).toEqual([['a', [-1]], ['b', [0]]]);
  });
});
