// Tiny archs and layers for search tests (brute force over their whole mapspace is fast), the shipped pairs, and
// helpers to read them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { arch, conv, snnConv } from '../helpers/build.ts';
import { modelEvaluator } from '../../src/cli/search-evaluator.ts';
import { buildMapSpace, type MapSpace } from '../../src/search/mapspace/space.ts';
import { parseObjective, type Objective } from '../../src/search/objective.ts';
import { parseArch } from '../../src/spec/arch.ts';
import { parseWorkload } from '../../src/spec/workload.ts';
import type { Arch } from '../../src/arch/types.ts';
import type { Workload } from '../../src/workload/types.ts';
import type { SearchConstraints } from '../../src/search/types.ts';
import { ROOT } from '../golden/shipped.ts';

/** DRAM -> buffer -> 2x2 register files -> 2x2 PEs. */
export const tinyArch: Arch = arch(
  [
    { name: 'DRAM', read: 200, write: 200 },
    { name: 'Buf', capacity: 64, read: 6, write: 6, readBw: 8 },
    { name: 'RF', capacity: 8, instances: 4, meshX: 2, read: 1, write: 1 },
  ],
  { instances: 4, meshX: 2, energy: { mac: 1, ac: 0.5, neuron_update: 1 } },
  'tiny',
);

/** DRAM -> buffer -> PEs (1x2): the smallest arch with a fan-out. */
export const microArch: Arch = arch(
  [
    { name: 'DRAM', read: 200, write: 200 },
    { name: 'Buf', capacity: 24, read: 4, write: 4 },
  ],
  { instances: 2, meshX: 2, energy: { mac: 1, ac: 0.5, neuron_update: 1 } },
  'micro',
);

/** DRAM -> buffer -> 2x2 PEs with register files under a 2x2 fan-out (link transfers along the mesh). */
export const meshArch: Arch = arch(
  [
    { name: 'DRAM', read: 200, write: 200, readBw: 16 },
    { name: 'Buf', capacity: 128, read: 6, write: 6 },
  ],
  { instances: 4, meshX: 2, energy: { mac: 1, ac: 0.5, neuron_update: 1 } },
  'mesh',
);

export const tinySnn: Workload = snnConv({ T: 2, K: 2, C: 2, P: 2, R: 2 });
export const tinyConv: Workload = conv({ K: 2, C: 2, P: 4, R: 2 });
export const smallSnn: Workload = snnConv({ T: 2, K: 4, C: 2, P: 4, R: 3 });
export const membraneSnn: Workload = snnConv({ T: 2, K: 2, C: 2, P: 2, R: 2 }, { accumulation: 'membrane' });

export function objective(text = 'energy', tolerance = 0, exclude: number[] = []): Objective {
  const o = parseObjective(text, tolerance, exclude);
  if (typeof o === 'string') throw new Error(o);
  return o;
}

export function setup(a: Arch, w: Workload, c?: SearchConstraints): { space: MapSpace; evaluator: ReturnType<typeof modelEvaluator> } {
  return { space: buildMapSpace(a, w, c), evaluator: modelEvaluator(a, w) };
}

const read = (p: string): string => readFileSync(join(ROOT, p), 'utf8');

export function shippedArch(path: string): Arch {
  const r = parseArch(read(path), path);
  if (!r.ok) throw new Error(`${path} invalid`);
  return r.value;
}

export function shippedWorkload(path: string): Workload {
  const r = parseWorkload(read(path), path);
  if (!r.ok) throw new Error(`${path} invalid`);
  return r.value;
}

/** Shipped (arch, workload) pairs the search is tried on. */
export const SHIPPED = [
  ['arch-specs/eyeriss-like.yaml', 'workloads/vgg-conv3-snn.yaml'],
  ['arch-specs/two-level.yaml', 'workloads/small-conv-snn.yaml'],
  ['arch-specs/two-level.yaml', 'workloads/conv1d-generic.yaml'],
  ['arch-specs/two-level.yaml', 'workloads/fc-snn.yaml'],
  ['arch-specs/ttsnn-accelerator.yaml', 'workloads/fc-snn.yaml'],
] as const;
