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
import { later } from './chains.ts';
import { DRAIN_JOB, FILL_JOB, JobTable, LEAVE, MAXD, MAXDEP, MAXP } from './job-table.ts';

export { DRAIN_JOB, FILL_JOB, K, LANDING, LEAVE, MAXD, MAXDEP, MAXP, NEURON_JOB } from './job-table.ts';

const EPS = 1e-12;

export class Jobs extends JobTable {
  private readonly order = new Int32Array(this.J);
  /** Called when a job completes (the simulator updates its streams). */
  onComplete: (j: number) => void = () => {};

  private finish(j: number): void {
    let c = this.minEnd[j];
    let bind = -1;
    const n = this.np[j];
    for (let i = 0; i < n; i++) {
      const d = this.done[j * MAXP + i];
      if (d > c) {
        if (later(d, c)) bind = this.port[j * MAXP + i];
        c = d;
      }
    }
    const src = this.cut[j];
    let bySource = false;
    if (src >= 0 && this.land[src] > c) {
      if (later(this.land[src], c)) bySource = true;
      c = this.land[src];
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
    if (this.stream[x] !== this.stream[y]) return this.stream[x] - this.stream[y];
    return this.seq[x] - this.seq[y];
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
