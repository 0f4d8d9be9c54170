/** evaluate(): arch x workload x mapping -> access counts, energy, cycles, traffic (DESIGN.md §1). */
import { layerKernel } from '../analysis/counts.ts';
import { type Arch, storedBits } from '../arch/types.ts';
import type { Mapping } from '../mapping/types.ts';
import { totalOperations, type Workload } from '../workload/types.ts';
import { checkMapping } from './checks.ts';
import { computeActions } from './compute.ts';
import { pipelineTiming } from './pipeline/index.ts';
import { staticEnergy } from './pipeline/static-energy.ts';
import { type LayerCost, layerCost } from './cost.ts';
import type { EvalOutcome, Evaluation, InvalidOutcome, LevelResult, TensorLevelStats } from './types.ts';

export interface EvaluateOptions {
  /** Timing model; `roofline` (default) is Timeloop's bandwidth model. */
  readonly timing?: 'roofline' | 'pipeline';
  /** Pipeline model only: skip identical repetitions of outer tiles (default true). */
  readonly extrapolate?: boolean;
}

export function evaluate(arch: Arch, workload: Workload, mapping: Mapping, options: EvaluateOptions = {}): EvalOutcome {
  const bad = checkMapping(arch, workload, mapping);
  if (bad) return bad;
  const kernel = layerKernel(arch, workload);
  kernel.run(mapping);
  const cost = layerCost(arch, workload);
  cost.run(kernel);
  if (cost.overflowLevel >= 0) return capacityOutcome(arch, workload, cost);
  const nT = workload.tensors.length;
  const levels: LevelResult[] = [];
  const offchipByTensor: Record<string, number> = {};
  const energyByTensor: Record<string, number> = {};
  workload.tensors.forEach((t, ti) => {
    offchipByTensor[t.name] = cost.offchipByTensor[ti];
    let e = 0;
    for (let l = 0; l < arch.levels.length; l++) e += cost.energy[l * nT + ti];
    energyByTensor[t.name] = e;
  });
  arch.levels.forEach((lvl, e) => {
    const tensors: Record<string, TensorLevelStats> = {};
    workload.tensors.forEach((t, ti) => {
      const i = e * nT + ti;
      if (!kernel.kept[i]) return;
      const bits = storedBits(lvl, t.bits);
      const inst = kernel.instances[i];
      tensors[t.name] = {
        reads: kernel.reads[i],
        fills: kernel.fills[i],
        updates: kernel.updates[i],
        utilized_capacity: kernel.size[i],
        partition_size: kernel.partition[i],
        utilized_instances: inst,
        temporal_reductions: kernel.temporalReductions[i],
        multicast: kernel.multicast[i],
        spatial_reductions: kernel.spatialReductions[i],
        link_transfers: kernel.linkTransfers[i],
        read_vectors: cost.readVectors[i],
        fill_vectors: cost.fillVectors[i],
        update_vectors: cost.updateVectors[i],
        energy_pJ: cost.energy[i],
        bytes: ((kernel.reads[i] + kernel.fills[i] + kernel.updates[i]) * bits * inst) / 8,
        word_bits: bits,
      };
    });
    levels.push({
      name: lvl.name,
      energy_pJ: cost.levelEnergy[e],
      energy_by_action: { read: cost.levelRead[e], fill: cost.levelFill[e], update: cost.levelUpdate[e] },
      cycles: cost.levelCycles[e],
      bandwidth_throttling: cost.levelCycles[e] === 0 ? 1 : kernel.computeCycles / cost.levelCycles[e],
      read_bits: cost.levelReadBits[e],
      write_bits: cost.levelWriteBits[e],
      bandwidth_bits_per_cycle: { read: lvl.readBandwidth, write: lvl.writeBandwidth, shared: lvl.sharedBandwidth },
      transfer_cycles: transferCycles(cost.levelReadBits[e], cost.levelWriteBits[e], lvl),
      capacity_used_bits: cost.capacityUsed[e],
      capacity_bits: lvl.capacityBits,
      tensors,
    });
  });
  const compute = computeActions(arch, workload);
  // Pipeline timing (cycle-approximate tile timeline) replaces the roofline's cycles and bottleneck when asked for.
  const bottleneck = cost.bottleneck < 0 ? 'compute' : arch.levels[cost.bottleneck].name;
  let cycles = cost.cycles;
  let timingResult: Evaluation['timing'] = { model: 'roofline', cycles, compute_cycles: kernel.computeCycles, bottleneck };
  if (options.timing === 'pipeline') {
    const counts = kernel.toLayerCounts();
    const p = pipelineTiming(arch, workload, mapping, counts, compute.actions.neuron_update?.count ?? 0, { extrapolate: options.extrapolate });
    cycles = p.cycles;
    cost.setCycles(cycles);
    timingResult = { model: 'pipeline', cycles, compute_cycles: kernel.computeCycles, bottleneck: p.bottleneck, roofline_cycles: cost.cycles, ...p.detail };
  }
  // Static energy (leakage + idle compute) over the run, its own category, included in the total under both models.
  const stat = staticEnergy(arch, cycles);
  const staticByLevel: Record<string, number> = {};
  arch.levels.forEach((l, e) => {
    staticByLevel[l.name] = stat.levels_pJ[e];
  });
  return {
    status: 'ok',
    evaluation: {
      schema: 'spikeloop.evaluation/1',
      workload: workload.name,
      arch: arch.name,
      totals: { energy_pJ: cost.totalEnergy, cycles, offchip_bytes: cost.offchip, computes: compute.computes },
      levels,
      compute: compute.actions,
      timing: timingResult,
      utilization: totalOperations(workload) / (cycles * arch.compute.instances),
      active_utilization: compute.computes / (cycles * arch.compute.instances),
      offchip_bytes_by_tensor: offchipByTensor,
      energy_by_tensor: energyByTensor,
      energy_source: arch.energySource,
      ...(arch.energyTable ? { energy_table: arch.energyTable } : {}),
      energy_static_pJ: cost.staticEnergy,
      energy_static: { levels: staticByLevel, compute_idle_pJ: stat.compute_pJ },
    },
  };
}

/** The outcome of a mapping whose kept tiles do not fit a level. */
export function capacityOutcome(arch: Arch, w: Workload, cost: LayerCost): InvalidOutcome {
  const lvl = arch.levels[cost.overflowLevel];
  const tensor = w.tensors[cost.overflowTensor].name;
  const needed = cost.capacityUsed[cost.overflowLevel];
  return {
    status: 'invalid',
    stage: 'capacity',
    level: lvl.name,
    tensor,
    reason:
      `the tiles kept at ${lvl.name} need ${needed} bits${lvl.doubleBuffered ? ' (double buffered)' : ''} ` +
      `but it holds ${lvl.capacityBits} bits per instance (largest: ${tensor}, ${cost.overflowTensorBits} bits)`,
    needed,
    available: lvl.capacityBits ?? Infinity,
  };
}


/** Port time of a level's traffic at its bandwidths (the slowest port; unlimited ports take no time). */
function transferCycles(readBits: number, writeBits: number, lvl: Arch['levels'][number]): number {
  const t = (bits: number, bw: number | null): number => (bw !== null && bw > 0 ? bits / bw : 0);
  return Math.max(t(readBits, lvl.readBandwidth), t(writeBits, lvl.writeBandwidth), t(readBits + writeBits, lvl.sharedBandwidth));
}
