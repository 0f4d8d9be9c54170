import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { modelEvaluatorFactory } from '../../../src/cli/search-evaluator.ts';
import { evaluate } from '../../../src/model/evaluate.ts';
import { defaultMapper } from '../../../src/schedule/training/default-mapping.ts';
import { holdsConstraints, searchMapper } from '../../../src/schedule/training/search-mapping.ts';
import { parseArch } from '../../../src/spec/arch.ts';
import { ttCoreWorkloads } from '../../../src/workload/tt/cores.ts';
import { ROOT } from '../../cli/harness.ts';

const parsed = parseArch(readFileSync(join(ROOT, 'arch-specs/ttsnn-accelerator.yaml'), 'utf8'), 'a.yaml');
if (!parsed.ok) throw new Error('arch');
const ARCH = parsed.value;
const w = ttCoreWorkloads({ name: 'l', cin: 32, cout: 32, hOut: 4, wOut: 4, kernel: 3, stride: 1, T: 2, N: 1, inputDensity: 0.1, spikingInput: true, realBits: 16, weightBits: 8 }, 8).G2;
const heuristic = defaultMapper((a, x, m) => {
  const o = evaluate(a, x, m);
  return o.status === 'ok' ? { ok: true, energy: o.evaluation.totals.energy_pJ, cycles: o.evaluation.totals.cycles } : { ok: false, reason: o.reason };
});
const edp = (m: ReturnType<typeof heuristic>): number => {
  if (!m.ok) return Infinity;
  const e = evaluate(ARCH, w, m.mapping);
  return e.status === 'ok' ? e.evaluation.totals.energy_pJ * e.evaluation.totals.cycles : Infinity;
};

describe('the mapper of src/search/ for training ops', () => {
  it('searches the space the arch\'s holds leave: each buffer keeps only its roles', () => {
    const c = holdsConstraints(ARCH, w);
    // Tensors: Weights, Inputs, Outputs. DRAM free; WeightBuffer weights; InputBuffer inputs; OutputBuffer outputs.
    expect(c.levels.map((l) => l.keep)).toEqual([
      [undefined, undefined, undefined], [true, false, false], [false, true, false], [false, false, true],
      [false, false, true], [true, false, false], [false, true, false],
    ]);
  });
  it('is never worse than the heuristic it starts beside (energy x cycles)', () => {
    const s = searchMapper(modelEvaluatorFactory, heuristic, { budget: 300, seed: 3 });
    expect(edp(s(ARCH, w))).toBeLessThanOrEqual(edp(heuristic(ARCH, w)));
  });
});
