/**
 * Order classes per level, memoized: the representatives of each set of non-unit loops (enumerated once, for
 * exhaustive search and the size report) and the class of any order (numeric memo, for the search's cache keys).
 */
import { observersFor, observerVariant } from './observers.ts';
import { classTable, orderKey, type ClassTable } from './orders.ts';
import type { MapSpace } from './space.ts';

/** Levels with more non-unit loops than this are not enumerated (their classes are numbered as they are met). */
export const MAX_ENUMERATED_LOOPS = 8;
const CODE_LIMIT = 1 << 21;

export class OrderCatalogue {
  private readonly tables: Map<number, ClassTable>[];
  /** Per level: order code (non-unit dims outer to inner, base 16, digit d + 1) -> class id. */
  private readonly codes: Map<number, Map<number, number>>[];
  /** Per level and mask: summary key -> class id, numbered as met (ids only need to be equal within a class). */
  private readonly lazy: Map<number, Map<string, number>>[];
  private readonly scratch: number[] = [];

  constructor(private readonly space: MapSpace) {
    this.tables = Array.from({ length: space.levels }, () => new Map());
    this.codes = Array.from({ length: space.levels }, () => new Map());
    this.lazy = Array.from({ length: space.levels }, () => new Map());
  }

  /**
   * Representatives (non-unit dims, outer to inner) of the orders of level l whose non-unit dims are `mask`, under
   * an observer variant (observers.ts; 0 = the default observers).
   */
  table(l: number, mask: number, variant = 0): ClassTable {
    const key = variant * 2 ** 20 + mask;
    let t = this.tables[l].get(key);
    if (!t) {
      const dims: number[] = [];
      for (let d = 0; d < this.space.dims; d++) if (mask & (1 << d)) dims.push(d);
      if (dims.length > MAX_ENUMERATED_LOOPS) throw new Error(`spikeloop internal invariant violated: ${dims.length} loops at one level are too many to enumerate orders`);
      t = classTable(dims, observersFor(this.space, l, variant), this.space.precedence[l]);
      this.tables[l].set(key, t);
    }
    return t;
  }

  /** The table of level l for a tiling ([d * S + s]). */
  tableFor(l: number, tiling: ArrayLike<number>): ClassTable {
    const S = this.space.slots.length;
    let mask = 0;
    for (let d = 0; d < this.space.dims; d++) if (tiling[d * S + l] > 1) mask |= 1 << d;
    return this.table(l, mask, observerVariant(this.space, tiling, l));
  }

  /** Index of the representative (in `table`) of the order of level l in a point (tests, tools). */
  representativeOf(l: number, orders: ArrayLike<number>, tiling: ArrayLike<number>): number {
    const sp = this.space;
    const D = sp.dims;
    const S = sp.slots.length;
    const order: number[] = [];
    let mask = 0;
    for (let i = 0; i < D; i++) {
      const d = orders[l * D + i];
      if (tiling[d * S + l] > 1) {
        order.push(d);
        mask |= 1 << d;
      }
    }
    const variant = observerVariant(sp, tiling, l);
    const id = this.table(l, mask, variant).ids.get(orderKey(order, observersFor(sp, l, variant)));
    if (id === undefined) throw new Error('spikeloop internal invariant violated: a loop order outside the precedence rules of its level');
    return id;
  }

  /** Class of the order of level l in a point (orders[l * D ...], full permutation; tiling [d * S + s]). */
  classOf(l: number, orders: ArrayLike<number>, tiling: ArrayLike<number>): number {
    const sp = this.space;
    const D = sp.dims;
    const S = sp.slots.length;
    let code = 0;
    let scale = 1;
    let mask = 0;
    let loops = 0;
    for (let i = 0; i < D; i++) {
      const d = orders[l * D + i];
      if (tiling[d * S + l] > 1) {
        code += (d + 1) * scale;
        scale *= 16;
        mask |= 1 << d;
        loops++;
      }
    }
    // With at most one loop there is one order, so one class: the first (and only) id of its table, 0.
    if (loops <= 1) return 0;
    const variant = observerVariant(sp, tiling, l);
    let memo = this.codes[l].get(variant);
    if (!memo) this.codes[l].set(variant, (memo = new Map()));
    const hit = memo.get(code);
    if (hit !== undefined) return hit;
    const order = this.scratch;
    order.length = 0;
    for (let i = 0; i < D; i++) {
      const d = orders[l * D + i];
      if (tiling[d * S + l] > 1) order.push(d);
    }
    // Classes are numbered as they are met (the enumerated tables are only built for exhaustive search).
    const key = orderKey(order, observersFor(sp, l, variant));
    const lazyKey = variant * 2 ** 20 + mask;
    let m = this.lazy[l].get(lazyKey);
    if (!m) this.lazy[l].set(lazyKey, (m = new Map()));
    let id = m.get(key);
    if (id === undefined) m.set(key, (id = m.size));
    if (D <= 13) {
      if (memo.size >= CODE_LIMIT) memo.clear();
      memo.set(code, id);
    }
    return id;
  }
}

const CATALOGUES = new WeakMap<MapSpace, OrderCatalogue>();

/** The catalogue of a space, shared by every task of this thread. */
export function catalogueOf(space: MapSpace): OrderCatalogue {
  let c = CATALOGUES.get(space);
  if (!c) CATALOGUES.set(space, (c = new OrderCatalogue(space)));
  return c;
}
