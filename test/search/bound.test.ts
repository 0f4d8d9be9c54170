import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Rng } from '../../src/core/rng.ts';
import { boundContext, lowerBound } from '../../src/search/bound.ts';
import { capacityViolation, innerProducts } from '../../src/search/mapspace/capacity.ts';
import { toMapping } from '../../src/search/mapspace/point.ts';
import { randomPoint } from '../../src/search/mapspace/sample.ts';
import { evaluate } from '../../src/model/evaluate.ts';
import { microArch, setup, smallSnn, tinyArch, tinyConv, tinySnn } from './fixtures.ts';

const cases = [
  ['snn on tiny', tinyArch, tinySnn],
  ['small snn on tiny', tinyArch, smallSnn],
  ['conv on tiny', tinyArch, tinyConv],
  ['conv on micro', microArch, tinyConv],
] as const;

describe('lower bound and capacity pre-check', () => {
  for (const [name, a, w] of cases) {
    it(`never exceed the model (${name})`, () => {
      const { space, evaluator } = setup(a, w);
      const ctx = boundContext(space);
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
          const p = randomPoint(space, new Rng(seed));
          if (!p) return;
          const r = evaluator(toMapping(space, p));
          const cap = capacityViolation(space, innerProducts(space, p.tiling), p.keep);
          if (cap) {
            // The pre-check only rejects what the model rejects.
            expect(r.status).toBe('invalid');
            if (r.status === 'invalid') expect(r.stage).toBe('capacity');
            return;
          }
          if (r.status !== 'ok') return;
          const b = lowerBound(space, ctx, p.tiling, p.keep);
          expect(b.energy_pJ).toBeLessThanOrEqual(r.totals.energy_pJ * (1 + 1e-12));
          expect(b.cycles).toBeLessThanOrEqual(r.totals.cycles);
          expect(b.offchip_bytes).toBeLessThanOrEqual(r.totals.offchip_bytes * (1 + 1e-12));
        }),
        { numRuns: 300 },
      );
    });
  }

  it('pre-check capacity usage never exceeds the model utilized capacity', () => {
    const { space } = setup(tinyArch, smallSnn);
    const rng = new Rng(7);
    let checked = 0;
    for (let i = 0; i < 200; i++) {
      const p = randomPoint(space, rng);
      if (!p) continue;
      const r = evaluate(tinyArch, smallSnn, toMapping(space, p));
      if (r.status === 'ok') checked++;
    }
    expect(checked).toBeGreaterThan(0);
  });
});
