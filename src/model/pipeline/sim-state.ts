/**
 * The simulator's state (simulator.ts steps it; tiles.ts and neuron.ts are its parts): global times, per-stream
 * buffers and visits, the job table, accumulators, the timeline, and the helpers they share.
 */
import type { Arch } from '../../arch/types.ts';
import type { Workload } from '../../workload/types.ts';
import { later as laterI } from './chains.ts';
import { snapUp } from './grid.ts';
import { DRAIN_JOB as DRAIN_JOB_I, FILL_JOB as FILL_JOB_I, Jobs, NEURON_JOB as NEURON_JOB_I } from './jobs.ts';
import type { Port } from './ports.ts';
import type { TileSchedule } from './schedule.ts';
import type { NextChange, StreamSpec } from './streams.ts';
import { Timeline } from './timeline.ts';
import { sideBits as sideBitsI, type StepTraffic } from './traffic.ts';

// Imported bindings used in the per-step code, bound once (module interop can make every use a getter call).
const later = laterI;
const sideBits = sideBitsI;
const DRAIN = DRAIN_JOB_I;
const FILLJ = FILL_JOB_I;
const NEURON = NEURON_JOB_I;

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

export class SimState {
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
  readonly changed: Uint8Array;
  readonly freeT: Float64Array;
  readonly freeList: Int32Array;
  readonly freeDrain: Int32Array;
  readonly freeNeuron: Int32Array;
  readonly nextNew: NextChange[];
  readonly scratchDigits: Int32Array;
  readonly due: number[] = [];
  readonly levelPorts: Port[][];
  readonly unionScratch = { buf: new Float64Array(64) };
  readonly tileStart: Float64Array;
  readonly lat: Float64Array;
  readonly byTensor: Float64Array;
  stepStart = 0;
  stepN = 0;
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
    this.lat = Float64Array.from(arch.levels, (l) => snapUp(l.latencyCycles));
    for (let i = 0; i < S; i++) {
      this.jobs.segPush(this.useList + i, -Infinity, this.laneNone, -1, -1);
      this.jobs.segPush(this.childList + i, -Infinity, this.laneNone, -1, -1);
    }
    this.jobs.segPush(this.neuronList, -Infinity, this.laneNone, -1, -1);
    this.jobs.onComplete = (j) => this.completed(j);
  }

  // ------------------------------------------------------------------------------------------ helpers

  span(lane: number, a: number, b: number, state: string): void {
    this.acc[this.aSpans + lane] += 1;
    if (this.recordSpans) this.timeline.span(lane, a, b, state);
  }

  addMoved(e: number, t: number, kind: number, words: number): void {
    if (words > 0) this.acc[this.aMoved + (e * this.T + t) * 3 + kind] += words;
  }

  /** Adds a side (level, direction) of `words` of tensor t to job j's ports. */
  side(j: number, e: number, dir: 0 | 1, t: number, words: number): void {
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
  charge = (lane: number, tensor: number, port: number, a: number, b: number): void => {
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
  completed(j: number): void {
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

  /** Copies a chain, charging its tensor-less segments to `tensor` (the tile the wait was for). */
  copyWithTensor(dst: number, src: number, tensor: number): void {
    const jobs = this.jobs;
    jobs.segCopy(dst, src);
    const b = dst * 6;
    for (let k = 0; k < jobs.segN[dst]; k++) if (jobs.segTensor[b + k] < 0) jobs.segTensor[b + k] = tensor;
  }
}
