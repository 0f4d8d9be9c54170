// The stream memo of the analysis kernel: one kernel reused over thousands of mappings (so most levels hit the
// memo) gives exactly the counts of a fresh kernel (no memo) on every mapping.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LayerKernel } from '../../src/analysis/counts.ts';
import { Rng } from '../../src/core/rng.ts';
import { clonePoint, toMapping } from '../../src/search/mapspace/point.ts';
import { randomPoint, Sampler } from '../../src/search/mapspace/sample.ts';
import { buildMapSpace } from '../../src/search/mapspace/space.ts';
import { parseArch } from '../../src/spec/arch.ts';
import { parseWorkload } from '../../src/spec/workload.ts';
import { ROOT } from '../golden/shipped.ts';

const read = (p: string): string => readFileSync(join(ROOT, p), 'utf8');
const FIELDS = ['kept', 'reads', 'fills', 'updates', 'size', 'partition', 'instances', 'temporalReductions', 'multicast', 'spatialReductions', 'linkTransfers'] as const;

describe('analysis kernel memo', () => {
  for (const [a, wf] of [['arch-specs/eyeriss-like.yaml', 'workloads/vgg-conv3-snn.yaml'], ['arch-specs/two-level.yaml', 'workloads/conv1d-generic.yaml']]) {
    it(`a reused kernel = a fresh kernel on a random walk of mappings (${wf})`, () => {
      const ar = parseArch(read(a), a);
      const wr = parseWorkload(read(wf), wf);
      if (!ar.ok || !wr.ok) throw new Error('shipped spec invalid');
      const space = buildMapSpace(ar.value, wr.value);
      const sampler = new Sampler(space);
      const rng = new Rng(11, 0);
      const reused = new LayerKernel(ar.value, wr.value);
      let p = randomPoint(space, rng)!;
      for (let i = 0; i < 1500; i++) {
        // Neighbour moves (as a search makes them) keep most levels' streams unchanged: the memo is hit often.
        if (i % 50 === 0) {
          const q = randomPoint(space, rng);
          if (!q) continue;
          p = q;
        } else {
          const q = clonePoint(p);
          if (!sampler.neighbour(rng, p, q)) continue;
          p = q;
        }
        const m = toMapping(space, p);
        const fresh = new LayerKernel(ar.value, wr.value);
        fresh.run(m);
        reused.run(m);
        for (const f of FIELDS) expect(Array.from(reused[f]), `${f} at step ${i}`).toEqual(Array.from(fresh[f]));
        expect(reused.computeCycles).toBe(fresh.computeCycles);
      }
    });
  }
});
