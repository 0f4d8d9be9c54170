/**
 * Wires the layer model into the network schedule evaluator (schedule/ may not import model/): a chunk workload
 * is mapped (default greedy mapper of schedule/, or an injected one) and evaluated; its on-chip part becomes a
 * `LayerCost`. Off-chip levels are dropped and the fills of the outermost on-chip level are removed: the schedule
 * evaluator charges the DRAM <-> global-buffer traffic itself from its buffer simulation.
 */
import type { Arch } from '../arch/types.ts';
import type { Mapping } from '../mapping/types.ts';
import { evaluate } from '../model/evaluate.ts';
import type { Evaluation } from '../model/types.ts';
import { defaultMapping } from '../schedule/mapper.ts';
import type { LayerCost, LayerCostFn } from '../schedule/types.ts';
import type { Workload } from '../workload/types.ts';

export type MapLayer = (w: Workload) => Mapping;

export function layerCostOf(arch: Arch, e: Evaluation): LayerCost {
  const outer = arch.levels.findIndex((l) => !l.offChip);
  const energyByLevel: Record<string, number> = {};
  const energyByTensor: Record<string, number> = {};
  let cycles = e.timing.compute_cycles;
  e.levels.forEach((lv, i) => {
    const spec = arch.levels[i];
    if (spec.offChip) return;
    let energy = 0;
    for (const [t, s] of Object.entries(lv.tensors)) {
      const fills = i === outer ? s.fill_vectors * spec.energy.fill * s.utilized_instances : 0;
      const et = s.energy_pJ - fills;
      energy += et;
      energyByTensor[t] = (energyByTensor[t] ?? 0) + et;
    }
    energyByLevel[lv.name] = energy;
    cycles = Math.max(cycles, lv.cycles);
  });
  return { energyByLevel, energyByTensor, compute: e.compute, computes: e.totals.computes, cycles };
}

/** The LayerCostFn of an arch: map each chunk (default mapper unless one is given) and evaluate it. */
export function layerCostFn(arch: Arch, mapLayer: MapLayer = (w) => defaultMapping(arch, w)): LayerCostFn {
  return (chunk) => {
    const outcome = evaluate(arch, chunk, mapLayer(chunk), { timing: 'roofline' });
    if (outcome.status !== 'ok') return { ok: false, reason: `${chunk.name}: ${outcome.reason}` };
    return { ok: true, cost: layerCostOf(arch, outcome.evaluation) };
  };
}
