/**
 * A `MapLayer` backed by the mapper of `src/search/` (its public API: mapspace, anneal, objective), with a budget,
 * in the space the arch's `holds` leave (as the heuristic), in addition to the heuristic: the search starts from nothing, and the better of its best and the heuristic's
 * mapping (energy x cycles) is returned, so the search can only help. Wrap it in `cachedMapper` to search each
 * workload shape once. The evaluator factory is injected (search/ never imports model/).
 */
import { buildMapSpace } from '../../search/mapspace/space.ts';
import { toMapping } from '../../search/mapspace/point.ts';
import { parseObjective, type Objective } from '../../search/objective.ts';
import { runSearch } from '../../search/plan.ts';
import { noConstraints, type EvaluatorFactory, type SearchConstraints } from '../../search/types.ts';
import type { Arch } from '../../arch/types.ts';
import type { Workload } from '../../workload/types.ts';
import { levelHolds, type MapLayer } from './default-mapping.ts';

export interface SearchMapperOptions {
  /** Candidates evaluated per workload (anneal). */
  readonly budget: number;
  readonly seed: number;
  readonly chains?: number;
}

/** The arch's `holds` as keep/bypass constraints (what the heuristic respects too), so both search the same space. */
export function holdsConstraints(arch: Arch, w: Workload): SearchConstraints {
  const c = noConstraints(arch.levels.length, w.dims.length, w.tensors.length);
  return {
    ...c,
    name: 'holds',
    levels: c.levels.map((l, e) => {
      const holds = arch.levels[e].holds;
      return holds && !arch.levels[e].offChip ? { ...l, keep: w.tensors.map((t) => levelHolds(holds, t.role)) } : l;
    }),
  };
}

export function searchMapper(factory: EvaluatorFactory, fallback: MapLayer, o: SearchMapperOptions): MapLayer {
  const objective = parseObjective('edp') as Objective;
  return (arch, w) => {
    const base = fallback(arch, w);
    const space = buildMapSpace(arch, w, holdsConstraints(arch, w));
    const evaluator = factory(arch, w);
    const r = runSearch(space, evaluator, { strategy: 'anneal', objective, pareto: false, seed: o.seed, maxEvals: o.budget, chains: o.chains ?? 2 });
    if (!r.best) return base;
    const found = toMapping(space, r.best.point);
    if (!base.ok) return { ok: true, mapping: found };
    const b = evaluator(base.mapping);
    const edp = (t: { energy_pJ: number; cycles: number }): number => t.energy_pJ * t.cycles;
    return b.status === 'ok' && edp(b.totals) <= edp(r.best.totals) ? base : { ok: true, mapping: found };
  };
}

export interface RefineOptions extends SearchMapperOptions {
  /** Search only where the heuristic's mapping keeps the PE array busy less than this share of its cycles. */
  readonly belowUtilization: number;
  /** Called for each op shape the search refines (to count them). */
  readonly onSearch?: () => void;
}

/**
 * The heuristic, refined by the search where it leaves the PE array idle: when the heuristic's mapping of an op
 * schedules fewer than `belowUtilization` x PEs x cycles MACs (a spatial split that does not divide, or a tile
 * schedule bound by a buffer's bandwidth), the search of `searchMapper` runs from nothing and the better of the two
 * by energy x cycles is kept, so it can only help. Ops the heuristic already maps well cost nothing extra.
 */
export function refinedMapper(factory: EvaluatorFactory, heuristic: MapLayer, o: RefineOptions): MapLayer {
  return (arch, w) => {
    const base = heuristic(arch, w);
    const search = (): ReturnType<MapLayer> => {
      o.onSearch?.();
      return searchMapper(factory, () => base, o)(arch, w);
    };
    if (!base.ok) return search();
    const r = factory(arch, w)(base.mapping);
    if (r.status !== 'ok') return search();
    const ops = w.sizes.reduce((a, s) => a * s, 1);
    const util = ops / (arch.compute.instances * Math.max(1, r.totals.cycles));
    return util >= o.belowUtilization ? base : search();
  };
}
