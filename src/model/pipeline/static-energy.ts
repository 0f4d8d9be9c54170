/** Static energy: leakage of every storage instance and the clocked idle power of the compute array, over the run. */
import type { Arch } from '../../arch/types.ts';

export interface StaticEnergy {
  readonly total_pJ: number;
  /** Per level (outermost first): leakage per instance x instances x run time. */
  readonly levels_pJ: readonly number[];
  readonly compute_pJ: number;
}

/** mW x cycles / MHz = mW x us = nJ; x 1000 = pJ. */
export function staticEnergy(arch: Arch, cycles: number): StaticEnergy {
  const microseconds = cycles / arch.clockMhz;
  const levels_pJ = arch.levels.map((l) => l.leakageMw * l.instances * microseconds * 1000);
  const compute_pJ = arch.compute.idleMw * microseconds * 1000;
  let total_pJ = compute_pJ;
  for (const v of levels_pJ) total_pJ += v;
  return { total_pJ, levels_pJ, compute_pJ };
}
