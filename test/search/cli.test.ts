import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { A, W, cli, tempDir, DIAGNOSTIC_LINE } from '../cli/harness.ts';

// A small SNN layer and a small arch keep these CLI runs fast.
const ARCH = `arch:
  name: mini
  clock_mhz: 200
  levels:
    - name: DRAM
      kind: dram
      width: 64
      energy: { read: 200, write: 200 }
    - name: Buffer
      capacity_bytes: 256
      width: 16
      energy: { read: 6, write: 6 }
    - name: RF
      mesh: [2, 2]
      capacity_bytes: 32
      width: 16
      energy: { read: 1, write: 1 }
  compute:
    name: PE
    mesh: [2, 2]
    energy: { mac: 1, ac: 0.5, neuron_update: 1 }
`;
const LAYER = `workload:
  name: mini-snn
  type: snn-conv
  dims: { N: 1, T: 2, K: 4, C: 2, P: 4, Q: 1, R: 3, S: 1 }
  stride: 1
`;

function files(): { dir: string; arch: string; layer: string } {
  const dir = tempDir();
  writeFileSync(join(dir, 'arch.yaml'), ARCH);
  writeFileSync(join(dir, 'layer.yaml'), LAYER);
  return { dir, arch: join(dir, 'arch.yaml'), layer: join(dir, 'layer.yaml') };
}

describe('spikeloop search', () => {
  it('writes a best mapping that spikeloop evaluate accepts unchanged, with the same totals', async () => {
    const f = files();
    const out = join(f.dir, 'out');
    const r = await cli(['search', '--arch', f.arch, '--workload', f.layer, '--max-evals', '600', '--out', out, '--pareto', '--json']);
    expect(r.code, r.err).toBe(0);
    const json = JSON.parse(r.out);
    expect(json.schema).toBe('spikeloop.search/1');
    expect(BigInt(json.space.total)).toBeGreaterThan(0n);
    expect(json.explored.considered).toBe(600);
    const ev = await cli(['evaluate', '--arch', f.arch, '--workload', f.layer, '--mapping', join(out, 'best-mapping.yaml'), '--json']);
    expect(ev.code, ev.err).toBe(0);
    const totals = JSON.parse(ev.out).totals;
    expect(totals.energy_pJ).toBeCloseTo(json.best.totals.energy_pJ, 6);
    expect(totals.cycles).toBe(json.best.totals.cycles);
    expect(totals.offchip_bytes).toBe(json.best.totals.offchip_bytes);
    const pareto = JSON.parse(readFileSync(join(out, 'pareto.json'), 'utf8'));
    expect(pareto.length).toBeGreaterThan(0);
  });

  it('is deterministic for a seed, and --threads 2 gives the same result as one thread', async () => {
    const f = files();
    const args = ['search', '--arch', f.arch, '--workload', f.layer, '--max-evals', '400', '--seed', '7', '--json'];
    const a = JSON.parse((await cli(args)).out);
    const b = JSON.parse((await cli(args)).out);
    const c = await cli([...args, '--threads', '2']);
    expect(c.code, c.err).toBe(0);
    const cj = JSON.parse(c.out);
    for (const x of [b, cj]) {
      expect(x.best.mapping_yaml).toBe(a.best.mapping_yaml);
      expect(x.best.totals).toEqual(a.best.totals);
      expect(x.explored).toEqual(a.explored);
      expect(x.invalid).toEqual(a.invalid);
    }
  });

  it('exhaustive on a tiny layer says optimal; threads do not change the optimum', async () => {
    const f = files();
    writeFileSync(f.layer, LAYER.replace('K: 4, C: 2, P: 4', 'K: 2, C: 1, P: 2').replace('R: 3', 'R: 1'));
    const args = ['search', '--arch', f.arch, '--workload', f.layer, '--strategy', 'exhaustive', '--json'];
    const one = JSON.parse((await cli(args)).out);
    const two = JSON.parse((await cli([...args, '--threads', '2'])).out);
    expect(one.optimal).toBe(true);
    // The exact space size is reported, and the exhaustive search covers exactly that many candidates.
    expect(one.space.total_is_exact).toBe(true);
    expect(one.explored.considered).toBe(Number(one.space.total));
    expect(two.optimal).toBe(true);
    expect(two.best.totals).toEqual(one.best.totals);
    expect(two.best.mapping_yaml).toBe(one.best.mapping_yaml);
  });

  it('says why when there is no valid mapping (exit 3)', async () => {
    const f = files();
    writeFileSync(f.arch, ARCH.replace('capacity_bytes: 32', 'capacity_bytes: 0.5'));
    const c = join(f.dir, 'keep.yaml');
    writeFileSync(c, 'constraints:\n  levels:\n    - level: RF\n      keep: [Weights, Psum]\n');
    const r = await cli(['search', '--arch', f.arch, '--workload', f.layer, '--constraints', c, '--max-evals', '200']);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/no valid mapping among 200 candidates; why:/);
    expect(r.err).toMatch(/capacity at RF/);
    // An empty space says why before searching.
    writeFileSync(c, 'constraints:\n  min_utilization: 1\n  levels:\n    - level: Buffer\n      spatial: { X: { K: 1, P: 1, C: 1, R: 1, T: 1 } }\n');
    const e = await cli(['search', '--arch', f.arch, '--workload', f.layer, '--constraints', c]);
    expect(e.code).toBe(3);
    expect(e.err).toMatch(/no valid mapping: /);
  });

  it('reports constraint problems with file, line and code', async () => {
    const f = files();
    const c = join(f.dir, 'c.yaml');
    writeFileSync(c, ['constraints:', '  min_utilization: 2', '  levels:', '    - level: Bufer', '    - level: RF', '      temporal: { K: 3, Z: 2 }', '      keep: [Weights]', '      bypass: [Weights]', ''].join('\n'));
    const r = await cli(['search', '--arch', f.arch, '--workload', f.layer, '--constraints', c]);
    expect(r.code).toBe(1);
    const lines = r.err.split('\n');
    for (const l of lines) expect(l).toMatch(DIAGNOSTIC_LINE);
    const codes = lines.map((l) => `${DIAGNOSTIC_LINE.exec(l)![4]}:${DIAGNOSTIC_LINE.exec(l)![2]}`);
    expect(codes).toEqual(expect.arrayContaining(['SL-CON-UTILIZATION:2', 'SL-CON-UNKNOWN-LEVEL:4', 'SL-CON-FACTOR:6', 'SL-CON-UNKNOWN-DIM:6', 'SL-CON-KEEP:8']));
    expect(r.err).toMatch(/did you mean 'Buffer'/);
  });

  it('honours constraints (fixed factors, forced bypass) and ships the three dataflows for the Eyeriss-like arch', async () => {
    for (const name of ['weight', 'output', 'row']) {
      const r = await cli(['search', '--arch', A, '--workload', W, '--constraints', `mappings/constraints/${name}-stationary.yaml`, '--max-evals', '150', '--json']);
      expect(r.code, `${name}: ${r.err}`).toBe(0);
      const json = JSON.parse(r.out);
      expect(json.constraints).toBe(`${name}-stationary`);
      const rf = json.best.mapping_yaml.split('- level: RegisterFile')[1];
      if (name === 'weight') expect(rf).toMatch(/bypass: \[Inputs, Psum, State, Outputs\]/);
      if (name === 'row') expect(rf).toMatch(/S3/);
    }
  });

  it('rejects bad options as usage errors', async () => {
    expect((await cli(['search', '--arch', A])).code).toBe(2);
    expect((await cli(['search', '--arch', A, '--workload', W, '--threads', '0'])).code).toBe(2);
    expect((await cli(['search', '--arch', A, '--workload', W, '--objective', 'speed'])).code).toBe(2);
  });
});
