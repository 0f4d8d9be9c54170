// `compare`: side-by-side totals and breakdowns with ratios to the first result, computed from the inputs.
import { describe, expect, it } from 'vitest';
import { buildCompare, ratio } from '../../src/report/compare.ts';
import type { Provenance } from '../../src/report/doc.ts';
import { readInput, type ReportInput } from '../../src/report/inputs.ts';
import { demoEvaluation, syntheticSearch, syntheticTraining } from './fixtures.ts';

const PROV: Provenance = { version: 't', command: 'spikeloop compare a b', inputs: [], energyTables: [] };
const input = (doc: unknown, name: string): ReportInput => {
  const r = readInput(JSON.stringify(doc), `${name}.json`, name);
  if (!r.ok) throw new Error('bad input');
  return r.value;
};

describe('compare', () => {
  it('totals table: each metric beside the baseline with its ratio (T outer vs T inner)', async () => {
    const a = await demoEvaluation('inner');
    const b = await demoEvaluation('outer');
    const d = buildCompare([input(a, 't-inner'), input(b, 't-outer')], PROV);
    const totals = d.sections[0].tables[0].table;
    expect(totals.columns.map((c) => c.label)).toEqual(['', 't-inner', 't-outer', 't-outer / t-inner']);
    const row = (label: string): readonly string[] => totals.rows.find((r) => r.cells[0] === label)!.cells;
    expect(row('energy')[3]).toBe(`${(b.totals.energy_pJ / a.totals.energy_pJ).toFixed(3)}x`);
    expect(row('off-chip traffic')[3]).toBe(`${(b.totals.offchip_bytes / a.totals.offchip_bytes).toFixed(3)}x`);
    expect(row('cycles')[3]).toBe('1.000x');
    // State spills with T outermost: more off-chip traffic and more energy than T innermost
    expect(b.totals.offchip_bytes / a.totals.offchip_bytes).toBeGreaterThan(1);
    const perTensor = d.sections.find((s) => s.heading === 'Off-chip traffic per tensor')!.tables[0].table;
    const state = perTensor.rows.find((r) => r.cells[0] === 'State')!.cells;
    expect(state[3]).toBe(a.offchip_bytes_by_tensor.State > 0 ? `${(b.offchip_bytes_by_tensor.State / a.offchip_bytes_by_tensor.State).toFixed(3)}x` : 'new (baseline 0)');
    // totals, energy by level, energy by tensor, off-chip per tensor: each with a chart
    expect(d.sections.map((s) => s.heading)).toEqual(['Totals', 'Energy by level and compute action', 'Energy by tensor', 'Off-chip traffic per tensor']);
    expect(d.sections.map((s) => s.charts.length)).toEqual([1, 1, 1, 1]);
    expect(d.title).toBe('spikeloop compare: t-inner vs t-outer');
  });

  it('three results, a search result by its chosen point, ratios to the first', async () => {
    const a = await demoEvaluation('inner');
    const s = syntheticSearch();
    const d = buildCompare([input(a, 'a'), input(a, 'a2'), input(s, 's')], PROV);
    const t = d.sections[0].tables[0].table;
    expect(t.columns.map((c) => c.label)).toEqual(['', 'a', 'a2', 'a2 / a', 's', 's / a']);
    const energy = t.rows.find((r) => r.cells[0] === 'energy')!.cells;
    expect(energy[3]).toBe('1.000x');
    expect(energy[5]).toBe(`${(s.pareto[6].energy_pJ / a.totals.energy_pJ).toFixed(3)}x`);
    // the search result carries no breakdown: the evaluations' breakdowns are compared, and it is named as missing
    expect(d.sections[0].note).toMatch(/different kinds/);
    const byLevel = d.sections.find((x) => x.heading === 'Energy by level and compute action')!;
    expect(byLevel.note).toBe('Not in s.');
    expect(byLevel.tables[0].table.columns.map((c) => c.label)).toEqual(['', 'a', 'a2', 'a2 / a']);
  });

  it('training results compare by phase', () => {
    const t1 = syntheticTraining();
    const t2 = { ...t1, phases: t1.phases.map((p: { energy_pJ: number }) => ({ ...p, energy_pJ: p.energy_pJ / 2 })) };
    const d = buildCompare([input(t1, 'dense'), input(t2, 'tt')], PROV);
    const phases = d.sections.find((s) => s.heading === 'Energy by phase')!.tables[0].table;
    expect(phases.rows.map((r) => r.cells[3])).toEqual(['0.500x', '0.500x', '0.500x']);
  });

  it('ratio: a zero baseline is "new" (or "same (0)"), a missing value "-"', () => {
    expect(ratio(3, 2)).toBe('1.500x');
    expect(ratio(3, 0)).toBe('new (baseline 0)');
    expect(ratio(0, 0)).toBe('same (0)');
    expect(ratio(0, 2)).toBe('0.000x');
    expect(ratio(undefined, 2)).toBe('-');
  });

  it('training compares its step energy with static energy, and its dynamic energy separately', () => {
    const t = syntheticTraining();
    const withStatic = { ...t, totals: { energy_pJ: 1.5e9, dynamic_energy_pJ: 1.35e9, static_energy_pJ: 1.5e8 } };
    const d = buildCompare([input(withStatic, 'a'), input({ ...withStatic, totals: { ...withStatic.totals, energy_pJ: 3e9 } }, 'b')], PROV);
    const rows = Object.fromEntries(d.sections[0].tables[0].table.rows.map((r) => [r.cells[0], r.cells[3]]));
    expect(rows.energy).toBe('2.000x');
    expect(rows['dynamic energy']).toBe('1.000x');
  });
});
