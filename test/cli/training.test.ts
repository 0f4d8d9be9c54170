import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, DIAGNOSTIC_LINE, ROOT, tempDir } from './harness.ts';

const ARCH = 'arch-specs/ttsnn-accelerator.yaml';
const R18 = 'workloads/resnet18-cifar10-tt.yaml';

// A small TT network (two stages, one block each) so full training steps stay fast.
const TINY = `# a small TT network for the CLI tests
tt_network:
  name: tiny-tt
  input: { height: 8, width: 8, channels: 2, encoding: spikes }
  timesteps: 2
  batch: 1
  classes: 10
  stem: { channels: 16, kernel: 3, stride: 1 }
  stages:
    - { channels: 16, blocks: 1, stride: 1, ranks: [4, 4] }
    - { channels: 32, blocks: 1, stride: 2, ranks: [6, 6] }
  decomposition: tt
  tt_mode: ptt
  sparsity: { spikes: 0.9, membrane_gradient: 0.7 }
`;
const tinyFile = (text = TINY): string => {
  const f = join(tempDir(), 'tiny.yaml');
  writeFileSync(f, text);
  return f;
};

describe('spikeloop evaluate on a TT network', () => {
  it('--json: params and MACs per timestep in totals and per layer (forward phase, one scheme)', async () => {
    const r = await cli(['evaluate', '--arch', ARCH, '--workload', R18, '--phase', 'forward', '--scheme', 'bptt', '--json']);
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.schema).toBe('spikeloop.training/1');
    expect(j.totals).toMatchObject({ params: 1647546, dense_params: 11164352, macs_per_timestep: 93105984, dense_macs_per_timestep: 555422720 });
    expect(j.layers).toHaveLength(21);
    expect(j.layers[1]).toMatchObject({ name: 'layer1.0.conv1', kind: 'tt', rank: 24, params: 6528, dense_params: 36864 });
    expect(j.layers[1].cores.G2.params).toBe(3 * 24 * 24);
    expect(j.layers[1].schedule[0]).toHaveProperty('schedule');
    expect(j.phases.map((p: { name: string }) => p.name)).toEqual(['forward']);
    expect(j.totals.energy_pJ).toBeGreaterThan(0);
    expect(j.totals.sparse_cycles).toBeLessThanOrEqual(j.totals.cycles);
    expect(j.schemes.map((s: { name: string }) => s.name)).toEqual(['bptt']);
  });

  it('a training step: phases, levels, actions, energy terms and the four schemes at batch 1 and 128', async () => {
    const r = await cli(['evaluate', '--arch', ARCH, '--workload', tinyFile(), '--json']);
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.phases.map((p: { name: string }) => p.name)).toEqual(['forward', 'backward', 'wgrad']);
    const sum = j.phases.reduce((a: number, p: { energy_pJ: number }) => a + p.energy_pJ, 0);
    expect(j.totals.dynamic_energy_pJ).toBeCloseTo(sum, 3);
    expect(Object.keys(j.energy_by_level)).toEqual(['DRAM', 'WeightBuffer', 'InputBuffer', 'OutputBuffer', 'PsumSpad', 'WeightSpad', 'InputSpad']);
    expect(Object.keys(j.compute)).toEqual(expect.arrayContaining(['ac', 'mac', 'bwd_mac', 'weight_gradient', 'wgrad_mac', 'post_grad', 'add']));
    const terms = Object.values(j.energy_terms as Record<string, number>).reduce((a, x) => a + x, 0);
    expect(terms).toBeCloseTo(j.totals.energy_pJ, 0);
    expect(j.schemes.map((s: { name: string }) => s.name)).toEqual(['bptt', 'ottt', 'saf', 'reversible']);
    const by = Object.fromEntries(j.schemes.map((s: { name: string }) => [s.name, s]));
    expect(by.bptt.memory.map((m: { batch: number }) => m.batch)).toEqual([1, 128]);
    for (const s of j.schemes) for (const m of s.memory) expect(Number.isInteger(m.activation_bytes), `${s.name} ${m.activation_bytes}`).toBe(true);
    expect(by.ottt.extra_forward_ops).toBeGreaterThan(0);
    expect(by.saf.extra_forward_ops).toBe(0);
    expect(by.reversible.recompute_ops).toBeGreaterThan(0);
    expect(by.reversible.activation_bytes).toBeLessThan(by.bptt.activation_bytes);
    expect(j.priced_as).toEqual({});
  });

  it('--batch, --timesteps and --tt-mode override the file; dense networks report compression 1', async () => {
    const r = await cli(['evaluate', '--arch', ARCH, '--workload', 'workloads/resnet34-ncaltech101-dense.yaml', '--phase', 'forward', '--scheme', 'bptt', '--batch', '2', '--json']);
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.batch).toBe(2);
    expect(j.totals).toMatchObject({ params: 21311104, param_compression: 1 });
    expect(j.tt_mode).toBeUndefined();
    const f = tinyFile();
    const s = JSON.parse((await cli(['evaluate', '--arch', ARCH, '--workload', f, '--phase', 'forward', '--scheme', 'saf', '--tt-mode', 'stt', '--timesteps', '3', '--json'])).out);
    expect(s).toMatchObject({ tt_mode: 'stt', timesteps: 3, scheme: 'saf' });
    expect(s.totals.adds_per_timestep).toBe(0);
  });

  it('--chunk-mapper search refines the ops the heuristic leaves idle: recorded in the JSON, deterministic per seed', async () => {
    const f = tinyFile();
    const base = ['evaluate', '--arch', ARCH, '--workload', f, '--scheme', 'bptt', '--json'];
    const h = JSON.parse((await cli(base)).out);
    const r = await cli([...base, '--chunk-mapper', 'search:200', '--seed', '2']);
    expect(r.code, r.err).toBe(0);
    const s = JSON.parse(r.out);
    expect(h.mapper).toBe('heuristic');
    expect(s.mapper).toBe('heuristic + search:200 where under 90 % busy');
    expect(s.totals.energy_pJ).toBeGreaterThan(0);
    expect(s.totals.cycles).toBeGreaterThan(0);
    const again = JSON.parse((await cli([...base, '--chunk-mapper', 'search:200', '--seed', '2'])).out);
    expect(again.totals).toEqual(s.totals);
  });

  it('text summary names the compression, the energy split, the phases and the schemes', async () => {
    const r = await cli(['evaluate', '--arch', ARCH, '--workload', tinyFile(), '--scheme', 'bptt', '--brief']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/energy split: DRAM [\d.]+ %, buffers/);
    expect(r.out).toContain('sparse');
    expect(r.out).toContain('wgrad');
  });

  it('options that do not apply to a TT network are usage errors (exit 2), never ignored', async () => {
    const f = tinyFile();
    for (const extra of [['--mapping', 'x.yaml'], ['--schedule', 'x.yaml'], ['--stems-compat'], ['--timing', 'pipeline'], ['--batch', 'many'], ['--timesteps', '0'], ['--phase', 'sideways'], ['--chunk-mapper', 'search:0'], ['--chunk-mapper', 'exhaustive'], ['--chunk-mapper', 'search', '--seed', 'x']]) {
      const r = await cli(['evaluate', '--arch', ARCH, '--workload', f, ...extra]);
      expect(r.code, extra.join(' ')).toBe(2);
      expect(r.err).toMatch(/error/);
    }
    const s = await cli(['evaluate', '--arch', ARCH, '--workload', f, '--schedule', 'x.yaml']);
    expect(s.err).toContain('--schedule applies to network: workloads');
  });

  it('a broken network file exits 1 with one positioned diagnostic per mistake', async () => {
    const bad = tinyFile(TINY.replace('ranks: [4, 4]', 'ranks: [4]').replace('timesteps: 2', 'timesteps: 0'));
    const r = await cli(['evaluate', '--arch', ARCH, '--workload', bad]);
    expect(r.code).toBe(1);
    const lines = r.err.split('\n').filter(Boolean);
    for (const l of lines) expect(l).toMatch(DIAGNOSTIC_LINE);
    expect(lines.map((l) => l.match(DIAGNOSTIC_LINE)![4]).sort()).toEqual(['SL-SPEC-NEGATIVE', 'SL-TT-RANKS']);
  });

  it('warnings (rank above min(Cin, Cout), no compression) are printed at the rank and the evaluation runs', async () => {
    // 16 -> 16: rank 17 gives 17*32 + 6*17^2 = 2,278 < 2,304 dense params; rank 40 gives 10,880.
    const r = await cli(['evaluate', '--arch', ARCH, '--workload', tinyFile(TINY.replace('ranks: [4, 4]', 'ranks: [17, 40]')), '--phase', 'forward', '--scheme', 'bptt', '--brief']);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/tiny\.yaml:10:\d+: warning SL-TT-RANK-HIGH: layer1\.0\.conv1: rank 17 exceeds min\(Cin, Cout\) = 16/);
    expect(r.err).toMatch(/tiny\.yaml:10:\d+: warning SL-TT-NO-COMPRESSION: layer1\.0\.conv2: rank 40 gives 10,880 TT parameters, the dense conv has 2,304/);
  });

  it('a layer that fits no mapping exits 3 with the layer\'s line, the op, the level and the bytes', async () => {
    const dir = tempDir();
    const arch = join(dir, 'arch.yaml');
    writeFileSync(arch, readFileSync(join(ROOT, ARCH), 'utf8').replace('capacity_bytes: 8                 # "Per-PE scratchpads: ... partial sums 8 B"', 'capacity_bytes: 1'));
    const f = tinyFile();
    const r = await cli(['evaluate', '--arch', arch, '--workload', f, '--phase', 'forward', '--scheme', 'bptt']);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(DIAGNOSTIC_LINE);
    // The stem (line 8 of the file) is the first layer that cannot map.
    expect(r.err).toMatch(/tiny\.yaml:8:\d+: error SL-EVAL-CAPACITY: layer conv1 \(bptt, forward pass\), op fwd .*PsumSpad holds 1 B but the smallest tiles a mapping can keep there need 2 B \(Psum: 2 B\)/);
  });

  it('validate accepts the four shipped TT-SNN networks', async () => {
    const files = ['resnet34-ncaltech101-dense', 'resnet34-ncaltech101-tt', 'resnet18-cifar10-dense', 'resnet18-cifar10-tt'].map((f) => `workloads/${f}.yaml`);
    const r = await cli(['validate', ...files]);
    expect(r.code, r.err).toBe(0);
  });
});
