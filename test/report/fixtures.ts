// Inputs for the report tests: the real demo evaluations (through the CLI, in-process), and SYNTHETIC network,
// search, training and pipeline-timing documents in the shapes src/report/inputs.ts accepts. The synthetic
// numbers exist only to exercise the charts; they are never presented as results of spikeloop. The synthetic
// network carries the producer-side fields being added in parallel (per-layer levels[] with tensors, compute and
// timing, occupancy[]) so the report's use of them is tested before a producer writes them; real command output
// is in real.ts. `energyOnly` turns a real network result back into the older shape (layers with energy only), the
// degraded input the report still reads; `streamedNetwork` is the schedule simulator's own result for a buffer too
// small for its ops (flat layer cost, as in test/schedule/traffic.test.ts), the one producer case with warnings.
import { evaluateSchedule } from '../../src/schedule/simulate.ts';
import { A, cli, M_INNER, M_OUTER, W } from '../cli/harness.ts';
import { arch as tinyArch, net as tinyNet, sim as tinySim, TWO_LAYER } from '../schedule/fixtures.ts';

export type Doc = Record<string, any>;

const cache = new Map<string, string>();

/** `spikeloop evaluate --json` of the bundled layer with one of the two demo mappings (text, as the CLI prints it). */
export async function demoEvaluationText(which: 'inner' | 'outer' = 'inner'): Promise<string> {
  const hit = cache.get(which);
  if (hit) return hit;
  const r = await cli(['evaluate', '--arch', A, '--workload', W, '--mapping', which === 'inner' ? M_INNER : M_OUTER, '--json']);
  if (r.code !== 0) throw new Error(`evaluate failed: ${r.err}`);
  cache.set(which, r.out);
  return r.out;
}

export async function demoEvaluation(which: 'inner' | 'outer' = 'inner'): Promise<Doc> {
  return JSON.parse(await demoEvaluationText(which)) as Doc;
}

/** The evaluation with synthetic pipeline-timing detail: per-level busy/stall/idle and a capped timeline. */
export function withPipelineTiming(e: Doc): Doc {
  const names: string[] = e.levels.map((l: Doc) => l.name);
  const spans = (lane: number): Doc[] => {
    const out: Doc[] = [];
    for (let i = 0; i < 40; i++) {
      const t = i * 100;
      out.push({ start: t, end: t + 60 + 10 * lane, state: 'busy' });
      if (lane === 0 && i % 3 === 0) out.push({ start: t + 70, end: t + 95, state: 'stall' });
    }
    return out;
  };
  // busy + idle = the run (4000 cycles), as the pipeline model defines idle
  return {
    ...e,
    totals: { ...e.totals, cycles: 4000 },
    timing: {
      ...e.timing,
      model: 'pipeline',
      cycles: 4000,
      levels: names.map((name, i) => ({ name, busy_cycles: 2400 + 400 * i, stall_cycles: i === 0 ? 350 : 0, idle_cycles: 1600 - 400 * i })),
      timeline: { capped: true, levels: names.map((name, i) => ({ name, segments: spans(i) })) },
    },
  };
}

/** A two-layer network: the inner and outer evaluations as layers, with footprints and an occupancy series. */
export function syntheticNetwork(inner: Doc, outer: Doc): Doc {
  const sum = (k: string): number => inner.totals[k] + outer.totals[k];
  return {
    schema: 'spikeloop.network/1',
    workload: 'two-layer-test-net',
    arch: inner.arch,
    energy_source: inner.energy_source,
    totals: {
      energy_pJ: sum('energy_pJ'),
      cycles: sum('cycles'),
      offchip_bytes: sum('offchip_bytes'),
      computes: sum('computes'),
      state_bytes: 2 * 50176,
      weight_bytes: 2 * 73728,
      offchip_bytes_by_kind: { weights: 184320, spikes: 280576, activations: 0, psums: 0, state: 602112 },
    },
    levels: inner.levels,
    compute: inner.compute,
    timing: inner.timing,
    layers: [
      { ...inner, name: 'conv3_1', block: 0, state_bytes: 50176, weight_bytes: 73728, peak_onchip_bytes: 120000 },
      { ...outer, name: 'conv3_2', block: 1, state_bytes: 50176, weight_bytes: 73728, peak_onchip_bytes: 98000 },
    ],
    schedule: [
      { block: 'b0', time_batch: 6, tile_rows: null },
      { block: 'b1', time_batch: 1, tile_rows: 4 },
    ],
    occupancy: Array.from({ length: 12 }, (_, i) => ({ step: i, by_kind: { weights: 73728, state: i < 6 ? 50176 : 100352, spikes: 2000 * (i % 4) } })),
    capacity_bytes: 108 * 1024 * 2,
  };
}

export function syntheticSearch(): Doc {
  const points: Doc[] = [];
  for (let i = 0; i < 14; i++) {
    const cycles = 1e6 + 1.5e5 * i;
    const energy = 9e8 / (1 + 0.25 * i) + (i % 3 === 1 ? 2e8 : 0); // every third point dominated
    points.push({ label: `m${i}`, energy_pJ: energy, cycles, offchip_bytes: 170000 + 60000 * (i % 5) });
  }
  return { schema: 'spikeloop.search/1', objective: 'edp', pareto: points, chosen_index: 6, stats: { space_size: 123456, evaluated: 5000, valid: 4100, time_s: 1.25, invalid: { capacity: 700, fanout: 200 } } };
}

export function syntheticTraining(): Doc {
  const lv = (d: number, g: number, r: number): Doc[] => [
    { name: 'DRAM', energy_pJ: d },
    { name: 'GlobalBuffer', energy_pJ: g },
    { name: 'RegisterFile', energy_pJ: r },
  ];
  return {
    schema: 'spikeloop.training/1',
    energy_source: 'synthetic test table',
    phases: [
      { name: 'forward', energy_pJ: 4.0e8, cycles: 1.0e6, offchip_bytes: 3e5, levels: lv(1e8, 0.5e8, 2e8) },
      { name: 'backward', energy_pJ: 6.5e8, cycles: 1.6e6, offchip_bytes: 5e5, levels: lv(2e8, 1e8, 3e8) },
      { name: 'weight_gradient', energy_pJ: 3.0e8, cycles: 0.8e6, offchip_bytes: 2e5, levels: lv(1e8, 0.4e8, 1.4e8) },
    ],
    schemes: {
      BPTT: { activation_bytes: 6.2e6, dram_bytes: 1.24e7 },
      OTTT: { activation_bytes: 1.1e6, dram_bytes: 2.2e6 },
      SAF: { activation_bytes: 1.1e6, dram_bytes: 2.2e6 },
      reversible: { activation_bytes: 0.3e6, dram_bytes: 0.6e6, recompute_ops: 1.7e7 },
    },
  };
}

/**
 * A network result as older producers wrote it: layers with their energy, cycles and footprints only (no `totals`,
 * `levels[]`, `compute`, `timing` per layer), network levels without tensors, no occupancy and no warnings.
 */
export function energyOnly(network: Doc): Doc {
  const { occupancy: _o, warnings: _w, capacity_bytes: _c, ...rest } = network;
  return {
    ...rest,
    levels: network.levels.map((l: Doc) => ({ name: l.name, energy_pJ: l.energy_pJ })),
    layers: network.layers.map(({ totals: _t, levels: _l, compute: _k, timing: _m, energy_by_tensor: _e, chunks: _n, chunk_mapping: _p, ...l }: Doc) => l),
  };
}

/** The simulator's result for the two-layer network in a 200-bit buffer, whole maps, time batch 2: ops stream. */
export function streamedNetwork(): Doc {
  const n = tinyNet(TWO_LAYER);
  const a = tinyArch(200);
  const r = evaluateSchedule(n, a, { blocks: [{ timeBatch: 2, tileRows: null }] }, tinySim(n, a));
  if (!r.ok) throw new Error(r.reason);
  return JSON.parse(JSON.stringify(r.result)) as Doc;
}
