// End-to-end parity with Timeloop v3.0.3: each reference case is imported from its own Timeloop files, evaluated,
// and compared with the numbers Timeloop printed (expected.json): every access count, tile size, partition size,
// utilized instances and cycle count exactly; total and per-level energy within 0.01 %. A data-space Timeloop
// bypasses at a level (absent from expected.json) must move nothing there.
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/model/evaluate.ts';
import { compareWithExpected, expectedFromTimeloop } from '../../../src/spec/timeloop/expected.ts';
import { importTimeloop } from '../../../src/spec/timeloop/index.ts';
import { allCases, caseFiles, expectedJson } from './reference.ts';

const cases = allCases();

describe('Timeloop v3.0.3 parity through the importer', () => {
  it('finds the reference cases', () => {
    expect(cases).toEqual(expect.arrayContaining(['case02', 'case04', 'case08', 'case13']));
  });

  for (const c of cases) {
    it(`${c}: counts, cycles and energy match Timeloop`, () => {
      const imported = importTimeloop(caseFiles(c));
      if (!imported.ok) throw new Error(imported.diagnostics.map((d) => `${d.code}: ${d.message}`).join('\n'));
      const expected = expectedFromTimeloop(expectedJson(c));
      if (!expected.ok) throw new Error(expected.diagnostics.map((d) => d.message).join('\n'));
      const { arch, workload, mapping } = imported.value;
      const outcome = evaluate(arch, workload, mapping);
      if (outcome.status !== 'ok') throw new Error(`${c}: evaluate() says invalid (${outcome.stage}): ${outcome.reason}`);
      expect(compareWithExpected(expected.value, outcome.evaluation)).toEqual([]);
      expect(outcome.evaluation.compute.mac?.energy_pJ ?? 0).toBeCloseTo(expected.value.compute.energy_pJ, 6);
    });
  }
});

describe('compareWithExpected', () => {
  const exp = expectedFromTimeloop(expectedJson('case02'));
  it('reports a changed count, energy outside the tolerance and bypassed traffic', () => {
    expect(exp.ok).toBe(true);
    if (!exp.ok) return;
    const levels = exp.value.levels.map((l) => ({ name: l.name, cycles: l.cycles, energy_pJ: l.energy_pJ, tensors: { ...l.tensors } }));
    const got = { totals: { energy_pJ: exp.value.energy_pJ, cycles: exp.value.cycles, computes: exp.value.computes }, levels };
    expect(compareWithExpected(exp.value, got)).toEqual([]);
    levels[1].tensors.Weights = { ...levels[1].tensors.Weights, fills: 1 };
    levels[0].energy_pJ *= 1.001;
    levels[0].tensors.Extra = { ...levels[0].tensors.Weights, reads: 5, fills: 0, updates: 0 };
    got.totals.energy_pJ *= 1.00005; // within 0.01 %
    expect(compareWithExpected(exp.value, got)).toEqual([
      `DRAM.energy_pJ: got ${levels[0].energy_pJ}, want ${exp.value.levels[0].energy_pJ}`,
      'DRAM.Extra: bypassed in the reference, but got 5 reads + fills + updates',
      `Buffer.Weights.fills: got 1, want ${exp.value.levels[1].tensors.Weights.fills}`,
    ]);
  });

  it('orders the reference levels outermost first', () => {
    if (!exp.ok) return;
    expect(exp.value.levels.map((l) => l.name)).toEqual(['DRAM', 'Buffer']);
    expect(exp.value.levels[1].tensors.Outputs).toMatchObject({ reads: 480, fills: 0, updates: 512, partition_size: 32 });
  });
});
