// `spikeloop evaluate` on a network and `spikeloop explore`, through the in-process CLI harness.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, DIAGNOSTIC_LINE, tempDir } from '../cli/harness.ts';
import { TWO_LAYER } from './fixtures.ts';

const META = 'arch-specs/meta-prototype-like.yaml';
const SEW7 = 'workloads/sew-resnet-7plif.yaml';

const TINY_ARCH = `arch:
  name: tiny
  clock_mhz: 100
  levels:
    - { name: DRAM, kind: dram, width: 8, energy: { read: 80, write: 96 }, bandwidth: { shared: 8 } }
    - { name: GB, capacity_bits: 800, width: 8, energy: { read: 1, write: 2 } }
    - { name: Reg, capacity_bits: 1000000, width: 8, energy: { read: 0.1, write: 0.1 } }
  compute: { name: PE, instances: 1, energy: { ac: 0.5, mac: 1, neuron_update: 0.25 } }
`;

function files(): { dir: string; arch: string; net: string } {
  const dir = tempDir();
  const arch = join(dir, 'tiny.yaml');
  const net = join(dir, 'two.yaml');
  writeFileSync(arch, TINY_ARCH);
  writeFileSync(net, TWO_LAYER);
  return { dir, arch, net };
}

describe('spikeloop evaluate on a network', () => {
  it('SEW 7PLIF --json: layers[] and the network totals', async () => {
    const r = await cli(['evaluate', '--arch', META, '--workload', SEW7, '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.layers).toHaveLength(30);
    expect(Object.keys(j.totals.offchip_bytes_by_kind).sort()).toEqual(['activations', 'psums', 'spikes', 'state', 'weights']);
    expect(j.totals.state_bytes).toBe((12 * (3 * 64 * 128 * 128 + 2 * 64 * 64 * 64 + 2 * 64 * 32 * 32 + 2 * 64 * 16 * 16 + 3 * 128 * 64 + 2 * 128 * 16 + 2 * 128 * 4)) / 8);
    expect(j.totals.weight_bytes).toBeGreaterThan(0);
    expect(j.totals.peak_onchip_bytes).toBeLessThanOrEqual(1024 * 1024);
    expect(j.layers[1]).toMatchObject({ name: 'conv1', op: 'conv', block: 0 });
    expect(j.energy_by_level.DRAM).toBeGreaterThan(0);
  });

  it('a schedule file: per-block choices, and positioned errors', async () => {
    const { dir, arch, net } = files();
    const good = join(dir, 'good.yaml');
    writeFileSync(good, 'schedule:\n  default: { time_batch: 1, tile_rows: whole }\n  blocks:\n    blk: { state: { a: spill } }\n');
    const r = await cli(['evaluate', '--arch', arch, '--workload', net, '--schedule', good, '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.schedule).toEqual([{ block: 'blk', time_batch: 1, tile_rows: null }]);
    expect(j.totals.offchip_bytes_by_kind.state).toBe(128);
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'schedule:\n  blocks:\n    blok: { time_batch: 3 }\n');
    const e = await cli(['evaluate', '--arch', arch, '--workload', net, '--schedule', bad]);
    expect(e.code).toBe(1);
    expect(e.err).toMatch(DIAGNOSTIC_LINE);
    expect(e.err).toContain('bad.yaml:3:11: error SL-SCHED-BLOCK');
  });

  it('--mapping with a network is a usage error', async () => {
    const { arch, net } = files();
    const r = await cli(['evaluate', '--arch', arch, '--workload', net, '--mapping', 'x.yaml']);
    expect(r.code).toBe(2);
  });
});

describe('spikeloop explore', () => {
  it('searches a small network exhaustively and never does worse than the uniform STEMS schedules', async () => {
    const { arch, net } = files();
    const r = await cli(['explore', '--arch', arch, '--workload', net, '--objective', 'offchip', '--pareto', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    const p = j.points[0];
    expect(p.method).toBe('exhaustive');
    for (const u of p.uniform) expect(p.best.offchip_bytes).toBeLessThanOrEqual(u.offchip_bytes);
    expect(p.pareto.length).toBeGreaterThan(0);
  });

  it('--sweep gb_size re-runs the search at each point of ARCH.sweep.yaml', async () => {
    const { dir, arch, net } = files();
    writeFileSync(join(dir, 'tiny.sweep.yaml'), 'sweep:\n  parameter: gb_size\n  level: GB\n  capacity_bytes: [50, 100, 1000]\n');
    const r = await cli(['explore', '--arch', arch, '--workload', net, '--sweep', 'gb_size', '--objective', 'offchip', '--json']);
    expect(r.code).toBe(0);
    const pts = JSON.parse(r.out).points;
    expect(pts.map((x: { capacity_bytes: number }) => x.capacity_bytes)).toEqual([50, 100, 1000]);
    const off = pts.map((x: { best: { offchip_bytes: number } }) => x.best.offchip_bytes);
    expect(off[0]).toBeGreaterThanOrEqual(off[1]);
    expect(off[1]).toBeGreaterThanOrEqual(off[2]);
  });

  it('--time-limit stops early and keeps the best found', async () => {
    const r = await cli(['explore', '--arch', META, '--workload', SEW7, '--time-limit', '0.05', '--json']);
    expect(r.code).toBe(0);
    const p = JSON.parse(r.out).points[0];
    expect(p.stopped).toBe(true);
    expect(p.evaluated).toBeGreaterThanOrEqual(1);
    expect(p.evaluated).toBeLessThan(4);
  });
});
