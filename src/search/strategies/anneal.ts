/**
 * The fast default: one chain = random sampling to find a start, then simulated annealing over the factor / order /
 * keep neighbourhood (Metropolis acceptance on the log of the objective, geometric cooling, restarts from the
 * chain's best point when stuck). `random` mode only samples. Cooling follows the fraction of the budget spent, or
 * of the time limit when one is set (whichever is further), so a time-limited chain still cools. Without a time
 * limit a chain is a pure function of (space, seed, chain index, budget): any split of chains over threads gives
 * the same result. Points live in preallocated typed arrays; repeats of a cost-equivalent point come from a cache.
 */
import { Rng } from '../../core/rng.ts';
import { LowerBound } from '../bound.ts';
import type { Explorer } from '../explorer.ts';
import { CapacityCheck, capacityReason } from '../mapspace/capacity.ts';
import { catalogueOf } from '../mapspace/catalogue.ts';
import { PointCache } from '../mapspace/cache.ts';
import { copyPoint, newPoint } from '../mapspace/point.ts';
import { Sampler } from '../mapspace/sample.ts';
import { steeringScore } from '../objective.ts';
import type { SearchTask } from './task.ts';

export interface ChainOptions {
  readonly mode: 'anneal' | 'random';
  readonly seed: number;
  readonly chain: number;
  /** Candidates this chain considers (evaluations, repeats and rejections before evaluation). */
  readonly budget: number;
  /** Fraction of the budget spent on random sampling before annealing. */
  readonly sampleFraction?: number;
  readonly t0?: number;
  readonly tEnd?: number;
  /** Steps without improvement before the chain restarts from its best point. */
  readonly patience?: number;
  /** Cool by elapsed time as well: the time limit (ms) and a clock (ms since the search started). */
  readonly timeLimitMs?: number;
  readonly clock?: () => number;
  /**
   * Steer by these exponents of (energy, cycles, off-chip bytes) instead of the objective (chains that explore the
   * Pareto front); every candidate is still ranked by the objective.
   */
  readonly steer?: readonly [number, number, number];
}

// cache values: [valid (1/0), energy, cycles, offchip, objective vector...]
const V_OK = 0;
const V_E = 1;
const V_C = 2;
const V_O = 3;
const V_VEC = 4;

export function chainTask(ex: Explorer, o: ChainOptions): SearchTask {
  const space = ex.space;
  const obj = ex.objective;
  const k = obj.metrics.length;
  const rng = new Rng(o.seed, o.chain);
  const sampler = new Sampler(space);
  const capacity = new CapacityCheck(space);
  const cache = new PointCache(space, catalogueOf(space), V_VEC + k);
  const vals = new Float64Array(V_VEC + k);
  const lower = new LowerBound(space);
  const samples = o.mode === 'random' ? o.budget : Math.max(1, Math.floor(o.budget * (o.sampleFraction ?? 0.1)));
  const t0 = o.t0 ?? 0.08;
  const tEnd = o.tEnd ?? 0.002;
  const patience = o.patience ?? 400;
  const started = o.clock?.() ?? 0;
  const cur = newPoint(space);
  const cand = newPoint(space);
  const chainBest = newPoint(space);
  const curKey = new Int32Array(cache.key.length);
  const curVals = new Float64Array(V_VEC + k);
  const bestVals = new Float64Array(V_VEC + k);
  let hasCur = false;
  let hasBest = false;
  let best1 = Infinity;
  let step = 0;
  let sinceBest = 0;
  let timeFrac = 0;

  const score = (v: Float64Array): number => {
    const s = o.steer;
    if (s) return s[0] * Math.log(Math.max(v[V_E], 1e-30)) + s[1] * Math.log(Math.max(v[V_C], 1e-30)) + s[2] * Math.log(Math.max(v[V_O], 1e-30));
    return steeringScore(obj, v.subarray(V_VEC), best1);
  };

  /** Evaluate `cand` (through the cache and the capacity pre-check) into `vals`; false when invalid. */
  const visit = (): boolean => {
    const index = step++;
    const row = cache.find();
    if (row >= 0) {
      ex.repeat();
      for (let i = 0; i < vals.length; i++) vals[i] = cache.value(row, i);
      return vals[V_OK] === 1;
    }
    vals.fill(0);
    if (!capacity.check(cand.tiling, cand.keep)) {
      const v = capacity.violation()!;
      const name = space.arch.levels[v.level].name;
      ex.rejected('capacity', name, () => capacityReason(space, v), 1);
    } else {
      // Every 64th evaluation is checked against the lower bound as well (an evaluator bug stops the search).
      let bound;
      if ((index & 63) === 0) {
        lower.prepare(cand.tiling);
        lower.bound(cand.keep);
        bound = { energy_pJ: lower.energy, cycles: lower.cycles, offchip_bytes: lower.offchip };
      }
      const r = ex.consider(cand, o.chain, index, bound);
      if (r.status === 'ok') {
        vals[V_OK] = 1;
        vals[V_E] = r.totals.energy_pJ;
        vals[V_C] = r.totals.cycles;
        vals[V_O] = r.totals.offchip_bytes;
        vals.set(ex.vec, V_VEC);
      }
    }
    cache.insert(vals);
    return vals[V_OK] === 1;
  };

  const accept = (): void => {
    copyPoint(cand, cur);
    curVals.set(vals);
    curKey.set(cache.key);
    hasCur = true;
    if (vals[V_VEC] < best1) best1 = vals[V_VEC];
    if (!hasBest || score(vals) < score(bestVals)) {
      copyPoint(cand, chainBest);
      bestVals.set(vals);
      hasBest = true;
      sinceBest = 0;
    }
  };

  const one = (): boolean => {
    if (step < samples || !hasCur) {
      if (!sampler.randomPoint(rng, cand)) {
        step++;
        ex.rejected('constraint', undefined, 'no random tiling meets the fan-outs, the factor bounds and the minimum PE utilization', 1);
        return true;
      }
      cache.keyOf(cand);
      if (visit() && (!hasCur || score(vals) < score(curVals))) accept();
      return true;
    }
    if (!sampler.neighbour(rng, cur, cand)) return false; // no legal move drawn: costs nothing, try again
    cache.keyOf(cand);
    if (cache.sameKey(curKey)) return false; // an order of the same cost class: not a new candidate
    const ok = visit();
    const frac = Math.max(timeFrac, Math.min(1, (step - samples) / Math.max(1, o.budget - samples)));
    const temp = t0 * Math.pow(tEnd / t0, frac);
    if (ok) {
      const s = score(vals);
      const c = score(curVals);
      if (s <= c || rng.next() < Math.exp((c - s) / temp)) accept();
    }
    if (++sinceBest > patience && hasBest) {
      copyPoint(chainBest, cur);
      curVals.set(bestVals);
      cache.keyOf(cur);
      curKey.set(cache.key);
      sinceBest = 0;
    }
    return true;
  };

  let idle = 0;
  return {
    step(budget: number): boolean {
      if (o.timeLimitMs && o.clock) timeFrac = Math.min(1, (o.clock() - started) / o.timeLimitMs);
      for (let i = 0; i < budget; i++) {
        if (step >= o.budget) return true;
        if (one()) idle = 0;
        else if (++idle > 1000) {
          // A space with (almost) no legal move would spin: count it as a step after a while.
          step++;
          idle = 0;
        }
      }
      return step >= o.budget;
    },
    complete: false,
  };
}
