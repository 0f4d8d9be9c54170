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
import { later as laterI, pruneChains as pruneChainsI } from './chains.ts';
import { resolveNeuron as resolveNeuronI, runNeuron as runNeuronI } from './neuron.ts';
import { unionIn as unionInI } from './ports.ts';
import { C_END as C_END_I, COMPLETED_ONCE as COMPLETED_ONCE_I, DONE as DONE_I, NEURON_PENDING as NEURON_PENDING_I, RC_PENDING as RC_PENDING_I, SimState, STARTED as STARTED_I } from './sim-state.ts';
import { nextChange as nextChangeI } from './streams.ts';
import { evict as evictI, visit as visitI } from './tiles.ts';

// Imported bindings used per step, bound once (module interop can make every use a getter call).
const later = laterI;
const pruneChains = pruneChainsI;
const C_END = C_END_I;
const DONE = DONE_I;
const NEURON_PENDING = NEURON_PENDING_I;
const RC_PENDING = RC_PENDING_I;
const COMPLETED_ONCE = COMPLETED_ONCE_I;
const STARTED = STARTED_I;
const nextChange = nextChangeI;
const unionIn = unionInI;
const evict = evictI;
const visit = visitI;
const resolveNeuron = resolveNeuronI;
const runNeuron = runNeuronI;

export { C_END, COMPLETED_ONCE, DONE, N_FREE, NEURON_PENDING, RC_PENDING, type SimOptions, STARTED } from './sim-state.ts';

export class Simulator extends SimState {
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
      for (let i = S - 1; i >= 0; i--) if (changed[i] && this.sHas[i]) evict(this, i, n, false);
      for (let i = 0; i < S; i++) if (changed[i]) visit(this, i, n, st[i].reduced ? rc : cls);
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
    if (gi[NEURON_PENDING] && jobs.need[this.NJ] <= n) resolveNeuron(this);
    this.placeDue(1, h0);
    if (completing && this.o.neuronActive) runNeuron(this, n);
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
        resolveNeuron(this);
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
    if (this.gi[NEURON_PENDING]) resolveNeuron(this);
    for (let i = S - 1; i >= 0; i--) if (this.sHas[i]) evict(this, i, Infinity, true);
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
