/**
 * The cycle-approximate `pipeline` timing model (DESIGN.md §3): the analysis's access counts replayed as a
 * tile-level timeline over the memory hierarchy (schedule.ts: tiles; events.ts: channels; simulator.ts: buffering,
 * compute, neuron updates; steady-state.ts: extrapolation). Cost grows with the number of outer tiles (at most),
 * never with the number of MACs.
 */
import type { LayerCounts } from '../../analysis/counts.ts';
import type { Arch } from '../../arch/types.ts';
import type { Mapping } from '../../mapping/types.ts';
import type { Workload } from '../../workload/types.ts';
import type { LevelActivity, PipelineTimingDetail } from '../types.ts';
import { buildEvents } from './events.ts';
import { buildSchedule } from './schedule.ts';
import { Simulator } from './simulator.ts';
import { runSchedule } from './steady-state.ts';

export interface PipelineOptions {
  /** Skip identical repetitions (default true); false simulates every outer tile. */
  readonly extrapolate?: boolean;
}

export interface PipelineResult {
  /** Whole cycles (the simulated end time rounded up). */
  readonly cycles: number;
  /** The simulated end time. */
  readonly time: number;
  readonly bottleneck: string;
  readonly detail: Omit<PipelineTimingDetail, 'roofline_cycles'>;
  /** Words moved by the timeline per [level][tensor]: reads, fills, updates (per instance, like the analysis). */
  readonly moved: readonly (readonly { reads: number; fills: number; updates: number }[])[];
  readonly extrapolatedIterations: number;
}

export function pipelineTiming(
  arch: Arch,
  w: Workload,
  mapping: Mapping,
  counts: LayerCounts,
  neuronUpdates: number,
  options: PipelineOptions = {},
): PipelineResult {
  const L = arch.levels.length;
  const T = w.tensors.length;
  const kept = counts.levels.map((row) => row.map((c) => c.kept));
  const s = buildSchedule(arch, w, mapping, kept, counts.computeCycles);
  const ev = buildEvents(arch, w, counts, s);
  const extrapolate = options.extrapolate ?? true;
  const neuronPerPe = counts.computeInstances > 0 ? neuronUpdates / counts.computeInstances : 0;
  const sim = new Simulator(s, ev, {
    doubleBuffered: arch.levels.map((l) => l.doubleBuffered),
    neuronPerStep: s.completingSteps > 0 ? neuronPerPe / s.completingSteps : 0,
    neuronThroughput: arch.compute.neuronThroughput ?? null,
    neuronLatency: arch.compute.neuronLatencyCycles ?? 0,
    signatures: extrapolate,
  });
  const stats = runSchedule(sim, s, neuronUpdates > 0, extrapolate);
  const time = sim.finish();
  const cycles = Math.ceil(time - 1e-6);
  const acc = sim.acc;
  const r3 = (v: number): number => Math.round(v * 1000) / 1000;
  const levels: LevelActivity[] = arch.levels.map((l, e) => {
    const busy = Math.min(acc[sim.aBusy + e], time);
    return {
      name: l.name,
      busy_cycles: r3(busy),
      stall_cycles: r3(acc[sim.aStall + e]),
      idle_cycles: r3(Math.max(0, time - busy)),
      tiles: s.levelTiles[e],
    };
  });
  const computeBusy = acc[sim.aCompBusy];
  const computeStall = acc[sim.aCompStall];
  const share: Record<string, number> = {};
  w.tensors.forEach((t, i) => {
    share[t.name] = computeStall > 0 ? acc[sim.aStallT + i] / computeStall : 0;
  });
  // Bottleneck: the compute array if it is busy longer than any level stalls it, else the level stalling it most.
  let bottleneck = 'compute';
  let worst = computeBusy;
  levels.forEach((l, e) => {
    if (acc[sim.aStall + e] > worst) {
      worst = acc[sim.aStall + e];
      bottleneck = l.name;
    }
  });
  const lanes = [...arch.levels.map((l) => l.name), 'compute'];
  let capped = false;
  const timeline = lanes.map((name, i) => {
    const total = acc[sim.aSpans + i];
    if (total > sim.spans[i].length) capped = true;
    return { name, spans_total: Math.round(total), spans: sim.spans[i].map((sp) => ({ start: r3(sp.start), end: r3(sp.end), state: sp.state })) };
  });
  const moved = Array.from({ length: L }, (_, e) =>
    Array.from({ length: T }, (_, t) => {
      const b = sim.aMoved + (e * T + t) * 3;
      return { reads: acc[b], fills: acc[b + 1], updates: acc[b + 2] };
    }),
  );
  const prologue = Math.max(0, sim.prologue);
  return {
    cycles,
    time,
    bottleneck,
    detail: {
      prologue_cycles: r3(prologue),
      epilogue_cycles: r3(Math.max(0, time - sim.lastComputeEnd())),
      outer_tiles: s.steps,
      simulated_tiles: sim.explicitSteps,
      compute_activity: {
        busy_cycles: r3(computeBusy),
        stall_cycles: r3(computeStall),
        idle_cycles: r3(Math.max(0, time - computeBusy)),
        neuron_busy_cycles: r3(acc[sim.aNeuron]),
      },
      levels,
      stall_share_by_tensor: share,
      timeline: { capped, max_spans_per_lane: 256, levels: timeline },
    },
    moved,
    extrapolatedIterations: stats.extrapolatedIterations,
  };
}
