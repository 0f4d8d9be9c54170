/** Arch x workload x mapping -> the innermost-first loop nest that the delta analysis walks. */
import { physicalFanout } from '../arch/fanout.ts';
import type { Arch } from '../arch/types.ts';
import type { Mapping } from '../mapping/types.ts';
import type { NestLoop, NestProblem, NestTensor } from './nest-types.ts';

export interface BuildOptions {
  /** Loops over these dims are removed (the nest "with the reduction loops removed", DESIGN.md §2). */
  readonly dropDims?: ReadonlySet<number>;
  /** keep[arch level (outermost first)][tensor]; defaults to the mapping's. */
  readonly keep?: readonly (readonly boolean[])[];
}

export function buildNest(
  arch: Arch,
  dimCount: number,
  tensors: readonly NestTensor[],
  mapping: Mapping,
  options: BuildOptions = {},
): NestProblem {
  const L = arch.levels.length;
  const drop = options.dropDims;
  const loops: NestLoop[] = [];
  const keep: boolean[][] = [];
  const fanoutX: number[] = [];
  const fanoutY: number[] = [];
  for (let level = 0; level < L; level++) {
    const ext = L - 1 - level;
    const m = mapping.levels[ext];
    const spatial = [...m.spatial.filter((s) => s.axis === 'Y'), ...m.spatial.filter((s) => s.axis === 'X')]
      .filter((s) => s.factor > 1 && !drop?.has(s.dim))
      .reverse();
    for (const s of spatial) loops.push({ dim: s.dim, end: s.factor, kind: s.axis, level });
    const temporal = m.temporal.filter((t) => t.factor > 1 && !drop?.has(t.dim)).reverse();
    if (temporal.length === 0) loops.push({ dim: 0, end: 1, kind: 'T', level });
    for (const t of temporal) loops.push({ dim: t.dim, end: t.factor, kind: 'T', level });
    keep.push([...(options.keep ? options.keep[ext] : m.keep)]);
    const f = physicalFanout(arch, ext);
    fanoutX.push(f.x);
    fanoutY.push(f.y);
  }
  return { dimCount, tensors, levelCount: L, loops, fanoutX, fanoutY, keep };
}
