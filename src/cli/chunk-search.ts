/**
 * `--chunk-mapper search[:N]`: refine the default chunk mapper's choice with the intra-layer mapper of search/
 * (annealing chains, seeded; the same search `spikeloop search` runs), N candidates per distinct chunk shape, under
 * the same bounds plus the schedule's rule that the chunk runs from the global buffer (no loop at the off-chip
 * level). The better of the two mappings (by the chunk's own score) is kept, so the refinement never makes a
 * chunk worse; the search is deterministic for a seed.
 */
import type { Arch } from '../arch/types.ts';
import type { Mapping } from '../mapping/types.ts';
import type { ChunkBounds } from '../schedule/chunk-mapper.ts';
import { buildMapSpace } from '../search/mapspace/space.ts';
import { toMapping } from '../search/mapspace/point.ts';
import { parseObjective } from '../search/objective.ts';
import { runSearch, type SearchOptions } from '../search/plan.ts';
import { noConstraints, type FactorBound, type SearchConstraints } from '../search/types.ts';
import type { Workload } from '../workload/types.ts';

/**
 * Dense search constraints of one chunk from the named bounds: every off-chip temporal factor fixed to 1, the
 * outermost on-chip level keeping everything (the chunk lives there), a level that declares `holds` keeping only
 * those roles (as the default mapper does).
 */
export function chunkConstraints(arch: Arch, w: Workload, bounds: ChunkBounds | undefined): SearchConstraints {
  const base = noConstraints(arch.levels.length, w.dims.length, w.tensors.length);
  const top = arch.levels.findIndex((l) => !l.offChip);
  const dense = (rec: Readonly<Record<string, FactorBound>> | undefined): (FactorBound | undefined)[] =>
    w.dims.map((name, d) => {
      const b = rec?.[name];
      if (!b) return undefined;
      // a fixed factor that does not divide this chunk's dim acts as a maximum (a smaller chunk leaves PEs idle)
      if (b.fixed !== undefined && w.sizes[d] % b.fixed !== 0) return { max: b.fixed };
      return b;
    });
  return {
    name: bounds?.name ?? 'none',
    minUtilization: 0,
    levels: base.levels.map((l, e) => {
      const nb = bounds?.levels[e];
      const temporal = arch.levels[e].offChip ? w.dims.map(() => ({ fixed: 1 })) : nb?.temporal ? dense(nb.temporal) : l.temporal;
      const holds = arch.levels[e].holds;
      const keep = w.tensors.map((t) => (arch.levels[e].offChip || e === top ? true : nb?.keep?.[t.name] ?? (holds ? holds.includes(t.role) : undefined)));
      return { ...l, temporal, spatialX: nb?.spatialX ? dense(nb.spatialX) : l.spatialX, spatialY: nb?.spatialY ? dense(nb.spatialY) : l.spatialY, keep };
    }),
  };
}

export type Refiner = (arch: Arch, w: Workload, start: Mapping, score: (m: Mapping) => number | undefined) => Mapping;

export function searchRefiner(bounds: ChunkBounds | undefined, budget: number, seed: number): Refiner {
  return (arch, w, start, score) => {
    const space = buildMapSpace(arch, w, chunkConstraints(arch, w, bounds));
    if (space.emptyBecause.length > 0) return start;
    const objective = parseObjective('energy');
    if (typeof objective === 'string') return start;
    // The score is the chunk's on-chip cost, not the layer model's totals: the model's lower bound does not apply.
    const o: SearchOptions = { strategy: 'anneal', objective, pareto: false, seed, maxEvals: budget, chains: 2, modelEvaluator: false };
    // The search reuses one mapping object for every candidate: the score must not keep it (it does not).
    const best = runSearch(space, (m) => {
      const s = score(m);
      return s === undefined ? { status: 'invalid', stage: 'chunk', reason: 'invalid chunk mapping' } : { status: 'ok', totals: { energy_pJ: s, cycles: 1, offchip_bytes: 0 } };
    }, o).best;
    if (!best) return start;
    const m = toMapping(space, best.point);
    const a = score(start);
    const b = score(m);
    return b !== undefined && (a === undefined || b < a) ? m : start;
  };
}
