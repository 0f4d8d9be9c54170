/**
 * The warm start of an exhaustive search: a short deterministic anneal (chain 0 of the seed) whose best points give
 * the first incumbent, so the bound prunes from the first tiling on. Its entries carry the index [+Infinity, step]:
 * they lose every tie to an enumerated candidate, so a finished exhaustive search reports an enumerated point.
 */
import { Explorer } from './explorer.ts';
import type { Point } from './mapspace/point.ts';
import type { MapSpace } from './mapspace/space.ts';
import type { Objective } from './objective.ts';
import type { FrontEntry } from './pareto.ts';
import type { RankEntry } from './ranking.ts';
import { chainTask } from './strategies/anneal.ts';
import type { Evaluator } from './types.ts';

export interface Seeds {
  readonly ranked: readonly RankEntry<Point>[];
  readonly front: readonly FrontEntry<Point>[];
  /** Evaluations the warm start spent. */
  readonly evaluated: number;
}

export function warmStart(space: MapSpace, evaluator: Evaluator, objective: Objective, pareto: boolean, budget: number, seed: number): Seeds {
  const ex = new Explorer(space, evaluator, objective, pareto);
  const task = chainTask(ex, { mode: 'anneal', seed, chain: 0, budget });
  while (!task.step(4096));
  const last = <E extends { index: readonly [number, number] }>(e: E): E => ({ ...e, index: [Infinity, e.index[1]] as const });
  return { ranked: ex.ranking.entries().map(last), front: ex.front ? ex.front.list().map(last) : [], evaluated: ex.stats.evaluated };
}
