// Conservation: every output line of every layer is computed exactly once per time batch, the buffer never exceeds
// its capacity, every produced line is consumed by all its consumers (the evaluator checks this and fails
// otherwise), the on-chip work is the same for every schedule, and the fold of block runs is the full evaluation.
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { splitUnfit } from '../../src/schedule/block-sim.ts';
import { buildBlockPlan, linesOf } from '../../src/schedule/plan.ts';
import { evaluateSchedule, scheduleTotals } from '../../src/schedule/simulate.ts';
import type { BlockSchedule, StatePlacement } from '../../src/schedule/types.ts';
import { arch, flatCost, net, sim } from './fixtures.ts';

const SEW = net(readFileSync(join(import.meta.dirname, '..', '..', 'workloads', 'sew-resnet-7plif.yaml'), 'utf8'), 'sew.yaml');

// Three 3x3 convs with padding (halos between fused layers), then a residual add and a pool.
const HALO = `network:
  name: halo
  timesteps: 4
  defaults: { precision: { weights: 2, state: 4, psum: 4, spikes: 1 } }
  input: { name: x, shape: [2, 12, 6], bits: 1 }
  layers:
    - { name: c1, op: conv, input: x, channels: 3, kernel: 3, padding: 1 }
    - { name: c2, op: conv, input: c1, channels: 3, kernel: 3, padding: 1 }
    - { name: c3, op: conv, input: c2, channels: 3, kernel: 3, padding: 1 }
    - { name: s, op: add, inputs: [c1, c3] }
    - { name: p, op: pool, input: s, kernel: 2 }
  blocks:
    - { name: b0, layers: [c1, c2] }
    - { name: b1, layers: [c3, s, p] }
`;

const blockArb = (T: number, maxRows: number): fc.Arbitrary<BlockSchedule> =>
  fc.record({
    timeBatch: fc.constantFrom(...[1, 2, 4, 8, 16].filter((b) => T % b === 0)),
    tileRows: fc.option(fc.integer({ min: 1, max: maxRows }), { nil: null }),
    tileAxis: fc.constantFrom('rows' as const, 'cols' as const),
  });

describe('schedule conservation', () => {
  it('every output line of every layer is computed exactly once per time batch, for any block choice', () => {
    const n = net(HALO);
    fc.assert(
      fc.property(blockArb(4, 5), fc.integer({ min: 1, max: 16 }), fc.integer({ min: 0, max: 1 }), (block, whole, bi) => {
        const axis = block.tileAxis!;
        const plan = buildBlockPlan(n, bi, block, axis, n.layers.map(() => whole));
        const seen = new Map<string, number>();
        for (let i = 0; i < plan.length; i++) {
          for (let r = plan.lo[i]; r <= plan.hi[i]; r++) {
            const k = `${plan.layer[i]}|${plan.batch[i]}|${r}`;
            seen.set(k, (seen.get(k) ?? 0) + 1);
          }
        }
        const expected = n.blocks[bi].layers.reduce((s, li) => s + linesOf(n.layers[li], axis) * (4 / block.timeBatch), 0);
        expect(seen.size).toBe(expected);
        expect([...seen.values()].every((c) => c === 1)).toBe(true);
      }),
      { numRuns: 80 },
    );
  });

  it('halo network: buffer within capacity, every spike consumed, the same executed ops for any schedule', () => {
    const n = net(HALO);
    let ops: number | undefined;
    fc.assert(
      fc.property(fc.array(blockArb(4, 5), { minLength: 2, maxLength: 2 }), fc.integer({ min: 150, max: 4000 }), (blocks, cap) => {
        const r = evaluateSchedule(n, arch(cap), { blocks }, flatCost);
        if (!r.ok) throw new Error(r.reason);
        expect(r.result.totals.peak_onchip_bytes * 8).toBeLessThanOrEqual(cap);
        ops ??= r.result.totals.computes;
        expect(r.result.totals.computes).toBeCloseTo(ops, 6);
      }),
      { numRuns: 60 },
    );
  });

  it('the fold of block runs (the search fast path) gives the totals of the full evaluation', () => {
    const n = net(HALO);
    fc.assert(
      fc.property(fc.array(blockArb(4, 5), { minLength: 2, maxLength: 2 }), fc.integer({ min: 150, max: 4000 }), (blocks, cap) => {
        const s = sim(n, arch(cap));
        const full = evaluateSchedule(n, arch(cap), { blocks }, s);
        const fast = scheduleTotals(s, { blocks });
        if (!full.ok || 'error' in fast) throw new Error('evaluation failed');
        expect(fast.energy_pJ).toBeCloseTo(full.result.totals.energy_pJ, 6);
        expect(fast.cycles).toBeCloseTo(full.result.totals.cycles, 6);
        expect(fast.offchip_bytes).toBeCloseTo(full.result.totals.offchip_bytes, 6);
        // per-layer results add up to the totals
        expect(full.result.layers.reduce((a, l) => a + l.energy_pJ, 0)).toBeCloseTo(full.result.totals.energy_pJ, 6);
        expect(full.result.levels.reduce((a, l) => a + l.energy_pJ, 0) + Object.values(full.result.compute).reduce((a, c) => a + c.energy_pJ, 0)).toBeCloseTo(full.result.totals.energy_pJ, 4);
      }),
      { numRuns: 40 },
    );
  });

  it('with a large buffer fused and whole-layer halo schedules move only compulsory bytes', () => {
    const n = net(HALO);
    const sizes = new Set<number>();
    for (const tileRows of [null, 1, 2, 5]) for (const timeBatch of [1, 4]) for (const tileAxis of ['rows', 'cols'] as const) {
      const r = evaluateSchedule(n, arch(1e7), { blocks: [{ timeBatch, tileRows, tileAxis }, { timeBatch, tileRows, tileAxis }] }, flatCost);
      if (!r.ok) throw new Error(r.reason);
      sizes.add(r.result.totals.offchip_bytes);
    }
    // weights 2 x (3*2*9) + 3*3*9 + 3*3*9 at 2 bits; input 2*12*6*4 bits; pool output 3*6*3*4 bits
    expect([...sizes]).toEqual([(2 * (54 + 81 + 81) + 2 * 12 * 6 * 4 + 3 * 6 * 3 * 4) / 8]);
  });

  it('SEW with a 128 KB buffer: random per-block schedules and state placements stay within capacity', () => {
    const gb = 128 * 1024 * 8;
    const placements: StatePlacement[] = ['auto', 'spill', 'stateless'];
    const s = sim(SEW, arch(gb));
    fc.assert(
      fc.property(fc.array(blockArb(16, 4), { minLength: 7, maxLength: 7 }), fc.constantFrom(...placements), (blocks, place) => {
        const withState = blocks.map((b, i) => ({ ...b, state: Object.fromEntries(SEW.blocks[i].layers.filter((li) => SEW.layers[li].stateful).map((li) => [li, place])) }));
        const r = evaluateSchedule(SEW, arch(gb), { blocks: withState }, s);
        if (!r.ok) throw new Error(r.reason);
        expect(r.result.totals.peak_onchip_bytes * 8).toBeLessThanOrEqual(gb);
        for (const o of r.result.occupancy ?? []) expect(o.bytes * 8).toBeLessThanOrEqual(gb);
      }),
      { numRuns: 8 },
    );
  });
});

describe('chunks that do not fit', () => {
  it('are split into halves down to single lines, covering the same lines in the same order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 9 }), (sizes, maxFit) => {
        let lo = 0;
        const L: number[] = [];
        const LO: number[] = [];
        const HI: number[] = [];
        for (const n of sizes) {
          L.push(0);
          LO.push(lo);
          HI.push(lo + n - 1);
          lo += n;
        }
        const plan = { layer: Int32Array.from(L), batch: new Int32Array(L.length), lo: Int32Array.from(LO), hi: Int32Array.from(HI), length: L.length };
        const out = splitUnfit(plan, (_, n) => n <= maxFit);
        const lines: number[] = [];
        for (let i = 0; i < out.length; i++) {
          const n = out.hi[i] - out.lo[i] + 1;
          expect(n === 1 || n <= maxFit).toBe(true);
          for (let r = out.lo[i]; r <= out.hi[i]; r++) lines.push(r);
        }
        expect(lines).toEqual([...Array(lo).keys()]);
      }),
    );
  });
});
