// Tiny archs and layers for search tests: small enough that brute force over the whole mapspace is fast.
import { arch, conv, snnConv } from '../helpers/build.ts';
import { modelEvaluator } from '../../src/cli/search-evaluator.ts';
import { buildMapSpace, type MapSpace } from '../../src/search/mapspace/space.ts';
import { parseObjective, type Objective } from '../../src/search/objective.ts';
import type { Arch } from '../../src/arch/types.ts';
import type { Workload } from '../../src/workload/types.ts';
import type { SearchConstraints } from '../../src/search/types.ts';

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

export const tinySnn: Workload = snnConv({ T: 2, K: 2, C: 2, P: 2, R: 2 });
export const tinyConv: Workload = conv({ K: 2, C: 2, P: 4, R: 2 });
export const smallSnn: Workload = snnConv({ T: 2, K: 4, C: 2, P: 4, R: 3 });

export function objective(text = 'energy'): Objective {
  const o = parseObjective(text);
  if (typeof o === 'string') throw new Error(o);
  return o;
}

export function setup(a: Arch, w: Workload, c?: SearchConstraints): { space: MapSpace; evaluator: ReturnType<typeof modelEvaluator> } {
  return { space: buildMapSpace(a, w, c), evaluator: modelEvaluator(a, w) };
}
