/**
 * One loop nest of a layer (all tensors, or the SNN tensors on the nest with the reduction loops removed), analysed
 * in typed arrays that are reused across mappings: loops, geometry, the visit streams of every (level, tensor) and
 * Timeloop's collapse into per-level counts (partition sizes, parent shares, bypass masking, first-read elision).
 * Equal, number for number, to collapse(runNestAnalysis(buildNest(...))) (the step-by-step Timeloop walk).
 */
import type { Mapping } from '../mapping/types.ts';
import { spatialChildren } from './fast-spatial.ts';
import { StreamKernel } from './kernel-stream.ts';
import { StreamMemo } from './stream-memo.ts';
import type { NestProblem, NestTensor } from './nest-types.ts';
import { projectionRows } from '../workload/projection-rows.ts';

const KIND_T = 0;
const KIND_X = 1;
const KIND_Y = 2;

/** Per-level, per-tensor counts of one nest; index = internal level (0 = innermost) * tensors + tensor. */
export interface NestOutput {
  readonly kept: Uint8Array;
  readonly reads: Float64Array;
  readonly fills: Float64Array;
  readonly updates: Float64Array;
  readonly size: Float64Array;
  readonly partition: Float64Array;
  readonly instances: Float64Array;
  readonly temporalReductions: Float64Array;
  readonly multicast: Float64Array;
  readonly spatialReductions: Float64Array;
  readonly linkTransfers: Float64Array;
}

function output(n: number): NestOutput {
  return {
    kept: new Uint8Array(n), reads: new Float64Array(n), fills: new Float64Array(n), updates: new Float64Array(n),
    size: new Float64Array(n), partition: new Float64Array(n), instances: new Float64Array(n),
    temporalReductions: new Float64Array(n), multicast: new Float64Array(n), spatialReductions: new Float64Array(n),
    linkTransfers: new Float64Array(n),
  };
}

export class NestKernel {
  readonly L: number;
  readonly D: number;
  readonly nT: number;
  readonly out: NestOutput;
  computeCycles = 1;
  computeInstances = 1;
  // tensors in compressed rows
  private readonly readWrite: Uint8Array;
  private readonly gate: Float64Array;
  private readonly rankStart: Int32Array; // per tensor: first rank index
  private readonly termStart: Int32Array; // per rank: first term
  private readonly termDim: Int32Array;
  private readonly termCoeff: Float64Array;
  /** Coefficient of dim d in rank r (summed over its terms): coeff[r * D + d]. */
  private readonly coeff: Float64Array;
  private readonly drop: Uint8Array;
  private readonly fanX: Float64Array;
  private readonly fanY: Float64Array;
  // loops (innermost first)
  private n = 0;
  private lDim = new Int32Array(64);
  private lEnd = new Float64Array(64);
  private lKind = new Uint8Array(64);
  private lLevel = new Int32Array(64);
  // geometry
  private boundary = new Uint8Array(64);
  private master = new Uint8Array(64);
  private fanout = new Float64Array(64);
  private spatialElems = new Float64Array(64);
  private vstride = new Float64Array(64);
  private mold = new Float64Array(64 * 8);
  private readonly scale: Float64Array;
  private readonly boundaryOf: Int32Array;
  private readonly innerOf: Int32Array;
  // per (level, tensor) stream summaries and tile facts
  private readonly tContent: Float64Array;
  private readonly tWeighted: Float64Array;
  private readonly tMaxM: Float64Array;
  private readonly tRed: Float64Array;
  private readonly tLink: Float64Array;
  private readonly tSize: Float64Array;
  private readonly tMasterSize: Float64Array;
  private readonly lvMaster: Uint8Array;
  private readonly lvFanout: Float64Array;
  private readonly lvRepl: Float64Array;
  // collapse scratch (per level of one tensor)
  private readonly cPfd: Float64Array;
  private readonly cPart: Float64Array;
  private readonly cShare: Float64Array;
  private readonly cPeerA: Float64Array;
  private readonly cPeerF: Float64Array;
  private readonly cContent: Float64Array;
  private readonly cWeighted: Float64Array;
  private readonly cRed: Float64Array;
  private readonly cMaxM: Float64Array;
  private readonly cLink: Float64Array;
  private readonly cMasked: Uint8Array;
  private readonly cKeep: Uint8Array;
  private readonly stream = new StreamKernel();
  private readonly memo: StreamMemo[];
  private key = new Float64Array(64);
  private above = new Int32Array(64);
  private spatialSteps = new Float64Array(256);
  private spatialEnds = new Float64Array(32);
  private readonly suffix: Float64Array;

  /**
   * @param fanX, fanY physical fan-out of each level to its children along X and Y, internal level order (0 =
   *   innermost)
   */
  /**
   * @param gates per tensor, the fraction of compute-unit accesses that happen (zero-skipping: an op on a zero input
   *   spike reads no weight and updates no partial sum); default 1
   */
  constructor(L: number, dimCount: number, tensors: readonly NestTensor[], fanX: ArrayLike<number>, fanY: ArrayLike<number>, dropDims: readonly number[], gates?: ArrayLike<number>) {
    this.L = L;
    this.D = dimCount;
    this.nT = tensors.length;
    this.out = output(L * this.nT);
    this.readWrite = Uint8Array.from(tensors, (t) => (t.readWrite ? 1 : 0));
    this.gate = Float64Array.from(tensors, (_, i) => (gates ? gates[i] : 1));
    let maxR = 1;
    for (const t of tensors) maxR = Math.max(maxR, t.projection.length);
    this.suffix = new Float64Array(maxR);
    const rows = projectionRows(tensors);
    ({ rankStart: this.rankStart, termStart: this.termStart, termDim: this.termDim, termCoeff: this.termCoeff } = rows);
    this.coeff = new Float64Array(rows.ranks * dimCount);
    for (let r = 0; r < rows.ranks; r++) {
      for (let q = this.termStart[r]; q < this.termStart[r + 1]; q++) this.coeff[r * dimCount + this.termDim[q]] += this.termCoeff[q];
    }
    this.drop = new Uint8Array(dimCount);
    for (const d of dropDims) this.drop[d] = 1;
    this.fanX = Float64Array.from(fanX);
    this.fanY = Float64Array.from(fanY);
    this.scale = new Float64Array(dimCount);
    this.boundaryOf = new Int32Array(L);
    this.innerOf = new Int32Array(L);
    const LT = L * this.nT;
    this.tContent = new Float64Array(LT);
    this.tWeighted = new Float64Array(LT);
    this.tMaxM = new Float64Array(LT);
    this.tRed = new Float64Array(LT);
    this.tLink = new Float64Array(LT);
    this.tSize = new Float64Array(LT);
    this.tMasterSize = new Float64Array(LT);
    this.lvMaster = new Uint8Array(L);
    this.lvFanout = new Float64Array(L);
    this.lvRepl = new Float64Array(L);
    this.cPfd = new Float64Array(L);
    this.cPart = new Float64Array(L);
    this.cShare = new Float64Array(L);
    this.cPeerA = new Float64Array(L);
    this.cPeerF = new Float64Array(L);
    this.cContent = new Float64Array(L);
    this.cWeighted = new Float64Array(L);
    this.cRed = new Float64Array(L);
    this.cMaxM = new Float64Array(L);
    this.cLink = new Float64Array(L);
    this.cMasked = new Uint8Array(L);
    this.cKeep = new Uint8Array(L);
    this.memo = Array.from({ length: L }, () => new StreamMemo(this.nT));
  }

  /** Analyse `mapping` with keep bits keep[arch level * keepStride + tensorIndex[tensor of this nest]]. */
  run(mapping: Mapping, keep: Uint8Array, keepStride: number, tensorIndex: Int32Array): void {
    this.buildLoops(mapping);
    this.geometry();
    this.streams();
    this.collapse(keep, keepStride, tensorIndex);
  }

  /** Analyse a nest given as loops (tests compare this with the step-by-step walk on random nests). */
  runProblem(p: NestProblem): void {
    this.n = 0;
    for (const l of p.loops) this.pushLoop(l.dim, l.end, l.kind === 'T' ? KIND_T : l.kind === 'X' ? KIND_X : KIND_Y, l.level);
    const L = this.L;
    const keep = new Uint8Array(L * this.nT);
    for (let level = 0; level < L; level++) for (let t = 0; t < this.nT; t++) keep[(L - 1 - level) * this.nT + t] = p.keep[level][t] ? 1 : 0;
    this.geometry();
    this.streams();
    this.collapse(keep, this.nT, Int32Array.from({ length: this.nT }, (_, t) => t));
  }

  private pushLoop(dim: number, end: number, kind: number, level: number): void {
    if (this.n === this.lDim.length) {
      const m = 2 * this.n;
      const g = <A extends Int32Array | Float64Array | Uint8Array>(a: A, make: (n: number) => A): A => {
        const b = make(m);
        b.set(a);
        return b;
      };
      this.lDim = g(this.lDim, (x) => new Int32Array(x));
      this.lEnd = g(this.lEnd, (x) => new Float64Array(x));
      this.lKind = g(this.lKind, (x) => new Uint8Array(x));
      this.lLevel = g(this.lLevel, (x) => new Int32Array(x));
    }
    const i = this.n++;
    this.lDim[i] = dim;
    this.lEnd[i] = end;
    this.lKind[i] = kind;
    this.lLevel[i] = level;
  }

  /** The innermost-first nest of buildNest(): per level its spatial loops (X inner to Y), then temporal loops. */
  private buildLoops(mapping: Mapping): void {
    this.n = 0;
    const L = this.L;
    const drop = this.drop;
    for (let level = 0; level < L; level++) {
      const m = mapping.levels[L - 1 - level];
      const sp = m.spatial;
      // Y loops outside X loops, each in its written order; reversed to innermost first.
      for (let i = sp.length - 1; i >= 0; i--) {
        const s = sp[i];
        if (s.axis === 'X' && s.factor > 1 && !drop[s.dim]) this.pushLoop(s.dim, s.factor, KIND_X, level);
      }
      for (let i = sp.length - 1; i >= 0; i--) {
        const s = sp[i];
        if (s.axis === 'Y' && s.factor > 1 && !drop[s.dim]) this.pushLoop(s.dim, s.factor, KIND_Y, level);
      }
      const tl = m.temporal;
      let any = false;
      for (let i = tl.length - 1; i >= 0; i--) {
        const t = tl[i];
        if (t.factor > 1 && !drop[t.dim]) {
          this.pushLoop(t.dim, t.factor, KIND_T, level);
          any = true;
        }
      }
      if (!any) this.pushLoop(0, 1, KIND_T, level);
    }
  }

  private geometry(): void {
    const n = this.n;
    const D = this.D;
    if (this.boundary.length < n) {
      this.boundary = new Uint8Array(2 * n);
      this.master = new Uint8Array(2 * n);
      this.fanout = new Float64Array(2 * n);
      this.spatialElems = new Float64Array(2 * n);
      this.vstride = new Float64Array(2 * n);
    }
    if (this.mold.length < n * D) this.mold = new Float64Array(2 * n * D);
    const kind = this.lKind;
    const level = this.lLevel;
    for (let i = 0; i < n; i++) {
      this.boundary[i] = kind[i] === KIND_T && (i + 1 === n || level[i + 1] !== level[i]) ? 1 : 0;
    }
    let prod = 1;
    let prevSpatial = false;
    for (let i = n - 1; i >= 0; i--) {
      this.spatialElems[i] = prod;
      const spatial = kind[i] !== KIND_T;
      this.master[i] = spatial && !prevSpatial ? 1 : 0;
      if (spatial) prod *= this.lEnd[i];
      prevSpatial = spatial;
    }
    for (let i = 0; i < n; i++) {
      let f = 1;
      if (this.master[i]) for (let j = i; j >= 0 && kind[j] !== KIND_T; j--) f *= this.lEnd[j];
      this.fanout[i] = f;
    }
    const scale = this.scale;
    scale.fill(1);
    let cc = 1;
    let ci = 1;
    for (let i = 0; i < n; i++) {
      const d = this.lDim[i];
      this.vstride[i] = scale[d];
      scale[d] *= this.lEnd[i];
      const base = i * D;
      for (let x = 0; x < D; x++) this.mold[base + x] = scale[x] - 1;
      if (kind[i] === KIND_T) cc *= this.lEnd[i];
      else ci *= this.lEnd[i];
    }
    this.computeCycles = cc;
    this.computeInstances = ci;
    this.boundaryOf.fill(-1);
    this.innerOf.fill(-1);
    for (let i = 0; i < n; i++) {
      const l = level[i];
      if (this.boundary[i]) this.boundaryOf[l] = i;
      if (this.innerOf[l] < 0 && (kind[i] === KIND_T || this.master[i])) this.innerOf[l] = i;
    }
  }

  /**
   * The memo key of a level's streams: the spatial master run, every non-unit loop above it (temporal and spatial:
   * the spatial loops of outer levels scale the strides of the loops above them) and the child tile's mold.
   */
  private levelKey(m: number, J: number, lowest: number, moldBase: number): Float64Array {
    const n = this.n;
    const len = 4 + 3 * J + 3 * (n - 1 - lowest) + (moldBase >= 0 ? this.D : 0);
    if (this.key.length < len) this.key = new Float64Array(2 * len);
    const key = this.key;
    let q = 1;
    key[q++] = J;
    for (let j = 0; j < J; j++) {
      key[q++] = this.lDim[m - j];
      key[q++] = this.lEnd[m - j];
      key[q++] = this.lKind[m - j];
    }
    let count = 0;
    const countAt = q++;
    for (let i = n - 1; i > lowest; i--) {
      if (this.lEnd[i] < 2) continue;
      key[q++] = this.lDim[i];
      key[q++] = this.lEnd[i];
      key[q++] = this.lKind[i];
      count++;
    }
    key[countAt] = count;
    key[q++] = moldBase >= 0 ? 1 : 0;
    if (moldBase >= 0) for (let d = 0; d < this.D; d++) key[q++] = this.mold[moldBase + d];
    key[0] = q;
    return key;
  }

  /** Tile size of tensor t for the mold of loop i (product over ranks of 1 + sum coeff * (extent - 1)). */
  private tileSize(t: number, i: number): number {
    const base = i * this.D;
    let s = 1;
    for (let r = this.rankStart[t]; r < this.rankStart[t + 1]; r++) {
      let e = 1;
      for (let q = this.termStart[r]; q < this.termStart[r + 1]; q++) e += this.termCoeff[q] * this.mold[base + this.termDim[q]];
      s *= e;
    }
    return s;
  }


  private streams(): void {
    const n = this.n;
    const nT = this.nT;
    const st = this.stream;
    for (let level = 0; level < this.L; level++) {
      const b = this.boundaryOf[level];
      const inner = this.innerOf[level];
      const m = this.master[inner] ? inner : -1;
      const childBoundary = level === 0 ? -1 : this.boundaryOf[level - 1];
      this.lvMaster[level] = m >= 0 ? 1 : 0;
      this.lvFanout[level] = this.fanout[inner];
      this.lvRepl[level] = this.spatialElems[b];
      for (let t = 0; t < nT; t++) {
        const k = level * nT + t;
        this.tSize[k] = this.tileSize(t, b);
        this.tMasterSize[k] = m >= 0 ? this.tileSize(t, m) : 0;
      }
      if (level === 0 && m < 0) {
        const cc = this.computeCycles;
        for (let t = 0; t < nT; t++) {
          const k = level * nT + t;
          this.tContent[k] = cc;
          this.tWeighted[k] = cc;
          this.tMaxM[k] = 1;
          this.tRed[k] = 0;
          this.tLink[k] = 0;
        }
        continue; // gated below with the other innermost streams
      }
      // Loops above the children that advance between visits (outer to inner).
      const lowest = m >= 0 ? m : childBoundary;
      if (this.above.length < n) this.above = new Int32Array(2 * n);
      let A = 0;
      for (let i = n - 1; i > lowest; i--) if (this.lKind[i] === KIND_T && this.lEnd[i] >= 2) this.above[A++] = i;
      // Spatial loops of the master run, outermost first.
      let J = 0;
      if (m >= 0) for (let i = m; i >= 0 && this.lKind[i] !== KIND_T; i--) J++;
      const moldBase = childBoundary >= 0 ? childBoundary * this.D : -1;
      // The streams of a level depend only on the child tile (its mold), the spatial loops of the master and the
      // loops above: a search revisits the same combination often (a move changes one level), so they are memoized.
      const memo = this.memo[level];
      const hit = memo.lookup(this.levelKey(m, J, lowest, moldBase));
      if (hit >= 0) {
        memo.restore(hit, level * nT, this.tContent, this.tWeighted, this.tMaxM, this.tRed, this.tLink);
        continue;
      }
      for (let t = 0; t < nT; t++) {
        const r0 = this.rankStart[t];
        const R = this.rankStart[t + 1] - r0;
        st.reserve(R, A);
        st.R = R;
        st.m = A;
        st.raw = level === 0;
        const ext = st.ext;
        for (let r = 0; r < R; r++) {
          let e = 1;
          if (moldBase >= 0) for (let q = this.termStart[r0 + r]; q < this.termStart[r0 + r + 1]; q++) e += this.termCoeff[q] * this.mold[moldBase + this.termDim[q]];
          ext[r] = e;
        }
        // trans[k] = step_k - sum_{j>k} step_j: the inner loops reset when loop k advances (suffix sums).
        const tr = st.trans;
        const suffix = this.suffix;
        for (let k = A - 1; k >= 0; k--) {
          const i = this.above[k];
          const d = this.lDim[i];
          const vs = this.vstride[i];
          st.ends[k] = this.lEnd[i];
          for (let r = 0; r < R; r++) {
            const step = this.coeff[(r0 + r) * this.D + d] * vs;
            const inner = k + 1 < A ? suffix[r] : 0;
            tr[k * R + r] = step - inner;
            suffix[r] = inner + step;
          }
        }
        st.spatial = null;
        if (m >= 0) {
          if (this.spatialSteps.length < J * R) this.spatialSteps = new Float64Array(2 * J * R);
          if (this.spatialEnds.length < J) this.spatialEnds = new Float64Array(2 * J);
          for (let j = 0; j < J; j++) {
            const i = m - j;
            this.spatialEnds[j] = this.lEnd[i];
            for (let r = 0; r < R; r++) this.spatialSteps[j * R + r] = this.coeff[(r0 + r) * this.D + this.lDim[i]] * this.vstride[i];
          }
          // Which children share an offset, or have a neighbour at a shift, does not change when a rank's steps are
          // all scaled by one factor: the fan-out is memoized on steps divided by their gcd per rank (many more
          // mappings then share it), and the stream divides its shifts by the same factor.
          for (let r = 0; r < R; r++) {
            let g = 0;
            for (let j = 0; j < J; j++) g = gcd(g, Math.abs(this.spatialSteps[j * R + r]));
            if (g === 0) g = 1;
            st.spatialScale[r] = g;
            if (g !== 1) for (let j = 0; j < J; j++) this.spatialSteps[j * R + r] /= g;
          }
          st.spatial = spatialChildren(this.spatialSteps, this.spatialEnds, J, R, this.fanX[level], this.fanY[level]);
        }
        st.run();
        const k = level * nT + t;
        this.tContent[k] = st.content;
        this.tWeighted[k] = st.weighted;
        this.tMaxM[k] = st.maxMulticast;
        this.tRed[k] = st.spatialReductions;
        this.tLink[k] = st.link;
      }
      memo.store(level * nT, this.tContent, this.tWeighted, this.tMaxM, this.tRed, this.tLink);
    }
    // Accesses by the compute units (the streams of the innermost level) happen only for the ops that run.
    for (let t = 0; t < nT; t++) {
      const g = this.gate[t];
      if (g === 1) continue;
      this.tContent[t] *= g;
      this.tWeighted[t] *= g;
      this.tRed[t] *= g;
      this.tLink[t] *= g;
    }
  }

  private collapse(keep: Uint8Array, keepStride: number, tensorIndex: Int32Array): void {
    const L = this.L;
    const nT = this.nT;
    const o = this.out;
    for (let t = 0; t < nT; t++) {
      const kept = this.cKeep;
      for (let l = 0; l < L; l++) kept[l] = keep[(L - 1 - l) * keepStride + tensorIndex[t]];
      for (let l = 0; l < L; l++) {
        const k = l * nT + t;
        this.cContent[l] = this.tContent[k];
        this.cWeighted[l] = this.tWeighted[k];
        this.cRed[l] = this.tRed[k];
        this.cMaxM[l] = this.tMaxM[k];
        this.cLink[l] = this.tLink[k];
        this.cPeerA[l] = 0;
        this.cPeerF[l] = 0;
        this.cMasked[l] = 0;
        this.cPfd[l] = 0;
        if (l > 0) this.cPfd[l - 1] = this.lvMaster[l] ? this.tMasterSize[k] : this.tSize[(l - 1) * nT + t];
      }
      // Partition sizes, outermost inward.
      let partition = this.tSize[(L - 1) * nT + t];
      this.cPart[L - 1] = partition;
      for (let l = L - 2; l >= 0; l--) {
        if (this.cPfd[l] !== 0) partition = Math.floor((partition * this.tSize[l * nT + t]) / this.cPfd[l]);
        this.cPart[l] = partition;
      }
      // Parent access shares (before bypass masking).
      for (let l = 0; l < L - 1; l++) this.cShare[l] = this.cWeighted[l + 1] / this.lvFanout[l + 1];
      this.cShare[L - 1] = 0;
      // Bypass masking: a bypassed level's accesses are served by the next unmasked level out.
      for (let cur = 0; cur < L; cur++) {
        if (kept[cur]) continue;
        let outer = cur + 1;
        while (outer < L && this.cMasked[outer]) outer++;
        if (outer >= L) {
          this.cMasked[cur] = 1;
          break;
        }
        const w = this.cWeighted[outer];
        const factor = w === 0 ? 0 : (this.cContent[cur] * this.lvFanout[outer]) / w;
        this.cContent[outer] *= factor;
        this.cWeighted[outer] *= factor;
        this.cRed[outer] *= factor;
        if (factor === 0) this.cMaxM[outer] = 1;
        this.cLink[outer] = 0;
        this.cMasked[cur] = 1;
      }
      // Outermost bypassed levels lose everything; the first kept level below them has no parent.
      for (let l = L - 1; l >= 0; l--) {
        if (kept[l]) {
          this.cShare[l] = 0;
          break;
        }
        this.cMasked[l] = 1;
      }
      // Peer (link-transfer) accesses land on the child level.
      for (let l = L - 1; l > 0; l--) {
        if (this.cMasked[l] || this.cLink[l] === 0) continue;
        const per = this.cLink[l] / this.lvRepl[l - 1];
        this.cPeerA[l - 1] += per;
        this.cPeerF[l - 1] += per;
      }
      let outermostKept = -1;
      for (let l = L - 1; l >= 0; l--) {
        if (kept[l]) {
          outermostKept = l;
          break;
        }
      }
      const rw = this.readWrite[t] === 1;
      for (let l = 0; l < L; l++) {
        const k = l * nT + t;
        o.instances[k] = this.lvRepl[l];
        if (!kept[l]) {
          o.kept[k] = 0;
          o.reads[k] = 0;
          o.fills[k] = 0;
          o.updates[k] = 0;
          o.size[k] = 0;
          o.partition[k] = 0;
          o.temporalReductions[k] = 0;
          o.multicast[k] = 1;
          o.spatialReductions[k] = 0;
          o.linkTransfers[k] = 0;
          continue;
        }
        const content = this.cContent[l];
        o.kept[k] = 1;
        o.size[k] = this.tSize[k];
        o.partition[k] = this.cPart[l];
        o.multicast[k] = this.cMaxM[l];
        o.linkTransfers[k] = this.cLink[l];
        if (rw) {
          o.updates[k] = Math.round(content);
          // First-read elision once per element; with gated (zero-skipped) ops an element may see fewer updates
          // than one per element, and never a negative number of reads.
          const reads = Math.max(0, Math.round(content + this.cPeerA[l] - this.cPart[l]));
          o.reads[k] = reads;
          o.temporalReductions[k] = reads;
          o.fills[k] = l === outermostKept ? 0 : Math.round(this.cShare[l] + this.cPeerF[l] - this.cPart[l]);
          o.spatialReductions[k] = Math.round(this.cRed[l]);
        } else {
          o.reads[k] = Math.round(content + this.cPeerA[l]);
          o.updates[k] = 0;
          o.temporalReductions[k] = 0;
          o.fills[k] = l === outermostKept ? 0 : this.cShare[l] + this.cPeerF[l];
          o.spatialReductions[k] = 0;
        }
      }
    }
  }
}

function gcd(a: number, b: number): number {
  while (b !== 0) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
}
