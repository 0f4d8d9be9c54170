import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTtNetwork } from '../../../src/spec/tt-network.ts';
import { buildResNet, networkCounts, type TtNetwork } from '../../../src/workload/tt/resnet.ts';
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
    // Independent sums (the audit's script): ResNet-34 MACs per timestep 2,607,368,704 dense, 281,970,016 TT.
    expect(r34.macsPerTimestep).toBe(281970016);
    expect(r34.denseMacsPerTimestep).toBe(2607368704);
    // PTT's adds: r*H*W per TT conv per timestep.
    expect(r34.addsPerTimestep).toBe(511920);
    expect(r18.addsPerTimestep).toBe(176832);
  });

  it('HTT averages MACs over T: G2 and G3 run in the first half of the timesteps only', () => {
    const htt = (f: string) => {
      const n = load(f);
      return networkCounts(buildResNet({ ...n.desc, ttMode: 'htt', httFullTimesteps: undefined })).macsPerTimestep;
    };
    expect(htt('resnet34-ncaltech101-tt.yaml')).toBe(222954928);
    expect(htt('resnet18-cifar10-tt.yaml')).toBe(71397792);
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
  const lineOf = (text: string, needle: string): number => text.split('\n').findIndex((l) => l.includes(needle)) + 1;
  const codes = (text: string): string[] => {
    const r = parseTtNetwork(text, 'x.yaml');
    return (r.ok ? r.warnings : r.diagnostics).map((d) => d.code).sort();
  };
  it('a wrong number of ranks points at the ranks line', () => {
    const text = base.replace('ranks: [24, 27, 25, 29]', 'ranks: [24, 27, 25]');
    const r = parseTtNetwork(text, 'x.yaml');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.diagnostics[0]).toMatchObject({ code: 'SL-TT-RANKS', pos: { file: 'x.yaml', line: lineOf(text, 'ranks: [24, 27, 25]') } });
    expect(r.diagnostics[0].message).toContain('4 ranks');
  });
  it('unknown keys and modes get did-you-mean / allowed values', () => {
    const r = parseTtNetwork(base.replace('tt_mode: ptt', 'tt_mode: qtt').replace('timesteps: 4', 'timestep: 4'), 'x.yaml');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const cs = r.diagnostics.map((d) => d.code);
    expect(cs).toContain('SL-SPEC-ENUM');
    expect(cs).toContain('SL-SPEC-UNKNOWN-KEY');
    expect(r.diagnostics.find((d) => d.code === 'SL-SPEC-UNKNOWN-KEY')!.hint).toContain('timesteps');
  });
  it('a TT stage without ranks is an error; a sparsity of 1 is out of range', () => {
    expect(codes(base.replace(', ranks: [24, 27, 25, 29]', '').replace('spikes: 0.9', 'spikes: 1'))).toEqual(['SL-SPEC-RANGE', 'SL-TT-RANKS']);
  });
  it('one error per mistake: timesteps 0 does not also fail htt_full_timesteps; blocks 0 does not also fail the rank count', () => {
    expect(codes(base.replace('timesteps: 4', 'timesteps: 0'))).toEqual(['SL-SPEC-NEGATIVE']);
    expect(codes(base.replace('blocks: 2, stride: 1', 'blocks: 0, stride: 1'))).toEqual(['SL-SPEC-NEGATIVE']);
  });
  it('a stride larger than the feature map it applies to is an error at the stride', () => {
    const text = base.replace('{ channels: 128, blocks: 2, stride: 2', '{ channels: 128, blocks: 2, stride: 64');
    const r = parseTtNetwork(text, 'x.yaml');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.diagnostics[0]).toMatchObject({ code: 'SL-SPEC-RANGE', pos: { line: lineOf(text, 'stride: 64') } });
    expect(r.diagnostics[0].message).toContain('32 x 32');
  });
  it('warnings: a rank above min(Cin, Cout), TT parameters not below the dense conv', () => {
    const text = base.replace('ranks: [24, 27, 25, 29]', 'ranks: [2400, 27, 25, 29]');
    const r = parseTtNetwork(text, 'x.yaml');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.warnings.map((d) => d.code)).toEqual(['SL-TT-NO-COMPRESSION']);
    expect(r.warnings[0].pos!.line).toBe(lineOf(text, 'ranks: [2400'));
    expect(r.warnings[0].message).toContain('compression 0.00');
    // 64 -> 64 at rank 65: 2*64*65 + 6*65^2 = 33,670 params < 36,864 dense, but wider than the layer.
    expect(codes(base.replace('ranks: [24, 27, 25, 29]', 'ranks: [65, 27, 25, 29]'))).toEqual(['SL-TT-RANK-HIGH']);
  });
  it('a stage can stay dense in a TT network (decomposition per stage)', () => {
    const r = parseTtNetwork(base.replace('{ channels: 64,  blocks: 2, stride: 1, ranks: [24, 27, 25, 29] }', '{ channels: 64,  blocks: 2, stride: 1, decomposition: dense }'), 'x.yaml');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.layers.filter((l) => l.name.startsWith('layer1.')).every((l) => l.kind === 'conv')).toBe(true);
    expect(r.value.layers.find((l) => l.name === 'layer2.0.conv1')!.kind).toBe('tt');
  });
  it('every layer knows where the file describes it (rank, stage, stem or classes)', () => {
    const r = parseTtNetwork(base, 'x.yaml');
    if (!r.ok) throw new Error('parse');
    expect(r.value.positions!['layer4.1.conv1'].line).toBe(lineOf(base, 'ranks: [104, 153, 186, 145]'));
    expect(r.value.positions!.conv1.line).toBe(lineOf(base, 'stem:'));
    expect(r.value.positions!['layer2.0.shortcut'].line).toBe(lineOf(base, 'channels: 128'));
  });
});
