// The port model (src/model/pipeline/ports.ts): busy intervals after a horizon, placement into free gaps.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Port, unionIn } from '../../../src/model/pipeline/ports.ts';

const intervals = (p: Port): [number, number][] => Array.from({ length: p.n }, (_, i) => [p.starts[i], p.ends[i]]);

describe('Port', () => {
  it('fills the gaps left by earlier placements, from the release on (hand-computed)', () => {
    const p = new Port(0, 8, 0);
    p.place(2, 3, Infinity, 0); // [2,5]
    p.place(8, 2, Infinity, 1); // [8,10]
    // Released at 0 with 6 cycles of work: [0,2] + [5,8] + [10,11].
    p.place(0, 6, Infinity, 2);
    expect(p.end).toBe(11);
    expect(p.taken).toBe(6);
    expect(intervals(p)).toEqual([[0, 2], [2, 5], [5, 8], [8, 10], [10, 11]]);
    // Capped at a limit: takes what is free before it.
    p.place(0, 5, 13, 2);
    expect(p.taken).toBe(2);
    expect(p.end).toBe(13);
    // Truncation drops what lies before the horizon; nothing may be placed before it afterwards.
    p.truncate(9);
    expect(intervals(p)[0]).toEqual([9, 10]);
    expect(() => p.place(5, 1, Infinity, 0)).toThrow(/horizon/);
  });

  it('keeps disjoint sorted intervals and places exactly the work asked (random placements)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 0, max: 2 }), fc.boolean()), { maxLength: 40 }), (ops) => {
        const p = new Port(0, 1, 0);
        let total = 0;
        for (const [from, work, tag, capped] of ops) {
          const limit = capped ? from + work + 3 : Infinity;
          p.place(from, work, limit, tag);
          expect(p.taken).toBeGreaterThanOrEqual(0);
          expect(p.taken).toBeLessThanOrEqual(work + 1e-9);
          if (!capped) expect(p.taken).toBeCloseTo(work, 9);
          total += p.taken;
          for (let i = 0; i < p.n; i++) {
            expect(p.starts[i]).toBeLessThan(p.ends[i]);
            if (i > 0) expect(p.starts[i]).toBeGreaterThanOrEqual(p.ends[i - 1]);
          }
        }
        const busy = intervals(p).reduce((a, [s, e]) => a + e - s, 0);
        expect(busy).toBeCloseTo(total, 6);
        expect(unionIn([p], 0, Infinity, { buf: new Float64Array(4) })).toBeCloseTo(total, 6);
      }),
      { numRuns: 200 },
    );
  });
});
