import type { Arch } from './types.ts';

/** Physical fan-out (x, y) from storage level `ext` (outermost-first index) to the instances of the level below
 * (or to the compute units below the innermost level). */
export function physicalFanout(arch: Arch, ext: number): { x: number; y: number } {
  const lvl = arch.levels[ext];
  const child = ext + 1 < arch.levels.length ? arch.levels[ext + 1] : arch.compute;
  return {
    x: Math.max(1, Math.floor(child.meshX / lvl.meshX)),
    y: Math.max(1, Math.floor(child.meshY / lvl.meshY)),
  };
}
