/**
 * The tile timeline: one call of `step` per outer tile, in order. Per step: fills of the new tiles (outer levels
 * first), write-backs of the evicted tiles (inner levels first), the compute of the step, and the neuron update
 * after a completed reduction. Every transfer is an event on port resources, first come first served in step
 * order: a port is free again `occupancy` cycles after the event starts; the data lands `latency` cycles later.
 *
 * Buffering per level. A tile change frees a buffer twice: its read-only tiles once their last compute is done
 * (the fill of the new tile may start), its partial results once their write-back has landed (the compute may
 * start writing into the buffer). Without double buffering both waits refer to the tile just evicted, so fill,
 * compute and write-back serialize; with it, the new tile takes the buffer of the tile before the previous one and
 * both waits refer to that older tile, so the fill overlaps the previous tile's compute. The events and their
 * order are the same in both cases (buffering only relaxes waits), which makes double buffering, like more
 * bandwidth or less latency, never add cycles: every time is a max of earlier times plus non-negative constants.
 *
 * All state is time values (Float64Array `x`, ports included), small integers (`si`: causes) and accumulators
 * (`acc`), so steady-state.ts can snapshot, compare and extrapolate it.
 */
import type { EventTables, TransferEvent } from './events.ts';
import type { TileSchedule } from './schedule.ts';

const CAP = 256;
// x layout
const C_END = 0;
const N_FREE = 1;
const DONE = 2;
const LV = 3; // per level: 8 values
// CUR_S/E: fill of the current tile; DRAIN_E: last write-back landed; PEND_DONE: last compute of the previous tile;
// WREL: when the buffer the compute writes into is free; W_PREV: write-back of the previous tile landed.
const CUR_S = 0, CUR_E = 1, DRAIN_E = 2, PEND_DONE = 5, WREL = 6, W_PREV = 7;
// si layout per level: level and tensor that set the last write-back's duration, cur causes (4)
const SI = 6;
const W_L = 0, CUR_C = 1, W_T = 5;
const SC = 1;

export interface SimOptions {
  readonly doubleBuffered: readonly boolean[];
  /** Neuron updates per PE in each completing step, and the neuron unit's throughput / latency. */
  readonly neuronPerStep: number;
  readonly neuronThroughput: number | null;
  readonly neuronLatency: number;
  /** Record signatures of explicitly simulated events (needed by steady-state detection). */
  readonly signatures: boolean;
}

export interface Span {
  readonly start: number;
  readonly end: number;
  readonly state: string;
}

export class Simulator {
  readonly L: number;
  readonly T: number;
  readonly x: Float64Array;
  readonly si: Int32Array;
  readonly sc: Float64Array;
  readonly acc: Float64Array;
  /** Loop counters of the current step (set by the driver). */
  readonly idx: Int32Array;
  readonly spans: Span[][];
  // acc layout
  readonly aBusy = 0;
  readonly aStall: number;
  readonly aStallT: number;
  readonly aMoved: number;
  readonly aCompBusy: number;
  readonly aCompStall: number;
  readonly aNeuron: number;
  readonly aSpans: number;
  readonly aSteps: number;
  readonly portBase: number;
  prologue = -1;
  explicitSteps = 0;
  private first = true;
  private readonly sig: Float64Array;
  private sigDepth = 0;

  constructor(
    readonly s: TileSchedule,
    readonly ev: EventTables,
    readonly o: SimOptions,
  ) {
    const L = (this.L = s.levels);
    const T = (this.T = s.tensors);
    this.portBase = LV + 8 * L;
    this.x = new Float64Array(this.portBase + 3 * L);
    this.si = new Int32Array(SI * L);
    this.sc = new Float64Array(SC * L);
    this.aStall = L;
    this.aStallT = 2 * L;
    this.aMoved = 2 * L + T;
    this.aCompBusy = this.aMoved + 3 * L * T;
    this.aCompStall = this.aCompBusy + 1;
    this.aNeuron = this.aCompBusy + 2;
    this.aSpans = this.aCompBusy + 3;
    this.aSteps = this.aSpans + L + 1;
    this.acc = new Float64Array(this.aSteps + 1);
    this.idx = new Int32Array(s.loops.length);
    this.spans = Array.from({ length: L + 1 }, () => []);
    this.sig = new Float64Array(4 * (s.loops.length + 2));
  }

  // ------------------------------------------------------------------------------------------ signatures

  pushSignature(): void {
    const b = 4 * this.sigDepth++;
    this.sig[b] = this.x[C_END];
    this.sig[b + 1] = 0;
    this.sig[b + 2] = 0;
    this.sig[b + 3] = 0;
  }

  /** Pops and returns [sum, sum of squares, count] of event times relative to the base of the innermost frame. */
  popSignature(): [number, number, number] {
    const b = 4 * --this.sigDepth;
    return [this.sig[b + 1], this.sig[b + 2], this.sig[b + 3]];
  }

  private mark(t: number): void {
    for (let d = 0; d < this.sigDepth; d++) {
      const r = t - this.sig[4 * d];
      this.sig[4 * d + 1] += r;
      this.sig[4 * d + 2] += r * r;
      this.sig[4 * d + 3] += 1;
    }
  }

  // ------------------------------------------------------------------------------------------ events

  private bindPort = -1;

  /** Reserves the event's ports no earlier than `earliest`; returns the start (bindPort = the port that bound it). */
  private issue(evt: TransferEvent, earliest: number, state: string, lane: number): number {
    const x = this.x;
    let start = earliest;
    this.bindPort = -1;
    for (let i = 0; i < evt.ports.length; i++) {
      const f = x[this.portBase + evt.ports[i]];
      if (f > start) {
        start = f;
        this.bindPort = evt.ports[i];
      }
    }
    for (let i = 0; i < evt.ports.length; i++) x[this.portBase + evt.ports[i]] = start + evt.occ[i];
    const acc = this.acc;
    for (let i = 0; i < evt.busyLevels.length; i++) {
      const e = evt.busyLevels[i];
      acc[this.aBusy + e] += evt.busyOcc[i];
      // The outermost level holds no tiles of its own: its lane shows when its ports are busy.
      if (e === 0) this.span(0, start, start + evt.busyOcc[i], state);
    }
    if (lane > 0) this.span(lane, start, start + evt.maxOcc + evt.latency, state);
    for (let i = 0; i < evt.movedIdx.length; i++) acc[this.aMoved + evt.movedIdx[i]] += evt.movedWords[i];
    if (this.sigDepth > 0) {
      this.mark(start);
      this.mark(start + evt.maxOcc + evt.latency);
    }
    return start;
  }

  private span(lane: number, start: number, end: number, state: string): void {
    this.acc[this.aSpans + lane] += 1;
    const list = this.spans[lane];
    if (list.length < CAP) list.push({ start, end, state });
  }

  /** Latest fill end of the levels above e. */
  private upstream(e: number): { end: number; level: number } {
    let end = 0;
    let level = -1;
    for (let u = 1; u < e; u++) {
      const v = this.x[LV + 8 * u + CUR_E];
      if (v > end) {
        end = v;
        level = u;
      }
    }
    return { end, level };
  }

  /** The fill of level e's new tile: start = max(buffer gate, upstream tiles, ports); records times and causes. */
  private fill(e: number, evt: TransferEvent | null, gate: number): void {
    const up = this.upstream(e);
    const earliest = Math.max(gate, up.end);
    const start = evt ? this.issue(evt, earliest, 'fill', e) : earliest;
    const x = this.x;
    const si = this.si;
    const base = LV + 8 * e;
    const cb = e * SI + CUR_C;
    x[base + CUR_S] = start;
    x[base + CUR_E] = evt ? start + evt.maxOcc + evt.latency : start;
    const ownTensor = evt ? evt.causeTensor : 0;
    // What delayed the start: a port (its level), the upstream tile (its own cause), or the buffer (this level).
    if (evt && this.bindPort >= 0) {
      si[cb] = Math.floor(this.bindPort / 3);
      si[cb + 1] = ownTensor;
    } else if (up.level >= 0 && up.end >= gate) {
      const ub = up.level * SI + CUR_C;
      si[cb] = si[ub + 2];
      si[cb + 1] = si[ub + 3];
    } else {
      si[cb] = e;
      si[cb + 1] = ownTensor;
    }
    si[cb + 2] = evt ? evt.causeLevel : e;
    si[cb + 3] = ownTensor;
  }

  /** The write-back of a tile of level e evicted at class `di`, no earlier than `earliest`; returns its end. */
  private drain(e: number, di: number, earliest: number): number {
    const evt = this.ev.drain[di][e];
    if (!evt) return earliest;
    this.si[e * SI + W_L] = evt.causeLevel;
    this.si[e * SI + W_T] = evt.causeTensor;
    const start = this.issue(evt, earliest, 'drain', e);
    const end = start + evt.maxOcc + evt.latency;
    this.x[LV + 8 * e + DRAIN_E] = end;
    return end;
  }

  // ------------------------------------------------------------------------------------------ one step

  step(ci: number, neuron: boolean): void {
    const { L, x, si, s, ev } = this;
    const first = this.first;
    this.first = false;
    this.explicitSteps++;
    this.acc[this.aSteps] += 1;
    const prevDone = x[DONE];
    const db = this.o.doubleBuffered;
    // Same events in the same order with or without double buffering; buffering only relaxes who waits for them.
    // A change releases a buffer: its read-only tiles once their last compute is done (the fill may start), its
    // partial results once their write-back has landed (the compute may start writing into it). Double buffered,
    // the new tile takes the buffer of the tile before the previous one, so both waits refer to that older tile.
    // Fills of the new tiles, outer levels first.
    for (let e = 1; e < L; e++) {
      const change = first ? s.levelChange[e] === 1 : s.levelChange[ci * L + e] === 1;
      if (!change) continue;
      const base = LV + 8 * e;
      let gate = prevDone;
      if (db[e]) {
        gate = x[base + PEND_DONE];
        x[base + PEND_DONE] = prevDone;
      }
      this.fill(e, ev.fill[ci][e], first ? 0 : gate);
    }
    // Write-backs of the evicted tiles, inner levels first.
    let innerDrain = prevDone;
    for (let e = L - 1; e >= 1; e--) {
      if (first || s.levelChange[ci * L + e] !== 1) continue;
      const base = LV + 8 * e;
      let landed = prevDone;
      if (ev.drain[ci][e]) {
        landed = this.drain(e, ci, innerDrain);
        innerDrain = Math.max(innerDrain, landed);
      }
      if (db[e]) {
        x[base + WREL] = x[base + W_PREV];
        x[base + W_PREV] = landed;
      } else {
        x[base + WREL] = landed;
      }
    }
    this.compute(neuron, first);
  }

  private compute(neuron: boolean, first: boolean): void {
    const { L, x, s, ev, o } = this;
    // Compute.
    const ready = first ? 0 : x[C_END];
    let dataEnd = 0;
    let dataLevel = -1;
    let bufferLevel = -1;
    for (let e = 1; e < L; e++) {
      const v = x[LV + 8 * e + CUR_E];
      if (v > dataEnd) {
        dataEnd = v;
        dataLevel = e;
        bufferLevel = -1;
      }
      const wr = x[LV + 8 * e + WREL];
      if (wr > dataEnd) {
        dataEnd = wr;
        dataLevel = e;
        bufferLevel = e;
      }
    }
    const cev = ev.compute;
    const earliest = Math.max(ready, dataEnd);
    const start = cev ? this.issue(cev, earliest, 'compute', -1) : earliest;
    if (this.prologue < 0) this.prologue = start;
    const dur = Math.max(s.stepCycles, cev ? cev.maxOcc : 0);
    const end = start + dur;
    if (start > ready) {
      if (cev && this.bindPort >= 0) this.stall(ready, start, -1 - Math.floor(this.bindPort / 3), cev.causeTensor);
      else if (bufferLevel >= 0) this.stall(ready, start, -1 - this.si[bufferLevel * SI + W_L], this.si[bufferLevel * SI + W_T]);
      else this.stall(ready, start, dataLevel, 0);
    }
    this.acc[this.aCompBusy] += dur;
    this.span(L, start, end, 'busy');
    if (this.sigDepth > 0) {
      this.mark(start);
      this.mark(end);
    }
    x[C_END] = end;
    let done = end;
    if (neuron && o.neuronPerStep > 0) {
      const busy = o.neuronThroughput ? o.neuronPerStep / o.neuronThroughput : 0;
      const ns = Math.max(end, x[N_FREE]);
      x[N_FREE] = ns + busy;
      this.acc[this.aNeuron] += busy;
      done = Math.max(end, ns + busy + o.neuronLatency);
    }
    x[DONE] = done;
  }

  /** Attributes a compute stall [from, to): to a level as a whole (who = -1 - level) or to a level's current tile. */
  private stall(from: number, to: number, who: number, tensor: number): void {
    const acc = this.acc;
    const add = (level: number, tensor: number, amount: number): void => {
      if (amount <= 0) return;
      acc[this.aStall + level] += amount;
      acc[this.aStallT + tensor] += amount;
      acc[this.aCompStall] += amount;
    };
    if (who < -0.5) {
      add(-1 - who, tensor, to - from);
      return;
    }
    if (who < 0) return;
    const cb = who * SI + CUR_C;
    const cs = this.x[LV + 8 * who + CUR_S];
    const split = Math.min(to, Math.max(from, cs));
    add(this.si[cb], this.si[cb + 1], split - from);
    add(this.si[cb + 2], this.si[cb + 3], to - split);
  }

  /** The final write-backs; returns the end of the run. */
  finish(): number {
    const { L, x, ev } = this;
    let end = Math.max(x[DONE], x[C_END]);
    let innerDrain = x[DONE];
    for (let e = L - 1; e >= 1; e--) {
      const base = LV + 8 * e;
      end = Math.max(end, x[base + DRAIN_E]);
      if (!ev.drain[0][e]) continue;
      const d = this.drain(e, 0, innerDrain);
      innerDrain = Math.max(innerDrain, d);
      end = Math.max(end, d);
    }
    return end;
  }

  lastComputeEnd(): number {
    return this.x[C_END];
  }
}
