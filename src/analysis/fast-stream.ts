/**
 * The visit stream of one tensor at one level, summed in closed form (see fast-nest.ts). Tiles are translations of
 * one mold, so a visit's delta is the whole tile, nothing, or a slab along one rank: it is written as a small
 * number (no boxes, no allocation per visit), and the programme over (loop, gradient, previous delta) is memoized
 * in dense tables. Written as a class with no closures: this is the hot path of every evaluation.
 */
import type { LinkedVariant, SpatialChildren } from './fast-spatial.ts';

/** Delta descriptor: EMPTY, WHOLE, or a slab along rank d moved by t (|t| < extent[d], t != 0). */
const EMPTY = 0;
const WHOLE = 1;
const SLAB_BASE = 2;
const T_BIAS = 1 << 20;

export interface Stream {
  /** Projected translation of the child tile when loop k advances (inner loops reset); length m * R. */
  readonly trans: readonly number[];
  readonly ends: readonly number[];
  /** Tile extents per rank (all 1 for compute units). */
  readonly extent: readonly number[];
  /** Compute units: the need is the raw point each step, not a delta. */
  readonly raw: boolean;
  readonly spatial: SpatialChildren | null;
}

export interface StreamResult {
  /** Accesses keyed by multicast factor. */
  readonly acc: Map<number, number>;
  readonly link: number;
}

interface Entry {
  /** Weighted delta size per access variant (0 = all multicast groups, v > 0 = linked variant v - 1). */
  readonly w: number[];
  readonly link: number;
  readonly endGrad: number;
  readonly endPrev: number;
  /** Previous-delta descriptor this entry was computed for (spatial streams only). */
  readonly prev: number;
}

const NO_ENTRIES: readonly Entry[] = [];

class Solver {
  private readonly R: number;
  private readonly m: number;
  private readonly ext: readonly number[];
  private readonly tr: readonly number[];
  private readonly ends: readonly number[];
  private readonly raw: boolean;
  private readonly sp: SpatialChildren | null;
  private readonly whole: number;
  private readonly gradCount: number;
  /** memo[k * gradCount + grad]: entries (one per previous delta on spatial streams). */
  private readonly memo: (Entry[] | undefined)[];
  readonly variants: LinkedVariant[] = [];
  private readonly variantOf = new Map<number, number>();
  private outGrad = 0;
  private outDelta = EMPTY;

  constructor(s: Stream) {
    this.R = s.extent.length;
    this.m = s.ends.length;
    this.ext = s.extent;
    this.tr = s.trans;
    this.ends = s.ends;
    this.raw = s.raw;
    this.sp = s.spatial;
    let whole = 1;
    for (let i = 0; i < this.R; i++) whole *= this.ext[i];
    this.whole = whole;
    this.gradCount = 2 * this.R + 2;
    this.memo = new Array<Entry[] | undefined>(this.m * this.gradCount);
  }

  get wholeSize(): number {
    return this.whole;
  }

  private sizeOf(desc: number): number {
    if (desc === EMPTY) return 0;
    if (desc === WHOLE) return this.whole;
    const x = desc - SLAB_BASE;
    const d = x % this.R;
    const t = (x - d) / this.R - T_BIAS;
    return (this.whole / this.ext[d]) * (t < 0 ? -t : t);
  }

  /** Delta of the child tile after loop k advanced, from gradient `grad` (encoded 0 or 1 + 2*dim + negative). */
  private step(k: number, grad: number): void {
    if (this.raw) {
      this.outDelta = WHOLE;
      this.outGrad = grad;
      return;
    }
    const R = this.R;
    const base = k * R;
    let moved = -1;
    let multi = false;
    for (let i = 0; i < R; i++) {
      const t = this.tr[base + i];
      if (t === 0) continue;
      if (t >= this.ext[i] || -t >= this.ext[i]) {
        moved = -2; // disjoint: the whole tile, no gradient
        break;
      }
      if (moved >= 0) multi = true;
      moved = i;
    }
    let g = 0;
    let delta: number;
    if (moved === -1) delta = EMPTY;
    else if (moved === -2 || multi) delta = WHOLE;
    else {
      const t = this.tr[base + moved];
      delta = SLAB_BASE + moved + R * (t + T_BIAS);
      g = 1 + 2 * moved + (t > 0 ? 0 : 1);
    }
    // RESET_ON_GRADIENT_CHANGE
    if (grad === 0 || (g === 0 && delta === EMPTY) || g === grad) this.outGrad = g;
    else {
      delta = WHOLE;
      this.outGrad = 0;
    }
    this.outDelta = delta;
  }

  /** Access variant of a visit with delta `desc` after the previous delta `prev`, loop k having advanced. */
  private variant(desc: number, prev: number, k: number): number {
    const sp = this.sp;
    if (!sp || prev === EMPTY || desc === EMPTY) return 0;
    const R = this.R;
    const ext = this.ext;
    const pd = prev >= SLAB_BASE ? (prev - SLAB_BASE) % R : -1;
    const pt = pd >= 0 ? (prev - SLAB_BASE - pd) / R - T_BIAS : 0;
    const dd = desc >= SLAB_BASE ? (desc - SLAB_BASE) % R : -1;
    const dt = dd >= 0 ? (desc - SLAB_BASE - dd) / R - T_BIAS : 0;
    for (let i = 0; i < R; i++) {
      const a = i === pd ? (pt < 0 ? -pt : pt) : ext[i];
      const b = i === dd ? (dt < 0 ? -dt : dt) : ext[i];
      if (a !== b) return 0; // not the same shape: no neighbour holds this delta
    }
    // shift = prev.min - t - delta.min
    const shift = sp.scratch;
    const base = k * R;
    for (let i = 0; i < R; i++) {
      const pmin = i === pd && pt > 0 ? ext[i] - pt : 0;
      const dmin = i === dd && dt > 0 ? ext[i] - dt : 0;
      shift[i] = pmin - this.tr[base + i] - dmin;
    }
    const key = sp.shiftKey(shift);
    if (key === undefined) return 0;
    let v = this.variantOf.get(key);
    if (v === undefined) {
      const lv = sp.linked(key);
      if (lv === null) v = 0;
      else {
        this.variants.push(lv);
        v = this.variants.length;
      }
      this.variantOf.set(key, v);
    }
    return v;
  }

  solve(k: number, grad: number, prev: number): Entry {
    if (k === this.m) return { w: [], link: 0, endGrad: grad, endPrev: prev, prev };
    const slot = k * this.gradCount + grad;
    const list = this.memo[slot] ?? NO_ENTRIES;
    for (let i = 0; i < list.length; i++) if (!this.sp || list[i].prev === prev) return list[i];
    const r1 = this.solve(k + 1, grad, prev);
    this.step(k, r1.endGrad);
    const vg = this.outGrad;
    const vd = this.outDelta;
    const size = this.sizeOf(vd);
    const va = size > 0 ? this.variant(vd, r1.endPrev, k) : 0;
    const r2 = this.solve(k + 1, vg, vd);
    const w = this.ends[k] - 1;
    const acc: number[] = r1.w.slice();
    if (size > 0) {
      while (acc.length <= va) acc.push(0);
      acc[va] += size * w;
    }
    const w2 = r2.w;
    while (acc.length < w2.length) acc.push(0);
    for (let i = 0; i < w2.length; i++) acc[i] += w2[i] * w;
    const visitLink = va > 0 ? this.variants[va - 1].link * size : 0;
    const res: Entry = { w: acc, link: r1.link + w * (visitLink + r2.link), endGrad: r2.endGrad, endPrev: r2.endPrev, prev };
    if (list === NO_ENTRIES) this.memo[slot] = [res];
    else (list as Entry[]).push(res);
    return res;
  }
}

export function runStream(s: Stream): StreamResult {
  const solver = new Solver(s);
  // The first visit brings the whole tile with no link; then the programme over loops 0..m-1.
  const rest = solver.solve(0, 0, WHOLE);
  const weights = rest.w.length > 0 ? rest.w.slice() : [0];
  weights[0] += solver.wholeSize;
  const acc = new Map<number, number>();
  for (let v = 0; v < weights.length; v++) {
    const a = weights[v];
    if (a === 0) continue;
    const groups = v === 0 ? (s.spatial ? s.spatial.groupSizes : ONE) : solver.variants[v - 1].groups;
    for (let i = 0; i < groups.length; i += 2) acc.set(groups[i], (acc.get(groups[i]) ?? 0) + a * groups[i + 1]);
  }
  return { acc, link: rest.link };
}

const ONE: readonly number[] = [1, 1];
