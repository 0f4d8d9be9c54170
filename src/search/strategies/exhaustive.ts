/**
 * Exhaustive search with branch and bound: every tiling (fan-out pruned while it is built), every keep/bypass
 * choice, every cost-distinct loop order. A (tiling, keep) subtree is skipped when its tiles cannot fit (a lower
 * bound on capacity) or when a lower bound on its cost (ideal compute + compulsory traffic) is worse than the
 * incumbent. Ties are never pruned and go to the earliest candidate, so the optimum does not depend on pruning or
 * on the sharding (`shard` of `shards`: tilings are dealt round-robin).
 */
import { boundContext, lowerBound } from '../bound.ts';
import type { Explorer } from '../explorer.ts';
import { capacityViolation, innerProducts } from '../mapspace/capacity.ts';
import { keepChoice, keepChoices, OrderCatalogue, tilings } from '../mapspace/enumerate.ts';
import type { SearchTask } from './task.ts';

export function exhaustiveTask(ex: Explorer, shard = 0, shards = 1, prune = true): SearchTask {
  const space = ex.space;
  const ctx = boundContext(space);
  const orders = new OrderCatalogue(space);
  const nKeep = keepChoices(space);
  function* run(): Generator<void> {
    let ti = -1;
    for (const tiling of tilings(space)) {
      ti++;
      if (ti % shards !== shard) continue;
      const inner = innerProducts(space, tiling);
      const reps = Array.from({ length: space.levels }, (_, l) => orders.forLevel(tiling, l));
      let combos = 1;
      for (const r of reps) combos *= r.length;
      if (combos === 0) continue;
      for (let k = 0; k < nKeep; k++) {
        const keep = keepChoice(space, k);
        if (!keep) continue;
        const cap = capacityViolation(space, inner, keep);
        if (cap) {
          const name = space.arch.levels[cap.level].name;
          ex.rejected('capacity', name, `the tiles kept at ${name} need at least ${cap.needed} bits, it holds ${cap.available}`, combos);
          continue;
        }
        if (prune && ex.excluded(lowerBound(space, ctx, tiling, keep))) {
          ex.pruned(combos);
          continue;
        }
        const pick = new Array<number>(space.levels).fill(0);
        for (let c = 0; c < combos; c++) {
          ex.consider({ tiling, keep, orders: reps.map((r, l) => r[pick[l]]) }, [ti, k, c]);
          yield;
          for (let l = space.levels - 1; l >= 0; l--) {
            if (++pick[l] < reps[l].length) break;
            pick[l] = 0;
          }
        }
      }
      yield;
    }
  }
  const it = run();
  return {
    step(budget: number): boolean {
      for (let i = 0; i < budget; i++) if (it.next().done) return true;
      return false;
    },
    complete: true,
  };
}
