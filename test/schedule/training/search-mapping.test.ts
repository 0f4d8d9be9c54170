import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { modelEvaluatorFactory } from '../../../src/cli/search-evaluator.ts';
import { evaluate } from '../../../src/model/evaluate.ts';
import { defaultMapper } from '../../../src/schedule/training/default-mapping.ts';
import { holdsConstraints, refinedMapper, searchMapper } from '../../../src/schedule/training/search-mapping.ts';
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

  it('refines only ops the heuristic leaves under the busy threshold, and never makes them worse', () => {
    const h = heuristic(ARCH, w);
    if (!h.ok) throw new Error(h.reason);
    const e = evaluate(ARCH, w, h.mapping);
    if (e.status !== 'ok') throw new Error('heuristic mapping invalid');
    const util = e.evaluation.utilization;
    let calls = 0;
    const counting = (a: typeof ARCH, x: typeof w) => {
      calls++;
      return modelEvaluatorFactory(a, x);
    };
    // Threshold at or below the heuristic's utilization: the heuristic's mapping comes back unchanged (one
    // evaluation to measure it, no search).
    const keep = refinedMapper(counting, heuristic, { budget: 300, seed: 3, belowUtilization: util });
    const kept = keep(ARCH, w);
    expect(kept).toEqual(h);
    expect(calls).toBe(1);
    // Threshold above it: the search runs, and the answer is no worse by energy x cycles.
    const refine = refinedMapper(modelEvaluatorFactory, heuristic, { budget: 300, seed: 3, belowUtilization: Math.min(1.01, util + 0.01) });
    expect(edp(refine(ARCH, w))).toBeLessThanOrEqual(edp(h));
  });
});
