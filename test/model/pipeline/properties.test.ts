// Properties of the pipeline timing model (issue 3) on random layers, archs (bandwidths, latencies, bursts, double
// buffering) and valid mappings: pipeline >= roofline; agreement within 1 % when transfers can overlap perfectly;
// monotonicity in bandwidth, latency and double buffering; the timeline moves exactly the analysis's words; the
// steady-state extrapolation equals the full simulation. PROP_RUNS=n overrides numRuns.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeAccesses } from '../../../src/analysis/counts.ts';
import type { Arch } from '../../../src/arch/types.ts';
import { evaluate } from '../../../src/model/evaluate.ts';
import { pipelineTiming } from '../../../src/model/pipeline/index.ts';
import type { Evaluation } from '../../../src/model/types.ts';
import { arch, fc as fcLayer, mapping, snnConv } from '../../helpers/build.ts';
import { buildArch, caseArb, randomMapping, withLevels, type Case } from './gen.ts';

const RUNS = Number(process.env.PROP_RUNS ?? 150);

function both(a: Arch, c: Case): { roof: Evaluation; pipe: Evaluation } | null {
  const r = evaluate(a, c.w, c.m);
  if (r.status !== 'ok') return null;
  const p = evaluate(a, c.w, c.m, { timing: 'pipeline' });
  if (p.status !== 'ok') throw new Error(`pipeline rejected a mapping the roofline accepted: ${p.reason}`);
  return { roof: r.evaluation, pipe: p.evaluation };
}

const pipeCycles = (a: Arch, c: Case): number => {
  const p = evaluate(a, c.w, c.m, { timing: 'pipeline' });
  if (p.status !== 'ok') throw new Error(p.reason);
  return p.evaluation.totals.cycles;
};

describe('pipeline timing properties (fast-check)', () => {
  it('pipeline cycles >= roofline cycles for every valid mapping', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const r = both(c.a, c);
        if (!r) return;
        expect(r.pipe.timing.model).toBe('pipeline');
        expect(r.pipe.timing.roofline_cycles).toBe(r.roof.totals.cycles);
        expect(r.pipe.totals.cycles).toBeGreaterThanOrEqual(r.roof.totals.cycles);
        // Access counts and dynamic energy do not depend on the timing model.
        expect(r.pipe.levels).toEqual(r.roof.levels);
        expect(r.pipe.totals.energy_pJ).toBe(r.roof.totals.energy_pJ);
        // Busy + idle = run time per level; the compute array is busy at least the compute cycles.
        const t = r.pipe.timing;
        expect(t.compute_activity!.busy_cycles).toBeGreaterThanOrEqual(t.compute_cycles - 1e-6);
        for (const l of t.levels!) expect(l.busy_cycles + l.idle_cycles).toBeCloseTo(Math.max(l.busy_cycles, r.pipe.totals.cycles), -1);
      }),
      { numRuns: RUNS },
    );
  });

  it('more bandwidth, less latency or double buffering never add cycles', () => {
    fc.assert(
      fc.property(caseArb, fc.nat(), fc.constantFrom('bandwidth', 'latency', 'double-buffer', 'burst'), (c, li, knob) => {
        if (!both(c.a, c)) return;
        const e = knob === 'double-buffer' ? 1 + (li % (c.a.levels.length - 1)) : li % c.a.levels.length;
        const better = withLevels(c.a, (l, i) => {
          if (i !== e) return l;
          if (knob === 'bandwidth') {
            const x2 = (b: number | null) => (b === null ? null : 2 * b);
            return { ...l, readBandwidth: x2(l.readBandwidth), writeBandwidth: x2(l.writeBandwidth), sharedBandwidth: x2(l.sharedBandwidth) };
          }
          if (knob === 'latency') return { ...l, latencyCycles: Math.floor(l.latencyCycles / 2) };
          if (knob === 'burst') return { ...l, burstBits: 0 };
          return { ...l, doubleBuffered: true };
        });
        const worse = withLevels(c.a, (l, i) => (i === e && knob === 'double-buffer' ? { ...l, doubleBuffered: false } : l));
        expect(pipeCycles(better, c)).toBeLessThanOrEqual(pipeCycles(worse, c));
        if (knob === 'latency') {
          // Raising a latency moves the pipeline away from the roofline, never towards it.
          const slow = withLevels(c.a, (l, i) => (i === e ? { ...l, latencyCycles: l.latencyCycles + 50 } : l));
          expect(pipeCycles(slow, c)).toBeGreaterThanOrEqual(pipeCycles(c.a, c));
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('the timeline moves exactly the words the analysis counts (full and extrapolated)', () => {
    fc.assert(
      fc.property(caseArb, fc.boolean(), (c, extrapolate) => {
        if (!both(c.a, c)) return;
        const counts = analyzeAccesses(c.a, c.w, c.m);
        const p = pipelineTiming(c.a, c.w, c.m, counts, 0, { extrapolate });
        counts.levels.forEach((row, e) =>
          row.forEach((tc, t) => {
            const mv = p.moved[e][t];
            if (!tc.kept) {
              expect([mv.reads, mv.fills, mv.updates]).toEqual([0, 0, 0]);
              return;
            }
            // The outermost level is never filled (it holds everything from the start).
            expect(mv.reads).toBeCloseTo(tc.reads, 6);
            expect(mv.fills).toBeCloseTo(e === 0 ? 0 : tc.fills, 6);
            expect(mv.updates).toBeCloseTo(tc.updates, 6);
          }),
        );
      }),
      { numRuns: RUNS },
    );
  });

  it('agrees with the roofline within 1 % when every level is double buffered, latencies are zero and tiles are many', () => {
    // FC layer, N = 512 outer tiles at DRAM (each needs new Inputs and writes back its Outputs, the same every tile);
    // random DRAM bandwidths (separate read/write ports or one shared port) and PE counts make DRAM reads, DRAM
    // writes, the shared DRAM port or the compute array the bottleneck. (The buffer's port is unlimited: a port
    // shared by a tile's fill and the compute's operand traffic is served tile by tile, first come first served,
    // which costs up to one fill per tile over the roofline; see README "Timing models".)
    const bw = fc.constantFrom(4, 8, 16, 32, 64, 256);
    fc.assert(
      fc.property(bw, bw, fc.boolean(), fc.constantFrom(1, 2, 4), fc.constantFrom(4, 8, 16), (dr, dw, shared, pes, C) => {
        const w = fcLayer(2048, 8, C);
        const dram = shared ? { sharedBw: dr } : { readBw: dr, writeBw: dw };
        const a = withLevels(
          arch([
            { name: 'DRAM', read: 64, write: 64, ...dram },
            { name: 'Buffer', capacity: null, read: 1, write: 1, offChip: false, doubleBuffered: true },
          ], { instances: pes, energy: { mac: 1 } }),
          (l) => ({ ...l, doubleBuffered: true }),
        );
        const m = mapping(w, [`N2048`, { t: `C${C} K${8 / pes}`, s: pes > 1 ? { X: `K${pes}` } : undefined }]);
        const roof = evaluate(a, w, m);
        const pipe = evaluate(a, w, m, { timing: 'pipeline' });
        if (roof.status !== 'ok' || pipe.status !== 'ok') throw new Error('invalid');
        const rc = roof.evaluation.totals.cycles;
        const pc = pipe.evaluation.totals.cycles;
        expect(pc).toBeGreaterThanOrEqual(rc);
        expect(pc).toBeLessThanOrEqual(rc * 1.01);
        // And removing the double buffer moves it away in the expected direction.
        const single = withLevels(a, (l) => ({ ...l, doubleBuffered: false }));
        const ps = evaluate(single, w, m, { timing: 'pipeline' });
        if (ps.status !== 'ok') throw new Error('invalid');
        expect(ps.evaluation.totals.cycles).toBeGreaterThan(pc);
      }),
      { numRuns: 60 },
    );
  });

  it('steady-state extrapolation gives the same answer as the full simulation', () => {
    // Larger layers so that loops with 5+ iterations repeat and get extrapolated.
    const bigArb = fc.record({
      K: fc.constantFrom(8, 16, 32), C: fc.constantFrom(6, 8, 16), P: fc.constantFrom(5, 8, 12), T: fc.constantFrom(4, 6, 8),
      seed: fc.integer(), p: caseArb.map((c) => c.p),
    });
    let extrapolated = 0;
    fc.assert(
      fc.property(bigArb, ({ K, C, P, T, seed, p }) => {
        const w = snnConv({ K, C, P, T, Q: 2 });
        const a = buildArch(p);
        const m = randomMapping(w, a, seed);
        if (evaluate(a, w, m).status !== 'ok') return;
        const counts = analyzeAccesses(a, w, m);
        const fast = pipelineTiming(a, w, m, counts, 10, { extrapolate: true });
        const full = pipelineTiming(a, w, m, counts, 10, { extrapolate: false });
        extrapolated += fast.extrapolatedIterations > 0 ? 1 : 0;
        expect(fast.cycles).toBe(full.cycles);
        expect(fast.time).toBeCloseTo(full.time, 6);
        expect(fast.bottleneck).toBe(full.bottleneck);
        const { simulated_tiles: fs, timeline: ft, ...fd } = fast.detail;
        const { simulated_tiles: us, timeline: ut, ...ud } = full.detail;
        expect(fs).toBeLessThanOrEqual(us);
        expect(us).toBe(full.detail.outer_tiles);
        expect(JSON.parse(JSON.stringify(fd), (_k, v) => (typeof v === 'number' ? Math.round(v * 100) / 100 : v)))
          .toEqual(JSON.parse(JSON.stringify(ud), (_k, v) => (typeof v === 'number' ? Math.round(v * 100) / 100 : v)));
        ft.levels.forEach((l, i) => expect(l.spans_total).toBe(ut.levels[i].spans_total));
        fast.moved.forEach((row, e) => row.forEach((mv, t) => {
          expect(mv.reads).toBeCloseTo(full.moved[e][t].reads, 4);
          expect(mv.fills).toBeCloseTo(full.moved[e][t].fills, 4);
          expect(mv.updates).toBeCloseTo(full.moved[e][t].updates, 4);
        }));
      }),
      { numRuns: 80 },
    );
    // The comparison is not vacuous: extrapolation actually happened in many of the cases.
    expect(extrapolated).toBeGreaterThan(10);
  });
});
