/**
 * Transfers (jobs) and their scheduling on the ports.
 *
 * A job is one tile fill (parent -> level) or one write-back (level -> parent) of one tensor. It has a *need*:
 * the step at which the compute (phase 0) or the neuron unit (phase 1) cannot go on without it; a fill for tile
 * j+1 of a double-buffered level is created when tile j starts, one tile ahead of its need. Its release is the
 * latest of its base (its buffer is free) and its dependencies (the parent's tile has landed; the write-back that
 * frees the buffer has left; the children's write-backs into a tile before that tile is written back).
 *
 * Ports serve jobs by priority, earliest need first (then phase, write-backs before fills, inner write-backs and
 * outer fills first, stream): the simulator places every job due at step n before step n's compute, and after
 * each step lets the pending jobs (due later) take, in priority order, the idle port time left before the end of
 * that step (`absorb`). Nothing released later can be due earlier, so this is exactly preemptive
 * earliest-need-first scheduling on every port, and the port time before the current compute end can be dropped.
 * A job uses each of its ports independently (the slowest port sets its completion).
 *
 * Latency: a fill's data starts to flow `latency` cycles after its release (request -> first data); a write-back
 * leaves at port speed and lands `latency` cycles later (a posted write: its buffer is free when it has left).
 *
 * Cause chains (for stall attribution): each job keeps up to K segments [start, lane, tensor, port], newest
 * first, covering the time before its landing: its own port time and latency, then the chain of whatever bound
 * its release. A compute stall is charged along the chain of the gate it waited for.
 */
import type { Port } from './ports.ts';

export const FILL_JOB = 0;
export const DRAIN_JOB = 1;
/** The neuron unit's memory traffic after one completing step (at least `dur` cycles: its own throughput). */
export const NEURON_JOB = 2;
export const MAXP = 6;
export const MAXD = 6;
export const K = 6;
export const MAXDEP = 12;
const EPS = 1e-12;
/** Dependency modes: the dependent waits for the dep's landing, or only for it to have left its port. */
export const LANDING = 0;
export const LEAVE = 1;

export class Jobs {
  readonly J: number;
  readonly need: Float64Array;
  readonly base: Float64Array;
  readonly bestRel: Float64Array;
  readonly rel: Float64Array;
  readonly portRel: Float64Array;
  readonly comp: Float64Array;
  readonly land: Float64Array;
  readonly lat: Float64Array;
  readonly dur: Float64Array;
  readonly rem: Float64Array;
  readonly done: Float64Array;
  readonly bits: Float64Array;
  readonly tag: Int32Array;
  readonly depT: Float64Array;
  readonly depOff: Float64Array;
  readonly active: Int32Array;
  readonly kind: Int32Array;
  readonly phase: Int32Array;
  readonly level: Int32Array;
  readonly latLevel: Int32Array;
  readonly tensor: Int32Array;
  readonly stream: Int32Array;
  readonly np: Int32Array;
  readonly port: Int32Array;
  readonly nd: Int32Array;
  readonly dep: Int32Array;
  readonly depMode: Int32Array;
  readonly depOk: Int32Array;
  readonly released: Int32Array;
  readonly complete: Int32Array;
  /** A child write-back into the parent's current tile (the parent's next write-back must wait for it). */
  readonly tgt: Int32Array;
  /** Waiting for the parent's fill that will be created at this job's need step. */
  readonly future: Int32Array;
  /**
   * Cut-through source: a fill reading a parent tile that is itself being filled may start once the parent's data
   * starts to arrive, and completes no earlier than the parent's tile has landed (-1: none).
   */
  readonly cut: Int32Array;
  /** All its ports are done; it waits only for its cut-through source to land. */
  readonly portsDone: Int32Array;
  readonly cutDnt: Int32Array;
  readonly ncutDnt: Int32Array;
  readonly dnt: Int32Array;
  readonly ndnt: Int32Array;
  // segment lists: 0..J-1 landing chains, J..2J-1 release chains, then extra lists (owned by the simulator)
  readonly segT: Float64Array;
  readonly segLane: Int32Array;
  readonly segTensor: Int32Array;
  readonly segPort: Int32Array;
  readonly segN: Int32Array;
  /** Pending (active, not complete) jobs. */
  pending: Int32Array;
  npending = 0;
  private order: Int32Array;
  /** Called when a job completes (the simulator updates its streams). */
  onComplete: (j: number) => void = () => {};

  constructor(
    J: number,
    extraLists: number,
    readonly ports: readonly (Port | null)[],
    readonly T: number,
    readonly lanesNone: number,
  ) {
    this.J = J;
    const f = (n: number): Float64Array => new Float64Array(n);
    const i = (n: number): Int32Array => new Int32Array(n);
    this.need = f(J);
    this.base = f(J);
    this.bestRel = f(J);
    this.rel = f(J);
    this.portRel = f(J);
    this.comp = f(J);
    this.land = f(J);
    this.lat = f(J);
    this.dur = f(J);
    this.rem = f(J * MAXP);
    this.done = f(J * MAXP);
    this.bits = f(J * MAXP);
    this.tag = i(J * MAXP);
    this.depT = f(J * MAXD);
    this.depOff = f(J * MAXD);
    this.active = i(J);
    this.kind = i(J);
    this.phase = i(J);
    this.level = i(J);
    this.latLevel = i(J);
    this.tensor = i(J);
    this.stream = i(J);
    this.np = i(J);
    this.port = i(J * MAXP);
    this.nd = i(J);
    this.dep = i(J * MAXD);
    this.depMode = i(J * MAXD);
    this.depOk = i(J * MAXD);
    this.released = i(J);
    this.complete = i(J);
    this.tgt = i(J);
    this.future = i(J);
    this.cut = i(J).fill(-1);
    this.portsDone = i(J);
    this.cutDnt = i(J * MAXDEP);
    this.ncutDnt = i(J);
    this.dnt = i(J * MAXDEP);
    this.ndnt = i(J);
    const lists = 2 * J + extraLists;
    this.segT = f(lists * K);
    this.segLane = i(lists * K);
    this.segTensor = i(lists * K);
    this.segPort = i(lists * K);
    this.segN = i(lists);
    this.pending = i(J);
    this.order = i(J);
  }

  // ------------------------------------------------------------------------------------------ segments

  segClear(list: number): void {
    this.segN[list] = 0;
  }

  segPush(list: number, t: number, lane: number, tensor: number, port: number): void {
    const n = this.segN[list];
    if (n >= K) {
      // Keep the newest K - 1 and make the oldest the base (it covers everything before it).
      const b = list * K + K - 1;
      this.segT[b] = -Infinity;
      return;
    }
    const b = list * K + n;
    this.segT[b] = t;
    this.segLane[b] = lane;
    this.segTensor[b] = tensor;
    this.segPort[b] = port;
    this.segN[list] = n + 1;
  }

  /** Appends the segments of `src` that cover time before `limit` (the oldest one extends to -infinity). */
  segAppendBelow(dst: number, src: number, limit: number): void {
    const n = this.segN[src];
    let i = 0;
    while (i < n && this.segT[src * K + i] >= limit) i++;
    if (i >= n) {
      if (n > 0) {
        // Everything of src is newer than the limit: its oldest segment is the base.
        const b = src * K + n - 1;
        this.segPush(dst, -Infinity, this.segLane[b], this.segTensor[b], this.segPort[b]);
      }
      return;
    }
    for (; i < n; i++) {
      const b = src * K + i;
      this.segPush(dst, this.segT[b], this.segLane[b], this.segTensor[b], this.segPort[b]);
    }
  }

  segCopy(dst: number, src: number): void {
    this.segN[dst] = 0;
    this.segAppendBelow(dst, src, Infinity);
  }

  /** Calls f(lane, tensor, port, a, b) for the part [a, b) of [from, to) each segment of `list` covers. */
  attribute(list: number, from: number, to: number, f: (lane: number, tensor: number, port: number, a: number, b: number) => void): void {
    if (to <= from) return;
    let upper = Infinity;
    const n = this.segN[list];
    for (let i = 0; i < n; i++) {
      const b = list * K + i;
      const lo = this.segT[b];
      const a = from > lo ? from : lo;
      const e = to < upper ? to : upper;
      if (e > a) f(this.segLane[b], this.segTensor[b], this.segPort[b], a, e);
      upper = lo;
      if (upper <= from) return;
    }
    if (upper > from) f(this.lanesNone, -1, -1, from, to < upper ? to : upper);
  }

  // ------------------------------------------------------------------------------------------ jobs

  /** A new job in slot j; the release chain starts as `baseList`'s chain below `base` (-1: no cause). */
  create(j: number, kind: number, stream: number, level: number, tensor: number, phase: number, need: number, base: number, baseList: number, lat: number, latLevel: number): void {
    if (this.active[j] && !this.complete[j]) throw new Error(`pipeline: job slot ${j} reused while pending`);
    this.active[j] = 1;
    this.kind[j] = kind;
    this.stream[j] = stream;
    this.level[j] = level;
    this.tensor[j] = tensor;
    this.phase[j] = phase;
    this.need[j] = need;
    this.base[j] = base;
    this.bestRel[j] = base;
    this.lat[j] = lat;
    this.dur[j] = 0;
    this.latLevel[j] = latLevel;
    this.np[j] = 0;
    this.nd[j] = 0;
    this.ndnt[j] = 0;
    this.released[j] = 0;
    this.complete[j] = 0;
    this.tgt[j] = 0;
    this.future[j] = 0;
    this.cut[j] = -1;
    this.portsDone[j] = 0;
    this.ncutDnt[j] = 0;
    const rl = this.J + j;
    this.segClear(rl);
    if (baseList >= 0) this.segAppendBelow(rl, baseList, base);
    else this.segPush(rl, -Infinity, this.lanesNone, -1, -1);
    this.pending[this.npending++] = j;
  }

  /** Adds `work` cycles on port pid; the port's time is tagged with the tensor that brought the most bits. */
  addPort(j: number, pid: number, work: number, bits: number, tensor = this.tensor[j]): void {
    if (work <= 0) return;
    const n = this.np[j];
    for (let i = 0; i < n; i++) {
      const b = j * MAXP + i;
      if (this.port[b] === pid) {
        this.rem[b] += work;
        if (bits > this.bits[b]) this.tag[b] = tensor;
        this.bits[b] += bits;
        return;
      }
    }
    if (n >= MAXP) throw new Error(`pipeline: job ${j} uses too many ports`);
    const b = j * MAXP + n;
    this.port[b] = pid;
    this.rem[b] = work;
    this.done[b] = 0;
    this.bits[b] = bits;
    this.tag[b] = tensor;
    this.np[j] = n + 1;
  }

  /** j waits for job d (its landing, or only its leaving the port), plus `off` cycles. */
  addDep(j: number, d: number, mode: number, off = 0): void {
    if (this.complete[d]) {
      this.resolve(j, -1, d, mode, off);
      return;
    }
    if (this.nd[j] >= MAXD) throw new Error(`pipeline: job ${j} has too many dependencies`);
    const i = this.nd[j]++;
    this.dep[j * MAXD + i] = d;
    this.depMode[j * MAXD + i] = mode;
    this.depOff[j * MAXD + i] = off;
    this.depOk[j * MAXD + i] = 0;
    if (this.ndnt[d] >= MAXDEP) throw new Error(`pipeline: job ${d} has too many dependents`);
    this.dnt[d * MAXDEP + this.ndnt[d]++] = j * MAXD + i;
  }

  /** j reads the tile job d fills: cut-through (see `cut`); a landed tile is an ordinary dependency. */
  addCut(j: number, d: number): void {
    if (this.complete[d]) {
      this.addDep(j, d, LANDING);
      return;
    }
    this.cut[j] = d;
    if (this.ncutDnt[d] >= MAXDEP) throw new Error(`pipeline: job ${d} has too many cut-through readers`);
    this.cutDnt[d * MAXDEP + this.ncutDnt[d]++] = j;
  }

  /** j waits for a fill of its parent that does not exist yet (resolved by `resolveFuture`). */
  addFuture(j: number): void {
    this.future[j] = 1;
  }

  resolveFuture(j: number, d: number): void {
    if (!this.future[j]) return;
    this.future[j] = 0;
    this.addCut(j, d);
  }

  private resolve(j: number, slot: number, d: number, mode: number, off: number): void {
    const t = (mode === LEAVE ? this.comp[d] : this.land[d]) + off;
    if (slot >= 0) {
      this.depOk[slot] = 1;
      this.depT[slot] = t;
    }
    if (t > this.bestRel[j]) {
      this.bestRel[j] = t;
      const rl = this.J + j;
      this.segClear(rl);
      this.segAppendBelow(rl, d, t);
    }
  }

  /** Whether j's release is known (all dependencies resolved); computes it. */
  tryRelease(j: number): boolean {
    if (this.released[j]) return true;
    if (this.future[j]) return false;
    const n = this.nd[j];
    for (let i = 0; i < n; i++) if (!this.depOk[j * MAXD + i]) return false;
    const c = this.cut[j];
    if (c >= 0) {
      if (!this.tryRelease(c)) return false;
      // The parent's data starts to arrive at its port release.
      if (this.portRel[c] > this.bestRel[j]) {
        this.bestRel[j] = this.portRel[c];
        const rl = this.J + j;
        this.segClear(rl);
        this.segAppendBelow(rl, this.J + c, this.rel[c]);
      }
    }
    const r = this.bestRel[j];
    this.rel[j] = r;
    this.portRel[j] = this.kind[j] === FILL_JOB ? r + this.lat[j] : r;
    this.released[j] = 1;
    return true;
  }

  private finish(j: number): void {
    let c = this.portRel[j] + this.dur[j];
    let bind = -1;
    const n = this.np[j];
    for (let i = 0; i < n; i++) {
      const d = this.done[j * MAXP + i];
      if (d > c) {
        c = d;
        bind = this.port[j * MAXP + i];
      }
    }
    const src = this.cut[j];
    let bySource = false;
    if (src >= 0 && this.land[src] > c) {
      c = this.land[src];
      bySource = true;
    }
    this.comp[j] = c;
    const lat = this.lat[j];
    const fill = this.kind[j] === FILL_JOB;
    this.land[j] = fill ? c : c + lat;
    // Landing chain.
    this.segClear(j);
    const t = this.tensor[j];
    if (bySource) {
      // Bound by the tile it reads from: that tile's chain.
      this.segAppendBelow(j, src, c);
    } else {
      if (!fill && lat > 0) this.segPush(j, c, this.latLevel[j], t, -1);
      if (bind >= 0 && c > this.portRel[j]) this.segPush(j, this.portRel[j], this.ports[bind]!.level, t, bind);
      else if (this.dur[j] > 0) this.segPush(j, this.portRel[j], this.lanesNone - 1, -1, -1);
      if (fill && lat > 0) this.segPush(j, this.rel[j], this.latLevel[j], t, -1);
      this.segAppendBelow(j, this.J + j, this.rel[j]);
    }
    this.complete[j] = 1;
    for (let i = 0; i < this.npending; i++) {
      if (this.pending[i] === j) {
        this.pending[i] = this.pending[--this.npending];
        break;
      }
    }
    const nd = this.ndnt[j];
    for (let i = 0; i < nd; i++) {
      const slot = this.dnt[j * MAXDEP + i];
      const dj = (slot / MAXD) | 0;
      this.resolve(dj, slot, j, this.depMode[slot], this.depOff[slot]);
    }
    this.ndnt[j] = 0;
    this.onComplete(j);
    // Cut-through readers whose own transfer is done were waiting only for this tile.
    const nc = this.ncutDnt[j];
    this.ncutDnt[j] = 0;
    for (let i = 0; i < nc; i++) {
      const r = this.cutDnt[j * MAXDEP + i];
      if (this.cut[r] === j && this.portsDone[r] && !this.complete[r]) this.finish(r);
    }
  }

  /** Places job j completely (its dependencies first), no earlier than the horizon h. */
  place(j: number, h: number): void {
    if (this.complete[j]) return;
    if (this.future[j]) throw new Error(`pipeline: job ${j} placed before its parent's fill exists`);
    const n = this.nd[j];
    for (let i = 0; i < n; i++) {
      if (!this.depOk[j * MAXD + i]) this.place(this.dep[j * MAXD + i], h);
    }
    if (this.cut[j] >= 0) this.place(this.cut[j], h);
    this.tryRelease(j);
    const from = this.portRel[j] > h ? this.portRel[j] : h;
    const np = this.np[j];
    for (let i = 0; i < np; i++) {
      const b = j * MAXP + i;
      if (this.rem[b] <= 0) continue;
      const p = this.ports[this.port[b]]!;
      p.place(from, this.rem[b], Infinity, this.tag[b]);
      this.rem[b] = 0;
      this.done[b] = p.end;
    }
    this.finish(j);
  }

  /** Pending jobs take, in priority order, the idle port time in [h0, h1). */
  absorb(h0: number, h1: number): void {
    if (this.npending === 0) return;
    const order = this.sortInto(this.order);
    const n0 = this.npending;
    for (let k = 0; k < n0; k++) {
      const j = order[k];
      if (this.complete[j] || !this.tryRelease(j)) continue;
      const np = this.np[j];
      const from = this.portRel[j] > h0 ? this.portRel[j] : h0;
      let left = false;
      for (let i = 0; i < np; i++) {
        const b = j * MAXP + i;
        if (this.rem[b] <= 0) continue;
        if (from < h1) {
          const p = this.ports[this.port[b]]!;
          p.place(from, this.rem[b], h1, this.tag[b]);
          this.rem[b] -= p.taken;
          if (this.rem[b] <= EPS) {
            this.rem[b] = 0;
            this.done[b] = p.end;
            continue;
          }
        }
        left = true;
      }
      if (left) continue;
      const c = this.cut[j];
      if (c >= 0 && !this.complete[c]) this.portsDone[j] = 1;
      else this.finish(j);
    }
  }

  /** Pending jobs, highest priority first. */
  sortedPending(): number[] {
    return Array.from(this.sortInto(new Int32Array(this.npending)).subarray(0, this.npending));
  }

  /** The pending jobs into `out`, highest priority first (insertion sort: few jobs). */
  private sortInto(out: Int32Array): Int32Array {
    const n = this.npending;
    for (let i = 0; i < n; i++) {
      const j = this.pending[i];
      let k = i - 1;
      while (k >= 0 && this.compare(out[k], j) > 0) {
        out[k + 1] = out[k];
        k--;
      }
      out[k + 1] = j;
    }
    return out;
  }

  compare(x: number, y: number): number {
    if (this.need[x] !== this.need[y]) return this.need[x] < this.need[y] ? -1 : 1;
    if (this.phase[x] !== this.phase[y]) return this.phase[x] - this.phase[y];
    if (this.kind[x] !== this.kind[y]) return this.kind[y] - this.kind[x];
    if (this.level[x] !== this.level[y]) return this.kind[x] === DRAIN_JOB ? this.level[y] - this.level[x] : this.level[x] - this.level[y];
    return this.stream[x] - this.stream[y];
  }

  /** Lowers j's need to `need` (a dependent is due earlier), and that of its pending dependencies. */
  inherit(j: number, need: number): void {
    if (this.complete[j] || this.need[j] <= need) return;
    this.need[j] = need;
    const n = this.nd[j];
    for (let i = 0; i < n; i++) if (!this.depOk[j * MAXD + i]) this.inherit(this.dep[j * MAXD + i], need);
    if (this.cut[j] >= 0) this.inherit(this.cut[j], need);
  }
}
