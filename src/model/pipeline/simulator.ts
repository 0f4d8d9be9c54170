/**
 * The tile timeline, one `step` per outer tile in order (steady-state.ts drives it and skips repetitions).
 *
 * Per step: the streams whose tile changes evict their current tile (inner levels first: a read-write tile is
 * written back, after the children's write-backs into it) and start the new one (outer levels first: its fill
 * waits for the parent's tile). Buffers are per stream: a single-buffered stream's new tile takes the buffer of
 * the tile it evicts, so its fill waits until that tile is no longer used (and, read-write, written back); a
 * double-buffered stream's new tile takes the buffer of the tile before, and its fill was created (released
 * when that buffer became free) one tile ahead. Then the jobs due at this step are placed, the compute runs
 * (no earlier than the previous compute and the tiles it reads; stretched while its own operand traffic is
 * port-bound), the neuron unit runs after a completing step (no earlier than the compute, its own previous
 * work (throughput), the State and spike tiles it needs, and the previous update of the same State tile: timesteps
 * of one neuron run in order). Finally the pending jobs take the idle port time of the step (jobs.ts).
 *
 * A tile is in use until the end of the last step of its visit, and further: a psum until the neuron unit has
 * read it, State and spikes until the neuron's result has landed, a parent's read-write tile until the
 * children's write-backs into it have landed. Read-only tiles are never waited for by the neuron.
 *
 * Stalls: the compute waits from the end of the previous step to its start; the wait is charged along the cause
 * chain of the gate that bound it (a port's level, a level's latency, the neuron unit), split over tensors by
 * the bits the binding port carried for this step; a compute stretched by its operand traffic is a stall of
 * that port's level.
 */
import type { Arch } from '../../arch/types.ts';
import type { Workload } from '../../workload/types.ts';
import { DRAIN_JOB as DRAIN_JOB_I, FILL_JOB as FILL_JOB_I, Jobs, LANDING as LANDING_I, LEAVE as LEAVE_I, MAXP as MAXP_I, NEURON_JOB as NEURON_JOB_I } from './jobs.ts';
import { type Port, unionIn as unionInI } from './ports.ts';
import { completingStepOf as completingStepOfI, type TileSchedule } from './schedule.ts';
import { drainWeight as drainWeightI, fillWeight as fillWeightI, nextChange as nextChangeI, type NextChange, type StreamSpec, visitFlags as visitFlagsI } from './streams.ts';
import { later, pruneChains } from './chains.ts';
import { Timeline } from './timeline.ts';
import { FILL as FILL_I, READ as READ_I, sideBits as sideBitsI, type StepTraffic, UPDATE as UPDATE_I } from './traffic.ts';

// Imported bindings used in the per-step code, bound once (module interop can make every use a getter call).
const FILL = FILL_I;
const READ = READ_I;
const UPDATE = UPDATE_I;
const sideBits = sideBitsI;
const DRAIN = DRAIN_JOB_I;
const FILLJ = FILL_JOB_I;
const NEURON = NEURON_JOB_I;
const LAND = LANDING_I;
const LEAVE_ = LEAVE_I;
const MAXP = MAXP_I;
const nextChange = nextChangeI;
const visitFlags = visitFlagsI;
const fillWeight = fillWeightI;
const drainWeight = drainWeightI;
const completingStepOf = completingStepOfI;
const unionIn = unionInI;

export interface SimOptions {
  /** Neuron updates per PE after each completing step, and the neuron unit's throughput and latency. */
  readonly neuronPerStep: number;
  readonly neuronThroughput: number | null;
  readonly neuronLatency: number;
  /** The layer has a neuron unit (an SNN layer): it runs after every completing step. */
  readonly neuronActive: boolean;
}

// globals g[]
export const C_END = 0;
export const N_FREE = 1;
export const DONE = 2;
// ints gi[]
export const STARTED = 0;
export const COMPLETED_ONCE = 1;
export const RC_PENDING = 2;
/** The neuron unit's last update is still a pending job (its traffic not yet placed). */
export const NEURON_PENDING = 3;

export class Simulator {
  readonly L: number;
  readonly T: number;
  readonly S: number;
  readonly jobs: Jobs;
  readonly g = new Float64Array(4);
  readonly gi = new Int32Array(4);
  // per stream
  readonly sHas: Int32Array;
  readonly sSlot: Int32Array;
  readonly sFinal: Int32Array;
  readonly sUse: Float64Array;
  readonly sChild: Float64Array;
  readonly sRaw: Float64Array;
  readonly sNext: Float64Array;
  /** The current tile's use by the neuron unit waits for the pending neuron job. */
  readonly sUseJob: Int32Array;
  /** The neuron job's slot. */
  readonly NJ: number;
  /** Segment lists: stream use chains, child chains, the neuron unit's, scratch. */
  readonly useList: number;
  readonly childList: number;
  readonly neuronList: number;
  readonly scratchList: number;
  readonly idx: Int32Array;
  readonly acc: Float64Array;
  readonly aBusy = 0;
  readonly aStall: number;
  readonly aStallT: number;
  readonly aMoved: number;
  readonly aComp: number;
  readonly aTiles: number;
  readonly aSpans: number;
  /** Busy time of each port (id 3e + k). */
  readonly aPort: number;
  readonly laneNeuron: number;
  readonly laneNone: number;
  readonly timeline: Timeline;
  prologue = -1;
  explicitSteps = 0;
  /** Record spans (off once repetitions are skipped). */
  recordSpans = true;
  private readonly changed: Uint8Array;
  private readonly freeT: Float64Array;
  private readonly freeList: Int32Array;
  private readonly freeDrain: Int32Array;
  private readonly freeNeuron: Int32Array;
  private readonly nextNew: NextChange[];
  private readonly scratchDigits: Int32Array;
  private readonly due: number[] = [];
  private readonly levelPorts: Port[][];
  private readonly unionScratch = { buf: new Float64Array(64) };
  private readonly tileStart: Float64Array;
  private readonly lat: Float64Array;
  private readonly byTensor: Float64Array;
  stepStart = 0;
  private stepN = 0;
  /** Nothing is placed before this time again (the ports dropped what lies before it). */
  horizon = 0;
  /** Start of the pending neuron update (for its span and busy time). */
  neuronStart = 0;
  /** Its occupancy of the unit: throughput time or its largest port time. */
  neuronBusy = 0;

  constructor(
    readonly arch: Arch,
    readonly w: Workload,
    readonly s: TileSchedule,
    readonly st: readonly StreamSpec[],
    readonly ports: readonly (Port | null)[],
    readonly compute: StepTraffic,
    readonly neuron: StepTraffic,
    readonly o: SimOptions,
  ) {
    const L = (this.L = arch.levels.length);
    const T = (this.T = w.tensors.length);
    const S = (this.S = st.length);
    this.laneNeuron = L;
    this.laneNone = L + 1;
    const J = 4 * S + 1;
    this.NJ = 4 * S;
    this.jobs = new Jobs(J, 2 * S + 2, ports, T, this.laneNone);
    this.useList = 2 * J;
    this.childList = 2 * J + S;
    this.neuronList = 2 * J + 2 * S;
    this.scratchList = this.neuronList + 1;
    this.sHas = new Int32Array(S);
    this.sSlot = new Int32Array(S);
    this.sFinal = new Int32Array(S);
    this.sUse = new Float64Array(S).fill(-Infinity);
    this.sChild = new Float64Array(S).fill(-Infinity);
    this.sRaw = new Float64Array(S).fill(-Infinity);
    this.sNext = new Float64Array(S).fill(Infinity);
    this.sUseJob = new Int32Array(S);
    this.freeNeuron = new Int32Array(S);
    this.changed = new Uint8Array(S);
    this.freeT = new Float64Array(S);
    this.freeList = new Int32Array(S);
    this.freeDrain = new Int32Array(S);
    this.nextNew = st.map(() => ({ need: Infinity, cls: -1, first: false, final: false }));
    this.scratchDigits = new Int32Array(s.M);
    this.idx = new Int32Array(s.M);
    this.byTensor = new Float64Array(T);
    this.aStall = L;
    this.aStallT = 2 * L + 2;
    this.aMoved = this.aStallT + T;
    this.aComp = this.aMoved + 3 * L * T;
    this.aTiles = this.aComp + 3;
    this.aSpans = this.aTiles + L;
    this.aPort = this.aSpans + L + 2;
    this.acc = new Float64Array(this.aPort + 3 * L);
    this.timeline = new Timeline(L + 2);
    this.levelPorts = arch.levels.map((_, e) => [0, 1, 2].map((k) => ports[3 * e + k]).filter((p): p is Port => p !== null));
    this.tileStart = new Float64Array(L).fill(-1);
    this.lat = Float64Array.from(arch.levels, (l) => l.latencyCycles);
    for (let i = 0; i < S; i++) {
      this.jobs.segPush(this.useList + i, -Infinity, this.laneNone, -1, -1);
      this.jobs.segPush(this.childList + i, -Infinity, this.laneNone, -1, -1);
    }
    this.jobs.segPush(this.neuronList, -Infinity, this.laneNone, -1, -1);
    this.jobs.onComplete = (j) => this.completed(j);
  }

  // ------------------------------------------------------------------------------------------ helpers

  private span(lane: number, a: number, b: number, state: string): void {
    this.acc[this.aSpans + lane] += 1;
    if (this.recordSpans) this.timeline.span(lane, a, b, state);
  }

  private addMoved(e: number, t: number, kind: number, words: number): void {
    if (words > 0) this.acc[this.aMoved + (e * this.T + t) * 3 + kind] += words;
  }

  /** Adds a side (level, direction) of `words` of tensor t to job j's ports. */
  private side(j: number, e: number, dir: 0 | 1, t: number, words: number): void {
    if (words <= 0) return;
    const bits = sideBits(this.arch, this.w, e, t, words);
    for (const k of [dir, 2]) {
      const p = this.ports[3 * e + k];
      if (p) this.jobs.addPort(j, p.id, bits / p.bandwidth, bits);
    }
  }

  /**
   * Charges the stall [a, b) to a lane, and to tensors: a port-bound stall in proportion to the time each tensor
   * occupied that port in [a, b) (the traffic the compute waited behind), else to the given tensor.
   */
  private charge = (lane: number, tensor: number, port: number, a: number, b: number): void => {
    const amount = b - a;
    if (amount <= 0) return;
    const acc = this.acc;
    acc[this.aStall + lane] += amount;
    const p = port >= 0 ? this.ports[port] : null;
    if (p) {
      const by = this.byTensor;
      by.fill(0);
      const sum = p.busyByTensor(a, b, by);
      if (sum > 0) {
        for (let t = 0; t < this.T; t++) acc[this.aStallT + t] += (amount * by[t]) / sum;
        return;
      }
    }
    if (tensor >= 0) acc[this.aStallT + tensor] += amount;
  };

  /** A job finished: child write-backs update their parent's tile; the timeline records the transfer. */
  private completed(j: number): void {
    const jobs = this.jobs;
    if (jobs.kind[j] === NEURON) return;
    const si = jobs.stream[j];
    const spec = this.st[si];
    if (jobs.kind[j] === DRAIN && jobs.tgt[j] && spec.parentStream >= 0) {
      const ps = spec.parentStream;
      if (jobs.land[j] > this.sChild[ps]) {
        if (later(jobs.land[j], this.sChild[ps])) jobs.segCopy(this.childList + ps, j);
        this.sChild[ps] = jobs.land[j];
      }
    }
    if (jobs.np[j] > 0 || jobs.lat[j] > 0) this.span(spec.level, jobs.rel[j], jobs.land[j], jobs.kind[j] === FILLJ ? 'fill' : 'drain');
  }

  // ------------------------------------------------------------------------------------------ one step

  /** Step n of class cls (-1: the first); `completing`: every outer reduction loop is at its last iteration. */
  step(n: number, cls: number, completing: boolean): void {
    const { g, gi, S, st, s, jobs } = this;
    const first = gi[STARTED] === 0;
    gi[STARTED] = 1;
    this.explicitSteps++;
    const h0 = g[C_END];
    this.stepStart = h0;
    this.stepN = n;
    // The reduced tick space's class: the outermost non-reduction loop advanced since the last completing step.
    if (cls >= 0 && !s.reduction[cls] && cls < gi[RC_PENDING]) gi[RC_PENDING] = cls;
    let rc = -2;
    if (completing) {
      rc = gi[COMPLETED_ONCE] ? gi[RC_PENDING] : -1;
      gi[COMPLETED_ONCE] = 1;
      gi[RC_PENDING] = s.M;
    }
    const changed = this.changed;
    let any = false;
    for (let i = 0; i < S; i++) {
      const spec = st[i];
      const k = spec.reduced ? rc : cls;
      const ticks = spec.reduced ? completing : true;
      const c = ticks && (this.sHas[i] === 0 || (k >= 0 && spec.changes[k] === 1));
      changed[i] = c ? 1 : 0;
      if (c) {
        any = true;
        nextChange(spec, s, this.idx, this.scratchDigits, this.nextNew[i]);
      }
    }
    this.due.length = 0;
    if (any) {
      for (let i = S - 1; i >= 0; i--) if (changed[i] && this.sHas[i]) this.evict(i, n, false);
      for (let i = 0; i < S; i++) if (changed[i]) this.visit(i, n, st[i].reduced ? rc : cls);
      for (let e = 1; e < this.L; e++) {
        let lc = false;
        for (let i = 0; i < S; i++) if (changed[i] && st[i].level === e) lc = true;
        if (!lc) continue;
        this.acc[this.aTiles + e] += 1;
        if (this.tileStart[e] >= 0) this.span(e, this.tileStart[e], h0, 'tile');
        this.tileStart[e] = -2; // opened at this step's compute start
      }
    }
    this.placeDue(0, h0);
    this.runCompute(first, h0);
    // The previous neuron update's traffic is due now (the unit runs again), after the compute's transfers.
    if (gi[NEURON_PENDING] && jobs.need[this.NJ] <= n) this.resolveNeuron();
    this.placeDue(1, h0);
    if (completing && this.o.neuronActive) this.runNeuron(n);
    this.endStep(h0, g[C_END]);
  }

  private placeDue(phase: number, h: number): void {
    const due = this.due;
    const n = due.length;
    if (n === 0) return;
    const jobs = this.jobs;
    for (let i = 1; i < n; i++) {
      const j = due[i];
      let k = i - 1;
      while (k >= 0 && jobs.compare(due[k], j) > 0) {
        due[k + 1] = due[k];
        k--;
      }
      due[k + 1] = j;
    }
    for (let i = 0; i < n; i++) if (jobs.phase[due[i]] === phase) jobs.place(due[i], h);
  }

  /** The stream's current tile is evicted: its buffer is free at `free`, after the write-back (read-write). */
  private evict(i: number, n: number, atEnd: boolean): void {
    const spec = this.st[i];
    const jobs = this.jobs;
    const q = this.sSlot[i];
    // A tile the pending neuron update reads (psum) or writes (State, spikes: until its result lands) is free
    // only after it: the next use of the buffer waits for the neuron job.
    this.freeNeuron[i] = this.sUseJob[i];
    this.sUseJob[i] = 0;
    let lu = this.g[C_END];
    let luList = -1;
    if (this.sUse[i] > lu) {
      if (later(this.sUse[i], lu)) luList = this.useList + i;
      lu = this.sUse[i];
    }
    if (this.sChild[i] > lu) {
      if (later(this.sChild[i], lu)) luList = this.childList + i;
      lu = this.sChild[i];
    }
    this.freeT[i] = lu;
    this.freeList[i] = luList;
    this.freeDrain[i] = -1;
    if (!spec.rw || spec.parent < 0) return;
    const dj = 4 * i + 2 + q;
    const words = spec.drainRatio * drainWeight(spec, this.sFinal[i] === 1);
    const need = atEnd ? Infinity : spec.slots === 1 ? n : this.nextNew[i].need;
    const p = spec.parent;
    jobs.create(dj, DRAIN, i, spec.level, spec.tensor, spec.phase, need, lu, luList, words > 0 ? this.lat[p] : 0, p);
    if (this.freeNeuron[i]) {
      jobs.addDep(dj, this.NJ, LAND, spec.neuronWrites ? this.o.neuronLatency : 0);
      jobs.inherit(this.NJ, need);
    }
    this.side(dj, p, 1, spec.tensor, words);
    this.addMoved(p, spec.tensor, UPDATE, words);
    const ps = spec.parentStream;
    if (ps >= 0) {
      jobs.tgt[dj] = 1;
      jobs.addDep(dj, 4 * ps + this.sSlot[ps], LAND);
    }
    const cs = spec.childStream;
    if (cs >= 0) {
      for (let q2 = 0; q2 < 2; q2++) {
        const cj = 4 * cs + 2 + q2;
        if (!jobs.active[cj] || jobs.complete[cj] || !jobs.tgt[cj]) continue;
        jobs.tgt[cj] = 0;
        jobs.addDep(dj, cj, LAND);
        jobs.inherit(cj, need);
      }
    }
    this.freeDrain[i] = dj;
  }

  /** The stream starts a new tile (visit) at step n, class k. */
  private visit(i: number, n: number, k: number): void {
    const spec = this.st[i];
    const jobs = this.jobs;
    const firstTick = this.sHas[i] === 0;
    const q = firstTick ? 0 : spec.slots === 2 ? 1 - this.sSlot[i] : 0;
    const flags = visitFlags(spec, this.s, this.idx);
    const first = (flags & 1) === 1;
    const fj = 4 * i + q;
    const ps = spec.parentStream;
    if (firstTick || spec.slots === 1) {
      this.createFill(i, fj, n, k, first, firstTick ? 0 : this.freeT[i], firstTick ? -1 : this.freeList[i], firstTick ? -1 : this.freeDrain[i], ps >= 0 ? 4 * ps + this.sSlot[ps] : -1, !firstTick && this.freeNeuron[i] === 1);
    } else if (ps >= 0) {
      jobs.resolveFuture(fj, 4 * ps + this.sSlot[ps]);
    }
    this.due.push(fj);
    if (!firstTick && spec.slots === 2) {
      const dj = 4 * i + 2 + q;
      if (jobs.active[dj] && !jobs.complete[dj]) this.due.push(dj);
    }
    this.sSlot[i] = q;
    this.sHas[i] = 1;
    this.sFinal[i] = (flags & 2) === 2 ? 1 : 0;
    this.sUse[i] = -Infinity;
    this.sChild[i] = -Infinity;
    this.sRaw[i] = -Infinity;
    this.sUseJob[i] = 0;
    const nc = this.nextNew[i];
    this.sNext[i] = nc.need;
    if (spec.slots === 2 && nc.need < Infinity) {
      // The next tile's fill, into the buffer just freed (or never used), one tile ahead of its need.
      const q2 = 1 - q;
      let parentDep = -1;
      if (ps >= 0) {
        if (this.sNext[ps] === nc.need) parentDep = this.st[ps].slots === 2 ? 4 * ps + 1 - this.sSlot[ps] : -2;
        else parentDep = 4 * ps + this.sSlot[ps];
      }
      this.createFill(i, 4 * i + q2, nc.need, nc.cls, nc.first, firstTick ? 0 : this.freeT[i], firstTick ? -1 : this.freeList[i], firstTick ? -1 : this.freeDrain[i], parentDep, !firstTick && this.freeNeuron[i] === 1);
    }
  }

  /** parentDep: the parent's fill job it reads from, -2 = the parent's next fill (not created yet), -1 = none. */
  private createFill(i: number, j: number, need: number, k: number, first: boolean, base: number, baseList: number, drainDep: number, parentDep: number, neuronDep: boolean): void {
    const spec = this.st[i];
    const jobs = this.jobs;
    const wgt = fillWeight(spec, k, first);
    const fillWords = spec.fillRatio * wgt;
    const readWords = spec.readRatio * wgt;
    const p = spec.parent;
    const moves = p >= 0 && (fillWords > 0 || readWords > 0);
    jobs.create(j, FILLJ, i, spec.level, spec.tensor, spec.phase, need, base, baseList, moves ? this.lat[p] : 0, p);
    if (moves) {
      this.side(j, p, 0, spec.tensor, readWords);
      this.side(j, spec.level, 1, spec.tensor, fillWords);
      this.addMoved(p, spec.tensor, READ, readWords);
      this.addMoved(spec.level, spec.tensor, FILL, fillWords);
    }
    if (drainDep >= 0) jobs.addDep(j, drainDep, LEAVE_);
    if (neuronDep && drainDep < 0) {
      jobs.addDep(j, this.NJ, LAND, spec.neuronWrites ? this.o.neuronLatency : 0);
      jobs.inherit(this.NJ, need);
    }
    if (moves && parentDep >= 0) jobs.addCut(j, parentDep);
    else if (moves && parentDep === -2) jobs.addFuture(j);
  }

  private runCompute(first: boolean, prev: number): void {
    const { g, S, st, jobs } = this;
    let ready = prev;
    let gate = -1;
    for (let i = 0; i < S; i++) {
      const spec = st[i];
      if (!spec.computeGate) continue;
      if (this.changed[i]) {
        const fj = 4 * i + this.sSlot[i];
        if (jobs.land[fj] > ready) {
          if (later(jobs.land[fj], ready)) gate = fj;
          ready = jobs.land[fj];
        }
      }
      if (spec.neuronWrites && this.sUseJob[i]) {
        jobs.inherit(this.NJ, this.stepN);
        this.resolveNeuron();
      }
      if (spec.neuronWrites && this.sRaw[i] > ready) {
        if (later(this.sRaw[i], ready)) gate = this.useList + i;
        ready = this.sRaw[i];
      }
    }
    const start = ready;
    if (first) this.prologue = start;
    const stepCycles = this.s.stepCycles;
    let end = start + stepCycles;
    let bind = -1;
    const tr = this.compute;
    for (let k = 0; k < tr.ports.length; k++) {
      const p = this.ports[tr.ports[k]]!;
      p.place(start, tr.work[k], Infinity, tr.tensor[k]);
      if (p.end > end) {
        if (later(p.end, end)) bind = k;
        end = p.end;
      }
    }
    for (let k = 0; k < tr.movedIdx.length; k++) this.acc[this.aMoved + tr.movedIdx[k]] += tr.movedWords[k];
    if (start > prev) {
      if (gate >= 0) jobs.attribute(gate, prev, start, this.charge);
      else this.charge(this.laneNone, -1, -1, prev, start);
    }
    const stretch = end - start - stepCycles;
    if (bind >= 0 && stretch > 0) {
      // The compute ran as long as its operand traffic on the binding port: charge the stretch to that port's
      // level, split by what occupied the port meanwhile.
      const pid = tr.ports[bind];
      const lane = this.ports[pid]!.level;
      const by = this.byTensor;
      by.fill(0);
      const sum = this.ports[pid]!.busyByTensor(start, end, by);
      this.acc[this.aStall + lane] += stretch;
      for (let t = 0; t < this.T; t++) this.acc[this.aStallT + t] += sum > 0 ? (stretch * by[t]) / sum : 0;
    }
    const acc = this.acc;
    acc[this.aComp] += stepCycles;
    acc[this.aComp + 1] += start - prev + (stretch > 0 ? stretch : 0);
    g[C_END] = end;
    if (end > g[DONE]) g[DONE] = end;
    this.span(this.L, start, end, 'busy');
    this.timeline.busy(this.L, start, end);
    for (let e = 1; e < this.L; e++) if (this.tileStart[e] === -2) this.tileStart[e] = start;
  }

  /**
   * The neuron update after completing step n: it starts no earlier than the compute end, the end of the unit's
   * previous update (updates start in order), the State tile it reads and the previous update of the same State
   * tile; it takes its throughput time or its memory traffic's port time, whichever is longer, and its result
   * lands `neuron_latency` later. Its memory traffic is a job due at the next completing step (when the in-order
   * unit needs it done), so fills due earlier take the ports first.
   */
  private runNeuron(n: number): void {
    const { g, S, st, jobs, o } = this;
    if (this.gi[NEURON_PENDING]) this.resolveNeuron();
    const compEnd = g[C_END];
    let ns = compEnd;
    let cause = -1;
    if (g[N_FREE] > ns) {
      if (later(g[N_FREE], ns)) cause = this.neuronList;
      ns = g[N_FREE];
    }
    const own = o.neuronThroughput ? o.neuronPerStep / o.neuronThroughput : 0;
    for (let i = 0; i < S; i++) {
      const spec = st[i];
      if (!spec.neuronWrites || spec.computeGate) continue;
      let v: number;
      let list: number;
      if (this.changed[i]) {
        // A refilled tile (State) is read when the update starts; a fresh tile's buffer (spikes, State at t=0)
        // is only written when the result lands, `own + latency` after the start.
        list = 4 * i + this.sSlot[i];
        v = jobs.land[list];
        if (jobs.np[list] === 0 && jobs.lat[list] === 0) v -= own + o.neuronLatency;
      } else {
        list = this.useList + i;
        v = this.sRaw[i];
      }
      if (v > ns) {
        if (later(v, ns)) cause = list;
        ns = v;
      }
    }
    const tr = this.neuron;
    for (let k = 0; k < tr.movedIdx.length; k++) this.acc[this.aMoved + tr.movedIdx[k]] += tr.movedWords[k];
    const NJ = this.NJ;
    // Its traffic: one job, due when the unit runs next.
    const next = this.nextCompleting(n);
    jobs.create(NJ, NEURON, -1, this.L, tr.tensor.length > 0 ? tr.tensor[0] : 0, 1, next, ns, cause, 0, -1);
    jobs.dur[NJ] = own;
    for (let k = 0; k < tr.ports.length; k++) {
      const p = this.ports[tr.ports[k]]!;
      jobs.addPort(NJ, p.id, tr.work[k], tr.work[k] * p.bandwidth, tr.tensor[k]);
    }
    jobs.tryRelease(NJ);
    let occupancy = own;
    for (let k = 0; k < jobs.np[NJ]; k++) occupancy = Math.max(occupancy, jobs.rem[NJ * MAXP + k]);
    this.neuronBusy = occupancy;
    this.neuronStart = ns;
    this.gi[NEURON_PENDING] = 1;
    for (let i = 0; i < S; i++) if (st[i].neuronReads || st[i].neuronWrites) this.sUseJob[i] = 1;
    if (tr.ports.length === 0) this.resolveNeuron();
  }

  /** Places the pending neuron update's traffic and records when its inputs are read and its result lands. */
  private resolveNeuron(): void {
    const { g, S, st, jobs, o } = this;
    const NJ = this.NJ;
    this.gi[NEURON_PENDING] = 0;
    jobs.place(NJ, this.horizon);
    const ns = this.neuronStart;
    const readDone = jobs.land[NJ];
    const done = readDone + o.neuronLatency;
    const busy = this.neuronBusy;
    // The unit's chain: its latency, then its job's (busy time or port), then what it waited for.
    const nl = this.scratchList;
    jobs.segClear(nl);
    if (o.neuronLatency > 0) jobs.segPush(nl, readDone, this.laneNeuron, -1, -1);
    jobs.segAppendBelow(nl, NJ, readDone);
    g[N_FREE] = readDone;
    jobs.segCopy(this.neuronList, NJ);
    for (let i = 0; i < S; i++) {
      if (!this.sUseJob[i]) continue;
      this.sUseJob[i] = 0;
      const spec = st[i];
      const t = spec.neuronWrites ? done : readDone;
      if (t > this.sUse[i]) {
        if (later(t, this.sUse[i])) this.copyWithTensor(this.useList + i, spec.neuronWrites ? nl : NJ, spec.tensor);
        this.sUse[i] = t;
      }
      if (spec.neuronWrites && this.w.tensors[spec.tensor].role === 'state') this.sRaw[i] = done;
    }
    if (done > g[DONE]) g[DONE] = done;
    this.acc[this.aComp + 2] += busy;
    this.span(this.L + 1, ns, ns + busy, 'busy');
    this.timeline.busy(this.L + 1, ns, ns + busy);
  }

  /** The completing step after step n (Infinity: none). */
  private nextCompleting(n: number): number {
    const s = this.s;
    const d = this.scratchDigits;
    for (let k = 0; k < s.M; k++) d[k] = this.idx[k];
    for (let k = s.M - 1; k >= 0; k--) {
      if (s.reduction[k]) continue;
      if (d[k] < s.loops[k].factor - 1) {
        d[k]++;
        for (let j = k + 1; j < s.M; j++) if (!s.reduction[j]) d[j] = 0;
        const next = completingStepOf(s, d);
        return next > n ? next : Infinity;
      }
    }
    return Infinity;
  }

  /** Copies a chain, charging its tensor-less segments to `tensor` (the tile the wait was for). */
  private copyWithTensor(dst: number, src: number, tensor: number): void {
    const jobs = this.jobs;
    jobs.segCopy(dst, src);
    const b = dst * 6;
    for (let k = 0; k < jobs.segN[dst]; k++) if (jobs.segTensor[b + k] < 0) jobs.segTensor[b + k] = tensor;
  }

  /** Pending jobs take the step's idle port time; level busy time = union of its ports' busy time. */
  private endStep(h0: number, h1: number): void {
    this.jobs.absorb(h0, h1);
    this.measure(h0, h1);
    for (const p of this.ports) p?.truncate(h1);
    this.horizon = h1;
    // Stalls are only charged after the horizon: cause chains keep what covers it and later (the same pruning
    // in a full simulation and in a replay, so both attribute alike).
    pruneChains(this.jobs, h1);
  }

  private measureLevel = 0;
  private readonly emitBusy = (a: number, b: number): void => {
    const e = this.measureLevel;
    this.timeline.busy(e, a, b);
    // The outermost level holds no tiles of its own: its lane shows when its ports are busy.
    if (e === 0) this.span(0, a, b, 'busy');
  };

  private measure(h0: number, h1: number): void {
    for (let e = 0; e < this.L; e++) {
      const ps = this.levelPorts[e];
      if (ps.length === 0) continue;
      this.measureLevel = e;
      this.acc[this.aBusy + e] += unionIn(ps, h0, h1, this.unionScratch, this.emitBusy);
      for (const p of ps) this.acc[this.aPort + p.id] += p.busyIn(h0, h1);
    }
  }

  /** The final write-backs; returns the end of the run. */
  finish(): number {
    const { g, S, jobs } = this;
    const h = g[C_END];
    if (this.gi[NEURON_PENDING]) this.resolveNeuron();
    for (let i = S - 1; i >= 0; i--) if (this.sHas[i]) this.evict(i, Infinity, true);
    for (const j of jobs.sortedPending()) jobs.place(j, this.horizon);
    let end = Math.max(g[DONE], g[C_END]);
    for (let j = 0; j < jobs.J; j++) if (jobs.active[j] && jobs.land[j] > end) end = jobs.land[j];
    this.measure(h, Infinity);
    for (let e = 1; e < this.L; e++) if (this.tileStart[e] >= 0) this.span(e, this.tileStart[e], g[C_END], 'tile');
    return end;
  }

  lastComputeEnd(): number {
    return this.g[C_END];
  }
}
