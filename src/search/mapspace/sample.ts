/**
 * Random points of the mapspace and neighbourhood moves (factor / order / keep), driven by a seeded Rng, written
 * into caller-owned points (no allocation per move). Every point produced respects the fan-outs, the factor bounds,
 * the minimum PE utilization, the order precedence and the membrane rule.
 */
import type { Rng } from '../../core/rng.ts';
import { imposePrecedence } from './orders.ts';
import { copyPoint, newPoint, type Point } from './point.ts';
import { membraneTilingOk, type MapSpace } from './space.ts';

function smallestPrime(n: number): number {
  for (let p = 2; p * p <= n; p++) if (n % p === 0) return p;
  return n;
}

export class Sampler {
  private readonly S: number;
  private readonly used: Float64Array;
  private readonly dimPerm: number[];
  private readonly order: number[];
  /** Free keep bits as flat indices l * T + t. */
  private readonly freeKeep: Int32Array;
  private readonly spatialSlots: number[];
  /**
   * Per dim, the options grouped by their spatial factors (their *signature*: whether an option fits the fan-outs
   * depends only on it): the signature of each option, each signature's factors (signature-major, spatial slot i
   * at sig * nSpatial + i) and how many options share it.
   */
  private readonly sigOf: Int32Array[];
  private readonly sigFactors: Int32Array[];
  private readonly sigCount: Int32Array[];
  private readonly sigFits: Uint8Array;
  private readonly spatialCap: Float64Array;
  private readonly usedSpatial: Float64Array;

  constructor(readonly space: MapSpace) {
    this.S = space.slots.length;
    this.used = new Float64Array(this.S);
    this.dimPerm = [...Array(space.dims).keys()];
    this.order = new Array<number>(space.dims).fill(0);
    this.freeKeep = Int32Array.from(space.keepFree, ([l, t]) => l * space.tensors + t);
    this.spatialSlots = [...Array(this.S).keys()].filter((s) => space.slots[s].kind !== 'temporal');
    const ns = this.spatialSlots.length;
    this.sigOf = [];
    this.sigFactors = [];
    this.sigCount = [];
    let maxSigs = 1;
    for (const opts of space.dimOptions) {
      const ids = new Map<string, number>();
      const of = new Int32Array(opts.length);
      const factors: number[] = [];
      const count: number[] = [];
      opts.forEach((o, k) => {
        const f = this.spatialSlots.map((sl) => o[sl]);
        const key = f.join(',');
        let id = ids.get(key);
        if (id === undefined) {
          ids.set(key, (id = ids.size));
          factors.push(...f);
          count.push(0);
        }
        of[k] = id;
        count[id]++;
      });
      this.sigOf.push(of);
      this.sigFactors.push(Int32Array.from(factors));
      this.sigCount.push(Int32Array.from(count));
      maxSigs = Math.max(maxSigs, count.length);
    }
    this.sigFits = new Uint8Array(maxSigs);
    this.spatialCap = Float64Array.from(this.spatialSlots, (s) => space.slots[s].capacity);
    this.usedSpatial = new Float64Array(ns);
  }

  /** A random tiling that fits the fan-outs and the utilization (false after too many dead ends). */
  randomTiling(rng: Rng, tiling: Int32Array): boolean {
    const sp = this.space;
    const S = this.S;
    const used = this.used;
    const perm = this.dimPerm;
    for (let attempt = 0; attempt < 64; attempt++) {
      used.fill(1);
      for (let i = perm.length - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        const x = perm[i];
        perm[i] = perm[j];
        perm[j] = x;
      }
      let dead = false;
      const ns = this.spatialSlots.length;
      const us = this.usedSpatial;
      const cap = this.spatialCap;
      us.fill(1);
      for (const d of perm) {
        const opts = sp.dimOptions[d];
        const sf = this.sigFactors[d];
        const sc = this.sigCount[d];
        const of = this.sigOf[d];
        const fitsSig = this.sigFits;
        // The options whose spatial factors fit what the dims placed so far leave of each fan-out: decided per
        // signature; a uniform pick among them is the j-th fitting option in the options' order.
        let total = 0;
        for (let g = 0, b = 0; g < sc.length; g++, b += ns) {
          let i = 0;
          while (i < ns && us[i] * sf[b + i] <= cap[i]) i++;
          fitsSig[g] = i === ns ? 1 : 0;
          if (i === ns) total += sc[g];
        }
        if (total === 0) {
          dead = true;
          break;
        }
        let j = rng.int(total);
        let pick = 0;
        for (; pick < opts.length; pick++) if (fitsSig[of[pick]] === 1 && j-- === 0) break;
        const o = opts[pick];
        for (let s = 0; s < S; s++) {
          tiling[d * S + s] = o[s];
          used[s] *= o[s];
        }
        const g = of[pick];
        for (let i = 0; i < ns; i++) us[i] *= sf[g * ns + i];
      }
      if (dead) continue;
      let p = 1;
      for (const s of this.spatialSlots) p *= used[s];
      if (p >= sp.minSpatial && membraneTilingOk(sp, tiling)) return true;
    }
    return false;
  }

  randomOrders(rng: Rng, orders: Uint8Array): void {
    const sp = this.space;
    const D = sp.dims;
    const o = this.order;
    for (let l = 0; l < sp.levels; l++) {
      for (let i = 0; i < D; i++) o[i] = i;
      for (let i = D - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        const x = o[i];
        o[i] = o[j];
        o[j] = x;
      }
      imposePrecedence(o, sp.precedence[l]);
      for (let i = 0; i < D; i++) orders[l * D + i] = o[i];
    }
  }

  randomKeep(rng: Rng, keep: Uint8Array): void {
    const sp = this.space;
    for (;;) {
      for (let l = 0; l < sp.levels; l++) {
        for (let t = 0; t < sp.tensors; t++) {
          const f = sp.keepForced[l][t];
          keep[l * sp.tensors + t] = f === undefined ? (rng.next() < 0.5 ? 1 : 0) : f ? 1 : 0;
        }
      }
      if (this.everyTensorHasAHome(keep)) return;
    }
  }

  private everyTensorHasAHome(keep: Uint8Array): boolean {
    const sp = this.space;
    for (let t = 0; t < sp.tensors; t++) {
      let home = false;
      for (let l = 0; l < sp.levels && !home; l++) if (keep[l * sp.tensors + t]) home = true;
      if (!home) return false;
    }
    return true;
  }

  randomPoint(rng: Rng, p: Point): boolean {
    if (!this.randomTiling(rng, p.tiling)) return false;
    this.randomOrders(rng, p.orders);
    this.randomKeep(rng, p.keep);
    return true;
  }

  /** Whether the factors of dim d respect the slot bounds, and all spatial slots the fan-out and utilization. */
  private tilingOk(tiling: Int32Array, d: number): boolean {
    const sp = this.space;
    const S = this.S;
    for (let s = 0; s < S; s++) {
      const f = tiling[d * S + s];
      if (f < sp.slotMin[d * S + s] || f > sp.slotMax[d * S + s]) return false;
      if (sp.singleAxis && f > 1 && sp.slots[s].kind === 'X') {
        for (let y = 0; y < S; y++) if (sp.slots[y].kind === 'Y' && sp.slots[y].level === sp.slots[s].level && tiling[d * S + y] > 1) return false;
      }
    }
    let total = 1;
    for (const s of this.spatialSlots) {
      let p = 1;
      for (let e = 0; e < sp.dims; e++) p *= tiling[e * S + s];
      if (p > sp.slots[s].capacity) return false;
      total *= p;
    }
    return total >= sp.minSpatial && membraneTilingOk(sp, tiling);
  }

  /**
   * One random neighbour of `p` written into `q`: move a prime factor (or a whole factor) of one dim between two
   * slots, swap two non-unit loops of a level, or flip a free keep bit. False when the drawn move is not legal.
   */
  neighbour(rng: Rng, p: Point, q: Point): boolean {
    const sp = this.space;
    const S = this.S;
    const D = sp.dims;
    copyPoint(p, q);
    const r = rng.next();
    if (r < 0.55 || (r >= 0.85 && this.freeKeep.length === 0)) {
      for (let attempt = 0; attempt < 16; attempt++) {
        const d = rng.int(D);
        const from = rng.int(S);
        const f0 = q.tiling[d * S + from];
        if (f0 === 1) continue;
        const to = rng.int(S);
        if (to === from) continue;
        const f = rng.next() < 0.5 ? smallestPrime(f0) : f0;
        q.tiling[d * S + from] = f0 / f;
        q.tiling[d * S + to] *= f;
        if (this.tilingOk(q.tiling, d)) return true;
        q.tiling[d * S + from] = f0;
        q.tiling[d * S + to] /= f;
      }
      return false;
    }
    if (r < 0.85) {
      const l = rng.int(sp.levels);
      let n = 0;
      for (let i = 0; i < D; i++) if (q.tiling[q.orders[l * D + i] * S + l] > 1) n++;
      if (n < 2) return false;
      const a = rng.int(n);
      let b = rng.int(n - 1);
      if (b >= a) b++;
      let ia = -1;
      let ib = -1;
      for (let i = 0, k = 0; i < D; i++) {
        if (q.tiling[q.orders[l * D + i] * S + l] <= 1) continue;
        if (k === a) ia = i;
        if (k === b) ib = i;
        k++;
      }
      const x = q.orders[l * D + ia];
      q.orders[l * D + ia] = q.orders[l * D + ib];
      q.orders[l * D + ib] = x;
      if (sp.precedence[l].length > 0) {
        const o = this.order;
        for (let i = 0; i < D; i++) o[i] = q.orders[l * D + i];
        imposePrecedence(o, sp.precedence[l]);
        let changed = false;
        for (let i = 0; i < D; i++) {
          if (o[i] !== p.orders[l * D + i]) changed = true;
          q.orders[l * D + i] = o[i];
        }
        return changed;
      }
      return true;
    }
    const k = this.freeKeep[rng.int(this.freeKeep.length)];
    q.keep[k] ^= 1;
    return this.everyTensorHasAHome(q.keep);
  }
}

/** A fresh random point (tests, tools), or undefined when no tiling fits. */
export function randomPoint(space: MapSpace, rng: Rng): Point | undefined {
  const p = newPoint(space);
  return new Sampler(space).randomPoint(rng, p) ? p : undefined;
}
