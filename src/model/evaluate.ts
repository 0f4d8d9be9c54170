/** evaluate(): arch x workload x mapping -> access counts, energy, cycles, traffic (DESIGN.md §1). */
import { analyzeAccesses } from '../analysis/counts.ts';
import { type Arch, storedBits, wordsPerVector } from '../arch/types.ts';
import type { Mapping } from '../mapping/types.ts';
import type { Workload } from '../workload/types.ts';
import { checkMapping } from './checks.ts';
import { computeActions } from './compute.ts';
import { pipelineTiming } from './pipeline/index.ts';
import { staticEnergy } from './pipeline/static-energy.ts';
import { rooflineCycles } from './roofline.ts';
import type { EvalOutcome, Evaluation, LevelResult, TensorLevelStats } from './types.ts';

export interface EvaluateOptions {
  /** Timing model; `roofline` (default) is Timeloop's bandwidth model. */
  readonly timing?: 'roofline' | 'pipeline';
  /** Pipeline model only: skip identical repetitions of outer tiles (default true). */
  readonly extrapolate?: boolean;
}

export function evaluate(arch: Arch, workload: Workload, mapping: Mapping, options: EvaluateOptions = {}): EvalOutcome {
  const bad = checkMapping(arch, workload, mapping);
  if (bad) return bad;
  const counts = analyzeAccesses(arch, workload, mapping);
  const levels: LevelResult[] = [];
  const offchipByTensor: Record<string, number> = {};
  const energyByTensor: Record<string, number> = {};
  for (const t of workload.tensors) {
    offchipByTensor[t.name] = 0;
    energyByTensor[t.name] = 0;
  }
  for (let e = 0; e < arch.levels.length; e++) {
    const lvl = arch.levels[e];
    const tensors: Record<string, TensorLevelStats> = {};
    let energy = 0;
    let capacityUsed = 0;
    const byAction = { read: 0, fill: 0, update: 0 };
    let worst = { tensor: '', bits: -1 };
    workload.tensors.forEach((t, ti) => {
      const c = counts.levels[e][ti];
      if (!c.kept) return;
      const bits = storedBits(lvl, t.bits);
      const wpv = wordsPerVector(lvl, t.bits);
      const rv = vectors(c.reads, wpv);
      const fv = vectors(c.fills, wpv);
      const uv = vectors(c.updates, wpv);
      const inst = c.instances;
      const er = rv * lvl.energy.read * inst;
      const ef = fv * lvl.energy.fill * inst;
      const eu = uv * lvl.energy.update * inst;
      byAction.read += er;
      byAction.fill += ef;
      byAction.update += eu;
      const et = er + ef + eu;
      energy += et;
      energyByTensor[t.name] += et;
      const tileBits = c.size * bits * (lvl.doubleBuffered ? 2 : 1);
      capacityUsed += tileBits;
      if (tileBits > worst.bits) worst = { tensor: t.name, bits: tileBits };
      if (lvl.offChip) offchipByTensor[t.name] += ((rv + fv + uv) * lvl.widthBits * inst) / 8;
      tensors[t.name] = {
        reads: c.reads,
        fills: c.fills,
        updates: c.updates,
        utilized_capacity: c.size,
        partition_size: c.partitionSize,
        utilized_instances: inst,
        temporal_reductions: c.temporalReductions,
        multicast: c.multicast,
        spatial_reductions: c.spatialReductions,
        link_transfers: c.linkTransfers,
        read_vectors: rv,
        fill_vectors: fv,
        update_vectors: uv,
        energy_pJ: et,
        bytes: ((c.reads + c.fills + c.updates) * bits * inst) / 8,
        word_bits: bits,
      };
    });
    if (lvl.capacityBits !== null && capacityUsed > lvl.capacityBits) {
      return {
        status: 'invalid',
        stage: 'capacity',
        level: lvl.name,
        tensor: worst.tensor,
        reason:
          `the tiles kept at ${lvl.name} need ${capacityUsed} bits${lvl.doubleBuffered ? ' (double buffered)' : ''} ` +
          `but it holds ${lvl.capacityBits} bits per instance (largest: ${worst.tensor}, ${worst.bits} bits)`,
        needed: capacityUsed,
        available: lvl.capacityBits,
      };
    }
    levels.push({
      name: lvl.name,
      energy_pJ: energy,
      energy_by_action: byAction,
      cycles: 0,
      bandwidth_throttling: 1,
      capacity_used_bits: capacityUsed,
      capacity_bits: lvl.capacityBits,
      tensors,
    });
  }
  const compute = computeActions(arch, workload);
  const timing = rooflineCycles(arch, workload, levels, counts.computeCycles);
  const timedLevels = levels.map((l, e) => ({ ...l, cycles: timing.levelCycles[e], bandwidth_throttling: timing.throttling[e] }));
  let energyTotal = 0;
  for (const l of timedLevels) energyTotal += l.energy_pJ;
  for (const a of Object.values(compute.actions)) energyTotal += a.energy_pJ;
  // Pipeline timing (cycle-approximate tile timeline) replaces the roofline's cycles and bottleneck when asked for.
  let cycles = timing.cycles;
  let timingResult: Evaluation['timing'] = { model: 'roofline', cycles: timing.cycles, compute_cycles: counts.computeCycles, bottleneck: timing.bottleneck };
  if (options.timing === 'pipeline') {
    const p = pipelineTiming(arch, workload, mapping, counts, compute.actions.neuron_update?.count ?? 0, { extrapolate: options.extrapolate });
    cycles = p.cycles;
    timingResult = { model: 'pipeline', cycles, compute_cycles: counts.computeCycles, bottleneck: p.bottleneck, roofline_cycles: timing.cycles, ...p.detail };
  }
  // Static energy (leakage + idle compute) over the run, its own category, included in the total under both models.
  const stat = staticEnergy(arch, cycles);
  energyTotal += stat.total_pJ;
  const staticByLevel: Record<string, number> = {};
  arch.levels.forEach((l, e) => {
    staticByLevel[l.name] = stat.levels_pJ[e];
  });
  let offchip = 0;
  for (const v of Object.values(offchipByTensor)) offchip += v;
  return {
    status: 'ok',
    evaluation: {
      schema: 'spikeloop.evaluation/1',
      workload: workload.name,
      arch: arch.name,
      totals: { energy_pJ: energyTotal, cycles, offchip_bytes: offchip, computes: compute.computes },
      levels: timedLevels,
      compute: compute.actions,
      timing: timingResult,
      utilization: compute.computes / (cycles * arch.compute.instances),
      offchip_bytes_by_tensor: offchipByTensor,
      energy_by_tensor: energyByTensor,
      energy_source: arch.energySource,
      energy_static_pJ: stat.total_pJ,
      energy_static: { levels: staticByLevel, compute_idle_pJ: stat.compute_pJ },
    },
  };
}

/** Vector accesses for `scalars` words at `wpv` words per vector (exact for integer ratios; never -0). */
function vectors(scalars: number, wpv: number): number {
  return scalars <= 0 ? 0 : Math.ceil(scalars / wpv - 1e-9);
}
