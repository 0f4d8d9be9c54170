// The compact timeline: spans while few, bins over the whole run when capped.
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/model/evaluate.ts';
import { arch, fc, mapping, ok } from '../../helpers/build.ts';
import { withLevels } from './gen.ts';

describe('pipeline timeline', () => {
  const a = withLevels(arch([
    { name: 'DRAM', read: 1, write: 1, readBw: 8, writeBw: 16 },
    { name: 'Buffer', capacity: null, read: 1, write: 1, offChip: false },
  ], { energy: { mac: 1 } }), (l) => ({ ...l, doubleBuffered: true }));

  it('is a list of spans per lane while every lane has at most max_spans_per_lane', () => {
    const w = fc(16, 1, 8);
    const e = ok(evaluate(a, w, mapping(w, ['N16', 'C8']), { timing: 'pipeline' }));
    const t = e.timing.timeline!;
    expect(t.capped).toBe(false);
    const compute = t.levels.find((l) => l.name === 'compute')!;
    expect(compute.spans).toHaveLength(16);
    expect(compute.spans_total).toBe(16);
    // One 'tile' span per Buffer tile, from its first compute start to its last compute end.
    expect(t.levels.find((l) => l.name === 'Buffer')!.spans.filter((s) => s.state === 'tile')).toHaveLength(16);
  });

  it('when capped, bins the whole run: every lane reports its busy fraction per bin up to the end', () => {
    // FC N=4096 K=1 C=8: 4096 tiles, DRAM-bound (each tile's Inputs take 16 read cycles for 8 compute cycles).
    const w = fc(4096, 1, 8);
    const e = ok(evaluate(a, w, mapping(w, ['N4096', 'C8']), { timing: 'pipeline' }));
    const t = e.timing.timeline!;
    expect(t.capped).toBe(true);
    const width = t.bin_cycles!;
    const cycles = e.totals.cycles;
    for (const lane of t.levels) {
      const f = lane.busy_fraction!;
      // The bins cover the run, not just its first part.
      expect(f.length * width).toBeGreaterThanOrEqual(cycles - 1);
      expect((f.length - 1) * width).toBeLessThan(cycles);
      // One span per busy bin, from the bin's start, as long as the lane's busy time in it.
      expect(lane.spans.length).toBe(f.filter((x) => x > 0).length);
      for (const s of lane.spans) expect(s.end).toBeLessThanOrEqual(cycles + 1e-6);
    }
    const busy = (name: string) => t.levels.find((l) => l.name === name)!.busy_fraction!;
    // The DRAM read port is busy all the run long, the compute array about half of it, to the last bins.
    const dram = busy('DRAM');
    const compute = busy('compute');
    expect(Math.min(...dram.slice(1, -1))).toBeGreaterThan(0.99);
    expect(compute[compute.length - 2]).toBeGreaterThan(0.4);
    expect(compute[compute.length - 2]).toBeLessThan(0.6);
    // Fractions are of each bin's length (the last bin is partial), rounded to 0.001.
    const sum = (xs: readonly number[]) => xs.reduce((x, y, i) => x + y * Math.min(width, cycles - i * width), 0);
    expect(Math.abs(sum(compute) - e.timing.compute_activity!.busy_cycles)).toBeLessThan(0.001 * width * compute.length);
    // A binned timeline counts no spans (an outer level's spans are cut at simulation steps: not a property of the run).
    for (const l of t.levels) expect(l.spans_total).toBeUndefined();
  });
});
