/**
 * The cycle-approximate `pipeline` timing model (DESIGN.md §3): the analysis's access counts replayed as a
 * tile-level timeline over the memory hierarchy. schedule.ts: the outer tiles; streams.ts: the tiles of each
 * (level, tensor) and their physical sizes; traffic.ts: ports and per-step operand traffic; jobs.ts: transfers
 * scheduled on the ports; simulator.ts: buffering, compute and the neuron unit; steady-state.ts: the driver that
 * skips repeated iterations; timeline.ts: the compact timeline. Cost grows with the number of outer tiles (at
 * most), never with the number of MACs.
 */
import type { LayerCounts } from '../../analysis/counts.ts';
import type { Arch } from '../../arch/types.ts';
import type { Mapping } from '../../mapping/types.ts';
import type { Workload } from '../../workload/types.ts';
import type { LevelActivity, PipelineTimingDetail } from '../types.ts';
import { snapUp } from './grid.ts';
import { buildSchedule } from './schedule.ts';
import { Simulator } from './simulator.ts';
import { runSchedule } from './steady-state.ts';
import { buildStreams } from './streams.ts';
import { CAP } from './timeline.ts';
import { buildPorts, stepTraffic } from './traffic.ts';

export interface PipelineOptions {
  /** Skip repeated iterations once the timeline repeats itself (default true); false simulates every outer tile. */
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
  /** Loop iterations whose simulation was skipped (replayed from an identical earlier one). */
  readonly extrapolatedIterations: number;
}

const r3 = (v: number): number => Math.round(v * 1000) / 1000;

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
  const s = buildSchedule(w, mapping, L, counts.computeCycles);
  const streams = buildStreams(arch, w, mapping, counts, s);
  const ports = buildPorts(arch);
  const traffic = stepTraffic(arch, w, counts, s, ports);
  const neuronPerPe = counts.computeInstances > 0 ? neuronUpdates / counts.computeInstances : 0;
  const neuronActive = w.snn !== undefined;
  const sim = new Simulator(arch, w, s, streams, ports, traffic.compute, traffic.neuron, {
    neuronPerStep: s.completingSteps > 0 ? neuronPerPe / s.completingSteps : 0,
    neuronThroughput: arch.compute.neuronThroughput ?? null,
    neuronLatency: snapUp(arch.compute.neuronLatencyCycles ?? 0),
    neuronActive,
  });
  const stats = runSchedule(sim, s, options.extrapolate ?? true);
  const time = sim.finish();
  const cycles = Math.ceil(time - 1e-6);
  const acc = sim.acc;
  const levels: LevelActivity[] = arch.levels.map((l, e) => {
    const busy = acc[sim.aBusy + e];
    return {
      name: l.name,
      busy_cycles: r3(busy),
      stall_cycles: r3(acc[sim.aStall + e]),
      idle_cycles: r3(Math.max(0, time - busy)),
      tiles: e === 0 ? 1 : acc[sim.aTiles + e],
    };
  });
  const computeBusy = acc[sim.aComp];
  const neuronBusy = acc[sim.aComp + 2];
  const neuronStall = acc[sim.aStall + sim.laneNeuron];
  let tensorStall = 0;
  for (let t = 0; t < T; t++) tensorStall += acc[sim.aStallT + t];
  const share: Record<string, number> = {};
  w.tensors.forEach((t, i) => {
    share[t.name] = tensorStall > 0 ? r3(acc[sim.aStallT + i] / tensorStall) : 0;
  });
  // Bottleneck: the resource (compute array, a level's busiest port, the neuron unit) that accounts for the most
  // of the run: its busy time or the compute stall it caused, whichever is larger (a saturated port's stalls
  // happen while it is busy, so adding them would count that time twice; a level's separate read and write ports
  // can together be busy longer than either, without either being saturated); the compute array wins ties.
  const portBusy = (e: number): number => Math.max(acc[sim.aPort + 3 * e], acc[sim.aPort + 3 * e + 1], acc[sim.aPort + 3 * e + 2]);
  const lanes = [
    { name: 'compute', busy: computeBusy, stall: 0 },
    ...arch.levels.map((l, e) => ({ name: l.name, busy: portBusy(e), stall: acc[sim.aStall + e] })),
    ...(neuronActive ? [{ name: 'neuron', busy: neuronBusy, stall: neuronStall }] : []),
  ];
  let bottleneck = lanes[0];
  const score = (l: { busy: number; stall: number }): number => Math.max(l.busy, l.stall);
  for (const lane of lanes) if (score(lane) > score(bottleneck) + 1e-9) bottleneck = lane;
  const laneNames = [...arch.levels.map((l) => l.name), 'compute', ...(neuronActive ? ['neuron'] : [])];
  const tl = sim.timeline;
  const capped = tl.capped || !sim.recordSpans;
  const timeline = laneNames.map((name, i) => {
    if (!capped) return { name, spans_total: Math.round(acc[sim.aSpans + i]), spans: tl.spans[i].map((sp) => ({ start: r3(sp.start), end: r3(sp.end), state: sp.state })) };
    const f = tl.fractions(i, time);
    const width = tl.width;
    // A binned timeline gives no span count: an outer level's busy spans are cut at simulation steps, so their
    // number is not a property of the run, and replayed iterations need not reproduce it (busy time, which the
    // bins carry, they reproduce exactly).
    return {
      name,
      spans: f.flatMap((x, b) => (x > 0 ? [{ start: r3(b * width), end: r3(b * width + x * Math.min(width, time - b * width)), state: 'busy' }] : [])),
      busy_fraction: f,
    };
  });
  const moved = Array.from({ length: L }, (_, e) =>
    Array.from({ length: T }, (_, t) => {
      const b = sim.aMoved + (e * T + t) * 3;
      return { reads: acc[b], fills: acc[b + 1], updates: acc[b + 2] };
    }),
  );
  const lastCompute = sim.lastComputeEnd();
  return {
    cycles,
    time,
    bottleneck: bottleneck.name,
    detail: {
      prologue_cycles: r3(Math.max(0, sim.prologue)),
      epilogue_cycles: r3(Math.max(0, time - lastCompute)),
      outer_tiles: s.steps,
      simulated_tiles: sim.explicitSteps,
      compute_activity: {
        busy_cycles: r3(computeBusy),
        stall_cycles: r3(acc[sim.aComp + 1]),
        idle_cycles: r3(Math.max(0, time - computeBusy)),
        neuron_busy_cycles: r3(neuronBusy),
        neuron_stall_cycles: r3(neuronStall),
      },
      levels,
      stall_share_by_tensor: share,
      bottleneck_lanes: lanes.map((l) => ({ name: l.name, busy_cycles: r3(l.busy), stall_cycles: r3(l.stall) })),
      timeline: { capped, max_spans_per_lane: CAP, ...(capped ? { bin_cycles: tl.width } : {}), levels: timeline },
    },
    moved,
    extrapolatedIterations: stats.extrapolatedIterations,
  };
}
