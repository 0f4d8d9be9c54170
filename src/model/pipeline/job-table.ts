/** The job table of the pipeline model (jobs.ts schedules them). */
import { Chains, later } from './chains.ts';
import { snapUp } from './grid.ts';
import type { Port } from './ports.ts';

export { K } from './chains.ts';

export const FILL_JOB = 0;
export const DRAIN_JOB = 1;
/** The neuron unit's memory traffic after one completing step (at least `dur` cycles: its own throughput). */
export const NEURON_JOB = 2;
export const MAXP = 6;
export const MAXD = 6;
export const MAXDEP = 12;
/** Dependency modes: the dependent waits for the dep's landing, or only for it to have left its port. */
export const LANDING = 0;
export const LEAVE = 1;

/**
 * The job table: jobs in slots 0..J-1 (typed arrays indexed by slot), their ports, dependencies and dependents.
 * Chain lists 0..J-1 are their landing chains, J..2J-1 their release chains.
 */
export class JobTable extends Chains {
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
  /** Earliest completion once released: port release + `dur` (a time: canonical in snapshots, unlike dur). */
  readonly minEnd: Float64Array;
  /** Creation order: the last tie-break of the priority order (snapshots keep only the order). */
  readonly seq: Float64Array;
  nextSeq = 0;
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
  /** Pending (active, not complete) jobs. */
  pending: Int32Array;
  npending = 0;

  constructor(
    J: number,
    extraLists: number,
    readonly ports: readonly (Port | null)[],
    readonly T: number,
    lanesNone: number,
  ) {
    super(2 * J + extraLists, lanesNone);
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
    this.minEnd = f(J);
    this.seq = f(J);
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
    this.pending = i(J);
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
    this.seq[j] = this.nextSeq++;
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
    work = snapUp(work);
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

  protected resolve(j: number, slot: number, d: number, mode: number, off: number): void {
    const t = (mode === LEAVE ? this.comp[d] : this.land[d]) + off;
    if (slot >= 0) {
      this.depOk[slot] = 1;
      this.depT[slot] = t;
    }
    if (t > this.bestRel[j]) {
      if (later(t, this.bestRel[j])) {
        const rl = this.J + j;
        this.segClear(rl);
        this.segAppendBelow(rl, d, t);
      }
      this.bestRel[j] = t;
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
        if (later(this.portRel[c], this.bestRel[j])) {
          // The source's data starts to flow after its latency, which follows its own release.
          const rl = this.J + j;
          this.segClear(rl);
          if (this.kind[c] === FILL_JOB && this.lat[c] > 0) this.segPush(rl, this.rel[c], this.latLevel[c], this.tensor[c], -1);
          this.segAppendBelow(rl, this.J + c, this.rel[c]);
        }
        this.bestRel[j] = this.portRel[c];
      }
    }
    const r = this.bestRel[j];
    this.rel[j] = r;
    this.portRel[j] = this.kind[j] === FILL_JOB ? r + this.lat[j] : r;
    this.minEnd[j] = this.portRel[j] + this.dur[j];
    this.released[j] = 1;
    return true;
  }

}
