import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Rng } from '../../src/core/rng.ts';
import { orderKey, orderRepresentatives } from '../../src/search/mapspace/orders.ts';
import { nonUnitOrder, orderObservers, toMapping, type Point } from '../../src/search/mapspace/point.ts';
import { randomPoint } from '../../src/search/mapspace/sample.ts';
import { microArch, setup, smallSnn, tinyArch, tinyConv, tinySnn } from './fixtures.ts';
import { snnConv } from '../helpers/build.ts';

const cases = [
  ['snn on tiny', tinyArch, tinySnn],
  ['small snn on tiny', tinyArch, smallSnn],
  ['membrane snn on tiny', tinyArch, snnConv({ T: 2, K: 2, C: 2, P: 2, R: 2 }, { accumulation: 'membrane' })],
  ['conv on tiny', tinyArch, tinyConv],
  ['conv on micro', microArch, tinyConv],
] as const;

describe('loop-order canonicalization', () => {
  for (const [name, a, w] of cases) {
    it(`every order costs the same as its class representative (${name})`, () => {
      const { space, evaluator } = setup(a, w);
      const obs = orderObservers(space);
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
          const rng = new Rng(seed);
          const p = randomPoint(space, rng);
          if (!p) return;
          // Replace each level's order by the representative of its class.
          const canon: Point = {
            ...p,
            orders: p.orders.map((_, l) => {
              const nu = nonUnitOrder(p, l);
              const key = orderKey(nu, obs);
              const rep = orderRepresentatives([...nu].sort((x, y) => x - y), obs, []).find((r) => orderKey(r, obs) === key);
              expect(rep).toBeDefined();
              return [...rep!, ...p.orders[l].filter((d) => !nu.includes(d))];
            }),
          };
          const x = evaluator(toMapping(space, p));
          const y = evaluator(toMapping(space, canon));
          expect(y.status).toBe(x.status);
          if (x.status === 'ok' && y.status === 'ok') {
            expect(y.totals.energy_pJ).toBeCloseTo(x.totals.energy_pJ, 6);
            expect(y.totals.cycles).toBe(x.totals.cycles);
            expect(y.totals.offchip_bytes).toBeCloseTo(x.totals.offchip_bytes, 6);
          }
        }),
        { numRuns: 250 },
      );
    });
  }

  it('collapses orders: fewer classes than permutations on an SNN conv level', () => {
    const { space } = setup(tinyArch, smallSnn);
    const dims = smallSnn.dims.map((_, d) => d).filter((d) => smallSnn.sizes[d] > 1);
    const reps = orderRepresentatives(dims, orderObservers(space), []);
    expect(reps.length).toBeLessThan([...Array(dims.length).keys()].reduce((f, i) => f * (i + 1), 1));
    expect(reps.length).toBeGreaterThan(1);
  });
});
