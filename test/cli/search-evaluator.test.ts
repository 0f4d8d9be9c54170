// The search's lean evaluator gives exactly evaluate()'s totals (or the same invalid stage) on random points of the
// mapspace of every shipped single-layer pair it is tried on.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { modelEvaluator } from '../../src/cli/search-evaluator.ts';
import { Rng } from '../../src/core/rng.ts';
import { evaluate } from '../../src/model/evaluate.ts';
import { toMapping } from '../../src/search/mapspace/point.ts';
import { randomPoint } from '../../src/search/mapspace/sample.ts';
import { buildMapSpace } from '../../src/search/mapspace/space.ts';
import { parseArch } from '../../src/spec/arch.ts';
import { parseWorkload } from '../../src/spec/workload.ts';
import { ROOT } from '../golden/shipped.ts';

const read = (p: string): string => readFileSync(join(ROOT, p), 'utf8');
const PAIRS = [
  ['arch-specs/eyeriss-like.yaml', 'workloads/vgg-conv3-snn.yaml'],
  ['arch-specs/two-level.yaml', 'workloads/small-conv-snn.yaml'],
  ['arch-specs/two-level.yaml', 'workloads/conv1d-generic.yaml'],
  ['arch-specs/ttsnn-accelerator.yaml', 'workloads/fc-snn.yaml'],
];

describe('lean search evaluator = evaluate()', () => {
  for (const [a, wf] of PAIRS) {
    it(`${wf} on ${a}`, () => {
      const ar = parseArch(read(a), a);
      const wr = parseWorkload(read(wf), wf);
      if (!ar.ok || !wr.ok) throw new Error('shipped spec invalid');
      const space = buildMapSpace(ar.value, wr.value);
      const ev = modelEvaluator(ar.value, wr.value);
      const rng = new Rng(3, 0);
      let valid = 0;
      for (let i = 0; i < 300; i++) {
        const p = randomPoint(space, rng);
        if (!p) continue;
        const m = toMapping(space, p);
        const fast = ev(m);
        const full = evaluate(ar.value, wr.value, m);
        expect(fast.status).toBe(full.status);
        if (fast.status === 'ok' && full.status === 'ok') {
          valid++;
          expect(fast.totals.energy_pJ).toBe(full.evaluation.totals.energy_pJ);
          expect(fast.totals.cycles).toBe(full.evaluation.totals.cycles);
          expect(fast.totals.offchip_bytes).toBe(full.evaluation.totals.offchip_bytes);
          expect(Array.from(fast.totals.offchip_bytes_by_tensor!)).toEqual(wr.value.tensors.map((t) => full.evaluation.offchip_bytes_by_tensor[t.name]));
        } else if (fast.status === 'invalid' && full.status === 'invalid') {
          expect([fast.stage, fast.level]).toEqual([full.stage, full.level]);
        }
      }
      expect(valid).toBeGreaterThan(10);
    });
  }
});
