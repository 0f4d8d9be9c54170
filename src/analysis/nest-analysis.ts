/**
 * Delta analysis of a loop nest, following Timeloop v3.0.3's legacy nest analysis step by step (recursive
 * ComputeDeltas with uniform temporal extrapolation, spatial deltas with equality-based multicast, and
 * neighbour link transfers), so that counts match Timeloop to the access. See ../../shared/reference/timeloop.
 */
import { type Box, type TrackedBox, boxEqual, boxSize, deltaAndRemember, emptyBox, translated, translation } from './aahr.ts';
import type { NestProblem } from './nest-types.ts';
import { nestGeometry } from './nest-geometry.ts';

/** Accesses keyed by multicast factor. */
export type AccessStats = Map<number, number>;

interface ElementState {
  readonly access: AccessStats[];
  readonly maxSize: number[];
  readonly link: number[];
  readonly last: TrackedBox[];
  prevSpatial: Map<number, Box[]> | null;
}

/** Collected per valid loop (temporal loops and master spatial loops). */
export interface LoopInfo {
  readonly access: AccessStats[];
  readonly maxSize: number[];
  readonly link: number[];
  /** Number of spatial elements above this loop. */
  readonly replication: number;
  /** Spatial fan-out below this loop (master spatial loops), else 1. */
  readonly fanout: number;
  readonly master: boolean;
  readonly boundary: boolean;
}

export interface RawNestResult {
  readonly loops: readonly (LoopInfo | null)[];
  readonly computeCycles: number;
}

export function runNestAnalysis(p: NestProblem): RawNestResult {
  return new NestWalker(p).run();
}

class NestWalker {
  private readonly p: NestProblem;
  private readonly nT: number;
  private readonly boundary: boolean[];
  private readonly master: boolean[];
  private readonly fanout: number[];
  private readonly numSpatialElems: number[];
  private readonly vstride: number[];
  private readonly moldHigh: number[][];
  private readonly live: Map<string, ElementState>[];
  private readonly transform: number[];
  private readonly spaceStamp: number[] = [];
  private readonly level0Boundary: number;
  private epochs = 1;
  private spatialId = 0;
  private computeAccesses = 0;

  constructor(p: NestProblem) {
    this.p = p;
    this.nT = p.tensors.length;
    const g = nestGeometry(p);
    this.boundary = [...g.boundary];
    this.master = [...g.master];
    this.fanout = [...g.fanout];
    this.numSpatialElems = [...g.numSpatialElems];
    this.vstride = [...g.vstride];
    this.moldHigh = g.moldHigh.map((m) => [...m]);
    this.live = p.loops.map(() => new Map<string, ElementState>());
    this.level0Boundary = p.loops.findIndex((l, i) => l.level === 0 && this.boundary[i]);
    if (p.loops.some((l) => l.level === 0 && l.kind !== 'T')) this.level0Boundary = -1;
    this.transform = new Array<number>(p.dimCount).fill(0);
  }

  run(): RawNestResult {
    const n = this.p.loops.length;
    this.computeDeltas(n - 1);
    const loops: (LoopInfo | null)[] = [];
    for (let i = 0; i < n; i++) {
      const valid = this.p.loops[i].kind === 'T' || this.master[i];
      if (!valid) {
        loops.push(null);
        continue;
      }
      const states = [...this.live[i].values()];
      const count = Math.max(1, states.length);
      const access: AccessStats[] = [];
      const maxSize: number[] = [];
      const link: number[] = [];
      for (let t = 0; t < this.nT; t++) {
        const acc: AccessStats = new Map();
        let ms = 0;
        let lk = 0;
        for (const s of states) {
          for (const [m, a] of s.access[t]) acc.set(m, (acc.get(m) ?? 0) + a);
          ms += s.maxSize[t];
          lk += s.link[t];
        }
        for (const [m, a] of acc) acc.set(m, a / count);
        access.push(acc);
        maxSize.push(Math.floor(ms / count));
        link.push(lk / count);
      }
      loops.push({
        access,
        maxSize,
        link,
        replication: this.numSpatialElems[i],
        fanout: this.fanout[i],
        master: this.master[i],
        boundary: this.boundary[i],
      });
    }
    return { loops, computeCycles: this.computeAccesses };
  }

  private stateAt(i: number): ElementState {
    const key = this.spaceStamp.slice(0, -1).join(',');
    let s = this.live[i].get(key);
    if (!s) {
      const ranks = this.p.tensors.map((t) => t.projection.length);
      s = {
        access: ranks.map(() => new Map<number, number>()),
        maxSize: ranks.map(() => 0),
        link: ranks.map(() => 0),
        last: ranks.map((r) => ({ box: emptyBox(r), grad: { dim: 0, value: 0 } })),
        prevSpatial: null,
      };
      this.live[i].set(key, s);
    }
    return s;
  }

  /** The tile of loop i at the current transform, projected into every tensor. */
  private pointSet(i: number): Box[] {
    const high = this.moldHigh[i];
    return this.p.tensors.map((t) => {
      const r = t.projection.length;
      const min = new Int32Array(r);
      const max = new Int32Array(r);
      for (let k = 0; k < r; k++) {
        let lo = 0;
        let hi = 0;
        for (const term of t.projection[k]) {
          lo += term.coeff * this.transform[term.dim];
          hi += term.coeff * (this.transform[term.dim] + high[term.dim]);
        }
        min[k] = lo;
        max[k] = hi + 1;
      }
      return { min, max };
    });
  }

  private computeDeltas(i: number): Box[] | null {
    const isBoundary = this.boundary[i];
    if (isBoundary) this.spaceStamp.push(0);
    const state = this.stateAt(i);
    if (i === this.level0Boundary) this.level0Body(i, state);
    else if (this.p.loops[i].kind === 'T') this.temporal(i, state);
    else this.spatial(i, state);
    let delta: Box[] | null = null;
    if (isBoundary || this.master[i]) {
      const ps = this.pointSet(i);
      for (let t = 0; t < this.nT; t++) state.maxSize[t] = Math.max(state.maxSize[t], boxSize(ps[t]));
      if (isBoundary) delta = ps.map((b, t) => deltaAndRemember(b, state.last[t]));
    }
    if (isBoundary) this.spaceStamp.pop();
    return delta;
  }

  /**
   * The innermost level with only temporal loops: walking its loops would only count body iterations (every
   * compute touches every tensor once at loop 0), so count them in one step.
   */
  private level0Body(i: number, state: ElementState): void {
    let body = this.epochs;
    for (let j = 0; j <= i; j++) body *= this.p.loops[j].end;
    if (this.spatialId === 0) this.computeAccesses += body;
    // Timeloop records the innermost level's statistics at loop 0 (same spatial stamp as this boundary).
    const inner = i === 0 ? state : this.stateAt(0);
    for (let t = 0; t < this.nT; t++) this.addAccess(inner, t, 1, body);
  }

  private addAccess(state: ElementState, t: number, multicast: number, n: number): void {
    if (n === 0) return;
    const acc = state.access[t];
    acc.set(multicast, (acc.get(multicast) ?? 0) + n);
  }

  private temporal(i: number, state: ElementState): void {
    const loop = this.p.loops[i];
    const n = loop.end;
    if (i === 0) {
      const body = n * this.epochs;
      if (this.spatialId === 0) this.computeAccesses += body;
      for (let t = 0; t < this.nT; t++) this.addAccess(state, t, 1, body);
      return;
    }
    const childIsBoundary = this.boundary[i - 1];
    const sums = new Array<number>(this.nT).fill(0);
    const saved = this.transform[loop.dim];
    const scale = this.vstride[i];
    const d0 = this.computeDeltas(i - 1);
    if (childIsBoundary && d0) for (let t = 0; t < this.nT; t++) sums[t] += boxSize(d0[t]);
    this.transform[loop.dim] += scale;
    if (n >= 2) {
      const savedEpochs = this.epochs;
      this.epochs *= n - 1;
      const d1 = this.computeDeltas(i - 1);
      this.epochs = savedEpochs;
      if (childIsBoundary && d1) for (let t = 0; t < this.nT; t++) sums[t] += boxSize(d1[t]) * (n - 1);
    }
    this.transform[loop.dim] = saved;
    if (childIsBoundary) for (let t = 0; t < this.nT; t++) this.addAccess(state, t, 1, sums[t] * this.epochs);
  }

  private spatial(i: number, state: ElementState): void {
    const nElems = this.fanout[i];
    this.spatialId *= nElems;
    const deltas = new Map<number, Box[]>();
    this.fillSpatialDeltas(i, deltas, 0);
    this.spatialId /= nElems;

    const all = [...deltas.keys()];
    const without = this.multicast(deltas, this.p.tensors.map(() => all));
    const level = this.p.loops[i].level;
    const { reused, counts } = this.linkTransfers(state, deltas, this.p.fanoutX[level], this.p.fanoutY[level]);
    const remaining = reused.map((set) => all.filter((k) => !set.has(k)));
    const anyLinks = reused.some((set) => set.size > 0);
    const withLinks = anyLinks ? this.multicast(deltas, remaining) : without;
    for (let t = 0; t < this.nT; t++) {
      const total = (m: AccessStats): number => [...m.values()].reduce((a, b) => a + b, 0);
      const useLinks = total(withLinks[t]) < total(without[t]);
      if (useLinks) state.link[t] += counts[t];
      for (const [m, a] of useLinks ? withLinks[t] : without[t]) this.addAccess(state, t, m, a);
    }
  }

  /** Group equal spatial deltas: one parent access serves every child in a group (multicast). */
  private multicast(deltas: Map<number, Box[]>, keysPerTensor: number[][]): AccessStats[] {
    const out: AccessStats[] = [];
    for (let t = 0; t < this.nT; t++) {
      // Equal deltas form one multicast group: bucket by a numeric hash, confirm by exact comparison.
      const buckets = new Map<number, { box: Box; size: number; members: number }[]>();
      const groups: { size: number; members: number }[] = [];
      for (const k of keysPerTensor[t]) {
        const b = deltas.get(k)![t];
        const size = boxSize(b);
        if (size === 0) continue;
        let h = 17;
        for (let r = 0; r < b.min.length; r++) h = (Math.imul(h, 31) + b.min[r] * 7919 + b.max[r]) | 0;
        let list = buckets.get(h);
        if (!list) buckets.set(h, (list = []));
        const g = list.find((x) => boxEqual(x.box, b));
        if (g) g.members++;
        else {
          const ng = { box: b, size, members: 1 };
          list.push(ng);
          groups.push(ng);
        }
      }
      const acc: AccessStats = new Map();
      for (const g of groups) acc.set(g.members, (acc.get(g.members) ?? 0) + g.size * this.epochs);
      out.push(acc);
    }
    return out;
  }

  /** Children whose delta equals a neighbour's delta of the previous step get it over a link, not the parent. */
  private linkTransfers(state: ElementState, cur: Map<number, Box[]>, h: number, v: number): { reused: Set<number>[]; counts: number[] } {
    const reused = this.p.tensors.map(() => new Set<number>());
    const prev = state.prevSpatial;
    const compare = (c: number, q: number): void => {
      const cd = cur.get(c);
      const pd = prev?.get(q);
      if (!cd || !pd) return;
      for (let t = 0; t < this.nT; t++) if (boxSize(cd[t]) > 0 && boxEqual(cd[t], pd[t])) reused[t].add(c);
    };
    if (v > 1) {
      for (let x = 0; x < h; x++) for (let y = 1; y < v; y++) compare(y * h + x, (y - 1) * h + x);
      for (let x = 0; x < h; x++) for (let y = 0; y < v - 1; y++) compare(y * h + x, (y + 1) * h + x);
    }
    if (h > 1) {
      for (let y = 0; y < v; y++) for (let x = 1; x < h; x++) compare(y * h + x, y * h + x - 1);
      for (let y = 0; y < v; y++) for (let x = 0; x < h - 1; x++) compare(y * h + x, y * h + x + 1);
    }
    const counts = reused.map((set, t) => {
      let c = 0;
      for (const k of set) c += boxSize(cur.get(k)![t]) * this.epochs;
      return c;
    });
    state.prevSpatial = cur;
    return { reused, counts };
  }

  private fillSpatialDeltas(i: number, deltas: Map<number, Box[]>, baseIn: number): void {
    const loop = this.p.loops[i];
    const end = loop.end;
    const base = baseIn * end;
    if (i === 0) {
      if (base === 0 && this.spatialId === 0) this.computeAccesses += this.epochs;
      const saved = this.transform[loop.dim];
      for (let idx = 0; idx < end; idx++) {
        this.transform[loop.dim] = saved + idx * this.vstride[0];
        deltas.set(base + idx, this.unitPoint());
      }
      this.transform[loop.dim] = saved;
      return;
    }
    const saved = this.transform[loop.dim];
    const scale = this.vstride[i];
    const origSpatial = this.spatialId;
    if (this.p.loops[i - 1].kind !== 'T') {
      for (let idx = 0; idx < end; idx++) {
        this.fillSpatialDeltas(i - 1, deltas, base + idx);
        this.transform[loop.dim] += scale;
      }
    } else {
      const runs = Math.min(3, end);
      let secondLast: Box[] | null = null;
      let last: Box[] | null = null;
      for (let idx = 0; idx < runs; idx++) {
        this.spatialId = origSpatial + base + idx;
        this.spaceStamp[this.spaceStamp.length - 1] = base + idx;
        const d = this.computeDeltas(i - 1)!;
        deltas.set(base + idx, d);
        this.transform[loop.dim] += scale;
        secondLast = last;
        last = d;
      }
      if (end > runs && secondLast && last) {
        const tr = last.map((b, t) => translation(secondLast![t], b));
        let prev = last;
        for (let idx = runs; idx < end; idx++) {
          const d = prev.map((b, t) => translated(b, tr[t]));
          deltas.set(base + idx, d);
          prev = d;
        }
      }
    }
    this.transform[loop.dim] = saved;
    this.spatialId = origSpatial;
  }

  /** The single operation point at the current transform, projected into every tensor (a compute unit's need). */
  private unitPoint(): Box[] {
    return this.p.tensors.map((t) => {
      const r = t.projection.length;
      const min = new Int32Array(r);
      const max = new Int32Array(r);
      for (let k = 0; k < r; k++) {
        let c = 0;
        for (const term of t.projection[k]) c += term.coeff * this.transform[term.dim];
        min[k] = c;
        max[k] = c + 1;
      }
      return { min, max };
    });
  }
}
