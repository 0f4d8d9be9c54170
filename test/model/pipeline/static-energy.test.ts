// Static energy (leakage per level + idle power of the compute array, times the run's cycles) and the arch fields
// the pipeline model reads (burst_bytes, latency, double_buffered, leakage_mw, idle_mw, neuron_latency/throughput).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/model/evaluate.ts';
import { staticEnergy } from '../../../src/model/pipeline/static-energy.ts';
import { parseArch } from '../../../src/spec/arch.ts';
import { parseMapping } from '../../../src/spec/mapping.ts';
import { parseWorkload } from '../../../src/spec/workload.ts';
import { arch, fc, mapping, ok, snnConv } from '../../helpers/build.ts';
import { withLevels } from './gen.ts';

describe('static energy', () => {
  it('is leakage x instances x time plus idle compute power x time (mW x us = nJ)', () => {
    const a = withLevels(
      arch([
        { name: 'DRAM', read: 1, write: 1 },
        { name: 'RF', capacity: null, read: 1, write: 1, offChip: false, instances: 4 },
      ], { instances: 4, energy: { mac: 1 } }),
      (l, e) => ({ ...l, leakageMw: e === 0 ? 0 : 2 }),
    );
    const withIdle = { ...a, compute: { ...a.compute, idleMw: 10 }, clockMhz: 500 };
    // 1000 cycles at 500 MHz = 2 us. RF: 2 mW x 4 instances x 2 us = 16 nJ; compute: 10 mW x 2 us = 20 nJ.
    const s = staticEnergy(withIdle, 1000);
    expect(s.levels_pJ).toEqual([0, 16_000]);
    expect(s.compute_pJ).toBe(20_000);
    expect(s.total_pJ).toBe(36_000);
  });

  it('is its own category, in the total under both timing models, and grows with the pipeline cycles', () => {
    const w = fc(1, 4, 8);
    const base = withLevels(
      arch([
        { name: 'DRAM', read: 10, write: 10, readBw: 16, writeBw: 16 },
        { name: 'Buffer', capacity: null, read: 1, write: 1, offChip: false },
      ], { energy: { mac: 1 } }),
      (l, e) => ({ ...l, leakageMw: e === 1 ? 1 : 0 }),
    );
    const a = { ...base, compute: { ...base.compute, idleMw: 4 } };
    const m = mapping(w, ['K4', 'C8']);
    const none = ok(evaluate({ ...a, levels: a.levels.map((l) => ({ ...l, leakageMw: 0 })), compute: { ...a.compute, idleMw: 0 } }, w, m));
    const r = ok(evaluate(a, w, m));
    const p = ok(evaluate(a, w, m, { timing: 'pipeline' }));
    // 1000 MHz: cycles x (1 + 4) mW x 1e-3 us per cycle x 1000 pJ/nJ = 5 pJ per cycle.
    expect(none.energy_static_pJ).toBe(0);
    expect(r.energy_static_pJ).toBeCloseTo(5 * r.totals.cycles, 9);
    expect(p.energy_static_pJ).toBeCloseTo(5 * p.totals.cycles, 9);
    expect(r.energy_static!.levels).toEqual({ DRAM: 0, Buffer: r.totals.cycles });
    expect(r.energy_static!.compute_idle_pJ).toBeCloseTo(4 * r.totals.cycles, 9);
    expect(r.totals.energy_pJ).toBeCloseTo(none.totals.energy_pJ + r.energy_static_pJ!, 9);
    expect(p.totals.energy_pJ).toBeCloseTo(none.totals.energy_pJ + p.energy_static_pJ!, 9);
    // Latency drives energy: the pipeline run is longer (73 vs 40 cycles, single buffered), so it leaks more.
    expect(p.totals.cycles).toBe(73);
    expect(r.totals.cycles).toBe(40);
    expect(p.totals.energy_pJ).toBeGreaterThan(r.totals.energy_pJ);
  });

  it('parses burst_bytes, latency, double_buffered, leakage_mw, idle_mw and the neuron unit timing', () => {
    const text = readFileSync('arch-specs/eyeriss-like.yaml', 'utf8')
      .replace('bandwidth: { read: 64, write: 64 }             # bits per cycle',
        'bandwidth: { read: 64, write: 64 }\n      burst_bytes: 64\n      latency: 100\n      leakage_mw: 5')
      .replace('bandwidth: { read: 256, write: 256 }', 'bandwidth: { read: 256, write: 256 }\n      double_buffered: true')
      .replace('    energy:                     # pJ per action;', '    idle_mw: 20\n    neuron_latency: 3\n    neuron_throughput: 0.5\n    energy:                     #');
    const r = parseArch(text, 'arch.yaml');
    if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
    const a = r.value;
    expect(a.levels[0]).toMatchObject({ burstBits: 512, latencyCycles: 100, leakageMw: 5 });
    expect(a.levels[1]).toMatchObject({ doubleBuffered: true, burstBits: 0 });
    expect(a.compute).toMatchObject({ idleMw: 20, neuronLatencyCycles: 3, neuronThroughput: 0.5 });
    // And the shipped spec still gets neutral defaults.
    const plain = parseArch(readFileSync('arch-specs/eyeriss-like.yaml', 'utf8'), 'arch.yaml');
    if (!plain.ok) throw new Error('shipped arch');
    expect(plain.value.compute).toMatchObject({ neuronLatencyCycles: 0, neuronThroughput: null });
    const bad = parseArch(text.replace('burst_bytes: 64', 'burst_bytes: -1'), 'arch.yaml');
    expect(bad.ok).toBe(false);
  });

  it('the shipped specs evaluate under the pipeline model, and a slow neuron unit shows in the epilogue', () => {
    const archText = readFileSync('arch-specs/eyeriss-like.yaml', 'utf8');
    const a = parseArch(archText, 'a.yaml');
    const w = parseWorkload(readFileSync('workloads/vgg-conv3-snn.yaml', 'utf8'), 'w.yaml');
    if (!a.ok || !w.ok) throw new Error('specs');
    for (const f of ['mappings/eyeriss-like-vgg-conv3-t-inner.yaml', 'mappings/eyeriss-like-vgg-conv3-t-outer.yaml']) {
      const m = parseMapping(readFileSync(f, 'utf8'), f, a.value, w.value);
      if (!m.ok) throw new Error(f);
      const r = ok(evaluate(a.value, w.value, m.value.mapping));
      const p = ok(evaluate(a.value, w.value, m.value.mapping, { timing: 'pipeline' }));
      expect(p.totals.cycles).toBeGreaterThanOrEqual(r.totals.cycles);
      expect(p.timing.outer_tiles).toBeGreaterThan(1);
    }
    const sw = snnConv({ K: 4, C: 4, T: 2 });
    const sa = arch([{ name: 'DRAM', read: 1, write: 1 }, { name: 'Buffer', capacity: null, read: 1, write: 1, offChip: false }], { energy: { ac: 1, neuron_update: 1 } });
    const sm = mapping(sw, ['K4 T2', 'C4']);
    const fast = ok(evaluate(sa, sw, sm, { timing: 'pipeline' }));
    const slow = ok(evaluate({ ...sa, compute: { ...sa.compute, neuronLatencyCycles: 7, neuronThroughput: 0.25 } }, sw, sm, { timing: 'pipeline' }));
    // 8 neuron updates (K4 x T2), one per tile after its reduction (C4 inside the tile): 4 cycles each at 0.25 per
    // cycle, their result 7 cycles later. Single buffered, each tile's compute waits until the unit has read the
    // previous tile's psum; a t=1 update waits for the t=0 result of the same neuron. Computes [0,4] [8,12]
    // [19,23] [27,31] [38,42] [46,50] [57,61] [65,69]; the last update waits for its neuron's t=0 result (72),
    // takes 4 and lands 7 later: 83, epilogue 83 - 69 = 14.
    expect(fast.totals.cycles).toBe(32);
    expect(slow.timing.compute_activity!.neuron_busy_cycles).toBe(32);
    expect(slow.totals.cycles).toBe(83);
    expect(slow.timing.epilogue_cycles).toBe(14);
    expect(slow.totals.cycles).toBeGreaterThan(fast.totals.cycles);
  });
});
