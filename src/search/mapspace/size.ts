/**
 * The size of the mapspace, reported before searching: tilings per dim and in total (exact, fan-outs and minimum
 * utilization included, by dynamic programming over the spatial products), keep/bypass choices, and loop-order
 * classes per level (an upper bound: the count with every dim that can be non-unit there non-unit). When the
 * tilings are few, the total is exact (each tiling's own order classes).
 */
import { catalogueOf, MAX_ENUMERATED_LOOPS } from './catalogue.ts';
import { keepChoice, keepChoices, tilings as tilings_ } from './enumerate.ts';
import type { MapSpace } from './space.ts';

export interface SpaceSize {
  readonly perDim: readonly { readonly dim: string; readonly splits: bigint }[];
  /** Tilings that fit the fan-outs and the utilization (exact; the membrane rule is not counted here). */
  readonly tilings: bigint;
  /** Keep choices that leave every tensor a home. */
  readonly keepChoices: bigint;
  /** Per level: order classes when every loop that can be non-unit there is (upper bound). */
  readonly ordersPerLevel: readonly { readonly level: string; readonly orders: bigint }[];
  /** Candidates: exact (every tiling's own order classes) when `exact`, else tilings x keep x orders (an upper bound). */
  readonly total: bigint;
  readonly exact: boolean;
  readonly log10Total: number;
}

export function log10(n: bigint): number {
  if (n <= 0n) return -Infinity;
  const s = n.toString();
  const head = Number(s.slice(0, 15));
  return Math.log10(head) + (s.length - Math.min(15, s.length));
}

/** Exact count of tilings that fit every spatial slot and reach the minimum spatial product. */
export function countTilings(space: MapSpace): bigint {
  const S = space.slots.length;
  const spatial = [...Array(S).keys()].filter((s) => s >= space.levels);
  let states = new Map<string, { used: number[]; n: bigint }>([[spatial.map(() => 1).join(','), { used: spatial.map(() => 1), n: 1n }]]);
  for (let d = 0; d < space.dims; d++) {
    const next = new Map<string, { used: number[]; n: bigint }>();
    for (const st of states.values()) {
      for (const o of space.dimOptions[d]) {
        const used = spatial.map((s, i) => st.used[i] * o[s]);
        if (used.some((u, i) => u > space.slots[spatial[i]].capacity)) continue;
        const key = used.join(',');
        const e = next.get(key);
        if (e) e.n += st.n;
        else next.set(key, { used, n: st.n });
      }
    }
    states = next;
  }
  let total = 0n;
  for (const st of states.values()) if (st.used.reduce((a, b) => a * b, 1) >= space.minSpatial) total += st.n;
  return total;
}

const EXACT_TILINGS = 20_000n;

export function spaceSize(space: MapSpace): SpaceSize {
  const perDim = space.workload.dims.map((dim, d) => ({ dim, splits: BigInt(space.dimOptions[d].length) }));
  const tilings = countTilings(space);
  let keeps = 0n;
  const nKeep = keepChoices(space);
  if (nKeep <= 1 << 16) {
    for (let k = 0; k < nKeep; k++) if (keepChoice(space, k)) keeps++;
  } else keeps = BigInt(nKeep);
  const cat = catalogueOf(space);
  const ordersPerLevel = space.arch.levels.map((lvl, l) => {
    let mask = 0;
    let n = 0;
    for (let d = 0; d < space.dims; d++) {
      if (space.dimOptions[d].some((o) => o[l] > 1)) {
        mask |= 1 << d;
        n++;
      }
    }
    let orders = 1n;
    if (n <= MAX_ENUMERATED_LOOPS) orders = BigInt(cat.table(l, mask).reps.length);
    else for (let i = 2; i <= n; i++) orders *= BigInt(i);
    return { level: lvl.name, orders };
  });
  let total = tilings * keeps;
  for (const o of ordersPerLevel) total *= o.orders;
  const exact = tilings <= EXACT_TILINGS;
  if (exact) {
    let orders = 0n;
    for (const t of tilings_(space)) {
      let p = 1n;
      for (let l = 0; l < space.levels; l++) p *= BigInt(cat.tableFor(l, t).reps.length);
      orders += p;
    }
    total = orders * keeps;
  }
  return { perDim, tilings, keepChoices: keeps, ordersPerLevel, total, exact, log10Total: log10(total) };
}
