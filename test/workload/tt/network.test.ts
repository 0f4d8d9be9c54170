import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTtNetwork } from '../../../src/spec/tt-network.ts';
import { networkCounts, type TtNetwork } from '../../../src/workload/tt/resnet.ts';
import { ttParams } from '../../../src/workload/tt/cores.ts';
import { ROOT } from '../../cli/harness.ts';

const load = (f: string): TtNetwork => {
  const r = parseTtNetwork(readFileSync(join(ROOT, 'workloads', f), 'utf8'), f);
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return r.value;
};

describe('shipped TT-SNN networks', () => {
  it('all four files parse into ResNets of the right depth', () => {
    // ResNet-34: stem + 2*(3+4+6+3) convs + 3 shortcuts + fc = 37; ResNet-18: 1 + 16 + 3 + 1 = 21.
    expect(load('resnet34-ncaltech101-dense.yaml').layers).toHaveLength(37);
    expect(load('resnet34-ncaltech101-tt.yaml').layers).toHaveLength(37);
    expect(load('resnet18-cifar10-dense.yaml').layers).toHaveLength(21);
    expect(load('resnet18-cifar10-tt.yaml').layers).toHaveLength(21);
  });

  it('ResNet-18 dense parameters: 11,164,352 (the textbook CIFAR ResNet-18 without BN/bias)', () => {
    // stem 3*64*9 = 1728; stage1 4*64*64*9 = 147456; stage2 64*128*9 + 3*128*128*9 + 64*128 = 73728+442368+8192;
    // stage3 128*256*9 + 3*256*256*9 + 128*256; stage4 256*512*9 + 3*512*512*9 + 256*512; fc 512*10.
    const expected = 1728 + 147456 + (73728 + 442368 + 8192) + (294912 + 1769472 + 32768) + (1179648 + 7077888 + 131072) + 5120;
    expect(networkCounts(load('resnet18-cifar10-dense.yaml')).params).toBe(expected);
    expect(expected).toBe(11164352);
  });

  it('TT params: dense layers unchanged, every block 3x3 conv replaced by its cores (formula per layer)', () => {
    const dense = networkCounts(load('resnet18-cifar10-dense.yaml'));
    const tt = networkCounts(load('resnet18-cifar10-tt.yaml'));
    const ranks = [24, 27, 25, 29, 37, 45, 43, 41, 65, 74, 70, 63, 104, 153, 186, 145];
    let i = 0;
    tt.layers.forEach((l, j) => {
      const d = dense.layers[j];
      expect(l.name).toBe(d.name);
      if (l.kind !== 'tt') {
        expect(l.params).toBe(d.params);
        return;
      }
      expect(l.rank).toBe(ranks[i++]);
      const net = load('resnet18-cifar10-tt.yaml');
      expect(l.params).toBe(ttParams(net.layers[j].conv, l.rank!));
      expect(l.macsPerTimestep).toBe(l.params * net.layers[j].conv.hOut * net.layers[j].conv.wOut);
    });
    expect(i).toBe(16);
    // layer1.0.conv1: 64*24 + 6*24^2 + 24*64 = 6528 params at 32x32.
    expect(tt.layers[1]).toMatchObject({ name: 'layer1.0.conv1', params: 6528, macsPerTimestep: 6528 * 1024 });
  });

  it('compression factors (params and MACs per timestep) are those of the formula sums', () => {
    const r18 = networkCounts(load('resnet18-cifar10-tt.yaml'));
    const r34 = networkCounts(load('resnet34-ncaltech101-tt.yaml'));
    expect(r18.denseParams).toBe(11164352);
    expect(r18.params).toBe(1647546);
    expect(r18.macsPerTimestep).toBe(93105984);
    expect(r18.denseMacsPerTimestep).toBe(555422720);
    expect(r34.params).toBe(2671716);
    expect(r34.denseParams).toBe(21311104);
    expect(r34.denseParams / r34.params).toBeGreaterThan(7.9);
    expect(r34.denseMacsPerTimestep / r34.macsPerTimestep).toBeGreaterThan(9.2);
  });

  it('stride-2 convs run at the output resolution; stage 4 of ResNet-34 is 6x6', () => {
    const n = load('resnet34-ncaltech101-tt.yaml');
    const l = n.layers.find((x) => x.name === 'layer2.0.conv1')!;
    expect(l.conv).toMatchObject({ cin: 64, cout: 128, hOut: 24, wOut: 24, stride: 2 });
    expect(n.layers.find((x) => x.name === 'layer4.2.conv2')!.conv).toMatchObject({ hOut: 6, wOut: 6, cin: 512 });
    expect(n.layers.find((x) => x.name === 'layer2.0.shortcut')!.kind).toBe('conv');
    expect(n.layers[0].conv.spikingInput).toBe(true); // event input
    expect(load('resnet18-cifar10-tt.yaml').layers[0].conv.spikingInput).toBe(false); // direct encoding
  });
});

describe('tt_network diagnostics', () => {
  const base = readFileSync(join(ROOT, 'workloads/resnet18-cifar10-tt.yaml'), 'utf8');
  it('a wrong number of ranks points at the ranks line', () => {
    const text = base.replace('ranks: [24, 27, 25, 29]', 'ranks: [24, 27, 25]');
    const r = parseTtNetwork(text, 'x.yaml');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const line = text.split('\n').findIndex((l) => l.includes('ranks: [24, 27, 25]')) + 1;
    expect(r.diagnostics[0]).toMatchObject({ code: 'SL-SPEC-RANGE', pos: { file: 'x.yaml', line } });
    expect(r.diagnostics[0].message).toContain('4 ranks');
  });
  it('unknown keys and modes get did-you-mean / allowed values', () => {
    const r = parseTtNetwork(base.replace('tt_mode: ptt', 'tt_mode: qtt').replace('timesteps: 4', 'timestep: 4'), 'x.yaml');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const codes = r.diagnostics.map((d) => d.code);
    expect(codes).toContain('SL-SPEC-ENUM');
    expect(codes).toContain('SL-SPEC-UNKNOWN-KEY');
    expect(r.diagnostics.find((d) => d.code === 'SL-SPEC-UNKNOWN-KEY')!.hint).toContain('timesteps');
  });
  it('a TT network without ranks is an error; a sparsity of 1 is out of range', () => {
    const r = parseTtNetwork(base.replace(', ranks: [24, 27, 25, 29]', '').replace('spikes: 0.9', 'spikes: 1'), 'x.yaml');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.diagnostics.map((d) => d.code).sort()).toEqual(['SL-SPEC-MISSING-KEY', 'SL-SPEC-RANGE']);
  });
});
