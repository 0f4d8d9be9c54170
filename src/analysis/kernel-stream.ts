/**
 * The visit stream of one tensor at one level, summed in closed form, without allocation (the hot path of every
 * evaluation). Timeloop's walk visits, for every loop above a level, only iterations #0 and #1 (the second scaled
 * by n-1), so the visit sequence of a child tile is a binary counter over those loops; tiles are translations of one
 * mold, so a visit's delta is the whole tile, nothing, or a slab along one rank, and it depends only on the loop
 * that advanced and on a tiny state (the last gradient, and on spatial streams the previous delta). A dynamic
 * programme over (loop, state), memoized in typed arrays stamped per stream, gives exactly the numbers of the
 * recursive walk in nest-analysis.ts in time linear in the number of loops.
 *
 * The result is summarized as the four sums the collapse step needs (content, multicast-weighted content, the
 * largest multicast factor used, spatial reductions) plus link transfers, instead of a map keyed by multicast factor.
 */
import type { LinkedVariant, SpatialChildren } from './fast-spatial.ts';

/** Delta descriptor: EMPTY, WHOLE, or a slab along rank d moved by t (|t| < extent[d], t != 0). */
const EMPTY = 0;
const WHOLE = 1;
const SLAB_BASE = 2;
const T_BIAS = 2 ** 31;

export class StreamKernel {
  // ---- inputs, set by the caller before run() ----
  /** Ranks of the tensor. */
  R = 0;
  /** Loops above the children that advance between visits (outer to inner). */
  m = 0;
  /** Tile extents per rank (all 1 for compute units). */
  ext = new Float64Array(16);
  /** Projected translation of the child tile when loop k advances (inner loops reset): trans[k * R + r]. */
  trans = new Float64Array(256);
  ends = new Float64Array(32);
  /** Compute units: the need is the raw point each step, not a delta. */
  raw = false;
  spatial: SpatialChildren | null = null;
  /** Per rank, the factor the spatial children's offsets were divided by (their steps' gcd): shifts are divided too. */
  spatialScale = new Float64Array(16);

  // ---- outputs of run() ----
  /** Sum over visits of accesses (each multicast group counted once). */
  content = 0;
  /** Sum of accesses x multicast factor. */
  weighted = 0;
  /** Largest multicast factor with a non-zero access. */
  maxMulticast = 1;
  /** Sum of accesses x (multicast factor - 1): spatial reductions of read-write tensors. */
  spatialReductions = 0;
  link = 0;

  // ---- memo (stamped, never cleared) ----
  private stamp = 0;
  private slotStamp = new Int32Array(256);
  private slotHead = new Int32Array(256);
  private slotW = new Float64Array(256);
  private slotG = new Int32Array(256);
  private G = 0;
  private whole = 1;
  // spatial entries: a chain per slot
  private eNext = new Int32Array(256);
  private ePrev = new Float64Array(256);
  private eLink = new Float64Array(256);
  private eEndG = new Int32Array(256);
  private eEndP = new Float64Array(256);
  private eOff = new Int32Array(256);
  private eLen = new Int32Array(256);
  private entries = 0;
  private pool = new Float64Array(1024);
  private poolTop = 0;
  private readonly variants: LinkedVariant[] = [];
  private variantKeys = new Float64Array(16);
  private variantIds = new Int32Array(16);
  private variantCount = 0;
  // step() outputs
  private sDelta = 0;
  private sGrad = 0;
  private sSize = 0;
  // solve() outputs
  private oW = 0;
  private oG = 0;
  private oE = -1;
  private oP = 0;
  private oL = 0;

  /** Make room for R ranks and m loops (callers fill ext, trans, ends afterwards). */
  reserve(R: number, m: number): void {
    if (this.ext.length < R) {
      this.ext = new Float64Array(2 * R);
      this.spatialScale = new Float64Array(2 * R);
    }
    if (this.trans.length < m * R) this.trans = new Float64Array(2 * m * R);
    if (this.ends.length < m) this.ends = new Float64Array(2 * m);
    const slots = (m + 1) * (2 * R + 2);
    if (this.slotStamp.length < slots) {
      this.slotStamp = new Int32Array(2 * slots);
      this.slotHead = new Int32Array(2 * slots);
      this.slotW = new Float64Array(2 * slots);
      this.slotG = new Int32Array(2 * slots);
      this.stamp = 0;
    }
  }

  run(): void {
    const R = this.R;
    let whole = 1;
    for (let i = 0; i < R; i++) whole *= this.ext[i];
    this.whole = whole;
    this.G = 2 * R + 2;
    if (++this.stamp > 0x3fffffff) {
      this.slotStamp.fill(0);
      this.stamp = 1;
    }
    const sp = this.spatial;
    if (sp === null) {
      this.solvePlain(0, 0);
      const a = this.oW + whole;
      this.content = a;
      this.weighted = a;
      this.maxMulticast = 1;
      this.spatialReductions = 0;
      this.link = 0;
      return;
    }
    this.entries = 0;
    this.poolTop = 0;
    this.variants.length = 0;
    this.variantCount = 0;
    this.solveSpatial(0, 0, WHOLE);
    const e = this.oE;
    const len = e < 0 ? 1 : Math.max(1, this.eLen[e]);
    let content = 0;
    let weighted = 0;
    let maxM = 1;
    let red = 0;
    for (let v = 0; v < len; v++) {
      let a = e >= 0 && v < this.eLen[e] ? this.pool[this.eOff[e] + v] : 0;
      if (v === 0) a += whole;
      if (a === 0) continue;
      const groups = v === 0 ? sp.groupSizes : this.variants[v - 1].groups;
      for (let i = 0; i < groups.length; i += 2) {
        const size = groups[i];
        const n = a * groups[i + 1];
        content += n;
        weighted += n * size;
        red += n * (size - 1);
        if (n > 0 && size > maxM) maxM = size;
      }
    }
    this.content = content;
    this.weighted = weighted;
    this.maxMulticast = maxM;
    this.spatialReductions = red;
    this.link = this.oL;
  }

  /** Delta of the child tile after loop k advanced, from gradient `grad` (0, or 1 + 2*rank + negative). */
  private step(k: number, grad: number): void {
    if (this.raw) {
      this.sDelta = WHOLE;
      this.sGrad = grad;
      this.sSize = this.whole;
      return;
    }
    const R = this.R;
    const base = k * R;
    const tr = this.trans;
    const ext = this.ext;
    let moved = -1;
    let multi = false;
    for (let i = 0; i < R; i++) {
      const t = tr[base + i];
      if (t === 0) continue;
      if (t >= ext[i] || -t >= ext[i]) {
        moved = -2; // disjoint: the whole tile, no gradient
        break;
      }
      if (moved >= 0) multi = true;
      moved = i;
    }
    let g = 0;
    let delta: number;
    let size: number;
    if (moved === -1) {
      delta = EMPTY;
      size = 0;
    } else if (moved === -2 || multi) {
      delta = WHOLE;
      size = this.whole;
    } else {
      const t = tr[base + moved];
      delta = SLAB_BASE + moved + R * (t + T_BIAS);
      size = (this.whole / ext[moved]) * (t < 0 ? -t : t);
      g = 1 + 2 * moved + (t > 0 ? 0 : 1);
    }
    // RESET_ON_GRADIENT_CHANGE
    if (grad === 0 || (g === 0 && delta === EMPTY) || g === grad) this.sGrad = g;
    else {
      delta = WHOLE;
      size = this.whole;
      this.sGrad = 0;
    }
    this.sDelta = delta;
    this.sSize = size;
  }

  /** Streams without a spatial fan-out: the state is the gradient only, the weight one number. */
  private solvePlain(k: number, grad: number): void {
    if (k === this.m) {
      this.oW = 0;
      this.oG = grad;
      return;
    }
    const slot = k * this.G + grad;
    if (this.slotStamp[slot] === this.stamp) {
      this.oW = this.slotW[slot];
      this.oG = this.slotG[slot];
      return;
    }
    this.solvePlain(k + 1, grad);
    const w1 = this.oW;
    this.step(k, this.oG);
    const size = this.sSize;
    this.solvePlain(k + 1, this.sGrad);
    const n = this.ends[k] - 1;
    const w = w1 + size * n + this.oW * n;
    this.slotStamp[slot] = this.stamp;
    this.slotW[slot] = w;
    this.slotG[slot] = this.oG;
    this.oW = w;
  }

  private sizeOf(desc: number): number {
    if (desc === EMPTY) return 0;
    if (desc === WHOLE) return this.whole;
    const R = this.R;
    const x = desc - SLAB_BASE;
    const d = x % R;
    const t = (x - d) / R - T_BIAS;
    return (this.whole / this.ext[d]) * (t < 0 ? -t : t);
  }

  /** Access variant of a visit with delta `desc` after the previous delta `prev`, loop k having advanced. */
  private variant(desc: number, prev: number, k: number): number {
    const sp = this.spatial!;
    if (prev === EMPTY || desc === EMPTY) return 0;
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
      const x = pmin - this.trans[base + i] - dmin;
      const g = this.spatialScale[i];
      if (g !== 1 && x % g !== 0) return 0; // offsets of children differ by multiples of g: no neighbour at this shift
      shift[i] = g === 1 ? x : x / g;
    }
    const key = sp.shiftKey(shift);
    if (key === undefined) return 0;
    for (let i = 0; i < this.variantCount; i++) if (this.variantKeys[i] === key) return this.variantIds[i];
    const lv = sp.linked(key);
    let v = 0;
    if (lv !== null) {
      this.variants.push(lv);
      v = this.variants.length;
    }
    if (this.variantCount === this.variantKeys.length) {
      const keys = new Float64Array(2 * this.variantCount);
      keys.set(this.variantKeys);
      this.variantKeys = keys;
      const ids = new Int32Array(2 * this.variantCount);
      ids.set(this.variantIds);
      this.variantIds = ids;
    }
    this.variantKeys[this.variantCount] = key;
    this.variantIds[this.variantCount] = v;
    this.variantCount++;
    return v;
  }

  /** Streams under a spatial fan-out: the state adds the previous delta (link transfers), weights per variant. */
  private solveSpatial(k: number, grad: number, prev: number): void {
    if (k === this.m) {
      this.oE = -1;
      this.oG = grad;
      this.oP = prev;
      this.oL = 0;
      return;
    }
    const slot = k * this.G + grad;
    if (this.slotStamp[slot] === this.stamp) {
      for (let e = this.slotHead[slot]; e >= 0; e = this.eNext[e]) {
        if (this.ePrev[e] === prev) {
          this.oE = e;
          this.oG = this.eEndG[e];
          this.oP = this.eEndP[e];
          this.oL = this.eLink[e];
          return;
        }
      }
    } else {
      this.slotStamp[slot] = this.stamp;
      this.slotHead[slot] = -1;
    }
    this.solveSpatial(k + 1, grad, prev);
    const e1 = this.oE;
    const l1 = this.oL;
    this.step(k, this.oG);
    const vg = this.sGrad;
    const vd = this.sDelta;
    const size = this.sSize;
    const va = size > 0 ? this.variant(vd, this.oP, k) : 0;
    this.solveSpatial(k + 1, vg, vd);
    const e2 = this.oE;
    const n = this.ends[k] - 1;
    const len1 = e1 >= 0 ? this.eLen[e1] : 0;
    const len2 = e2 >= 0 ? this.eLen[e2] : 0;
    let len = len1 > len2 ? len1 : len2;
    if (size > 0 && va + 1 > len) len = va + 1;
    // A new entry (its weights are appended to the pool; entries never change once made).
    const e = this.newEntry(len);
    const off = this.eOff[e];
    const pool = this.pool;
    const off1 = e1 >= 0 ? this.eOff[e1] : 0;
    const off2 = e2 >= 0 ? this.eOff[e2] : 0;
    for (let i = 0; i < len; i++) pool[off + i] = i < len1 ? pool[off1 + i] : 0;
    if (size > 0) pool[off + va] += size * n;
    for (let i = 0; i < len2; i++) pool[off + i] += pool[off2 + i] * n;
    const visitLink = va > 0 ? this.variants[va - 1].link * size : 0;
    const link = l1 + n * (visitLink + this.oL);
    this.eLink[e] = link;
    this.eEndG[e] = this.oG;
    this.eEndP[e] = this.oP;
    this.ePrev[e] = prev;
    this.eNext[e] = this.slotHead[slot];
    this.slotHead[slot] = e;
    this.oE = e;
    this.oL = link;
  }

  private newEntry(len: number): number {
    if (this.entries === this.eNext.length) {
      const n = 2 * this.entries;
      const grow = <A extends Int32Array | Float64Array>(a: A, make: (n: number) => A): A => {
        const b = make(n);
        b.set(a);
        return b;
      };
      this.eNext = grow(this.eNext, (x) => new Int32Array(x));
      this.ePrev = grow(this.ePrev, (x) => new Float64Array(x));
      this.eLink = grow(this.eLink, (x) => new Float64Array(x));
      this.eEndG = grow(this.eEndG, (x) => new Int32Array(x));
      this.eEndP = grow(this.eEndP, (x) => new Float64Array(x));
      this.eOff = grow(this.eOff, (x) => new Int32Array(x));
      this.eLen = grow(this.eLen, (x) => new Int32Array(x));
    }
    if (this.poolTop + len > this.pool.length) {
      const b = new Float64Array(2 * (this.poolTop + len));
      b.set(this.pool);
      this.pool = b;
    }
    const e = this.entries++;
    this.eOff[e] = this.poolTop;
    this.eLen[e] = len;
    this.poolTop += len;
    return e;
  }
}
