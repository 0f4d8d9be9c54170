/**
 * Closed-form delta analysis. Timeloop's walk visits, for every loop above a level, only iterations #0 and #1
 * (the second scaled by n-1), so the visit sequence of a child tile is a binary counter over those loops; tiles are
 * translations of one mold, so a visit's delta depends only on the loop that advanced and on a tiny state (the
 * last gradient and the previous delta). A dynamic programme over (loop, state) therefore yields exactly the
 * numbers of the recursive walk in nest-analysis.ts, in time linear in the number of loops. Spatial children are
 * translations of each other, so multicast groups and link transfers follow from their projected offsets.
 */
import { type Box, boxSize, deltaAndRemember } from './aahr.ts';
import type { AccessStats, LoopInfo, RawNestResult } from './nest-analysis.ts';
import { nestGeometry } from './nest-geometry.ts';
import type { NestProblem, NestTensor } from './nest-types.ts';

interface StepAcc {
  acc: AccessStats;
  link: number;
}

interface Stream {
  /** Projected translation of the child tile when loop k advances (inner loops reset). */
  readonly trans: Int32Array[];
  readonly ends: readonly number[];
  /** Tile extents per rank (all 1 for compute units). */
  readonly extent: Int32Array;
  /** Compute units: the need is the raw point each step, not a delta. */
  readonly raw: boolean;
  /** The children under a master spatial loop, or null without fan-out. */
  readonly spatial: SpatialChildren | null;
}

interface SpatialChildren {
  /** Per child (linear spatial index): its projected offset as a key. */
  readonly keys: readonly string[];
  /** Sizes of the groups of children with equal offsets (each group is served by one multicast access). */
  readonly groupSizes: readonly number[];
  /** For a shift (offset of a neighbour minus own offset), the children having such a neighbour. */
  readonly reuseByShift: ReadonlyMap<string, readonly number[]>;
}

function spatialChildren(offs: readonly Int32Array[], h: number, v: number): SpatialChildren {
  const keys = offs.map((o) => o.join(','));
  const groups = new Map<string, number>();
  for (const k of keys) groups.set(k, (groups.get(k) ?? 0) + 1);
  const reuse = new Map<string, Set<number>>();
  const pair = (c: number, nb: number): void => {
    if (c >= offs.length || nb >= offs.length) return;
    const d = new Int32Array(offs[c].length);
    for (let i = 0; i < d.length; i++) d[i] = offs[nb][i] - offs[c][i];
    const k = d.join(',');
    let set = reuse.get(k);
    if (!set) reuse.set(k, (set = new Set()));
    set.add(c);
  };
  // Neighbours in the physical mesh, as Timeloop's link-transfer check visits them.
  if (v > 1) {
    for (let x = 0; x < h; x++) for (let y = 1; y < v; y++) pair(y * h + x, (y - 1) * h + x);
    for (let x = 0; x < h; x++) for (let y = 0; y < v - 1; y++) pair(y * h + x, (y + 1) * h + x);
  }
  if (h > 1) {
    for (let y = 0; y < v; y++) for (let x = 1; x < h; x++) pair(y * h + x, y * h + x - 1);
    for (let y = 0; y < v; y++) for (let x = 0; x < h - 1; x++) pair(y * h + x, y * h + x + 1);
  }
  const reuseByShift = new Map<string, number[]>();
  for (const [k, set] of reuse) reuseByShift.set(k, [...set]);
  return { keys, groupSizes: [...groups.values()], reuseByShift };
}

interface VisitState {
  grad: { dim: number; value: number };
  prev: Box | null;
}

const addAcc = (into: AccessStats, from: AccessStats, w: number): void => {
  for (const [m, a] of from) into.set(m, (into.get(m) ?? 0) + a * w);
};

function project(t: NestTensor, op: readonly number[]): Int32Array {
  const r = new Int32Array(t.projection.length);
  t.projection.forEach((rank, k) => {
    let c = 0;
    for (const term of rank) c += term.coeff * op[term.dim];
    r[k] = c;
  });
  return r;
}

const boxAt = (origin: Int32Array, extent: Int32Array): Box => {
  const min = Int32Array.from(origin);
  const max = new Int32Array(origin.length);
  for (let i = 0; i < origin.length; i++) max[i] = origin[i] + extent[i];
  return { min, max };
};

/** One visit: the child's delta (relative to its new tile at the origin) and the parent's access for the step. */
function visit(s: Stream, st: VisitState, t: Int32Array | null): { step: StepAcc; next: VisitState } {
  const R = s.extent.length;
  const tile = boxAt(new Int32Array(R), s.extent);
  let delta: Box;
  let grad = st.grad;
  if (s.raw || t === null) {
    delta = tile;
    if (!s.raw) grad = { dim: 0, value: 0 };
  } else {
    const prevOrigin = new Int32Array(R);
    for (let i = 0; i < R; i++) prevOrigin[i] = -t[i];
    const mem = { box: boxAt(prevOrigin, s.extent), grad: { ...st.grad } };
    delta = deltaAndRemember(tile, mem);
    grad = mem.grad;
  }
  const size = boxSize(delta);
  const acc: AccessStats = new Map();
  let link = 0;
  if (size > 0) {
    const sp = s.spatial;
    if (!sp) acc.set(1, size);
    else {
      // Link transfers: a child whose delta equals a neighbour's previous delta, i.e. the delta moved by exactly
      // the offset between the two children.
      let reused: readonly number[] | undefined;
      if (st.prev && t !== null && boxSize(st.prev) > 0) {
        let sameShape = true;
        for (let i = 0; i < R; i++) if (delta.max[i] - delta.min[i] !== st.prev.max[i] - st.prev.min[i]) sameShape = false;
        if (sameShape) {
          const shift = new Int32Array(R);
          for (let i = 0; i < R; i++) shift[i] = st.prev.min[i] - t[i] - delta.min[i];
          reused = sp.reuseByShift.get(shift.join(','));
        }
      }
      let linked = false;
      if (reused && reused.length > 0) {
        const skip = new Set(reused);
        const groupRest = new Map<string, number>();
        sp.keys.forEach((k, c) => {
          if (!skip.has(c)) groupRest.set(k, (groupRest.get(k) ?? 0) + 1);
        });
        if (groupRest.size < sp.groupSizes.length) {
          for (const m of groupRest.values()) acc.set(m, (acc.get(m) ?? 0) + size);
          link = reused.length * size;
          linked = true;
        }
      }
      if (!linked) for (const m of sp.groupSizes) acc.set(m, (acc.get(m) ?? 0) + size);
    }
  }
  return { step: { acc, link }, next: { grad, prev: delta } };
}

const stateKey = (st: VisitState): string =>
  `${st.grad.dim}:${Math.sign(st.grad.value)}:${st.prev ? `${st.prev.min.join(',')}/${st.prev.max.join(',')}` : '-'}`;

/** Sum over the binary-counter visit sequence: the first visit, then the programme over loops 0..m-1. */
function runStream(s: Stream): { acc: AccessStats; link: number; deltaSum: number } {
  const memo = new Map<string, { acc: AccessStats; link: number; end: VisitState }>();
  const G = (k: number, st: VisitState): { acc: AccessStats; link: number; end: VisitState } => {
    if (k === s.ends.length) return { acc: new Map(), link: 0, end: st };
    const key = `${k}|${stateKey(st)}`;
    const hit = memo.get(key);
    if (hit) return hit;
    const r1 = G(k + 1, st);
    const v = visit(s, r1.end, s.trans[k]);
    const r2 = G(k + 1, v.next);
    const w = s.ends[k] - 1;
    const acc: AccessStats = new Map();
    addAcc(acc, r1.acc, 1);
    addAcc(acc, v.step.acc, w);
    addAcc(acc, r2.acc, w);
    const res = { acc, link: r1.link + w * (v.step.link + r2.link), end: r2.end };
    memo.set(key, res);
    return res;
  };
  const first = visit(s, { grad: { dim: 0, value: 0 }, prev: null }, null);
  const rest = G(0, first.next);
  const acc: AccessStats = new Map();
  addAcc(acc, first.step.acc, 1);
  addAcc(acc, rest.acc, 1);
  let deltaSum = 0;
  for (const a of acc.values()) deltaSum += a;
  return { acc, link: first.step.link + rest.link, deltaSum };
}

export function runFastNestAnalysis(p: NestProblem): RawNestResult {
  const g = nestGeometry(p);
  const n = p.loops.length;
  const loops: (LoopInfo | null)[] = new Array(n).fill(null);
  let computeCycles = 1;
  for (const l of p.loops) if (l.kind === 'T') computeCycles *= l.end;
  const tileSizes = (i: number): number[] =>
    p.tensors.map((t) => {
      let s = 1;
      for (const rank of t.projection) {
        let e = 1;
        for (const term of rank) e += term.coeff * g.moldHigh[i][term.dim];
        s *= e;
      }
      return s;
    });
  for (let level = 0; level < p.levelCount; level++) {
    const idx = p.loops.map((_, i) => i).filter((i) => p.loops[i].level === level);
    const b = idx.find((i) => g.boundary[i])!;
    const inner = idx.find((i) => p.loops[i].kind === 'T' || g.master[i])!;
    const m = g.master[inner] ? inner : -1;
    // The stream of needs arriving at this level's inner valid loop: from its children (level-1 tiles or computes).
    const childBoundary = level === 0 ? -1 : p.loops.findIndex((l, i) => l.level === level - 1 && g.boundary[i]);
    const access: AccessStats[] = [];
    const link: number[] = [];
    if (level === 0 && m < 0) {
      let body = 1;
      for (const l of p.loops) if (l.kind === 'T') body *= l.end;
      for (let t = 0; t < p.tensors.length; t++) {
        access.push(new Map([[1, body]]));
        link.push(0);
      }
    } else {
      // Loops above the children that advance between visits (outer to inner), with their op-space steps.
      const lowest = m >= 0 ? m : childBoundary;
      const above: number[] = [];
      for (let i = n - 1; i > lowest; i--) if (p.loops[i].kind === 'T' && p.loops[i].end >= 2) above.push(i);
      const opTrans = above.map((i, k) => {
        const v = new Array<number>(p.dimCount).fill(0);
        v[p.loops[i].dim] += g.vstride[i];
        for (let j = k + 1; j < above.length; j++) v[p.loops[above[j]].dim] -= g.vstride[above[j]];
        return v;
      });
      // Children offsets under a master spatial loop (linear index: outer spatial loops most significant).
      let childOps: number[][] | null = null;
      if (m >= 0) {
        childOps = [new Array<number>(p.dimCount).fill(0)];
        for (let i = m; i >= 0 && p.loops[i].kind !== 'T'; i--) {
          const next: number[][] = [];
          for (const base of childOps) {
            for (let x = 0; x < p.loops[i].end; x++) {
              const o = [...base];
              o[p.loops[i].dim] += x * g.vstride[i];
              next.push(o);
            }
          }
          childOps = next;
        }
      }
      for (const t of p.tensors) {
        const extent = new Int32Array(t.projection.length);
        if (level === 0) extent.fill(1);
        else {
          t.projection.forEach((rank, k) => {
            let e = 1;
            for (const term of rank) e += term.coeff * g.moldHigh[childBoundary][term.dim];
            extent[k] = e;
          });
        }
        const r = runStream({
          trans: opTrans.map((v) => project(t, v)),
          ends: above.map((i) => p.loops[i].end),
          extent,
          raw: level === 0,
          spatial: childOps ? spatialChildren(childOps.map((o) => project(t, o)), p.fanoutX[level], p.fanoutY[level]) : null,
        });
        access.push(r.acc);
        link.push(r.link);
      }
    }
    const zero = p.tensors.map(() => 0);
    const innerInfo: LoopInfo = {
      access,
      maxSize: inner === b ? tileSizes(b) : m >= 0 ? tileSizes(m) : zero,
      link,
      replication: g.numSpatialElems[inner],
      fanout: g.fanout[inner],
      master: m >= 0,
      boundary: inner === b,
    };
    loops[inner] = innerInfo;
    if (inner !== b) {
      loops[b] = {
        access: p.tensors.map(() => new Map()),
        maxSize: tileSizes(b),
        link: zero,
        replication: g.numSpatialElems[b],
        fanout: 1,
        master: false,
        boundary: true,
      };
    }
  }
  return { loops, computeCycles };
}
