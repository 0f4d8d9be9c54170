/**
 * Re-ranking the best candidates with a detailed model (`search --rerank N`): the search scores with the fast
 * roofline model; its N best candidates and its Pareto front are evaluated again by an injected `Reranker` (the
 * pipeline timing model in the CLI) and sorted by the objective on those totals. Both sets of totals are kept, so
 * a report can show how the order changed.
 */
import { toMapping, type Point } from './mapspace/point.ts';
import type { MapSpace } from './mapspace/space.ts';
import { compareVectors, isTotalOrder, objectiveVector, type Objective } from './objective.ts';
import { compareIndex } from './pareto.ts';
import { bandWinner, type RankEntry } from './ranking.ts';
import type { Reranker, SearchTotals } from './types.ts';

export interface RerankedCandidate {
  readonly point: Point;
  readonly index: readonly [number, number];
  /** Totals under the search's model. */
  readonly search: SearchTotals;
  /** Totals under the detailed model, or why it rejects the mapping. */
  readonly detailed?: SearchTotals;
  readonly invalid?: string;
  /** Place (0 = best) by the search's totals, and by the detailed ones. */
  readonly rankBefore: number;
  rankAfter: number;
}

export interface RerankResult {
  readonly candidates: readonly RerankedCandidate[];
  /** The best candidate by the detailed model. */
  readonly best?: RerankedCandidate;
  /** Whether the detailed model prefers another candidate than the search's best. */
  readonly winnerChanged: boolean;
}

function samePoint(a: Point, b: Point): boolean {
  const eq = (x: ArrayLike<number>, y: ArrayLike<number>): boolean => {
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
    return true;
  };
  return eq(a.tiling, b.tiling) && eq(a.orders, b.orders) && eq(a.keep, b.keep);
}

/** Entries by the objective (band winner first for an objective with a tolerance), ties to the earlier index. */
function sortEntries<E extends { vec: ArrayLike<number>; index: readonly [number, number] }>(o: Objective, xs: readonly E[]): E[] {
  const lex = isTotalOrder(o) ? o : { ...o, tolerance: 0 };
  const sorted = [...xs].sort((a, b) => compareVectors(lex, a.vec, b.vec) || compareIndex(a.index[0], a.index[1], b.index));
  if (isTotalOrder(o) || sorted.length === 0) return sorted;
  const w = bandWinner(o, sorted.map((e) => ({ vec: Float64Array.from(e.vec), totals: { energy_pJ: 0, cycles: 0, offchip_bytes: 0 }, index: e.index, point: e })));
  return w ? [w.point, ...sorted.filter((e) => e !== w.point)] : sorted;
}

export function rerank(space: MapSpace, o: Objective, entries: readonly RankEntry<Point>[], reranker: Reranker): RerankResult {
  const unique: RankEntry<Point>[] = [];
  for (const e of entries) if (!unique.some((u) => samePoint(u.point, e.point))) unique.push(e);
  const before = sortEntries(o, unique);
  const candidates: RerankedCandidate[] = before.map((e, rank) => {
    const r = reranker(toMapping(space, e.point));
    return r.status === 'ok'
      ? { point: e.point, index: e.index, search: e.totals, detailed: r.totals, rankBefore: rank, rankAfter: -1 }
      : { point: e.point, index: e.index, search: e.totals, invalid: `${r.stage}${r.level ? ` at ${r.level}` : ''}: ${r.reason}`, rankBefore: rank, rankAfter: -1 };
  });
  const ok = candidates.filter((c) => c.detailed).map((c) => ({ c, vec: objectiveVector(o, c.detailed!), index: c.index }));
  const after = sortEntries(o, ok);
  after.forEach((x, i) => (x.c.rankAfter = i));
  const best = after[0]?.c;
  return { candidates, best, winnerChanged: best !== undefined && best.rankBefore !== 0 };
}
