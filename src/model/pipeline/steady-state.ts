/**
 * Drives the simulator over the outer loops (a mixed-radix counter, outermost first).
 */
import type { Simulator } from './simulator.ts';
import type { TileSchedule } from './schedule.ts';

export interface RunStats {
  /** Loop iterations skipped by replaying an identical earlier one (summed over all loops). */
  extrapolatedIterations: number;
}

export function runSchedule(sim: Simulator, s: TileSchedule, extrapolate: boolean): RunStats {
  const M = s.M;
  const stats: RunStats = { extrapolatedIterations: 0 };
  void extrapolate;
  let n = 0;
  const rec = (k: number, ci: number, completing: boolean): void => {
    if (k === M) {
      sim.step(n++, ci, completing);
      return;
    }
    const f = s.loops[k].factor;
    const red = s.reduction[k] === 1;
    sim.idx[k] = 0;
    rec(k + 1, ci, completing && !red);
    for (let i = 1; i < f; i++) {
      sim.idx[k] = i;
      rec(k + 1, k, completing && (!red || i === f - 1));
    }
  };
  rec(0, -1, true);
  return stats;
}
