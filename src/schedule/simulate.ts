/**
 * The schedule evaluator: runs every block of a schedule in order through the block simulation (block-sim.ts),
 * each block starting from the boundary the previous one left, and assembles the network result: per layer and in
 * total energy by level / tensor / action, off-chip bytes by kind, cycles, footprints, peak on-chip memory and an
 * occupancy series.
 */
import type { Arch } from '../arch/types.ts';
import { denseOps, outputBits, stateBits, weightBits, type Network } from '../workload/network.ts';
import { EMPTY_BOUNDARY, ScheduleSim, type Boundary, type LayerDetail, type OccupancySample, type SimOptions } from './block-sim.ts';
import { blockAxis } from './plan.ts';
import type {
  LayerCostFn, LayerScheduleResult, LevelSummary, NetworkSchedule, NetworkScheduleResult, OccupancyStep, ScheduleOptions, ScheduleOutcome,
  StatePlacement, TensorCounts, TrafficKind,
} from './types.ts';
import { N_SLOTS, N_STATS, STAT_ENERGY, STAT_FILLS, STAT_READS, STAT_UPDATES, TENSOR_SLOTS, TRAFFIC_KINDS } from './types.ts';

export function checkSchedule(net: Network, s: NetworkSchedule): string | undefined {
  if (s.blocks.length !== net.blocks.length) return `the schedule has ${s.blocks.length} block entries, the network ${net.blocks.length} blocks`;
  for (let i = 0; i < s.blocks.length; i++) {
    const b = s.blocks[i];
    if (!Number.isInteger(b.timeBatch) || b.timeBatch < 1 || net.timesteps % b.timeBatch !== 0) return `block ${net.blocks[i].name}: time batch ${b.timeBatch} does not divide T = ${net.timesteps}`;
    if (b.tileRows !== null && (!Number.isInteger(b.tileRows) || b.tileRows < 1)) return `block ${net.blocks[i].name}: tile rows must be a positive whole number`;
  }
  return undefined;
}

export function simOptions(o: ScheduleOptions & { readonly wholeTileLines?: number }): SimOptions {
  return {
    stemsCompat: o.stemsCompat === true,
    finalStateWriteback: o.finalStateWriteback === true,
    spikeFormat: o.stemsCompat ? 'dense' : (o.spikeFormat ?? 'dense'),
    wholeTileLines: o.wholeTileLines ?? 16,
  };
}

/** A simulator for (network, arch, cost function, options): reuse it across schedules to share the chunk costs. */
export function makeSim(net: Network, arch: Arch, costFn: LayerCostFn, o: ScheduleOptions & { readonly wholeTileLines?: number } = {}): ScheduleSim | string {
  const g = arch.levels.findIndex((l) => !l.offChip);
  if (g <= 0 || arch.levels[g].capacityBits === null) return 'the arch needs an off-chip level above a bounded on-chip buffer';
  return new ScheduleSim(net, arch, costFn, simOptions(o));
}

/** Placement of every layer's state under a schedule. */
export function placements(net: Network, sched: NetworkSchedule): StatePlacement[] {
  return net.layers.map((l) => (l.stateful ? (sched.blocks[l.block].state?.[l.index] ?? 'auto') : 'stateless'));
}

/** Totals of a schedule without the per-layer detail (the search's fast path). */
export interface ScheduleTotals {
  readonly energy_pJ: number;
  readonly cycles: number;
  readonly offchip_bytes: number;
}

export function scheduleTotals(sim: ScheduleSim, sched: NetworkSchedule): ScheduleTotals | { readonly error: string } {
  const bad = checkSchedule(sim.net, sched);
  if (bad) return { error: bad };
  const place = placements(sim.net, sched);
  let entry: Boundary = EMPTY_BOUNDARY;
  let e = 0;
  let c = 0;
  let off = 0;
  for (let bi = 0; bi < sim.net.blocks.length; bi++) {
    const r = sim.runBlock({ bi, choice: sched.blocks[bi], axis: blockAxis(sim.net, bi, sched.blocks[bi], entry), entry, placement: place });
    if (!r.ok) return { error: r.layer ? `${r.reason} (layer ${r.layer})` : r.reason };
    e += r.energy;
    c += r.cycles;
    off += r.offchipBits / 8;
    entry = r.exit;
  }
  return { energy_pJ: e, cycles: c, offchip_bytes: off };
}

/** Evaluate a schedule in full. */
export function evaluateSchedule(net: Network, arch: Arch, sched: NetworkSchedule, costFn: LayerCostFn | ScheduleSim, opts: ScheduleOptions = {}): ScheduleOutcome {
  const bad = checkSchedule(net, sched);
  if (bad) return { ok: false, reason: bad };
  const sim = costFn instanceof ScheduleSim ? costFn : makeSim(net, arch, costFn, opts);
  if (typeof sim === 'string') return { ok: false, reason: sim };
  const axes: string[] = [];
  const place = placements(net, sched);
  let entry: Boundary = EMPTY_BOUNDARY;
  const details = new Map<number, LayerDetail>();
  const occ: OccupancySample[] = [];
  let cycles = 0;
  let dramBound = 0;
  let streamed = 0;
  let peak = 0;
  let ops = 0;
  const wantOcc = (opts.occupancySteps ?? 200) > 0;
  for (let bi = 0; bi < net.blocks.length; bi++) {
    const axis = blockAxis(net, bi, sched.blocks[bi], entry);
    axes.push(axis);
    const r = sim.runBlock({ bi, choice: sched.blocks[bi], axis, entry, placement: place, detail: true, occupancy: wantOcc ? { firstOp: ops, every: 1 } : undefined });
    if (!r.ok) return { ok: false, reason: r.reason, layer: r.layer };
    for (const [li, d] of r.layers!) {
      const prev = details.get(li);
      details.set(li, prev ? mergeDetail(prev, d) : d);
    }
    if (r.occupancy) occ.push(...r.occupancy);
    cycles += r.cycles;
    dramBound += r.dramBoundCycles;
    streamed += r.streamed;
    peak = Math.max(peak, r.peakBits);
    ops += r.ops;
    entry = r.exit;
  }
  if (entry.tensors.length > 0) return { ok: false, reason: 'internal: data is still live after the last block' };
  return { ok: true, result: assemble(sim, sched, axes, place, details, { cycles, dramBound, streamed, peak }, downsample(occ, opts.occupancySteps ?? 200)) };
}

/** A layer's detail from two blocks (write-backs of its output can happen while a later block runs). */
function mergeDetail(a: LayerDetail, b: LayerDetail): LayerDetail {
  const stats = new Float64Array(a.stats.length);
  for (let i = 0; i < stats.length; i++) stats[i] = a.stats[i] + b.stats[i];
  const offchip = { ...a.offchip };
  for (const k of TRAFFIC_KINDS) offchip[k] += b.offchip[k];
  const compute: Record<string, { count: number; energy_pJ: number }> = {};
  for (const src of [a.compute, b.compute]) {
    for (const [k, v] of Object.entries(src)) {
      const x = (compute[k] ??= { count: 0, energy_pJ: 0 });
      x.count += v.count;
      x.energy_pJ += v.energy_pJ;
    }
  }
  return {
    energy: a.energy + b.energy, cycles: a.cycles + b.cycles, computes: a.computes + b.computes, chunks: a.chunks + b.chunks,
    offchip, stats, compute, mapping: a.mapping ?? b.mapping, mappingOps: a.mappingOps + b.mappingOps,
  };
}

/** At most `steps` samples: the fullest op of each run of consecutive ops. */
function downsample(occ: readonly OccupancySample[], steps: number): OccupancySample[] {
  if (steps <= 0 || occ.length === 0) return [];
  const every = Math.ceil(occ.length / steps);
  const out: OccupancySample[] = [];
  for (let i = 0; i < occ.length; i += every) {
    let best = occ[i];
    let bt = best.byKind.reduce((a, x) => a + x, 0);
    for (let j = i + 1; j < Math.min(occ.length, i + every); j++) {
      const t = occ[j].byKind.reduce((a, x) => a + x, 0);
      if (t > bt) {
        best = occ[j];
        bt = t;
      }
    }
    out.push(best);
  }
  return out;
}

const zeroKinds = (): Record<TrafficKind, number> => ({ weights: 0, spikes: 0, activations: 0, psums: 0, state: 0 });

function levelSummaries(arch: Arch, stats: Float64Array): LevelSummary[] {
  return arch.levels.map((lvl, e) => {
    const tensors: Record<string, TensorCounts> = {};
    let energy = 0;
    TENSOR_SLOTS.forEach((name, s) => {
      const i = (e * N_SLOTS + s) * N_STATS;
      const v = { reads: stats[i + STAT_READS], fills: stats[i + STAT_FILLS], updates: stats[i + STAT_UPDATES], energy_pJ: stats[i + STAT_ENERGY] };
      energy += v.energy_pJ;
      if (v.reads !== 0 || v.fills !== 0 || v.updates !== 0 || v.energy_pJ !== 0) tensors[name] = v;
    });
    return { name: lvl.name, energy_pJ: energy, tensors };
  });
}

function assemble(
  sim: ScheduleSim,
  sched: NetworkSchedule,
  axes: readonly string[],
  place: readonly StatePlacement[],
  details: ReadonlyMap<number, LayerDetail>,
  run: { cycles: number; dramBound: number; streamed: number; peak: number },
  occ: readonly OccupancySample[],
): NetworkScheduleResult {
  const { net, arch } = sim;
  const T = net.timesteps;
  const g = sim.top;
  const dramName = arch.levels[g - 1].name;
  const dramBw = arch.levels[g - 1].sharedBandwidth ?? arch.levels[g - 1].readBandwidth ?? arch.levels[g - 1].widthBits;
  const netStats = new Float64Array(arch.levels.length * N_SLOTS * N_STATS);
  const compute: Record<string, { count: number; energy_pJ: number }> = {};
  const layers: LayerScheduleResult[] = net.layers.map((l) => {
    const d = details.get(l.index)!;
    for (let i = 0; i < netStats.length; i++) netStats[i] += d.stats[i];
    for (const [k, v] of Object.entries(d.compute)) {
      const a = (compute[k] ??= { count: 0, energy_pJ: 0 });
      a.count += v.count;
      a.energy_pJ += v.energy_pJ;
    }
    let off = 0;
    for (const k of TRAFFIC_KINDS) off += d.offchip[k];
    const levels = levelSummaries(arch, d.stats);
    const byTensor: Record<string, number> = {};
    for (const lv of levels) for (const [t, c] of Object.entries(lv.tensors)) byTensor[t] = (byTensor[t] ?? 0) + c.energy_pJ;
    const hasState = place[l.index] !== 'stateless';
    return {
      name: l.name, op: l.op, block: l.block,
      state_bytes: hasState ? stateBits(l) / 8 : 0, weight_bytes: weightBits(l) / 8, output_bytes: outputBits(l, T) / 8,
      ops_dense: denseOps(l), ops_effective: d.computes, energy_pJ: d.energy, cycles: d.cycles, offchip_bytes: off,
      offchip_bytes_by_kind: d.offchip, state_placement: place[l.index],
      totals: { energy_pJ: d.energy, cycles: d.cycles, offchip_bytes: off, computes: d.computes },
      levels, compute: d.compute, energy_by_tensor: byTensor,
      timing: { model: 'roofline', cycles: d.cycles, bottleneck: (off * 8) / dramBw * 2 > d.cycles ? dramName : 'on-chip' },
      chunks: d.chunks, chunk_mapping: d.mapping,
    };
  });
  const kinds = zeroKinds();
  let energy = 0;
  let computes = 0;
  for (const l of layers) {
    for (const k of TRAFFIC_KINDS) kinds[k] += l.offchip_bytes_by_kind[k];
    energy += l.energy_pJ;
    computes += l.ops_effective;
  }
  let offchip = 0;
  for (const k of TRAFFIC_KINDS) offchip += kinds[k];
  const sum = (f: (l: LayerScheduleResult) => number): number => layers.reduce((s, l) => s + f(l), 0);
  const levels = levelSummaries(arch, netStats);
  const byLevel: Record<string, number> = {};
  for (const lv of levels) byLevel[lv.name] = lv.energy_pJ;
  const byTensor: Record<string, number> = {};
  for (const lv of levels) for (const [t, c] of Object.entries(lv.tensors)) byTensor[t] = (byTensor[t] ?? 0) + c.energy_pJ;
  const capacity = (arch.levels[g].capacityBits ?? 0) / 8;
  const occupancy: OccupancyStep[] = occ.map((s, i) => {
    const by = zeroKinds();
    TRAFFIC_KINDS.forEach((k, j) => (by[k] = s.byKind[j] / 8));
    return { step: i, label: s.label, bytes: s.byKind.reduce((a, x) => a + x, 0) / 8, by_kind: by };
  });
  const warnings: string[] = [];
  if (run.streamed > 0) warnings.push(`${run.streamed} chunk ops did not fit in ${arch.levels[g].name} beside the data they need and were streamed through ${dramName} (see streamed_ops)`);
  return {
    schema: 'spikeloop.network-evaluation/1',
    network: net.name,
    arch: arch.name,
    energy_source: arch.energySource,
    schedule: sched.blocks.map((b, i) => ({ block: net.blocks[i].name, time_batch: b.timeBatch, tile_rows: b.tileRows, tile_axis: axes[i] })),
    stems_compat: sim.o.stemsCompat,
    final_state_writeback: sim.o.finalStateWriteback,
    spike_format: sim.o.spikeFormat,
    totals: {
      energy_pJ: energy, cycles: run.cycles, offchip_bytes: offchip, computes, ops_dense: sum((l) => l.ops_dense),
      state_bytes: sum((l) => l.state_bytes), weight_bytes: sum((l) => l.weight_bytes), activation_bytes: sum((l) => l.output_bytes),
      offchip_bytes_by_kind: kinds, peak_onchip_bytes: run.peak / 8, onchip_capacity_bytes: capacity, streamed_ops: run.streamed,
    },
    levels,
    timing: { model: 'roofline', cycles: run.cycles, bottleneck: run.dramBound * 2 > run.cycles ? dramName : 'on-chip', dram_bound_cycles: run.dramBound },
    energy_by_level: byLevel,
    energy_by_tensor: byTensor,
    compute,
    layers,
    occupancy,
    capacity_bytes: capacity,
    warnings,
  };
}
