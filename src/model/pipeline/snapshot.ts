/**
 * The simulator's whole state as a flat vector, canonical under a shift of time, for steady-state.ts.
 *
 * Canonical form at a step boundary (horizon H = the last compute end, step n): every time t is stored as
 * max(t, H) - H. That loses nothing: nothing is placed on a port before H again, every stored time is only ever
 * used in a max with a time >= H or as the start of a placement (which starts no earlier than H), and every job
 * created later is released at or after H. Needs are stored relative to n; remaining port work exactly. Two
 * states with equal vectors therefore evolve identically, shifted by the difference of their H and n.
 *
 * Jobs "beyond" a block (pending, due at or after the block's end) are the exception: inside the block they can
 * only take idle port time left by everything due earlier, so the block's evolution does not depend on how much
 * work they have left as long as it does not run out. Their remaining work is written as NaN (skipped by the
 * comparison) and their needs as their rank among themselves; steady-state.ts checks the work bound.
 */
import { K, MAXD, MAXDEP, MAXP } from './jobs.ts';
import type { Simulator } from './simulator.ts';

/**
 * Canonical job ids: a stream's slots renumbered so that its current tile is in slot 0 (a double-buffered
 * stream alternates slots, which must not make two otherwise equal states differ). An involution.
 */
function canonicalIds(sim: Simulator, map: Int32Array): Int32Array {
  for (let j = 0; j < map.length; j++) map[j] = j;
  for (let i = 0; i < sim.S; i++) {
    if (sim.sSlot[i] !== 1) continue;
    map[4 * i] = 4 * i + 1;
    map[4 * i + 1] = 4 * i;
    map[4 * i + 2] = 4 * i + 3;
    map[4 * i + 3] = 4 * i + 2;
  }
  return map;
}

export interface Beyond {
  /** Pending jobs due at or after the block's end, highest priority first. */
  readonly jobs: number[];
}

/** The jobs due at or after `blockEnd`, in priority order. */
export function beyondJobs(sim: Simulator, blockEnd: number): number[] {
  const jobs = sim.jobs;
  const out: number[] = [];
  for (const j of jobs.sortedPending()) if (jobs.need[j] >= blockEnd) out.push(j);
  return out;
}

/**
 * Streams whose tile does not change inside a block ("quiet"): their visit's final flag and next change are
 * not touched by the block. In a block's start vector the final flag is skipped (NaN) and the next change is
 * written as whether it coincides with the first change after the block of its child (the one test a child's
 * visit inside the block makes with it: `afterNext`); in an end vector both are NaN (decode keeps the current
 * values).
 */
export interface Quiet {
  readonly quiet: Uint8Array;
  /** Per stream: its first change after the block (Infinity: none), for the children test. */
  readonly afterNext: Float64Array;
  readonly end: boolean;
}

/** Writes the canonical state into `out` (returned trimmed). */
export function encode(sim: Simulator, n: number, beyond: readonly number[], out: number[], q?: Quiet): number[] {
  out.length = 0;
  const H = sim.horizon;
  const id = canonicalIds(sim, new Int32Array(sim.jobs.J));
  // Creation order of the pending jobs, as ranks (only the order matters: it breaks priority ties).
  const pend = Array.from(sim.jobs.pending.subarray(0, sim.jobs.npending)).sort((a, b) => sim.jobs.seq[a] - sim.jobs.seq[b]);
  const rankOf = new Map<number, number>(pend.map((j, r) => [j, r]));
  const t = (v: number): number => (v === Infinity ? Infinity : v > H ? v - H : 0);
  const nd = (v: number): number => (v === Infinity ? Infinity : v - n);
  const { g, gi, jobs } = sim;
  out.push(t(g[0]), t(g[1]), t(g[2]), gi[0], gi[1], gi[2], gi[3], t(sim.neuronStart), sim.neuronBusy);
  const seg = (list: number): void => {
    const m = jobs.segN[list];
    out.push(m);
    for (let i = 0; i < m; i++) {
      const b = list * K + i;
      out.push(t(jobs.segT[b]), jobs.segLane[b], jobs.segTensor[b], jobs.segPort[b]);
    }
  };
  for (let i = 0; i < sim.S; i++) {
    let fin: number = sim.sFinal[i];
    let next = nd(sim.sNext[i]);
    if (q && q.quiet[i]) {
      fin = NaN;
      const c = sim.st[i].childStream;
      next = q.end ? NaN : c >= 0 && sim.sNext[i] === q.afterNext[c] ? -2 : -3;
    }
    out.push(sim.sHas[i], 0, fin, sim.sUseJob[i], t(sim.sUse[i]), t(sim.sChild[i]), t(sim.sRaw[i]), next);
    seg(sim.useList + i);
    seg(sim.childList + i);
  }
  seg(sim.neuronList);
  for (let c = 0; c < jobs.J; c++) {
    const j = id[c];
    if (!jobs.active[j]) {
      out.push(0);
      continue;
    }
    out.push(1, jobs.kind[j], jobs.phase[j], jobs.level[j], jobs.latLevel[j], jobs.tensor[j], jobs.stream[j], jobs.complete[j]);
    if (jobs.complete[j]) {
      // What later jobs read of a completed one: its landing (dependencies), its data start and release chain
      // (cut-through readers), its landing chain.
      out.push(t(jobs.comp[j]), t(jobs.land[j]), t(jobs.rel[j]), t(jobs.portRel[j]));
      seg(j);
      seg(jobs.J + j);
      continue;
    }
    const rank = beyond.indexOf(j);
    out.push(rank >= 0 ? -1 - rank : nd(jobs.need[j]), rankOf.get(j) ?? 0);
    out.push(jobs.released[j], jobs.tgt[j], jobs.future[j], jobs.cut[j] < 0 ? -1 : id[jobs.cut[j]], jobs.portsDone[j]);
    out.push(t(jobs.base[j]), t(jobs.bestRel[j]), t(jobs.rel[j]), t(jobs.portRel[j]), t(jobs.minEnd[j]), jobs.lat[j], jobs.dur[j]);
    const np = jobs.np[j];
    out.push(np);
    for (let i = 0; i < np; i++) {
      const b = j * MAXP + i;
      out.push(jobs.port[b], jobs.tag[b], jobs.bits[b], rank >= 0 ? NaN : jobs.rem[b], t(jobs.done[b]));
    }
    const ndep = jobs.nd[j];
    out.push(ndep);
    for (let i = 0; i < ndep; i++) {
      const b = j * MAXD + i;
      out.push(id[jobs.dep[b]], jobs.depMode[b], jobs.depOff[b], jobs.depOk[b], t(jobs.depT[b]));
    }
    out.push(jobs.ndnt[j]);
    for (let i = 0; i < jobs.ndnt[j]; i++) {
      const x = jobs.dnt[j * MAXDEP + i];
      const dj = (x / MAXD) | 0;
      out.push(id[dj] * MAXD + (x - dj * MAXD));
    }
    out.push(jobs.ncutDnt[j]);
    for (let i = 0; i < jobs.ncutDnt[j]; i++) out.push(id[jobs.cutDnt[j * MAXDEP + i]]);
    seg(j);
    seg(jobs.J + j);
  }
  for (const p of sim.ports) {
    if (!p) continue;
    out.push(p.n);
    for (let i = 0; i < p.n; i++) out.push(t(p.starts[i]), t(p.ends[i]), p.tags[i]);
  }
  return out;
}

/** Canonical job id of each job of the current state. */
export function jobIds(sim: Simulator): Int32Array {
  return canonicalIds(sim, new Int32Array(sim.jobs.J));
}

/**
 * Sets the simulator's state from a canonical vector at horizon H and step n (jobs land in their canonical ids;
 * the carried beyond jobs' needs and remaining work are garbage: the caller restores them).
 */
export function decode(sim: Simulator, v: ArrayLike<number>, H: number, n: number): void {
  let k = 0;
  const next = (): number => v[k++];
  const t = (): number => {
    const x = v[k++];
    return x === Infinity ? Infinity : H + x;
  };
  const nd = (): number => {
    const x = v[k++];
    return x === Infinity ? Infinity : n + x;
  };
  const { g, gi, jobs } = sim;
  g[0] = t();
  g[1] = t();
  g[2] = t();
  gi[0] = next();
  gi[1] = next();
  gi[2] = next();
  gi[3] = next();
  sim.neuronStart = t();
  sim.neuronBusy = next();
  const seg = (list: number): void => {
    const m = next();
    jobs.segN[list] = m;
    for (let i = 0; i < m; i++) {
      const b = list * K + i;
      jobs.segT[b] = t();
      jobs.segLane[b] = next();
      jobs.segTensor[b] = next();
      jobs.segPort[b] = next();
    }
  };
  for (let i = 0; i < sim.S; i++) {
    sim.sHas[i] = next();
    sim.sSlot[i] = next();
    const fin = next();
    if (!Number.isNaN(fin)) sim.sFinal[i] = fin;
    sim.sUseJob[i] = next();
    sim.sUse[i] = t();
    sim.sChild[i] = t();
    sim.sRaw[i] = t();
    const nx = nd();
    if (!Number.isNaN(nx)) sim.sNext[i] = nx;
    seg(sim.useList + i);
    seg(sim.childList + i);
  }
  seg(sim.neuronList);
  jobs.npending = 0;
  for (let j = 0; j < jobs.J; j++) {
    jobs.active[j] = next();
    if (!jobs.active[j]) {
      jobs.complete[j] = 0;
      continue;
    }
    jobs.kind[j] = next();
    jobs.phase[j] = next();
    jobs.level[j] = next();
    jobs.latLevel[j] = next();
    jobs.tensor[j] = next();
    jobs.stream[j] = next();
    jobs.complete[j] = next();
    if (jobs.complete[j]) {
      jobs.comp[j] = t();
      jobs.land[j] = t();
      jobs.rel[j] = t();
      jobs.portRel[j] = t();
      jobs.released[j] = 1;
      jobs.np[j] = 0;
      jobs.nd[j] = 0;
      jobs.ndnt[j] = 0;
      jobs.ncutDnt[j] = 0;
      jobs.future[j] = 0;
      jobs.cut[j] = -1;
      seg(j);
      seg(jobs.J + j);
      continue;
    }
    jobs.pending[jobs.npending++] = j;
    jobs.need[j] = nd();
    jobs.seq[j] = next();
    jobs.released[j] = next();
    jobs.tgt[j] = next();
    jobs.future[j] = next();
    jobs.cut[j] = next();
    jobs.portsDone[j] = next();
    jobs.base[j] = t();
    jobs.bestRel[j] = t();
    jobs.rel[j] = t();
    jobs.portRel[j] = t();
    jobs.minEnd[j] = t();
    jobs.lat[j] = next();
    jobs.dur[j] = next();
    const np = next();
    jobs.np[j] = np;
    for (let i = 0; i < np; i++) {
      const b = j * MAXP + i;
      jobs.port[b] = next();
      jobs.tag[b] = next();
      jobs.bits[b] = next();
      jobs.rem[b] = next();
      jobs.done[b] = t();
    }
    const ndep = next();
    jobs.nd[j] = ndep;
    for (let i = 0; i < ndep; i++) {
      const b = j * MAXD + i;
      jobs.dep[b] = next();
      jobs.depMode[b] = next();
      jobs.depOff[b] = next();
      jobs.depOk[b] = next();
      jobs.depT[b] = t();
    }
    jobs.ndnt[j] = next();
    for (let i = 0; i < jobs.ndnt[j]; i++) jobs.dnt[j * MAXDEP + i] = next();
    jobs.ncutDnt[j] = next();
    for (let i = 0; i < jobs.ncutDnt[j]; i++) jobs.cutDnt[j * MAXDEP + i] = next();
    seg(j);
    seg(jobs.J + j);
  }
  for (const p of sim.ports) {
    if (!p) continue;
    const m = next();
    p.ensure(m);
    p.n = m;
    for (let i = 0; i < m; i++) {
      p.starts[i] = t();
      p.ends[i] = t();
      p.tags[i] = next();
    }
    p.horizon = H;
  }
  jobs.nextSeq = jobs.npending;
  sim.horizon = H;
  sim.stepStart = H;
  if (k !== v.length) throw new Error(`pipeline: state vector of ${v.length} values, read ${k}`);
}

/** Equal canonical states: bit for bit (times are exact, grid.ts), NaN entries matching NaN. */
export function sameState(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (Number.isNaN(x) && Number.isNaN(y)) continue;
    return false;
  }
  return true;
}
