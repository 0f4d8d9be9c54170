/**
 * Tile visits of the streams: a changing stream evicts its tile (a read-write tile is written back, after the
 * children's write-backs into it) and starts the next one, whose fill waits for its buffer and reads the parent's
 * tile (cut-through when that tile is itself being filled); a double-buffered stream also issues the fill of the
 * tile after it, one tile ahead of its need.
 */
import { DRAIN_JOB as DRAIN_JOB_I, FILL_JOB as FILL_JOB_I, LANDING as LANDING_I, LEAVE as LEAVE_I } from './jobs.ts';
import { later as laterI } from './chains.ts';
import { C_END as C_END_I, type SimState } from './sim-state.ts';
import { drainWeight as drainWeightI, fillWeight as fillWeightI, visitFlags as visitFlagsI } from './streams.ts';
import { FILL as FILL_I, READ as READ_I, UPDATE as UPDATE_I } from './traffic.ts';

// Imported bindings used per step, bound once (module interop can make every use a getter call).
const later = laterI;
const C_END = C_END_I;
const DRAIN = DRAIN_JOB_I;
const FILLJ = FILL_JOB_I;
const LAND = LANDING_I;
const LEAVE_ = LEAVE_I;
const FILL = FILL_I;
const READ = READ_I;
const UPDATE = UPDATE_I;
const visitFlags = visitFlagsI;
const fillWeight = fillWeightI;
const drainWeight = drainWeightI;

/** The stream's current tile is evicted: its buffer is free at `free`, after the write-back (read-write). */
export function evict(sim: SimState, i: number, n: number, atEnd: boolean): void {
  const spec = sim.st[i];
  const jobs = sim.jobs;
  const q = sim.sSlot[i];
  // A tile the pending neuron update reads (psum) or writes (State, spikes: until its result lands) is free
  // only after it: the next use of the buffer waits for the neuron job.
  sim.freeNeuron[i] = sim.sUseJob[i];
  sim.sUseJob[i] = 0;
  let lu = sim.g[C_END];
  let luList = -1;
  if (sim.sUse[i] > lu) {
    if (later(sim.sUse[i], lu)) luList = sim.useList + i;
    lu = sim.sUse[i];
  }
  if (sim.sChild[i] > lu) {
    if (later(sim.sChild[i], lu)) luList = sim.childList + i;
    lu = sim.sChild[i];
  }
  sim.freeT[i] = lu;
  sim.freeList[i] = luList;
  sim.freeDrain[i] = -1;
  if (!spec.rw || spec.parent < 0) return;
  const dj = 4 * i + 2 + q;
  const words = spec.drainRatio * drainWeight(spec, sim.sFinal[i] === 1);
  const need = atEnd ? Infinity : spec.slots === 1 ? n : sim.nextNew[i].need;
  const p = spec.parent;
  jobs.create(dj, DRAIN, i, spec.level, spec.tensor, spec.phase, need, lu, luList, words > 0 ? sim.lat[p] : 0, p);
  if (sim.freeNeuron[i]) {
    jobs.addDep(dj, sim.NJ, LAND, spec.neuronWrites ? sim.o.neuronLatency : 0);
    jobs.inherit(sim.NJ, need);
  }
  sim.side(dj, p, 1, spec.tensor, words);
  sim.addMoved(p, spec.tensor, UPDATE, words);
  const ps = spec.parentStream;
  if (ps >= 0) {
    jobs.tgt[dj] = 1;
    jobs.addDep(dj, 4 * ps + sim.sSlot[ps], LAND);
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
  sim.freeDrain[i] = dj;
}

/** The stream starts a new tile (visit) at step n, class k. */
export function visit(sim: SimState, i: number, n: number, k: number): void {
  const spec = sim.st[i];
  const jobs = sim.jobs;
  const firstTick = sim.sHas[i] === 0;
  const q = firstTick ? 0 : spec.slots === 2 ? 1 - sim.sSlot[i] : 0;
  const flags = visitFlags(spec, sim.s, sim.idx);
  const first = (flags & 1) === 1;
  const fj = 4 * i + q;
  const ps = spec.parentStream;
  if (firstTick || spec.slots === 1) {
    createFill(sim, i, fj, n, k, first, firstTick ? 0 : sim.freeT[i], firstTick ? -1 : sim.freeList[i], firstTick ? -1 : sim.freeDrain[i], ps >= 0 ? 4 * ps + sim.sSlot[ps] : -1, !firstTick && sim.freeNeuron[i] === 1);
  } else if (ps >= 0) {
    jobs.resolveFuture(fj, 4 * ps + sim.sSlot[ps]);
  }
  sim.due.push(fj);
  if (!firstTick && spec.slots === 2) {
    const dj = 4 * i + 2 + q;
    if (jobs.active[dj] && !jobs.complete[dj]) sim.due.push(dj);
  }
  sim.sSlot[i] = q;
  sim.sHas[i] = 1;
  sim.sFinal[i] = (flags & 2) === 2 ? 1 : 0;
  sim.sUse[i] = -Infinity;
  sim.sChild[i] = -Infinity;
  sim.sRaw[i] = -Infinity;
  sim.sUseJob[i] = 0;
  const nc = sim.nextNew[i];
  sim.sNext[i] = nc.need;
  if (spec.slots === 2 && nc.need < Infinity) {
    // The next tile's fill, into the buffer just freed (or never used), one tile ahead of its need.
    const q2 = 1 - q;
    let parentDep = -1;
    if (ps >= 0) {
      if (sim.sNext[ps] === nc.need) parentDep = sim.st[ps].slots === 2 ? 4 * ps + 1 - sim.sSlot[ps] : -2;
      else parentDep = 4 * ps + sim.sSlot[ps];
    }
    createFill(sim, i, 4 * i + q2, nc.need, nc.cls, nc.first, firstTick ? 0 : sim.freeT[i], firstTick ? -1 : sim.freeList[i], firstTick ? -1 : sim.freeDrain[i], parentDep, !firstTick && sim.freeNeuron[i] === 1);
  }
}

/** parentDep: the parent's fill job it reads from, -2 = the parent's next fill (not created yet), -1 = none. */
function createFill(sim: SimState, i: number, j: number, need: number, k: number, first: boolean, base: number, baseList: number, drainDep: number, parentDep: number, neuronDep: boolean): void {
  const spec = sim.st[i];
  const jobs = sim.jobs;
  const wgt = fillWeight(spec, k, first);
  const fillWords = spec.fillRatio * wgt;
  const readWords = spec.readRatio * wgt;
  const p = spec.parent;
  const moves = p >= 0 && (fillWords > 0 || readWords > 0);
  jobs.create(j, FILLJ, i, spec.level, spec.tensor, spec.phase, need, base, baseList, moves ? sim.lat[p] : 0, p);
  if (moves) {
    sim.side(j, p, 0, spec.tensor, readWords);
    sim.side(j, spec.level, 1, spec.tensor, fillWords);
    sim.addMoved(p, spec.tensor, READ, readWords);
    sim.addMoved(spec.level, spec.tensor, FILL, fillWords);
  }
  if (drainDep >= 0) jobs.addDep(j, drainDep, LEAVE_);
  if (neuronDep && drainDep < 0) {
    jobs.addDep(j, sim.NJ, LAND, spec.neuronWrites ? sim.o.neuronLatency : 0);
    jobs.inherit(sim.NJ, need);
  }
  if (moves && parentDep >= 0) jobs.addCut(j, parentDep);
  else if (moves && parentDep === -2) jobs.addFuture(j);
}

