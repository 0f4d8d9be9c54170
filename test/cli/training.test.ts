import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, DIAGNOSTIC_LINE, ROOT, tempDir } from './harness.ts';

const ARCH = 'arch-specs/ttsnn-accelerator.yaml';
const R18 = 'workloads/resnet18-cifar10-tt.yaml';

describe('spikeloop evaluate on a TT network', () => {
  it('--json: params and MACs per timestep in totals, per layer, one phase', async () => {
    const r = await cli(['evaluate', '--arch', ARCH, '--workload', R18, '--phase', 'forward', '--json']);
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.schema).toBe('spikeloop.training/1');
    expect(j.totals).toMatchObject({ params: 1647546, dense_params: 11164352, macs_per_timestep: 93105984, dense_macs_per_timestep: 555422720 });
    expect(j.layers).toHaveLength(21);
    expect(j.layers[1]).toMatchObject({ name: 'layer1.0.conv1', kind: 'tt', rank: 24, params: 6528, dense_params: 36864 });
    expect(j.layers[1].cores.G2.params).toBe(3 * 24 * 24);
    expect(j.phases.map((p: { name: string }) => p.name)).toEqual(['forward']);
    expect(j.totals.energy_pJ).toBeGreaterThan(0);
    expect(j.schemes).toEqual([]);
  });

  it('a training step: phases, levels, actions and the four schemes at batch 1 and 128', async () => {
    const r = await cli(['evaluate', '--arch', ARCH, '--workload', R18, '--json']);
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.phases.map((p: { name: string }) => p.name)).toEqual(['forward', 'backward', 'wgrad']);
    const sum = j.phases.reduce((a: number, p: { energy_pJ: number }) => a + p.energy_pJ, 0);
    expect(j.totals.dynamic_energy_pJ).toBeCloseTo(sum, 3);
    expect(Object.keys(j.energy_by_level)).toEqual(['DRAM', 'WeightBuffer', 'InputBuffer', 'OutputBuffer', 'WeightSpad', 'InputSpad', 'PsumSpad']);
    expect(Object.keys(j.compute)).toEqual(expect.arrayContaining(['ac', 'mac', 'bwd_mac', 'weight_gradient', 'post_grad', 'add']));
    expect(j.schemes.map((s: { name: string }) => s.name)).toEqual(['bptt', 'ottt', 'saf', 'reversible']);
    const bptt = j.schemes[0];
    expect(bptt.memory.map((m: { batch: number }) => m.batch)).toEqual([1, 128]);
    expect(bptt.memory[1].activation_bytes).toBeCloseTo(128 * bptt.memory[0].activation_bytes, 3);
    expect(j.energy_source).toContain('sata16');
  });

  it('--batch and --tt-mode override the file; dense networks report compression 1', async () => {
    const r = await cli(['evaluate', '--arch', ARCH, '--workload', 'workloads/resnet34-ncaltech101-dense.yaml', '--phase', 'forward', '--batch', '2', '--json']);
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.batch).toBe(2);
    expect(j.totals).toMatchObject({ params: 21311104, param_compression: 1 });
    expect(j.tt_mode).toBeUndefined();
    const s = await cli(['evaluate', '--arch', ARCH, '--workload', R18, '--phase', 'forward', '--tt-mode', 'stt', '--json']);
    expect(JSON.parse(s.out).tt_mode).toBe('stt');
    expect(JSON.parse(s.out).totals.adds_per_timestep).toBe(0);
  });

  it('text summary names the compression, the phases and the schemes', async () => {
    const r = await cli(['evaluate', '--arch', ARCH, '--workload', R18, '--phase', 'wgrad', '--brief']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('x6.78');
    expect(r.out).toContain('wgrad');
  });

  it('usage errors exit 2; a broken network file exits 1 with positioned diagnostics', async () => {
    expect((await cli(['evaluate', '--arch', ARCH, '--workload', R18, '--mapping', 'x.yaml'])).code).toBe(2);
    expect((await cli(['evaluate', '--arch', ARCH, '--workload', R18, '--batch', 'many'])).code).toBe(2);
    expect((await cli(['evaluate', '--arch', ARCH, '--workload', R18, '--phase', 'sideways'])).code).toBe(2);
    const dir = tempDir();
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, readFileSync(join(ROOT, R18), 'utf8').replace('ranks: [24, 27, 25, 29]', 'ranks: [24, 27]'));
    const r = await cli(['evaluate', '--arch', ARCH, '--workload', bad]);
    expect(r.code).toBe(1);
    expect(r.err.split('\n')[0]).toMatch(DIAGNOSTIC_LINE);
  });

  it('validate accepts the four shipped TT-SNN networks', async () => {
    const files = ['resnet34-ncaltech101-dense', 'resnet34-ncaltech101-tt', 'resnet18-cifar10-dense', 'resnet18-cifar10-tt'].map((f) => `workloads/${f}.yaml`);
    const r = await cli(['validate', ...files]);
    expect(r.code, r.err).toBe(0);
  });
});
