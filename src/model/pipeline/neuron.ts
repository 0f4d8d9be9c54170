/**
 * The neuron unit: after a completing step it updates the step's neurons, in order of completion, no earlier than
 * the compute, its own previous update, the State tile it reads and the previous update of the same State tile
 * (timesteps of one neuron run in order); busy for its throughput time or its memory traffic's port time, its
 * result landing `neuron_latency` later. Its memory traffic is a job due at the next completing step.
 */
import { later as laterI } from './chains.ts';
import { snapUp as snapUpI } from './grid.ts';
import { MAXP as MAXP_I, NEURON_JOB as NEURON_JOB_I } from './jobs.ts';
import { completingStepOf as completingStepOfI } from './schedule.ts';
import { C_END as C_END_I, DONE as DONE_I, N_FREE as N_FREE_I, NEURON_PENDING as NEURON_PENDING_I, type SimState } from './sim-state.ts';

const later = laterI;
const C_END = C_END_I;
const DONE = DONE_I;
const N_FREE = N_FREE_I;
const NEURON_PENDING = NEURON_PENDING_I;
const MAXP = MAXP_I;
const NEURON = NEURON_JOB_I;
const completingStepOf = completingStepOfI;

/**
 * The neuron update after completing step n: it starts no earlier than the compute end, the end of the unit's
 * previous update (updates start in order), the State tile it reads and the previous update of the same State
 * tile; it takes its throughput time or its memory traffic's port time, whichever is longer, and its result
 * lands `neuron_latency` later. Its memory traffic is a job due at the next completing step (when the in-order
 * unit needs it done), so fills due earlier take the ports first.
 */
export function runNeuron(sim: SimState, n: number): void {
  const { g, S, st, jobs, o } = sim;
  if (sim.gi[NEURON_PENDING]) resolveNeuron(sim);
  const compEnd = g[C_END];
  let ns = compEnd;
  let cause = -1;
  if (g[N_FREE] > ns) {
    if (later(g[N_FREE], ns)) cause = sim.neuronList;
    ns = g[N_FREE];
  }
  const own = o.neuronThroughput ? snapUpI(o.neuronPerStep / o.neuronThroughput) : 0;
  for (let i = 0; i < S; i++) {
    const spec = st[i];
    if (!spec.neuronWrites || spec.computeGate) continue;
    let v: number;
    let list: number;
    if (sim.changed[i]) {
      // A refilled tile (State) is read when the update starts; a fresh tile's buffer (spikes, State at t=0)
      // is only written when the result lands, `own + latency` after the start.
      list = 4 * i + sim.sSlot[i];
      v = jobs.land[list];
      if (jobs.np[list] === 0 && jobs.lat[list] === 0) v -= own + o.neuronLatency;
    } else {
      list = sim.useList + i;
      v = sim.sRaw[i];
    }
    if (v > ns) {
      if (later(v, ns)) cause = list;
      ns = v;
    }
  }
  const tr = sim.neuron;
  for (let k = 0; k < tr.movedIdx.length; k++) sim.acc[sim.aMoved + tr.movedIdx[k]] += tr.movedWords[k];
  const NJ = sim.NJ;
  // Its traffic: one job, due when the unit runs next.
  const next = nextCompleting(sim, n);
  jobs.create(NJ, NEURON, -1, sim.L, tr.tensor.length > 0 ? tr.tensor[0] : 0, 1, next, ns, cause, 0, -1);
  jobs.dur[NJ] = own;
  for (let k = 0; k < tr.ports.length; k++) {
    const p = sim.ports[tr.ports[k]]!;
    jobs.addPort(NJ, p.id, tr.work[k], tr.work[k] * p.bandwidth, tr.tensor[k]);
  }
  jobs.tryRelease(NJ);
  let occupancy = own;
  for (let k = 0; k < jobs.np[NJ]; k++) occupancy = Math.max(occupancy, jobs.rem[NJ * MAXP + k]);
  sim.neuronBusy = occupancy;
  sim.neuronStart = ns;
  sim.gi[NEURON_PENDING] = 1;
  for (let i = 0; i < S; i++) if (st[i].neuronReads || st[i].neuronWrites) sim.sUseJob[i] = 1;
  if (tr.ports.length === 0) resolveNeuron(sim);
}

/** Places the pending neuron update's traffic and records when its inputs are read and its result lands. */
export function resolveNeuron(sim: SimState): void {
  const { g, S, st, jobs, o } = sim;
  const NJ = sim.NJ;
  sim.gi[NEURON_PENDING] = 0;
  jobs.place(NJ, sim.horizon);
  const ns = sim.neuronStart;
  const readDone = jobs.land[NJ];
  const done = readDone + o.neuronLatency;
  const busy = sim.neuronBusy;
  // The unit's chain: its latency, then its job's (busy time or port), then what it waited for.
  const nl = sim.scratchList;
  jobs.segClear(nl);
  if (o.neuronLatency > 0) jobs.segPush(nl, readDone, sim.laneNeuron, -1, -1);
  jobs.segAppendBelow(nl, NJ, readDone);
  g[N_FREE] = readDone;
  jobs.segCopy(sim.neuronList, NJ);
  for (let i = 0; i < S; i++) {
    if (!sim.sUseJob[i]) continue;
    sim.sUseJob[i] = 0;
    const spec = st[i];
    const t = spec.neuronWrites ? done : readDone;
    if (t > sim.sUse[i]) {
      if (later(t, sim.sUse[i])) sim.copyWithTensor(sim.useList + i, spec.neuronWrites ? nl : NJ, spec.tensor);
      sim.sUse[i] = t;
    }
    if (spec.neuronWrites && sim.w.tensors[spec.tensor].role === 'state') sim.sRaw[i] = done;
  }
  if (done > g[DONE]) g[DONE] = done;
  sim.acc[sim.aComp + 2] += busy;
  sim.span(sim.L + 1, ns, ns + busy, 'busy');
  sim.timeline.busy(sim.L + 1, ns, ns + busy);
}

/** The completing step after step n (Infinity: none). */
function nextCompleting(sim: SimState, n: number): number {
  const s = sim.s;
  const d = sim.scratchDigits;
  for (let k = 0; k < s.M; k++) d[k] = sim.idx[k];
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

