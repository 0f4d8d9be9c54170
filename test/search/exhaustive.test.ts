import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { conv, snnConv } from '../helpers/build.ts';
import { keepChoice, keepChoices, tilings } from '../../src/search/mapspace/enumerate.ts';
import { toMapping } from '../../src/search/mapspace/point.ts';
import type { MapSpace } from '../../src/search/mapspace/space.ts';
import { compareTotals, type Objective } from '../../src/search/objective.ts';
import { runSearch } from '../../src/search/plan.ts';
import type { Evaluator, SearchTotals } from '../../src/search/types.ts';
import { microArch, objective, setup } from './fixtures.ts';

function* perms(xs: number[]): Generator<number[]> {
  if (xs.length <= 1) return yield [...xs];
  for (let i = 0; i < xs.length; i++) for (const p of perms([...xs.slice(0, i), ...xs.slice(i + 1)])) yield [xs[i], ...p];
}

/** Every tiling x keep x every permutation of every level (no canonicalization, no pruning). */
function bruteForce(space: MapSpace, ev: Evaluator, o: Objective): { best?: SearchTotals; count: number } {
  let best: SearchTotals | undefined;
  let count = 0;
  for (const tiling of tilings(space)) {
    for (let k = 0; k < keepChoices(space); k++) {
      const keep = keepChoice(space, k);
      if (!keep) continue;
      const levelPerms = Array.from({ length: space.levels }, (_, l) => [...perms([...Array(space.dims).keys()].filter((d) => tiling[d][l] > 1))]);
      const rec = (l: number, orders: number[][]): void => {
        if (l === space.levels) {
          count++;
          const r = ev(toMapping(space, { tiling, keep, orders }));
          if (r.status === 'ok' && (!best || compareTotals(o, r.totals, best) < 0)) best = r.totals;
          return;
        }
        for (const p of levelPerms[l]) rec(l + 1, [...orders, p]);
      };
      rec(0, []);
    }
  }
  return { best, count };
}

const layers = [
  ['conv K2 P4 R2', conv({ K: 2, P: 4, R: 2 })],
  ['snn T2 K2 P2', snnConv({ T: 2, K: 2, P: 2 })],
] as const;

describe('exhaustive search', () => {
  for (const [name, w] of layers) {
    for (const obj of ['energy', 'edp', 'offchip,energy']) {
      it(`finds the brute-force optimum and says optimal (${name}, ${obj})`, () => {
        const { space, evaluator } = setup(microArch, w);
        const o = objective(obj);
        const brute = bruteForce(space, evaluator, o);
        const r = runSearch(space, evaluator, { strategy: 'exhaustive', objective: o, pareto: false, seed: 1 });
        expect(brute.best).toBeDefined();
        expect(r.optimal).toBe(true);
        expect(compareTotals(o, r.best!.totals, brute.best!)).toBe(0);
        expect(r.best!.totals.energy_pJ).toBeCloseTo(brute.best!.energy_pJ, 6);
        // The canonical space is never larger than the brute-force one.
        expect(r.stats.considered).toBeLessThanOrEqual(brute.count);
      });
    }
  }

  it('pruning never changes the optimum (random layers and objectives)', () => {
    fc.assert(
      fc.property(
        fc.record({ K: fc.constantFrom(1, 2, 4), C: fc.constantFrom(1, 2), P: fc.constantFrom(1, 2, 3), R: fc.constantFrom(1, 2) }),
        fc.constantFrom('energy', 'cycles', 'edp', 'offchip', 'energy:1,offchip:2', 'cycles,energy'),
        fc.boolean(),
        (sizes, obj, snn) => {
          const w = snn ? snnConv({ T: 2, ...sizes }) : conv(sizes);
          const { space, evaluator } = setup(microArch, w);
          const o = objective(obj);
          const a = runSearch(space, evaluator, { strategy: 'exhaustive', objective: o, pareto: false, seed: 1 });
          const b = runSearch(space, evaluator, { strategy: 'exhaustive', objective: o, pareto: false, seed: 1, prune: false });
          expect(b.stats.pruned).toBe(0);
          expect(a.best?.index).toEqual(b.best?.index);
          expect(a.best?.totals).toEqual(b.best?.totals);
          expect(a.stats.considered).toBe(b.stats.considered);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('sharding (threads) does not change the optimum, and the Pareto front is identical', () => {
    const { space, evaluator } = setup(microArch, snnConv({ T: 2, K: 2, P: 2, C: 2 }));
    const o = objective('edp');
    const one = runSearch(space, evaluator, { strategy: 'exhaustive', objective: o, pareto: true, seed: 1 });
    const three = runSearch(space, evaluator, { strategy: 'exhaustive', objective: o, pareto: true, seed: 1, shards: 3 });
    expect(three.best?.index).toEqual(one.best?.index);
    expect(three.best?.totals).toEqual(one.best?.totals);
    expect(three.front.map((f) => f.totals)).toEqual(one.front.map((f) => f.totals));
    expect(one.front.length).toBeGreaterThan(0);
  });
});
