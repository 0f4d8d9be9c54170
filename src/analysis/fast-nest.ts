/**
 * Closed-form delta analysis. Timeloop's walk visits, for every loop above a level, only iterations #0 and #1
 * (the second scaled by n-1), so the visit sequence of a child tile is a binary counter over those loops; tiles are
 * translations of one mold, so a visit's delta depends only on the loop that advanced and on a tiny state (the
 * last gradient and the previous delta). A dynamic programme over (loop, state) therefore yields exactly the
 * numbers of the recursive walk in nest-analysis.ts, in time linear in the number of loops. Spatial children are
 * translations of each other, so multicast groups and link transfers follow from their projected offsets.
 */
import { spatialChildren } from './fast-spatial.ts';
import { runStream } from './fast-stream.ts';
import type { AccessStats, LoopInfo, RawNestResult } from './nest-analysis.ts';
import { nestGeometry } from './nest-geometry.ts';
import type { NestProblem, NestTensor } from './nest-types.ts';

/** A tensor's projection in compressed rows: terms of rank r are start[r] .. start[r+1]-1. Memoized per tensor. */
interface Csr {
  readonly start: Int32Array;
  readonly dim: Int32Array;
  readonly coeff: Int32Array;
}
const CSR = new WeakMap<NestTensor, Csr>();
/** Scratch for suffix sums of projected loop steps (ranks per tensor). */
let suffix: number[] = new Array<number>(16).fill(0);
function csr(t: NestTensor): Csr {
  let a = CSR.get(t);
  if (a) return a;
  const R = t.projection.length;
  let n = 0;
  for (const rank of t.projection) n += rank.length;
  a = { start: new Int32Array(R + 1), dim: new Int32Array(n), coeff: new Int32Array(n) };
  let k = 0;
  for (let r = 0; r < R; r++) {
    a.start[r] = k;
    for (const term of t.projection[r]) {
      a.dim[k] = term.dim;
      a.coeff[k] = term.coeff;
      k++;
    }
  }
  a.start[R] = k;
  CSR.set(t, a);
  return a;
}

/** Sizes of the tiles of every tensor for a mold (per dim: extent - 1). */
function tileSizes(p: NestProblem, mold: readonly number[]): number[] {
  const out = new Array<number>(p.tensors.length);
  for (let t = 0; t < p.tensors.length; t++) {
    const c = csr(p.tensors[t]);
    const R = c.start.length - 1;
    let s = 1;
    for (let r = 0; r < R; r++) {
      let e = 1;
      for (let k = c.start[r]; k < c.start[r + 1]; k++) e += c.coeff[k] * mold[c.dim[k]];
      s *= e;
    }
    out[t] = s;
  }
  return out;
}

/** Coefficient of dim d in rank r (summed over its terms). */
function coeffOf(c: Csr, r: number, d: number): number {
  let x = 0;
  for (let q = c.start[r]; q < c.start[r + 1]; q++) if (c.dim[q] === d) x += c.coeff[q];
  return x;
}

export function runFastNestAnalysis(p: NestProblem): RawNestResult {
  const g = nestGeometry(p);
  const n = p.loops.length;
  const D = p.dimCount;
  const nT = p.tensors.length;
  const loops: (LoopInfo | null)[] = new Array<LoopInfo | null>(n).fill(null);
  let computeCycles = 1;
  for (let i = 0; i < n; i++) if (p.loops[i].kind === 'T') computeCycles *= p.loops[i].end;
  // Per level: its boundary loop and its innermost valid loop (first temporal or master spatial loop).
  const boundaryOf = new Array<number>(p.levelCount).fill(-1);
  const innerOf = new Array<number>(p.levelCount).fill(-1);
  for (let i = 0; i < n; i++) {
    const l = p.loops[i];
    if (g.boundary[i]) boundaryOf[l.level] = i;
    if (innerOf[l.level] < 0 && (l.kind === 'T' || g.master[i])) innerOf[l.level] = i;
  }
  const zero = new Array<number>(nT).fill(0);
  for (let level = 0; level < p.levelCount; level++) {
    const b = boundaryOf[level];
    const inner = innerOf[level];
    const m = g.master[inner] ? inner : -1;
    // The stream of needs arriving at this level's inner valid loop: from its children (level-1 tiles or computes).
    const childBoundary = level === 0 ? -1 : boundaryOf[level - 1];
    const access: AccessStats[] = [];
    const link: number[] = [];
    if (level === 0 && m < 0) {
      for (let t = 0; t < nT; t++) {
        access.push(new Map([[1, computeCycles]]));
        link.push(0);
      }
    } else {
      // Loops above the children that advance between visits (outer to inner).
      const lowest = m >= 0 ? m : childBoundary;
      const above: number[] = [];
      for (let i = n - 1; i > lowest; i--) if (p.loops[i].kind === 'T' && p.loops[i].end >= 2) above.push(i);
      const ends = above.map((i) => p.loops[i].end);
      // Spatial loops of the master run, outermost first.
      const spatialLoops: number[] = [];
      if (m >= 0) for (let i = m; i >= 0 && p.loops[i].kind !== 'T'; i--) spatialLoops.push(i);
      const mold = childBoundary >= 0 ? g.moldHigh[childBoundary] : null;
      for (let ti = 0; ti < nT; ti++) {
        const t = p.tensors[ti];
        const R = t.projection.length;
        const c = csr(t);
        const extent: number[] = new Array<number>(R);
        for (let r = 0; r < R; r++) {
          let e = 1;
          if (mold) for (let q = c.start[r]; q < c.start[r + 1]; q++) e += c.coeff[q] * mold[c.dim[q]];
          extent[r] = e;
        }
        // Projected translation when loop above[k] advances and the loops inside it reset (suffix sums).
        const A = above.length;
        const trans: number[] = new Array<number>(A * R);
        if (suffix.length < R) suffix = new Array<number>(R).fill(0);
        for (let k = A - 1; k >= 0; k--) {
          const i = above[k];
          const col = p.loops[i].dim;
          const vs = g.vstride[i];
          for (let r = 0; r < R; r++) {
            const stepR = coeffOf(c, r, col) * vs;
            // trans[k] = step_k - sum_{j>k} step_j ; keep the running suffix sum in trans[A-1 ..] order
            trans[k * R + r] = stepR - (k + 1 < A ? suffix[r] : 0);
            suffix[r] = (k + 1 < A ? suffix[r] : 0) + stepR;
          }
        }
        let spatial = null;
        if (m >= 0) {
          const steps = spatialLoops.map((i) => {
            const u: number[] = new Array<number>(R);
            for (let r = 0; r < R; r++) u[r] = coeffOf(c, r, p.loops[i].dim) * g.vstride[i];
            return u;
          });
          spatial = spatialChildren(steps, spatialLoops.map((i) => p.loops[i].end), R, p.fanoutX[level], p.fanoutY[level]);
        }
        const res = runStream({ trans, ends, extent, raw: level === 0, spatial });
        access.push(res.acc);
        link.push(res.link);
      }
    }
    const innerInfo: LoopInfo = {
      access,
      maxSize: inner === b ? tileSizes(p, g.moldHigh[b]) : m >= 0 ? tileSizes(p, g.moldHigh[m]) : zero,
      link,
      replication: g.numSpatialElems[inner],
      fanout: g.fanout[inner],
      master: m >= 0,
      boundary: inner === b,
    };
    loops[inner] = innerInfo;
    if (inner !== b) {
      loops[b] = {
        access: p.tensors.map(() => new Map<number, number>()),
        maxSize: tileSizes(p, g.moldHigh[b]),
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
