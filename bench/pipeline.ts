/**
 * Pipeline timing benchmark (issue 3): evaluation time of the cycle-approximate `pipeline` model for SNN conv layers
 * with 10^3 .. 10^6 outer tiles, with steady-state extrapolation (default) and with every tile simulated, beside
 * the roofline evaluation of the same mapping. Standalone script (run by `npm run bench`, or `npm run bench -- pipeline`). The MACs per tile are large and constant (C x R x S x 16 inside
 * the register file), so time follows the tile count, not the MACs. Writes reports/bench/pipeline.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Arch, StorageLevel } from '../src/arch/types.ts';
import type { Loop, Mapping } from '../src/mapping/types.ts';
import { evaluate } from '../src/model/evaluate.ts';
import type { Workload } from '../src/workload/types.ts';

function level(name: string, o: Partial<StorageLevel>): StorageLevel {
  return {
    name, instances: 1, meshX: 1, meshY: 1, capacityBits: null, widthBits: 64, wordBits: null,
    readBandwidth: null, writeBandwidth: null, sharedBandwidth: null, energy: { read: 1, fill: 1, update: 1 },
    doubleBuffered: false, leakageMw: 0, latencyCycles: 0, offChip: false, burstBits: 0, ...o,
  };
}

const ARCH: Arch = {
  name: 'bench-3-level',
  levels: [
    level('DRAM', { offChip: true, readBandwidth: 64, writeBandwidth: 64, latencyCycles: 100, burstBits: 512, energy: { read: 400, fill: 400, update: 400 } }),
    level('GlobalBuffer', { sharedBandwidth: 256, doubleBuffered: true, latencyCycles: 2, leakageMw: 5 }),
    level('RF', { instances: 16, meshX: 16, doubleBuffered: true }),
  ],
  compute: { name: 'PE', instances: 16, meshX: 16, meshY: 1, energy: { mac: 1, ac: 0.5, neuron_update: 2 }, idleMw: 10 },
  clockMhz: 500,
  energySource: 'bench',
};

const DIMS = ['N', 'T', 'K', 'C', 'P', 'Q', 'R', 'S'];
const d = (n: string): number => DIMS.indexOf(n);

function snnLayer(sizes: Record<string, number>): Workload {
  const t1 = (n: string) => [{ dim: d(n), coeff: 1 }];
  const mk = (name: string, role: Workload['tensors'][number]['role'], projection: { dim: number; coeff: number }[][], rw: boolean, bits: number) =>
    ({ name, role, projection, readWrite: rw, bits, density: 1 });
  return {
    name: 'bench-snn-conv', shape: 'snn-conv', dims: DIMS, sizes: DIMS.map((n) => sizes[n] ?? 1),
    tensors: [
      mk('Weights', 'weight', [t1('K'), t1('C'), t1('R'), t1('S')], false, 8),
      mk('Inputs', 'input', [t1('N'), t1('T'), t1('C'), [{ dim: d('P'), coeff: 1 }, { dim: d('R'), coeff: 1 }], [{ dim: d('Q'), coeff: 1 }, { dim: d('S'), coeff: 1 }]], false, 1),
      mk('Psum', 'psum', [t1('N'), t1('T'), t1('K'), t1('P'), t1('Q')], true, 16),
      mk('State', 'state', [t1('N'), t1('K'), t1('P'), t1('Q')], true, 16),
      mk('Outputs', 'spikes-out', [t1('N'), t1('T'), t1('K'), t1('P'), t1('Q')], true, 1),
    ],
    snn: { accumulation: 'psum', stateless: false, keepFinalState: false, reductionDims: [d('C'), d('R'), d('S')], timeDim: d('T'), spikingInput: true, zeroSkipping: true, inputTensor: 1 },
  };
}

const loops = (s: string): Loop[] => s.split(' ').filter(Boolean).map((tok) => ({ dim: d(tok[0]), factor: Number(tok.slice(1)) }));

/** 10^n outer tiles: DRAM loops x GlobalBuffer loops; RF does C16 R3 S3 (144 cycles) on 16 PEs (K16 spatial). */
function layerWithTiles(n: number): { w: Workload; m: Mapping } {
  const plans: Record<number, [string, string]> = {
    3: ['T10 K10', 'P10'],
    4: ['T10 K10', 'P10 Q10'],
    5: ['T10 K10 P10', 'P10 Q10'],
    6: ['T10 K10 P10', 'Q10 P10 Q10'],
  };
  const [outer, mid] = plans[n];
  const sizes: Record<string, number> = { N: 1, T: 1, K: 16, C: 16, P: 1, Q: 1, R: 3, S: 3 };
  for (const l of [...loops(outer), ...loops(mid)]) sizes[DIMS[l.dim]] *= l.factor;
  const keepAll = [true, true, true, true, true];
  return {
    w: snnLayer(sizes),
    m: {
      levels: [
        { temporal: loops(outer), spatial: [], keep: keepAll },
        { temporal: loops(mid), spatial: [{ dim: d('K'), factor: 16, axis: 'X' }], keep: keepAll },
        { temporal: loops('C16 R3 S3'), spatial: [], keep: keepAll },
      ],
    },
  };
}

function timeIt(f: () => void, budgetMs: number): { ms: number; runs: number } {
  f(); // warm-up
  const times: number[] = [];
  const t0 = performance.now();
  do {
    const t = performance.now();
    f();
    times.push(performance.now() - t);
  } while (performance.now() - t0 < budgetMs && times.length < 50);
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)], runs: times.length };
}

function runPipelineBench(root: string): string {
  const rows = [3, 4, 5, 6].map((n) => {
    const { w, m } = layerWithTiles(n);
    const once = evaluate(ARCH, w, m, { timing: 'pipeline' });
    if (once.status !== 'ok') throw new Error(`bench layer 10^${n}: ${once.reason}`);
    const full = evaluate(ARCH, w, m, { timing: 'pipeline', extrapolate: false });
    if (full.status !== 'ok') throw new Error('full');
    const t = once.evaluation.timing;
    const budget = n >= 6 ? 3000 : 1000;
    const roof = timeIt(() => evaluate(ARCH, w, m), 500);
    const pipe = timeIt(() => evaluate(ARCH, w, m, { timing: 'pipeline' }), budget);
    const pipeFull = timeIt(() => evaluate(ARCH, w, m, { timing: 'pipeline', extrapolate: false }), budget);
    return {
      outer_tiles: t.outer_tiles ?? 0,
      macs: w.sizes.reduce((a, b) => a * b, 1),
      simulated_tiles: t.simulated_tiles,
      pipeline_cycles: t.cycles,
      full_simulation_cycles: full.evaluation.totals.cycles,
      roofline_cycles: t.roofline_cycles,
      bottleneck: t.bottleneck,
      roofline_ms: roof.ms,
      pipeline_ms: pipe.ms,
      pipeline_full_simulation_ms: pipeFull.ms,
      ratio_pipeline_to_roofline: pipe.ms / roof.ms,
      ratio_full_simulation_to_roofline: pipeFull.ms / roof.ms,
      runs: { roofline: roof.runs, pipeline: pipe.runs, full: pipeFull.runs },
    };
  });
  const result = {
    schema: 'spikeloop.bench.pipeline/1',
    date: new Date().toISOString(),
    arch: ARCH.name,
    note: 'median wall time of evaluate() per call, one thread; pipeline = steady-state extrapolation (default), full = every outer tile simulated',
    target: '1e5 outer tiles in under 500 ms',
    layers: rows,
  };
  mkdirSync(join(root, 'reports/bench'), { recursive: true });
  const out = join(root, 'reports/bench/pipeline.json');
  writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
  for (const r of rows) {
    console.log(
      `pipeline ${r.outer_tiles.toExponential(0)} tiles: ${r.pipeline_ms.toFixed(2)} ms (full simulation ${r.pipeline_full_simulation_ms.toFixed(1)} ms, ` +
        `${r.simulated_tiles} simulated), roofline ${r.roofline_ms.toFixed(3)} ms, ratio ${r.ratio_pipeline_to_roofline.toFixed(1)} / ${r.ratio_full_simulation_to_roofline.toFixed(0)}`,
    );
  }
  return out;
}

console.log(`wrote ${runPipelineBench(resolve(dirname(fileURLToPath(import.meta.url)), '..'))}`);
