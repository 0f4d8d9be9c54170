/**
 * PTT's parallelism on real hardware: the PE array split into PE groups that run G2 and G3 at the same time.
 * A group is the arch with the compute mesh (and every per-PE storage level) cut along X (or Y when X does not
 * divide); the levels above the PEs stay shared, so their bandwidth is shared by the groups (see stage timing).
 */
import type { Arch, StorageLevel } from '../../arch/types.ts';

/** One of `groups` equal PE groups of `arch`, or undefined when the mesh does not divide. */
export function peGroup(arch: Arch, groups: number): Arch | undefined {
  const c = arch.compute;
  const alongX = c.meshX % groups === 0;
  if (!alongX && c.meshY % groups !== 0) return undefined;
  const cut = <T extends { meshX: number; meshY: number; instances: number }>(x: T): T =>
    alongX ? { ...x, meshX: x.meshX / groups, instances: x.instances / groups } : { ...x, meshY: x.meshY / groups, instances: x.instances / groups };
  const perPe = (l: StorageLevel): boolean => (alongX ? l.meshX === c.meshX && l.meshX > 1 : l.meshY === c.meshY && l.meshY > 1);
  if (arch.levels.some((l) => !perPe(l) && l.instances > 1)) return undefined; // a partly shared level: not modelled
  return {
    ...arch,
    name: `${arch.name}/group-of-${groups}`,
    levels: arch.levels.map((l) => (perPe(l) ? cut(l) : l)),
    compute: cut(c),
  };
}

/** Indices of the levels the groups share (not cut). */
export function sharedLevels(arch: Arch, group: Arch): number[] {
  return arch.levels.map((l, e) => (l.instances === group.levels[e].instances ? e : -1)).filter((e) => e >= 0);
}
