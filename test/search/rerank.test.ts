// Re-ranking (search/rerank.ts): the best candidates of a roofline-scored search, evaluated again with the pipeline
// timing model and sorted by the objective on those totals, can have another winner.
import { describe, expect, it } from 'vitest';
import { modelEvaluator, pipelineReranker } from '../../src/cli/search-evaluator.ts';
import { buildMapSpace } from '../../src/search/mapspace/space.ts';
import { toMapping } from '../../src/search/mapspace/point.ts';
import { runSearch } from '../../src/search/plan.ts';
import { rerank } from '../../src/search/rerank.ts';
import type { Reranker } from '../../src/search/types.ts';
import { snnConv } from '../helpers/build.ts';
import { microArch, objective, setup, shippedArch, shippedWorkload } from './fixtures.ts';

describe('re-ranking with a detailed model', () => {
  it('sorts by the detailed totals and keeps both (a stub model that reverses the order changes the winner)', () => {
    const { space, evaluator } = setup(microArch, snnConv({ T: 2, K: 2, P: 2, C: 2 }));
    const o = objective('energy');
    const res = runSearch(space, evaluator, { strategy: 'exhaustive', objective: o, pareto: false, seed: 1, keepTop: 4 });
    expect(res.top.length).toBe(4);
    for (let i = 1; i < 4; i++) expect(res.top[i].totals.energy_pJ).toBeGreaterThanOrEqual(res.top[i - 1].totals.energy_pJ);
    // a detailed model that ranks the search's 4 best in reverse
    const keys = res.top.map((e) => JSON.stringify(toMapping(space, e.point)));
    const reversed: Reranker = (m) => {
      const r = evaluator(m);
      return r.status === 'ok' ? { status: 'ok', totals: { ...r.totals, energy_pJ: 100 - keys.indexOf(JSON.stringify(m)) } } : r;
    };
    const rr = rerank(space, o, res.top, reversed);
    expect(rr.winnerChanged).toBe(true);
    expect(rr.best!.rankBefore).toBe(3);
    expect(rr.candidates.map((c) => c.rankAfter)).toEqual([3, 2, 1, 0]);
  });

  it('the pipeline timing model picks another winner among roofline ties (fc-snn on two-level, cycles)', () => {
    const a = shippedArch('arch-specs/two-level.yaml');
    const w = shippedWorkload('workloads/fc-snn.yaml');
    const space = buildMapSpace(a, w);
    const o = objective('cycles');
    const res = runSearch(space, modelEvaluator(a, w), { strategy: 'anneal', objective: o, pareto: false, seed: 1, maxEvals: 3000, keepTop: 10 });
    const rr = rerank(space, o, [...res.top, res.best!], pipelineReranker(a, w));
    const ok = rr.candidates.filter((c) => c.detailed);
    expect(ok.length).toBeGreaterThan(1);
    // pipeline >= roofline, and the new winner has the fewest pipeline cycles
    for (const c of ok) expect(c.detailed!.cycles).toBeGreaterThanOrEqual(c.search.cycles);
    for (const c of ok) expect(rr.best!.detailed!.cycles).toBeLessThanOrEqual(c.detailed!.cycles);
    expect(rr.winnerChanged).toBe(true);
    const before = rr.candidates.find((c) => c.rankBefore === 0)!;
    expect(rr.best!.detailed!.cycles).toBeLessThan(before.detailed!.cycles);
  });
});
