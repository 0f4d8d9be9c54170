// Exhaustive search finds the brute-force optimum (every tiling x keep x permutation of every level), says optimal,
// and its result does not depend on pruning, on the warm start, on sharding, or (with a cap) on how many shards
// share the work.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { keepChoice, keepChoices, tilings } from '../../src/search/mapspace/enumerate.ts';
import { toMapping, type Point } from '../../src/search/mapspace/point.ts';
import type { MapSpace } from '../../src/search/mapspace/space.ts';
import { compareVectors, objectiveVector, type Objective } from '../../src/search/objective.ts';
import { runSearch } from '../../src/search/plan.ts';
import type { Evaluator, SearchTotals } from '../../src/search/types.ts';
import { conv, snnConv } from '../helpers/build.ts';
import { microArch, objective, setup, tinyArch } from './fixtures.ts';

function* perms(xs: number[]): Generator<number[]> {
  if (xs.length <= 1) return yield [...xs];
  for (let i = 0; i < xs.length; i++) for (const p of perms([...xs.slice(0, i), ...xs.slice(i + 1)])) yield [xs[i], ...p];
}

/** Every tiling x keep x every permutation of every level (no classes, no pruning). */
function bruteForce(space: MapSpace, ev: Evaluator, o: Objective): { best?: SearchTotals; count: number } {
  let best: SearchTotals | undefined;
  let count = 0;
  const S = space.slots.length;
  const D = space.dims;
  for (const tiling of tilings(space)) {
    for (let k = 0; k < keepChoices(space); k++) {
      const keep = keepChoice(space, k);
      if (!keep) continue;
      const levelPerms = Array.from({ length: space.levels }, (_, l) => [...perms([...Array(D).keys()].filter((d) => tiling[d * S + l] > 1))]);
      const orders = new Uint8Array(space.levels * D);
      const rec = (l: number): void => {
        if (l === space.levels) {
          count++;
          const p: Point = { tiling, keep, orders };
          const r = ev(toMapping(space, p));
          if (r.status === 'ok' && (!best || compareVectors(o, objectiveVector(o, r.totals), objectiveVector(o, best)) < 0)) best = { ...r.totals, offchip_bytes_by_tensor: Array.from(r.totals.offchip_bytes_by_tensor!) };
          return;
        }
        for (const perm of levelPerms[l]) {
          const full = [...perm, ...[...Array(D).keys()].filter((d) => !perm.includes(d))];
          full.forEach((d, i) => (orders[l * D + i] = d));
          rec(l + 1);
        }
      };
      rec(0);
    }
  }
  return { best, count };
}

const layers = [
  ['conv K2 P4 R2', conv({ K: 2, P: 4, R: 2 })],
  ['snn T2 K2 P2', snnConv({ T: 2, K: 2, P: 2 })],
  ['snn T2 K2 P2 R2 (sliding window)', snnConv({ T: 2, K: 2, P: 2, R: 2 })],
] as const;

describe('exhaustive search', () => {
  for (const [name, w] of layers) {
    for (const obj of ['energy', 'edp', 'offchip,energy', 'cycles,energy']) {
      it(`finds the brute-force optimum and says optimal (${name}, ${obj})`, () => {
        const { space, evaluator } = setup(microArch, w);
        const o = objective(obj);
        const brute = bruteForce(space, evaluator, o);
        const r = runSearch(space, evaluator, { strategy: 'exhaustive', objective: o, pareto: false, seed: 1 });
        expect(brute.best).toBeDefined();
        expect(r.optimal).toBe(true);
        expect(Array.from(objectiveVector(o, r.best!.totals))).toEqual(Array.from(objectiveVector(o, brute.best!)));
        // The class-collapsed space is never larger than the brute-force one.
        expect(r.stats.considered).toBeLessThanOrEqual(brute.count);
      });
    }
  }

  it('pruning and the warm start never change the optimum (random layers and objectives)', () => {
    fc.assert(
      fc.property(
        fc.record({ K: fc.constantFrom(1, 2, 4), C: fc.constantFrom(1, 2), P: fc.constantFrom(1, 2, 3), R: fc.constantFrom(1, 2) }),
        fc.constantFrom('energy', 'cycles', 'edp', 'offchip', 'energy:1,offchip:2', 'cycles,energy'),
        fc.boolean(),
        (sizes, obj, snn) => {
          const w = snn ? snnConv({ T: 2, ...sizes }) : conv(sizes);
          const { space, evaluator } = setup(microArch, w);
          const o = objective(obj);
          const a = runSearch(space, evaluator, { strategy: 'exhaustive', objective: o, pareto: false, seed: 1, warmStart: 40 });
          const b = runSearch(space, evaluator, { strategy: 'exhaustive', objective: o, pareto: false, seed: 1, prune: false });
          expect(b.stats.pruned).toBe(0);
          expect(a.optimal && b.optimal).toBe(true);
          expect(a.best?.index).toEqual(b.best?.index);
          expect(a.best?.totals).toEqual(b.best?.totals);
          // without subtree cuts every candidate is accounted for
          if (a.stats.prunedSubtrees === 0) expect(a.stats.considered).toBe(b.stats.considered);
        },
      ),
      { numRuns: 20 },
    );
  });

  it('sharding does not change the optimum, and the Pareto front is identical', () => {
    const { space, evaluator } = setup(microArch, snnConv({ T: 2, K: 2, P: 2, C: 2 }));
    const o = objective('edp');
    const one = runSearch(space, evaluator, { strategy: 'exhaustive', objective: o, pareto: true, seed: 1 });
    const three = runSearch(space, evaluator, { strategy: 'exhaustive', objective: o, pareto: true, seed: 1, shards: 3, warmStart: 30 });
    const none = runSearch(space, evaluator, { strategy: 'exhaustive', objective: o, pareto: true, seed: 1, prune: false });
    expect(three.best?.index).toEqual(one.best?.index);
    expect(three.best?.totals).toEqual(one.best?.totals);
    expect(three.front.map((f) => f.totals)).toEqual(one.front.map((f) => f.totals));
    expect(none.front.map((f) => f.totals)).toEqual(one.front.map((f) => f.totals));
    expect(one.front.length).toBeGreaterThan(0);
  });

  it('a cap covers the first candidates of the enumeration, whatever the number of shards', () => {
    const { space, evaluator } = setup(tinyArch, snnConv({ T: 2, K: 2, C: 2, P: 2, R: 2 }));
    const o = objective('energy');
    for (const cap of [50, 333, 2000]) {
      const one = runSearch(space, evaluator, { strategy: 'exhaustive', objective: o, pareto: false, seed: 1, maxEvals: cap });
      const four = runSearch(space, evaluator, { strategy: 'exhaustive', objective: o, pareto: false, seed: 1, maxEvals: cap, shards: 4 });
      const unpruned = runSearch(space, evaluator, { strategy: 'exhaustive', objective: o, pareto: false, seed: 1, maxEvals: cap, shards: 2, prune: false });
      expect(one.stats.considered).toBe(cap);
      expect(four.stats.considered).toBe(cap);
      expect(four.best?.totals).toEqual(one.best?.totals);
      expect(four.best?.index).toEqual(one.best?.index);
      expect(unpruned.best?.index).toEqual(one.best?.index);
      expect(one.optimal).toBe(false);
    }
  });
});
