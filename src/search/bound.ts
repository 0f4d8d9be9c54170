/**
 * Lower bounds on the totals of every point that shares a tiling and keep/bypass choice, whatever its loop orders,
 * from the reuse analysis' own rules (analysis/kernel-stream.ts, kernel-nest.ts; see mapspace/orders.ts):
 * - The visits of a child tile driven by the temporal loops above it restart (the whole tile is new, no neighbour
 *   holds it) at every advance of an anchor loop (a dim alone in a rank of the tensor) and of every loop outside
 *   the innermost anchor. The fewest such visits any order can give is the product of all the temporal factors of
 *   the levels outside the innermost level that has an anchor loop, times that level's anchor factors. So the
 *   accesses of a level by its children are at least (child tile) x (that product) x (multicast groups of the
 *   fan-out, at least the largest spatial split of each rank), and each child is filled at least that often.
 *   Under the innermost level without a fan-out every compute reads its operands: exactly the compute cycles.
 * - Every instance of a level that keeps a read-only tensor is filled at least with everything it touches (its
 *   share of the tensor, replicated across instances that differ only in dims the tensor does not depend on).
 * - A bypassed level's accesses are served further out, never fewer than those of the innermost bypassed level.
 * Partial sums above their innermost kept level and neuron state (completion and final-state rules) count 0.
 * Energy = compute (mapping independent) + those accesses x energies per vector + static energy over the cycle
 * bound; cycles = max(compute cycles, bandwidth of those accesses); off-chip bytes alike. Every term is monotone
 * in every factor, so a partial tiling (unassigned dims at factor 1 everywhere) bounds all its completions when the
 * keep choice is minimised per tensor (`prepare` + `boundAnyKeep`). Tested against the model on random mappings.
 */
import { BoundTables, R_OPERAND, R_PSUM, R_NONE } from './bound-tables.ts';
import type { MapSpace } from './mapspace/space.ts';
import { opDensity } from '../workload/types.ts';

export { computeEnergy } from './bound-tables.ts';

const vectors = (scalars: number, wpv: number): number => (scalars <= 0 ? 0 : Math.ceil(scalars / wpv - 1e-9));

export class LowerBound {
  // ---- results of bound() / boundAnyKeep() ----
  energy = 0;
  cycles = 0;
  offchip = 0;
  readonly offchipByTensor: Float64Array;

  private readonly L: number;
  private readonly D: number;
  private readonly nT: number;
  private readonly S: number;
  private readonly tb: BoundTables;
  // ---- per tiling (prepare) ----
  private readonly T: Float64Array; // [e * D + d] temporal factor
  private readonly SP: Float64Array; // [e * D + d] spatial factor (X * Y)
  private readonly f: Float64Array; // scratch extents
  private readonly inst: Float64Array; // [t * L + e]
  private readonly stream: Float64Array; // [t * L + e] accesses of level e by its children, lower bound
  private readonly fill: Float64Array; // [t * L + e] fills of level e, lower bound (read-only tensors)
  private readonly touched: Float64Array; // [t * L + e] what one instance of level e touches
  private readonly child: Float64Array; // [t * L + e] child tile of level e's stream
  private readonly groupsLB: Float64Array;
  private readonly allF: Float64Array; // product of the level's temporal factors (on the tensor's nest)
  private readonly anchorF: Float64Array; // product of its anchor factors
  private readonly hasAnchor: Uint8Array;
  private readonly ccT: Float64Array;
  /** Per tensor: fraction of the ops that touch it (zero-skipping), workload/types.ts opDensity. */
  private readonly gate: Float64Array;
  private cc = 1;
  // ---- per keep (scratch) ----
  private readonly reads: Float64Array; // [e * T + t]
  private readonly fills: Float64Array;
  private readonly updates: Float64Array;
  private readonly kept: Uint8Array;

  constructor(private readonly space: MapSpace) {
    const { levels: L, dims: D, tensors: nT } = space;
    this.L = L;
    this.D = D;
    this.nT = nT;
    this.S = space.slots.length;
    this.tb = new BoundTables(space);
    this.offchipByTensor = new Float64Array(nT);
    this.T = new Float64Array(L * D);
    this.SP = new Float64Array(L * D);
    this.f = new Float64Array(D);
    this.inst = new Float64Array(nT * L);
    this.stream = new Float64Array(nT * L);
    this.fill = new Float64Array(nT * L);
    this.touched = new Float64Array(nT * L);
    this.child = new Float64Array(nT * L);
    this.groupsLB = new Float64Array(nT * L);
    this.allF = new Float64Array(nT * L);
    this.anchorF = new Float64Array(nT * L);
    this.hasAnchor = new Uint8Array(nT * L);
    this.ccT = new Float64Array(nT);
    this.gate = Float64Array.from({ length: nT }, (_, t) => opDensity(space.workload, t));
    this.reads = new Float64Array(L * nT);
    this.fills = new Float64Array(L * nT);
    this.updates = new Float64Array(L * nT);
    this.kept = new Uint8Array(L * nT);
  }

  private tileOf(t: number): number {
    let size = 1;
    for (let r = this.tb.rankStart[t]; r < this.tb.rankStart[t + 1]; r++) {
      let e = 1;
      for (let q = this.tb.termStart[r]; q < this.tb.termStart[r + 1]; q++) e += this.tb.termCoeff[q] * (this.f[this.tb.termDim[q]] - 1);
      size *= e;
    }
    return size;
  }

  /** Multicast groups of the fan-out of level e for tensor t: at least the largest split of each rank's dims. */
  private groups(t: number, e: number): number {
    const D = this.D;
    let g = 1;
    for (let r = this.tb.rankStart[t]; r < this.tb.rankStart[t + 1]; r++) {
      let m = 1;
      for (let q = this.tb.termStart[r]; q < this.tb.termStart[r + 1]; q++) {
        const d = this.tb.termDim[q];
        if (this.tb.termCoeff[q] === 0 || this.tb.drop[t * D + d]) continue;
        const s = this.SP[e * D + d];
        if (s > m) m = s;
      }
      g *= m;
    }
    // Ranks sharing a dim are not independent: fall back to the largest single rank.
    return this.tb.disjoint[t] ? g : this.largestRankGroups(t, e);
  }

  private largestRankGroups(t: number, e: number): number {
    let best = 1;
    for (let r = this.tb.rankStart[t]; r < this.tb.rankStart[t + 1]; r++) {
      for (let q = this.tb.termStart[r]; q < this.tb.termStart[r + 1]; q++) {
        const d = this.tb.termDim[q];
        if (this.tb.termCoeff[q] !== 0 && !this.tb.drop[t * this.D + d]) best = Math.max(best, this.SP[e * this.D + d]);
      }
    }
    return best;
  }

  /** Per-tiling part ([d * S + s]; dims not yet assigned may be 1 in every slot). */
  prepare(tiling: ArrayLike<number>): void {
    const { L, D, nT, S } = this;
    const sp = this.space;
    this.T.fill(1);
    this.SP.fill(1);
    for (let s = 0; s < S; s++) {
      const slot = sp.slots[s];
      const arr = slot.kind === 'temporal' ? this.T : this.SP;
      for (let d = 0; d < D; d++) arr[slot.level * D + d] *= tiling[d * S + s];
    }
    let cc = 1;
    for (let i = 0; i < L * D; i++) cc *= this.T[i];
    this.cc = cc;
    const f = this.f;
    for (let t = 0; t < nT; t++) {
      const drop = t * D;
      let ccT = 1;
      for (let e = 0; e < L; e++) for (let d = 0; d < D; d++) if (!this.tb.drop[drop + d]) ccT *= this.T[e * D + d];
      // instances of each level on this tensor's nest
      let inst = 1;
      for (let e = 0; e < L; e++) {
        this.inst[t * L + e] = inst;
        for (let d = 0; d < D; d++) if (!this.tb.drop[drop + d]) inst *= this.SP[e * D + d];
      }
      this.ccT[t] = ccT;
      for (let e = 0; e < L; e++) {
        let anchors = 1;
        let all = 1;
        let has = 0;
        for (let d = 0; d < D; d++) {
          if (this.tb.drop[drop + d]) continue;
          const x = this.T[e * D + d];
          all *= x;
          if (this.tb.anchor[drop + d] && x > 1) {
            anchors *= x;
            has = 1;
          }
        }
        this.allF[t * L + e] = all;
        this.anchorF[t * L + e] = anchors;
        this.hasAnchor[t * L + e] = has;
        // tile of the child of level e (level e + 1; compute units below the innermost level)
        let child = 1;
        if (e + 1 < L) {
          for (let d = 0; d < D; d++) {
            let x = 1;
            if (!this.tb.drop[drop + d]) for (let k = e + 1; k < L; k++) x *= this.T[k * D + d] * this.SP[k * D + d];
            f[d] = x;
          }
          child = this.tileOf(t);
        }
        this.child[t * L + e] = child;
        this.groupsLB[t * L + e] = this.groups(t, e);
      }
      // fills >= what one instance touches
      for (let e = 1; e < L; e++) {
        for (let d = 0; d < D; d++) {
          let x = 1;
          if (!this.tb.drop[drop + d]) {
            for (let k = 0; k < L; k++) x *= this.T[k * D + d];
            for (let k = e; k < L; k++) x *= this.SP[k * D + d];
          }
          f[d] = x;
        }
        this.touched[t * L + e] = Math.floor(this.tileOf(t));
      }
      this.touched[t * L] = 0;
    }
    this.streams(undefined, -1);
  }

  /**
   * The restart counts, hence stream and fill bounds, with the loop orders of levels 0..fixedUpTo taken from
   * `orders` ([l * D + i], outer to inner) and the other levels' orders free (their minimum).
   */
  streams(orders: ArrayLike<number> | undefined, fixedUpTo: number): void {
    const { L, D, nT } = this;
    for (let t = 0; t < nT; t++) {
      const drop = t * D;
      let outer = 1; // product of all temporal factors of levels < current
      let np = 1;
      for (let e = 0; e < L; e++) {
        const i = t * L + e;
        if (this.hasAnchor[i]) {
          let prefix = this.anchorF[i];
          if (orders && e <= fixedUpTo) {
            // the loops of this level down to its innermost anchor, in the given order
            let last = -1;
            for (let k = 0; k < D; k++) {
              const d = orders[e * D + k];
              if (!this.tb.drop[drop + d] && this.tb.anchor[drop + d] && this.T[e * D + d] > 1) last = k;
            }
            prefix = 1;
            for (let k = 0; k <= last; k++) {
              const d = orders[e * D + k];
              if (!this.tb.drop[drop + d]) prefix *= this.T[e * D + d];
            }
          }
          np = outer * prefix;
        }
        const innermostPlain = e === L - 1 && !this.tb.innermostFanout;
        const child = this.child[i];
        // The compute units' accesses (the innermost level's stream) happen only for the ops zero-skipping runs.
        const gate = e === L - 1 ? this.gate[t] : 1;
        this.stream[i] = Math.floor((innermostPlain ? this.ccT[t] : Math.floor(child * np * this.groupsLB[i])) * gate);
        // fills of level e + 1 from this stream, and at least what one instance of it touches
        if (e + 1 < L) this.fill[i + 1] = Math.max(Math.floor(child * np), this.touched[i + 1]);
        outer *= this.allF[i];
      }
      this.fill[t * L] = 0;
    }
  }

  /** Bound for one keep choice ([e * T + t]) of the prepared tiling; sets energy, cycles, offchip(ByTensor). */
  bound(keep: ArrayLike<number>): void {
    const { L, nT } = this;
    this.reads.fill(0);
    this.fills.fill(0);
    this.updates.fill(0);
    this.offchipByTensor.fill(0);
    for (let i = 0; i < L * nT; i++) this.kept[i] = keep[i] ? 1 : 0;
    for (let t = 0; t < nT; t++) this.tensorCounts(t);
    this.total();
  }

  /** Counts of tensor t under this.kept. */
  private tensorCounts(t: number): void {
    const { L, nT } = this;
    const kind = this.tb.kind[t];
    if (kind === R_NONE) return;
    let outermost = -1;
    let innermost = -1;
    for (let e = 0; e < L; e++) {
      if (!this.kept[e * nT + t]) continue;
      if (outermost < 0) outermost = e;
      innermost = e;
    }
    if (outermost < 0) return;
    for (let e = L - 1; e >= outermost; e--) {
      if (!this.kept[e * nT + t]) continue;
      if (kind === R_PSUM && e !== innermost) continue;
      // accesses by the children, or by the innermost level of a bypassed chain below
      let j = e;
      while (j + 1 < L && !this.kept[(j + 1) * nT + t]) j++;
      const c = this.stream[t * L + j];
      if (kind === R_OPERAND) {
        this.reads[e * nT + t] = c;
        if (e !== outermost) this.fills[e * nT + t] = this.fill[t * L + e];
      } else this.updates[e * nT + t] = c;
    }
  }

  private total(): void {
    const { L, nT } = this;
    let energy = this.tb.fixedEnergy;
    let cycles = this.cc;
    let offchip = 0;
    for (let e = 0; e < L; e++) {
      let readBits = 0;
      let writeBits = 0;
      for (let t = 0; t < nT; t++) {
        const i = e * nT + t;
        if (!this.kept[i]) continue;
        const r = this.reads[i];
        const fl = this.fills[i];
        const u = this.updates[i];
        if (r === 0 && fl === 0 && u === 0) continue;
        const wpv = this.tb.wpv[i];
        const inst = this.inst[t * L + e];
        const rv = vectors(r, wpv);
        const fv = vectors(fl, wpv);
        const uv = vectors(u, wpv);
        energy += (rv * this.tb.eRead[e] + fv * this.tb.eFill[e] + uv * this.tb.eUpdate[e]) * inst;
        readBits += r * this.tb.bits[i];
        writeBits += (fl + u) * this.tb.bits[i];
        if (this.tb.offChip[e]) {
          const bytes = ((rv + fv + uv) * this.tb.width[e] * inst) / 8;
          this.offchipByTensor[t] += bytes;
          offchip += bytes;
        }
      }
      cycles = limit(cycles, readBits, this.tb.readBw[e]);
      cycles = limit(cycles, writeBits, this.tb.writeBw[e]);
      cycles = limit(cycles, readBits + writeBits, this.tb.sharedBw[e]);
    }
    this.energy = energy + this.tb.staticPerCycle * cycles;
    this.cycles = cycles;
    this.offchip = offchip;
  }

  /**
   * Bound over every keep choice the space allows, of the prepared (possibly partial) tiling: each tensor's keep
   * pattern minimised on its own (energy and off-chip bytes separately), cycles = compute cycles.
   */
  boundAnyKeep(): void {
    const { L, nT } = this;
    const sp = this.space;
    let energy = this.tb.fixedEnergy;
    let offchip = 0;
    this.offchipByTensor.fill(0);
    const free: number[] = [];
    for (let t = 0; t < nT; t++) {
      free.length = 0;
      for (let e = 0; e < L; e++) if (sp.keepForced[e][t] === undefined) free.push(e);
      let bestE = Infinity;
      let bestO = Infinity;
      for (let m = 0; m < 1 << free.length; m++) {
        for (let e = 0; e < L; e++) {
          const forced = sp.keepForced[e][t];
          this.kept[e * nT + t] = forced === undefined ? 0 : forced ? 1 : 0;
        }
        free.forEach((e, i) => (this.kept[e * nT + t] = (m >> i) & 1));
        let home = false;
        for (let e = 0; e < L; e++) if (this.kept[e * nT + t]) home = true;
        if (!home) continue;
        for (let e = 0; e < L; e++) {
          this.reads[e * nT + t] = 0;
          this.fills[e * nT + t] = 0;
          this.updates[e * nT + t] = 0;
        }
        this.tensorCounts(t);
        let en = 0;
        let off = 0;
        for (let e = 0; e < L; e++) {
          const i = e * nT + t;
          if (!this.kept[i]) continue;
          const wpv = this.tb.wpv[i];
          const inst = this.inst[t * L + e];
          const rv = vectors(this.reads[i], wpv);
          const fv = vectors(this.fills[i], wpv);
          const uv = vectors(this.updates[i], wpv);
          en += (rv * this.tb.eRead[e] + fv * this.tb.eFill[e] + uv * this.tb.eUpdate[e]) * inst;
          if (this.tb.offChip[e]) off += ((rv + fv + uv) * this.tb.width[e] * inst) / 8;
        }
        if (en < bestE) bestE = en;
        if (off < bestO) bestO = off;
      }
      if (bestE === Infinity) bestE = bestO = 0;
      energy += bestE;
      offchip += bestO;
      this.offchipByTensor[t] = bestO;
    }
    this.cycles = this.cc;
    this.energy = energy + this.tb.staticPerCycle * this.cc;
    this.offchip = offchip;
  }
}

function limit(need: number, bits: number, bw: number): number {
  if (bw === 0 || bits === 0) return need;
  const c = Math.ceil(bits / bw - 1e-9);
  return c > need ? c : need;
}
