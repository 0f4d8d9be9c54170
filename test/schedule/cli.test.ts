// `spikeloop evaluate` on a network and `spikeloop explore`, through the in-process CLI harness; the network JSON
// read back by the report reader (a test over real command output).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readNetwork } from '../../src/report/read/network.ts';
import { cli, DIAGNOSTIC_LINE, tempDir } from '../cli/harness.ts';
import { TINY_ARCH, TWO_LAYER } from './fixtures.ts';

const META = 'arch-specs/meta-prototype-like.yaml';
const SEW7 = 'workloads/sew-resnet-7plif.yaml';

function files(): { dir: string; arch: string; net: string } {
  const dir = tempDir();
  const arch = join(dir, 'tiny.yaml');
  const net = join(dir, 'two.yaml');
  writeFileSync(arch, TINY_ARCH);
  writeFileSync(net, TWO_LAYER);
  return { dir, arch, net };
}

describe('spikeloop evaluate on a network', () => {
  it('--chunk-mapper takes greedy or search[:N] with N >= 1; anything else is a usage error (exit 2)', async () => {
    const { arch, net } = files();
    for (const bad of ['search:0', 'exhaustive', 'search:x']) {
      const r = await cli(['evaluate', '--arch', arch, '--workload', net, '--chunk-mapper', bad]);
      expect(r.code, bad).toBe(2);
      expect(r.err).toContain(`--chunk-mapper must be greedy or search[:N] (N >= 1 candidates per chunk shape), got '${bad}'`);
    }
    expect((await cli(['evaluate', '--arch', arch, '--workload', net, '--chunk-mapper', 'search:20', '--brief'])).code).toBe(0);
  });

  it('SEW 7PLIF --json: layers[] with the fields of a layer result, network levels with tensors, occupancy; the report reads it', async () => {
    const r = await cli(['evaluate', '--arch', META, '--workload', SEW7, '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.layers).toHaveLength(30);
    expect(j.constraints).toBe('meta-prototype-like-unrolling'); // the arch's default constraints file
    expect(j.energy_source).toMatch(/STEMS/);
    expect(Object.keys(j.totals.offchip_bytes_by_kind).sort()).toEqual(['activations', 'psums', 'spikes', 'state', 'weights']);
    expect(j.totals.state_bytes).toBe((12 * (3 * 64 * 128 * 128 + 2 * 64 * 64 * 64 + 2 * 64 * 32 * 32 + 2 * 64 * 16 * 16 + 3 * 128 * 64 + 2 * 128 * 16 + 2 * 128 * 4)) / 8);
    expect(j.totals.peak_onchip_bytes).toBeLessThanOrEqual(1024 * 1024);
    const conv1 = j.layers[1];
    expect(conv1).toMatchObject({ name: 'conv1', op: 'conv', block: 0 });
    expect(conv1.totals.energy_pJ).toBeCloseTo(conv1.energy_pJ, 6);
    expect(conv1.levels.map((l: { name: string }) => l.name)).toEqual(['DRAM', 'GlobalBuffer', 'WeightSRAM', 'InputSRAM', 'PERegisters']);
    expect(Object.keys(conv1.levels[1].tensors)).toEqual(expect.arrayContaining(['Weights', 'Inputs', 'Outputs']));
    expect(conv1.compute.ac.count).toBeGreaterThan(0);
    expect(conv1.timing.model).toBe('roofline');
    expect(j.levels.find((l: { name: string }) => l.name === 'DRAM').tensors.Weights.reads).toBeGreaterThan(0);
    expect(j.occupancy.length).toBeGreaterThan(10);
    expect(j.occupancy.length).toBeLessThanOrEqual(200);
    expect(j.capacity_bytes).toBe(1024 * 1024);
    for (const o of j.occupancy) expect(o.bytes).toBeLessThanOrEqual(1024 * 1024);
    const v = readNetwork(j, 'sew');
    if (Array.isArray(v)) throw new Error(v.map((p) => p.message).join('; '));
    expect(v.layers).toHaveLength(30);
    expect(v.layers[1].levels.length).toBe(5);
    // The report draws the kinds that occupy the buffer at some step: weights and spikes here (time-batched fused
    // column chunks keep a column's state only while its chunk runs).
    const present = ['weights', 'spikes', 'activations', 'psums', 'state'].filter((k) => j.occupancy.some((o: { by_kind: Record<string, number> }) => o.by_kind[k] > 0));
    expect(present).toEqual(expect.arrayContaining(['weights', 'spikes']));
    expect(v.occupancy?.series).toEqual(present);
    expect(v.total.energySource).toMatch(/STEMS/);
  });

  it('a schedule file: per-block choices including the tile axis, and positioned errors', async () => {
    const { dir, arch, net } = files();
    const good = join(dir, 'good.yaml');
    writeFileSync(good, 'schedule:\n  default: { time_batch: 1, tile_rows: whole }\n  blocks:\n    blk: { state: { a: spill }, tile_axis: cols }\n');
    const r = await cli(['evaluate', '--arch', arch, '--workload', net, '--schedule', good, '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.schedule).toEqual([{ block: 'blk', time_batch: 1, tile_rows: null, tile_axis: 'cols' }]);
    expect(j.totals.offchip_bytes_by_kind.state).toBe(128);
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'schedule:\n  blocks:\n    blok: { time_batch: 3 }\n');
    const e = await cli(['evaluate', '--arch', arch, '--workload', net, '--schedule', bad]);
    expect(e.code).toBe(1);
    expect(e.err).toMatch(DIAGNOSTIC_LINE);
    expect(e.err).toContain('bad.yaml:3:11: error SL-SCHED-BLOCK');
  });

  it('--mapping with a network is a usage error; search on a network points to explore; explore on a layer says what it is', async () => {
    const { arch, net } = files();
    expect((await cli(['evaluate', '--arch', arch, '--workload', net, '--mapping', 'x.yaml'])).code).toBe(2);
    const s = await cli(['search', '--arch', arch, '--workload', net]);
    expect(s.code).toBe(2);
    expect(s.err).toMatch(/spikeloop explore/);
    const x = await cli(['explore', '--arch', 'arch-specs/eyeriss-like.yaml', '--workload', 'workloads/vgg-conv3-snn.yaml']);
    expect(x.code).toBe(1);
    expect(x.err).toMatch(DIAGNOSTIC_LINE);
    expect(x.err).toMatch(/single-layer workload.*spikeloop search/);
  });
});

describe('spikeloop explore', () => {
  it('searches a small network, never does worse than the uniform STEMS schedules; --threads 2 gives the same answer', async () => {
    const { arch, net } = files();
    const args = ['explore', '--arch', arch, '--workload', net, '--objective', 'offchip', '--pareto', '--json'];
    const r = await cli(args);
    expect(r.code).toBe(0);
    const p = JSON.parse(r.out).points[0];
    expect(p.method).toBe('exhaustive');
    expect(p.optimal).toBe(true);
    for (const u of p.uniform) expect(p.best.offchip_bytes).toBeLessThanOrEqual(u.offchip_bytes);
    expect(p.pareto.length).toBeGreaterThan(0);
    const t = await cli([...args, '--threads', '2']);
    expect(t.code).toBe(0);
    const q = JSON.parse(t.out).points[0];
    expect(q.best).toEqual(p.best);
    expect(q.pareto).toEqual(p.pareto);
  });

  it('--sweep gb_size and LEVEL.capacity_bytes=... re-run the search at each point', async () => {
    const { dir, arch, net } = files();
    writeFileSync(join(dir, 'tiny.sweep.yaml'), 'sweep:\n  parameter: gb_size\n  level: GB\n  capacity_bytes: [50, 100, 1000]\n');
    for (const sweep of ['gb_size', 'GB.capacity_bytes=50,100,1000']) {
      const r = await cli(['explore', '--arch', arch, '--workload', net, '--sweep', sweep, '--objective', 'offchip', '--json']);
      expect(r.code).toBe(0);
      const pts = JSON.parse(r.out).points;
      expect(pts.map((x: { value: number }) => x.value)).toEqual([50, 100, 1000]);
      const off = pts.map((x: { best: { offchip_bytes: number } }) => x.best.offchip_bytes);
      expect(off[0]).toBeGreaterThanOrEqual(off[1]);
      expect(off[1]).toBeGreaterThanOrEqual(off[2]);
    }
    const bad = await cli(['explore', '--arch', arch, '--workload', net, '--sweep', 'GB.colour=1']);
    expect(bad.code).toBe(2);
  });

  it('--time-limit stops each sweep point early and keeps a best schedule at every point', async () => {
    const r = await cli(['explore', '--arch', META, '--workload', SEW7, '--time-limit', '0.05', '--sweep', 'GlobalBuffer.capacity_bytes=524288,1048576', '--json']);
    expect(r.code).toBe(0);
    const pts = JSON.parse(r.out).points;
    expect(pts).toHaveLength(2);
    for (const p of pts) {
      expect(p.error).toBeUndefined();
      expect(p.stopped).toBe(true);
      expect(p.best.energy_pJ).toBeGreaterThan(0);
    }
  });
});

describe('spikeloop evaluate on a network: options for single layers', () => {
  it('--timing pipeline is a usage error, not silently ignored', async () => {
    const r = await cli(['evaluate', '--arch', 'arch-specs/meta-prototype-like.yaml', '--workload', 'workloads/sew-resnet-5plif.yaml', '--timing', 'pipeline']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--timing pipeline applies to one layer/);
  });
});
