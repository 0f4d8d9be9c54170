// Objectives: lexicographic with a tolerance is defined against the global best (a band), so the winner does not
// depend on the order candidates come in; weighted is a product of powers; the evaluator's output is checked.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { objectiveVector, parseObjective } from '../../src/search/objective.ts';
import { Ranking } from '../../src/search/ranking.ts';
import { runSearch } from '../../src/search/plan.ts';
import type { Evaluator, SearchTotals } from '../../src/search/types.ts';
import { snnConv } from '../helpers/build.ts';
import { microArch, objective, setup } from './fixtures.ts';

const t = (energy_pJ: number, cycles: number, offchip_bytes = 0): SearchTotals => ({ energy_pJ, cycles, offchip_bytes });

describe('objectives', () => {
  it('lexicographic with tolerance: the band around the best first metric, then the next metric (any arrival order)', () => {
    // The audit's example: pairwise "within 5 % of each other" is not transitive (B < A, C < B, A < C).
    const o = objective('energy,cycles', 0.05);
    const cands = [t(100, 10), t(104, 5), t(108, 1)];
    fc.assert(
      fc.property(fc.shuffledSubarray([0, 1, 2], { minLength: 3, maxLength: 3 }), (order) => {
        const r = new Ranking<number>(o);
        for (const i of order) r.offer({ vec: objectiveVector(o, cands[i]), totals: cands[i], index: [i, 0], point: i });
        // band: energy <= 105 (A and B); fewest cycles in it: B
        expect(r.best()!.point).toBe(1);
      }),
    );
  });

  it('lexicographic with tolerance: merging per-task rankings gives the same winner as one ranking', () => {
    const o = objective('energy,cycles', 0.1);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 90, max: 130 }), fc.integer({ min: 1, max: 50 })), { minLength: 1, maxLength: 30 }), fc.integer({ min: 1, max: 4 }), (xs, parts) => {
        const all = new Ranking<number>(o);
        const split = Array.from({ length: parts }, () => new Ranking<number>(o));
        xs.forEach(([e, c], i) => {
          const e1 = { vec: objectiveVector(o, t(e, c)), totals: t(e, c), index: [i, 0] as const, point: i };
          all.offer(e1);
          split[i % parts].offer(e1);
        });
        const merged = new Ranking<number>(o);
        for (const s of split) for (const e of s.entries()) merged.offer(e);
        expect(merged.best()!.point).toBe(all.best()!.point);
        // and it is the band rule computed directly
        const min = Math.min(...xs.map(([e]) => e));
        const band = xs.map(([e, c], i) => ({ e, c, i })).filter((x) => x.e <= min * 1.1);
        band.sort((a, b) => a.c - b.c || a.e - b.e || a.i - b.i);
        expect(all.best()!.point).toBe(band[0].i);
      }),
    );
  });

  it('weighted: a product of powers (energy:1,cycles:1 ranks like EDP)', () => {
    const w = objective('energy:1,cycles:1');
    const edp = objective('edp');
    const xs = [t(10, 30), t(20, 10), t(5, 70)];
    const rw = new Ranking<number>(w);
    const re = new Ranking<number>(edp);
    xs.forEach((x, i) => {
      rw.offer({ vec: objectiveVector(w, x), totals: x, index: [i, 0], point: i });
      re.offer({ vec: objectiveVector(edp, x), totals: x, index: [i, 0], point: i });
    });
    expect(rw.best()!.point).toBe(1);
    expect(re.best()!.point).toBe(1);
  });

  it('rejects a tolerance where it has no meaning', () => {
    expect(parseObjective('energy', 0.1)).toMatch(/two or more metrics/);
    expect(parseObjective('energy:1,cycles:1', 0.1)).toMatch(/lexicographic/);
    expect(parseObjective('energy,cycles', 1)).toMatch(/tolerance/);
  });
});

describe('evaluator invariant check', () => {
  const { space, evaluator } = setup(microArch, snnConv({ T: 2, K: 2, P: 2 }));
  const o = objective('energy');
  it('an evaluator returning a negative count stops the search as an internal error', () => {
    const broken: Evaluator = (m) => {
      const r = evaluator(m);
      return r.status === 'ok' ? { status: 'ok', totals: { ...r.totals, offchip_bytes: -1 } } : r;
    };
    expect(() => runSearch(space, broken, { strategy: 'anneal', objective: o, pareto: false, seed: 1, maxEvals: 50 })).toThrow(/internal invariant violated.*negative/);
  });
  it('an evaluator returning less than the lower bound stops exhaustive search as an internal error', () => {
    const broken: Evaluator = (m) => {
      const r = evaluator(m);
      return r.status === 'ok' ? { status: 'ok', totals: { ...r.totals, energy_pJ: r.totals.energy_pJ / 100 } } : r;
    };
    expect(() => runSearch(space, broken, { strategy: 'exhaustive', objective: o, pareto: false, seed: 1 })).toThrow(/internal invariant violated.*lower bound/);
  });
});
