/**
 * Drives the simulator over the outer loops (a mixed-radix counter, outermost first), skipping repetitions.
 *
 * An iteration i >= 1 of loop k (a *block*: one sweep of the loops inside k, entered with class k) is
 * memoized: its canonical starting state (snapshot.ts), its canonical end state and what it added to the
 * accumulators. When a block with the same context starts from the same canonical state as a recorded one, it
 * evolves identically (shifted in time): the recorded end state is set and the increments added instead of
 * simulating it. The context is everything about the digits outside the block that the block's steps depend on:
 * per stream whether the outer irrelevant loops are at 0 (first visits) and the separating ones at their last
 * iteration (final visits), where the stream's first change after the block falls, whether the outer reduction
 * loops are at their last iteration (completing steps), and when the next completing step after the block is.
 * Blocks of any loop factor repeat this way (factor 2 nests included: iteration 1 of loop k recurs once per
 * iteration of the loops outside k). When a block's end state equals its start state (a steady state), the
 * remaining identical iterations of the loop are applied at once.
 *
 * Exactness: pending jobs due after the block (outer prefetches) only take the idle port time the block leaves;
 * their remaining work shrinks by the recorded amount, which must not exhaust it. `extrapolate: false`
 * simulates every step; test/model/pipeline checks both agree.
 */
import { MAXP } from './jobs.ts';
import { completingStepOf, type TileSchedule } from './schedule.ts';
import { RC_PENDING, type Simulator } from './simulator.ts';
import { beyondJobs, decode, encode, jobIds, type Quiet, sameState } from './snapshot.ts';
import { nextChange, type NextChange } from './streams.ts';
import { CAP } from './timeline.ts';

export interface RunStats {
  /** Loop iterations (blocks) replayed instead of simulated. */
  extrapolatedIterations: number;
}

/** Smallest block (steps) worth a snapshot. */
const MIN_BLOCK = 8;
const EPS = 1e-9;

interface BlockRecord {
  readonly before: number[];
  readonly after: number[];
  readonly dH: number;
  readonly dn: number;
  readonly inc: Float64Array;
  readonly lane: Float64Array;
  /** Carried jobs (canonical ids) and the work each took per port in the block. */
  readonly carried: Int32Array;
  readonly delta: Float64Array;
  readonly fixed: boolean;
}

export function runSchedule(sim: Simulator, s: TileSchedule, extrapolate: boolean): RunStats {
  const M = s.M;
  const stats: RunStats = { extrapolatedIterations: 0 };
  const memoOn = extrapolate && s.steps > CAP;
  const memo = new Map<string, BlockRecord>();
  const scratch = new Int32Array(M);
  const digits = new Int32Array(M);
  const nc: NextChange = { need: 0, cls: 0, first: false, final: false };
  let n = 0;

  const S = sim.S;
  const quietBefore: Quiet = { quiet: new Uint8Array(S), afterNext: new Float64Array(S), end: false };

  /** The digits outside block (k, i) that its steps depend on; sets quietBefore for the block. */
  const context = (k: number, completing: boolean, blockEnd: number): string => {
    const idx = sim.idx;
    const parts: (number | string)[] = [k, idx[k] === s.loops[k].factor - 1 ? 'L' : 'M', completing ? 1 : 0];
    const last = scratch;
    for (let j = 0; j < M; j++) last[j] = j <= k ? idx[j] : s.loops[j].factor - 1;
    for (const st of sim.st) {
      nextChange(st, s, last, digits, nc);
      quietBefore.afterNext[st.id] = nc.need;
      // Only the streams whose tile changes inside the block matter: a full-nest stream changes at class k or
      // deeper; a neuron-side stream only at completing steps, whose class also counts the loops advanced since
      // the last completing step (before the block).
      const quiet = st.reduced ? !completing || (st.kr < k && sim.gi[RC_PENDING] > st.kr) : st.kr < k;
      quietBefore.quiet[st.id] = quiet ? 1 : 0;
      parts.push(quiet ? 'q' : 's');
      if (quiet) continue;
      let a = 1;
      let b = 1;
      for (let j = 0; j <= k; j++) {
        if (!st.inStream[j] || st.rel[j]) continue;
        if (idx[j] !== 0) a = 0;
        if (st.sep[j] && idx[j] !== s.loops[j].factor - 1) b = 0;
      }
      parts.push(a, b, nc.need === Infinity ? 'x' : nc.need - blockEnd, nc.cls, nc.first ? 1 : 0);
    }
    // The next completing step after the block (the neuron updates inside it are due then).
    if (!completing) return parts.join(',');
    let nextC = Infinity;
    for (let j = M - 1; j >= 0; j--) {
      if (s.reduction[j] || last[j] >= s.loops[j].factor - 1) continue;
      const d = Int32Array.from(last);
      d[j]++;
      for (let q = j + 1; q < M; q++) if (!s.reduction[q]) d[q] = 0;
      nextC = completingStepOf(s, d);
      break;
    }
    parts.push(nextC === Infinity ? 'x' : nextC - blockEnd);
    return parts.join(',');
  };

  const apply = (r: BlockRecord, times: number): void => {
    const jobs = sim.jobs;
    const ids = jobIds(sim);
    const real = new Int32Array(ids.length);
    for (let j = 0; j < ids.length; j++) real[ids[j]] = j;
    const m = r.carried.length;
    const need = new Float64Array(m);
    const rem = new Float64Array(m * MAXP);
    for (let c = 0; c < m; c++) {
      const j = real[r.carried[c]];
      need[c] = jobs.need[j];
      for (let p = 0; p < MAXP; p++) rem[c * MAXP + p] = jobs.rem[j * MAXP + p];
    }
    const h0 = sim.horizon;
    const h1 = h0 + times * r.dH;
    decode(sim, r.after, h1, n + times * r.dn);
    for (let c = 0; c < m; c++) {
      const j = r.carried[c];
      jobs.need[j] = need[c];
      for (let p = 0; p < MAXP; p++) jobs.rem[j * MAXP + p] = rem[c * MAXP + p] - times * r.delta[c * MAXP + p];
    }
    const acc = sim.acc;
    for (let i = 0; i < acc.length; i++) acc[i] += times * r.inc[i];
    for (let l = 0; l < r.lane.length; l++) sim.timeline.busy(l, h0, h1, times * r.lane[l]);
    sim.recordSpans = false;
    n += times * r.dn;
    stats.extrapolatedIterations += times;
  };

  /** How many times the record can be applied before a carried job's work would run out. */
  const bound = (r: BlockRecord, want: number): number => {
    const jobs = sim.jobs;
    const ids = jobIds(sim);
    const real = new Int32Array(ids.length);
    for (let j = 0; j < ids.length; j++) real[ids[j]] = j;
    let times = want;
    for (let c = 0; c < r.carried.length; c++) {
      const j = real[r.carried[c]];
      for (let p = 0; p < MAXP; p++) {
        const d = r.delta[c * MAXP + p];
        if (d <= EPS) continue;
        const left = jobs.rem[j * MAXP + p];
        times = Math.min(times, Math.floor((left - EPS) / d));
      }
    }
    return times;
  };

  const buf: number[] = [];
  const rec = (k: number, ci: number, completing: boolean): void => {
    if (k === M) {
      sim.step(n++, ci, completing);
      return;
    }
    const f = s.loops[k].factor;
    const red = s.reduction[k] === 1;
    sim.idx[k] = 0;
    rec(k + 1, ci, completing && !red);
    const block = s.stride[k];
    for (let i = 1; i < f; i++) {
      sim.idx[k] = i;
      const comp = completing && (!red || i === f - 1);
      if (!memoOn || block < MIN_BLOCK) {
        rec(k + 1, k, comp);
        continue;
      }
      const blockEnd = n + block;
      const key = context(k, comp, blockEnd);
      // This block's quiet streams (nested blocks overwrite the shared scratch).
      const quietEnd: Quiet = { quiet: quietBefore.quiet.slice(), afterNext: quietBefore.afterNext, end: true };
      const beyond = beyondJobs(sim, blockEnd);
      const before = encode(sim, n, beyond, [], quietBefore);
      const known = memo.get(key);
      if (known && sameState(known.before, before)) {
        const want = known.fixed ? f - 1 - i : 1;
        const times = bound(known, Math.max(1, want));
        if (times >= 1) {
          apply(known, times);
          i += times - 1;
          continue;
        }
      }
      // Simulate the block and record it.
      const jobs = sim.jobs;
      const ids = jobIds(sim);
      const need0 = beyond.map((j) => jobs.need[j]);
      const rem0 = beyond.map((j) => Array.from(jobs.rem.subarray(j * MAXP, j * MAXP + MAXP)));
      const acc0 = sim.acc.slice();
      const lane0 = sim.timeline.total.slice();
      const h0 = sim.horizon;
      const n0 = n;
      rec(k + 1, k, comp);
      // Replayable only if every carried job was limited by the idle time, not by its own work: still pending, due
      // as before, and with work left on every port that had some.
      let ok = true;
      beyond.forEach((j, q) => {
        if (jobs.complete[j] || !jobs.active[j] || jobs.need[j] !== need0[q]) ok = false;
        for (let p = 0; p < MAXP; p++) if (rem0[q][p] > 0 && !(jobs.rem[j * MAXP + p] > EPS)) ok = false;
      });
      if (!ok) continue;
      const after = encode(sim, n, beyond, [], quietEnd);
      const delta = new Float64Array(beyond.length * MAXP);
      beyond.forEach((j, q) => {
        for (let p = 0; p < MAXP; p++) delta[q * MAXP + p] = rem0[q][p] - jobs.rem[j * MAXP + p];
      });
      const inc = sim.acc.slice();
      for (let a = 0; a < inc.length; a++) inc[a] -= acc0[a];
      const lane = sim.timeline.total.slice();
      for (let l = 0; l < lane.length; l++) lane[l] -= lane0[l];
      let fixed = false;
      if (i + 1 < f - 1) {
        sim.idx[k] = i + 1;
        const nextKey = context(k, comp, n + block);
        sim.idx[k] = i;
        fixed = nextKey === key && sameState(before, encode(sim, n, beyondJobs(sim, n + block), buf, quietBefore));
        context(k, comp, blockEnd);
      }
      memo.set(key, {
        before, after, dH: sim.horizon - h0, dn: n - n0, inc, lane,
        carried: Int32Array.from(beyond, (j) => ids[j]), delta, fixed,
      });
    }
  };
  rec(0, -1, true);
  return stats;
}
