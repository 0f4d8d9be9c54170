/**
 * Exhaustive search with branch and bound over every tiling (fan-outs pruned while it is built), every keep/bypass
 * choice and every cost-distinct loop order:
 * - a short deterministic anneal first (warm start, warm.ts) gives an incumbent to prune against;
 * - while the tiling is built dim by dim, a partial tiling whose bound (bound.ts: valid for every completion and
 *   keep choice) is already worse than the incumbent is cut with its whole subtree;
 * - a (tiling, keep) block is skipped when its tiles cannot fit, or when its bound (valid for every order) is worse;
 * - inside a block, once the orders of the outer levels are fixed the bound is tighter (exact restart counts
 *   there), so the orders of the inner levels under a bad outer order are skipped together.
 * Ties are never pruned and go to the earliest candidate (the warm start's points lose ties), so the optimum does
 * not depend on pruning or on the sharding (`shard` of `shards`, dealt by tiling rank). With a cap (`maxCandidates`)
 * the search covers the first candidates of the global enumeration order, whatever the sharding, and cuts no
 * partial tilings (their candidates could not be counted).
 */
import { LowerBound } from '../bound.ts';
import type { Explorer } from '../explorer.ts';
import { CapacityCheck, capacityReason } from '../mapspace/capacity.ts';
import { catalogueOf } from '../mapspace/catalogue.ts';
import { newPoint } from '../mapspace/point.ts';
import { membraneTilingOk } from '../mapspace/space.ts';
import { objectiveVector } from '../objective.ts';
import type { SearchTotals } from '../types.ts';
import type { Seeds } from '../warm.ts';
import type { SearchTask } from './task.ts';

export interface ExhaustiveOptions {
  readonly shard: number;
  readonly shards: number;
  /** Branch-and-bound pruning (default true; false only to check that pruning changes nothing). */
  readonly prune?: boolean;
  /** Consider only the first `maxCandidates` candidates of the global enumeration. */
  readonly maxCandidates?: number;
  /** Incumbents found before (the warm start, search/warm.ts): they prune from the start and lose every tie. */
  readonly seeds?: Seeds;
}

/** Minor index of candidate c of keep choice k within a tiling. */
const minor = (k: number, c: number): number => k * 2 ** 32 + c;

export function exhaustiveTask(ex: Explorer, o: ExhaustiveOptions): SearchTask {
  const space = ex.space;
  const { dims: D, levels: L, tensors: nT } = space;
  const S = space.slots.length;
  const prune = o.prune ?? true;
  const capped = o.maxCandidates !== undefined;
  const cap = o.maxCandidates ?? Infinity;
  const subtrees = prune && !capped;
  const catalogue = catalogueOf(space);
  const bound = new LowerBound(space);
  const capacity = new CapacityCheck(space);
  const spatial = [...Array(S).keys()].filter((s) => space.slots[s].kind !== 'temporal');
  // Dims with many splits first: a cut near the root removes the most.
  const dord = [...Array(D).keys()].sort((a, b) => space.dimOptions[b].length - space.dimOptions[a].length || a - b);
  const radix = new Float64Array(D);
  for (let i = D - 1, r = 1; i >= 0; i--) {
    radix[i] = r;
    r *= space.dimOptions[dord[i]].length;
  }
  const nKeep = 2 ** space.keepFree.length;
  const keepFree = Int32Array.from(space.keepFree, ([l, t]) => l * nT + t);
  const keepBase = new Uint8Array(L * nT);
  for (let l = 0; l < L; l++) for (let t = 0; t < nT; t++) keepBase[l * nT + t] = space.keepForced[l][t] ? 1 : 0;
  let validKeeps = -1; // keep choices that leave every tensor a home (counted on first use)

  const cand = newPoint(space);
  cand.tiling.fill(1);
  const idx = new Int32Array(D).fill(-1);
  const used = new Float64Array((D + 1) * S).fill(1);
  let depth = 0;
  let exhausted = false;
  const vec = new Float64Array(ex.objective.metrics.length);
  const pvec = new Float64Array(3);

  const boundTotals = (): SearchTotals => ({ energy_pJ: bound.energy, cycles: bound.cycles, offchip_bytes: bound.offchip, offchip_bytes_by_tensor: bound.offchipByTensor });
  const excludedByBound = (): boolean => {
    objectiveVector(ex.objective, boundTotals(), vec);
    pvec[0] = bound.energy;
    pvec[1] = bound.cycles;
    pvec[2] = bound.offchip;
    return ex.excluded(vec, pvec);
  };

  /** Advance to the next complete tiling that fits; false when there is none left. */
  const nextTiling = (): boolean => {
    while (depth >= 0) {
      const d = dord[depth];
      const opts = space.dimOptions[d];
      if (++idx[depth] >= opts.length) {
        for (let s = 0; s < S; s++) cand.tiling[d * S + s] = 1;
        idx[depth] = -1;
        depth--;
        continue;
      }
      const opt = opts[idx[depth]];
      let fits = true;
      for (const s of spatial) if (used[depth * S + s] * opt[s] > space.slots[s].capacity) fits = false;
      if (!fits) continue;
      for (let s = 0; s < S; s++) {
        cand.tiling[d * S + s] = opt[s];
        used[(depth + 1) * S + s] = used[depth * S + s] * opt[s];
      }
      if (depth === D - 1) {
        let p = 1;
        for (const s of spatial) p *= used[(depth + 1) * S + s];
        if (p >= space.minSpatial && membraneTilingOk(space, cand.tiling)) return true;
        continue;
      }
      if (subtrees && ex.best && depth < D - 2) {
        bound.prepare(cand.tiling);
        bound.boundAnyKeep();
        if (excludedByBound()) {
          ex.stats.prunedSubtrees++;
          continue;
        }
      }
      depth++;
    }
    return false;
  };

  // per-tiling state
  let rank = 0;
  const reps: number[][][] = [];
  const pick = new Int32Array(L);
  let combos = 0;
  let k = nKeep; // keep choice being enumerated (nKeep = tiling done)
  let c = 0;
  let blockBound: SearchTotals | undefined;
  let ordinal = 0; // global candidate ordinal (capped searches)
  let checkFrom = 0; // outermost level whose order changed since the last sub-block check

  /** Advance the order odometer at level l (carrying outward); the outermost level that changed, or -1. */
  const carry = (l: number): number => {
    for (let j = l; j >= 0; j--) {
      if (++pick[j] < reps[j].length) return j;
      pick[j] = 0;
    }
    return -1;
  };

  const setKeep = (choice: number): boolean => {
    cand.keep.set(keepBase);
    for (let i = 0; i < keepFree.length; i++) cand.keep[keepFree[i]] = (choice >> i) & 1;
    for (let t = 0; t < nT; t++) {
      let home = false;
      for (let l = 0; l < L && !home; l++) if (cand.keep[l * nT + t]) home = true;
      if (!home) return false;
    }
    return true;
  };

  const writeOrders = (): void => {
    for (let l = 0; l < L; l++) {
      const rep = reps[l][pick[l]];
      let i = 0;
      for (const d of rep) cand.orders[l * D + i++] = d;
      for (let d = 0; d < D; d++) if (cand.tiling[d * S + l] <= 1) cand.orders[l * D + i++] = d;
    }
  };

  /** Start the keep choices of the current tiling. */
  const startTiling = (): void => {
    let r = 0;
    for (let i = 0; i < D; i++) r += idx[i] * radix[i];
    rank = r;
    combos = 1;
    for (let l = 0; l < L; l++) {
      reps[l] = catalogue.tableFor(l, cand.tiling).reps;
      combos *= reps[l].length;
    }
    if (rank % o.shards !== o.shard) {
      if (capped) {
        if (validKeeps < 0) {
          validKeeps = 0;
          for (let kk = 0; kk < nKeep; kk++) if (setKeep(kk)) validKeeps++;
        }
        ordinal += validKeeps * combos;
      }
      k = nKeep;
      return;
    }
    capacity.products(cand.tiling);
    bound.prepare(cand.tiling);
    k = -1;
    c = combos;
  };

  /** Process up to `budget` steps; true when done. */
  const advance = (budget: number): boolean => {
    let steps = 0;
    while (steps < budget) {
      if (ordinal >= cap) return true;
      if (k >= nKeep) {
        if (exhausted || !nextTiling()) {
          exhausted = true;
          return true;
        }
        startTiling();
        steps++;
        continue;
      }
      if (c >= combos) {
        // next keep choice of this tiling
        if (++k >= nKeep) continue;
        if (!setKeep(k)) continue;
        const room = Math.min(combos, cap - ordinal);
        if (!capacity.checkKeep(cand.keep)) {
          const v = capacity.violation()!;
          ex.rejected('capacity', space.arch.levels[v.level].name, () => capacityReason(space, v), room);
          ordinal += room;
          c = combos;
          steps++;
          continue;
        }
        bound.streams(undefined, -1);
        bound.bound(cand.keep);
        blockBound = { ...boundTotals(), offchip_bytes_by_tensor: Array.from(bound.offchipByTensor) };
        if (prune && ex.best && excludedByBound()) {
          ex.pruned(room);
          ordinal += room;
          c = combos;
          steps++;
          continue;
        }
        c = 0;
        pick.fill(0);
        checkFrom = 0;
        continue;
      }
      // Sub-blocks: with the orders of the outer levels fixed, the bound is tighter (exact restart counts there).
      if (prune && ex.best && checkFrom >= 0 && checkFrom < L - 1) {
        writeOrders();
        let cut = -1;
        for (let l = checkFrom; l < L - 1 && cut < 0; l++) {
          bound.streams(cand.orders, l);
          bound.bound(cand.keep);
          if (excludedByBound()) cut = l;
        }
        if (cut >= 0) {
          let n = 1;
          for (let j = cut + 1; j < L; j++) {
            n *= reps[j].length;
            pick[j] = 0;
          }
          const room = Math.min(n, cap - ordinal);
          ex.pruned(room);
          ordinal += room;
          c += n;
          checkFrom = carry(cut);
          steps++;
          continue;
        }
        checkFrom = L - 1;
      }
      writeOrders();
      ex.consider(cand, rank, minor(k, c), blockBound);
      ordinal++;
      steps++;
      c++;
      checkFrom = carry(L - 1);
    }
    return false;
  };

  for (const e of o.seeds?.ranked ?? []) ex.seed(e);
  if (ex.front) for (const e of o.seeds?.front ?? []) ex.front.add(e);
  return {
    step: advance,
    complete: true,
    exhausted: () => exhausted,
  };
}
