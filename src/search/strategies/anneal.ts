/**
 * The fast default: one chain = random sampling to find a start, then simulated annealing over the factor / order /
 * keep neighbourhood (Metropolis acceptance on the log of the objective, geometric cooling, restarts from the best
 * point when stuck). `random` mode only samples. A chain is a pure function of (space, seed, chain index, budget),
 * so any split of chains over threads gives the same result.
 */
import { Rng } from '../../core/rng.ts';
import type { Explorer } from '../explorer.ts';
import { capacityViolation, innerProducts } from '../mapspace/capacity.ts';
import { pointKey, type Point } from '../mapspace/point.ts';
import { allowedSplits, neighbour, randomPoint } from '../mapspace/sample.ts';
import { scalarScore } from '../objective.ts';
import type { EvalResult } from '../types.ts';
import type { SearchTask } from './task.ts';

export interface ChainOptions {
  readonly mode: 'anneal' | 'random';
  readonly seed: number;
  readonly chain: number;
  /** Candidates this chain considers (evaluations, cache hits and rejections before evaluation). */
  readonly budget: number;
  /** Fraction of the budget spent on random sampling before annealing. */
  readonly sampleFraction?: number;
  readonly t0?: number;
  readonly tEnd?: number;
  /** Steps without improvement before the chain restarts from its best point. */
  readonly patience?: number;
}

const CACHE_LIMIT = 200_000;

export function chainTask(ex: Explorer, o: ChainOptions): SearchTask {
  const space = ex.space;
  const rng = new Rng(o.seed, o.chain);
  const allowed = allowedSplits(space);
  const cache = new Map<string, EvalResult>();
  const samples = o.mode === 'random' ? o.budget : Math.max(1, Math.floor(o.budget * (o.sampleFraction ?? 0.1)));
  const t0 = o.t0 ?? 0.08;
  const tEnd = o.tEnd ?? 0.002;
  const patience = o.patience ?? 400;
  let step = 0;
  let current: { p: Point; score: number } | undefined;
  let chainBest: { p: Point; score: number } | undefined;
  let sinceBest = 0;

  /** Evaluate (through the cache and the capacity pre-check); returns the objective score, or undefined if invalid. */
  const visit = (p: Point): number | undefined => {
    const index = [o.chain, step];
    step++;
    const key = pointKey(space, p);
    const hit = cache.get(key);
    if (hit) {
      ex.record(p, index, hit, true);
      return hit.status === 'ok' ? scalarScore(ex.objective, hit.totals) : undefined;
    }
    const cap = capacityViolation(space, innerProducts(space, p.tiling), p.keep);
    let r: EvalResult;
    if (cap) {
      const name = space.arch.levels[cap.level].name;
      r = { status: 'invalid', stage: 'capacity', level: name, reason: `the tiles kept at ${name} need at least ${cap.needed} bits, it holds ${cap.available}` };
      ex.rejected(r.stage, name, r.reason, 1);
    } else r = ex.consider(p, index);
    if (cache.size < CACHE_LIMIT) cache.set(key, r);
    return r.status === 'ok' ? scalarScore(ex.objective, r.totals) : undefined;
  };

  const one = (): void => {
    if (step < samples || !current) {
      const p = randomPoint(space, rng);
      if (!p) {
        step++;
        ex.rejected('constraint', undefined, 'no random tiling meets the fan-outs and the minimum PE utilization', 1);
        return;
      }
      const s = visit(p);
      if (s !== undefined && (!current || s < current.score)) current = { p, score: s };
      if (current && (!chainBest || current.score < chainBest.score)) chainBest = current;
      return;
    }
    const q = neighbour(space, current.p, rng, allowed);
    if (!q) return; // no legal move drawn: costs nothing, try again
    const s = visit(q);
    const frac = Math.min(1, (step - samples) / Math.max(1, o.budget - samples));
    const temp = t0 * Math.pow(tEnd / t0, frac);
    if (s !== undefined && (s <= current.score || rng.next() < Math.exp((current.score - s) / temp))) current = { p: q, score: s };
    if (chainBest && current.score < chainBest.score) {
      chainBest = current;
      sinceBest = 0;
    } else if (++sinceBest > patience && chainBest) {
      current = chainBest;
      sinceBest = 0;
    }
  };

  let idle = 0;
  return {
    step(budget: number): boolean {
      for (let i = 0; i < budget; i++) {
        if (step >= o.budget) return true;
        const before = step;
        one();
        // A space with no legal move at all would spin: count it as a step after a while.
        if (step === before && ++idle > 1000) {
          step++;
          idle = 0;
        }
      }
      return step >= o.budget;
    },
    complete: false,
  };
}
