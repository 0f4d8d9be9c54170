/**
 * Drives the simulator over the outer loops, with steady-state extrapolation.
 *
 * The steps of loop k's iterations 1 .. f-2 are identical (same classes, same neuron flags; iteration 0 enters
 * with the outer class and iteration f-1 may complete a reduction, so both are always simulated). The timeline is a max-plus system: each event time is a max of earlier times plus constants.
 * If after two identical iterations every time that changed moved by the same Δ (and the rest did not move), the
 * accumulators and counters grew by the same amounts, and the events inside both iterations sit at the same times
 * relative to their start (so no frozen value bound them), then every further identical iteration moves the state
 * by Δ again: the remaining ones are skipped by adding r·Δ to the moving times and r times the increments to the
 * accumulators. `extrapolate: false` simulates every step; test/model/pipeline checks both agree.
 */
import type { Simulator } from './simulator.ts';
import type { TileSchedule } from './schedule.ts';

interface Snap {
  readonly x: Float64Array;
  readonly si: Int32Array;
  readonly sc: Float64Array;
  readonly acc: Float64Array;
}

const snap = (sim: Simulator): Snap => ({ x: sim.x.slice(), si: sim.si.slice(), sc: sim.sc.slice(), acc: sim.acc.slice() });

const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

/** The shift Δ from b to c if the state moved uniformly over (a, b) and (b, c), else null. */
function uniformShift(sim: Simulator, a: Snap, b: Snap, c: Snap): number | null {
  const delta = c.x[0] - b.x[0];
  if (!close(b.x[0] - a.x[0], delta)) return null;
  for (let i = 0; i < c.x.length; i++) {
    const d1 = b.x[i] - a.x[i];
    const d2 = c.x[i] - b.x[i];
    const still = d1 === 0 && d2 === 0;
    if (!still && !(Math.abs(d1 - delta) <= 1e-9 * Math.max(1, Math.abs(b.x[i])) && Math.abs(d2 - delta) <= 1e-9 * Math.max(1, Math.abs(c.x[i])))) return null;
  }
  for (let i = 0; i < c.si.length; i++) if (c.si[i] !== b.si[i] || b.si[i] !== a.si[i]) return null;
  for (let i = 0; i < c.sc.length; i++) if (c.sc[i] - b.sc[i] !== b.sc[i] - a.sc[i]) return null;
  for (let i = 0; i < c.acc.length; i++) if (!close(c.acc[i] - b.acc[i], b.acc[i] - a.acc[i])) return null;
  void sim;
  return delta;
}

function skip(sim: Simulator, b: Snap, c: Snap, delta: number, r: number): void {
  for (let i = 0; i < c.x.length; i++) if (c.x[i] !== b.x[i]) sim.x[i] = c.x[i] + r * delta;
  for (let i = 0; i < c.sc.length; i++) sim.sc[i] = c.sc[i] + r * (c.sc[i] - b.sc[i]);
  for (let i = 0; i < c.acc.length; i++) sim.acc[i] = c.acc[i] + r * (c.acc[i] - b.acc[i]);
}

const sameSig = (p: readonly number[], q: readonly number[]): boolean =>
  p[2] === q[2] && Math.abs(p[0] - q[0]) <= 1e-9 * Math.max(1, Math.abs(p[0])) + 1e-6 && Math.abs(p[1] - q[1]) <= 1e-9 * Math.max(1, Math.abs(p[1])) + 1e-6;

export interface RunStats {
  /** Loop iterations skipped by extrapolation (summed over all loops). */
  extrapolatedIterations: number;
}

export function runSchedule(sim: Simulator, s: TileSchedule, neuronActive: boolean, extrapolate: boolean): RunStats {
  const M = s.loops.length;
  const stats: RunStats = { extrapolatedIterations: 0 };
  // Steps in one iteration of loop k; extrapolating pays off only when the skippable work is large.
  const inner = s.loops.map((_, k) => s.loops.slice(k + 1).reduce((p, l) => p * l.factor, 1));
  const rec = (k: number, ci: number, allReductionsLast: boolean): void => {
    if (k === M) {
      sim.step(ci, neuronActive && allReductionsLast);
      return;
    }
    const f = s.loops[k].factor;
    const mid = allReductionsLast && !s.loops[k].reduction;
    sim.idx[k] = 0;
    rec(k + 1, ci, mid);
    const last = f - 2;
    let j = 1;
    if (extrapolate && last >= 3 && last * inner[k] >= 64) {
      const snaps: Snap[] = [snap(sim)];
      const sigs: (readonly number[])[] = [];
      for (; j <= last; j++) {
        sim.idx[k] = j;
        sim.pushSignature();
        rec(k + 1, k + 1, mid);
        sigs.push(sim.popSignature());
        snaps.push(snap(sim));
        if (snaps.length > 3) snaps.shift();
        if (snaps.length === 3 && sigs.length >= 2 && sameSig(sigs[sigs.length - 1], sigs[sigs.length - 2])) {
          const delta = uniformShift(sim, snaps[0], snaps[1], snaps[2]);
          const r = last - j;
          if (delta !== null && r > 0) {
            skip(sim, snaps[1], snaps[2], delta, r);
            stats.extrapolatedIterations += r;
            j = last;
          }
        }
      }
    } else {
      for (; j <= last; j++) {
        sim.idx[k] = j;
        rec(k + 1, k + 1, mid);
      }
    }
    sim.idx[k] = f - 1;
    rec(k + 1, k + 1, allReductionsLast);
  };
  rec(0, 0, true);
  return stats;
}
