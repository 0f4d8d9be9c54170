// Reports of real command output (evaluate, --timing pipeline, network evaluate, explore with and without a sweep,
// search --pareto and its pareto.json, a TT training step): every chart well formed and showing data, no empty
// table, no number the input does not have.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Chart } from '../../src/report/chart.ts';
import { buildCompare } from '../../src/report/compare.ts';
import { energy } from '../../src/report/format.ts';
import type { Provenance, ReportDoc } from '../../src/report/doc.ts';
import { readInput, type ReportInput } from '../../src/report/inputs.ts';
import { buildReport, chartsOf, docArtifacts } from '../../src/report/report.ts';
import { demoEvaluation, syntheticNetwork, syntheticSearch, syntheticTraining, withPipelineTiming } from './fixtures.ts';
import { REAL_FILES, realOutputs, type RealKind } from './real.ts';
import { expectFiniteCoordinates, legendLabels, svgDom } from './svg-dom.ts';

const PROV: Provenance = { version: 't', command: 'spikeloop report x', inputs: [], energyTables: [] };
const KINDS = Object.keys(REAL_FILES) as RealKind[];

function input(text: string, name: string): ReportInput {
  const r = readInput(text, `${name}.json`, name);
  if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('\n'));
  return r.value;
}

/** What every chart must be: titled, axes labelled with a unit, a legend when it has several series, finite, and showing data. */
function expectWellFormed(c: Chart): void {
  const root = svgDom(c.svg);
  expect(root.querySelector('title')?.textContent, c.id).toBe(c.title);
  expect(root.querySelector('text.chart-title')?.textContent, c.id).toBe(c.title);
  expect(c.title, c.id).not.toMatch(/undefined|NaN/);
  const axes = [...root.querySelectorAll('text.axis-label')].map((t) => t.textContent ?? '');
  expect(axes.length, `${c.id} axis labels`).toBeGreaterThan(0);
  for (const a of axes) {
    expect(a === 'schedule step' || /\(.+\)$/.test(a), `${c.id}: axis "${a}" names its unit`).toBe(true);
    expect(a, `${c.id}: no "cycles (cycles)"`).not.toMatch(/^(\w+) \(\1\)$/);
  }
  expectFiniteCoordinates(root);
  // at least one data mark that stands for a positive number
  const marks = [...root.querySelectorAll('[data-value]')].map((m) => Number(m.getAttribute('data-value')));
  expect(marks.length, `${c.id} data marks`).toBeGreaterThan(0);
  expect(marks.every(Number.isFinite), `${c.id} finite data values`).toBe(true);
  expect(marks.some((v) => v > 0), `${c.id} has a non-zero data mark`).toBe(true);
  // several series need a legend naming them
  const series = new Set([...root.querySelectorAll('.segment[data-series], .series[data-series]')].map((m) => m.getAttribute('data-series')));
  if (series.size > 1) for (const s of series) expect(legendLabels(root), `${c.id} legend`).toContain(s);
}

function expectNoEmptyTable(d: ReportDoc): void {
  for (const s of d.sections) for (const t of s.tables) expect(t.table.rows.filter((r) => r.kind !== 'total').length, `${s.heading}: ${t.caption}`).toBeGreaterThan(0);
}

let docs: Record<RealKind, ReportDoc>;
let text: Record<RealKind, string>;

beforeAll(async () => {
  ({ text } = await realOutputs());
  docs = Object.fromEntries(KINDS.map((k) => [k, buildReport([input(text[k], k)], PROV)])) as Record<RealKind, ReportDoc>;
});

describe('reports of real command output', () => {
  it('every kind reads and reports; HTML and Markdown have no NaN, undefined or Infinity', () => {
    for (const k of KINDS) {
      const arts = docArtifacts(docs[k]);
      for (const a of arts) expect([k, a.name, /NaN|undefined|Infinity/.test(a.content)]).toEqual([k, a.name, false]);
      expect(chartsOf(docs[k]).length, k).toBeGreaterThan(0);
    }
  });

  it('every chart of every report (real and synthetic inputs) is well formed and has a non-zero data mark', async () => {
    const synthetic = [
      input(JSON.stringify(withPipelineTiming(await demoEvaluation())), 'pipe'),
      input(JSON.stringify(syntheticNetwork(await demoEvaluation(), await demoEvaluation('outer'))), 'net'),
      input(JSON.stringify(syntheticSearch()), 'search'),
      input(JSON.stringify(syntheticTraining()), 'train'),
    ];
    const all = [...KINDS.flatMap((k) => chartsOf(docs[k])), ...chartsOf(buildReport(synthetic, PROV))];
    expect(all.length).toBeGreaterThan(30);
    for (const c of all) expectWellFormed(c);
  });

  it('no table is empty (a header without rows is left out)', () => {
    for (const k of KINDS) expectNoEmptyTable(docs[k]);
  });

  it('network (layers with energy only): no made-up zeros, no empty access or capacity tables, titles match the data', () => {
    const d = docs.network;
    const captions = d.sections.flatMap((s) => s.tables.map((t) => t.caption));
    expect(captions.some((c) => /by level and compute/.test(c))).toBe(false); // the old table printed compute pJ = 0 for every layer
    expect(captions.some((c) => /Accesses per level and tensor/.test(c))).toBe(false);
    expect(captions.some((c) => /Capacity used/.test(c))).toBe(false);
    const layers = d.sections.find((s) => s.heading === 'Energy per layer')!;
    expect(layers.note).toMatch(/total energy only/);
    expect(chartsOf(d).find((c) => c.id === 'r0-memory')!.title).not.toMatch(/peak/);
    const mem = d.sections.find((s) => s.heading.startsWith('Memory'))!;
    expect(mem.note).toMatch(/whole network only/);
    expect(mem.note).toMatch(/no on-chip occupancy series/);
    // the schedule it ran with, block by block
    const j = JSON.parse(text.network);
    const sched = d.sections.find((s) => s.heading === 'Schedule')!.tables[0].table;
    expect(sched.rows.map((r) => r.cells[0])).toEqual(j.schedule.map((b: { block: string }) => b.block));
    expect(sched.rows.map((r) => r.cells[1])).toEqual(j.schedule.map((b: { time_batch: number }) => String(b.time_batch)));
    // the energy table is named, or said to be missing
    expect(d.sections[0].facts).toContainEqual(['energy table', j.energy_source ?? 'not named in the input']);
  });

  it('explore: the Pareto chart with the chosen point and the labelled uniform schedules, the best schedule per block', () => {
    const j = JSON.parse(text.explore);
    const d = docs.explore;
    const pareto = chartsOf(d).find((c) => c.id === 'r0-p0-pareto')!;
    const root = svgDom(pareto.svg);
    expect([...root.querySelectorAll('text.reference-label')].map((t) => t.textContent)).toEqual(j.points[0].uniform.map((u: { name: string }) => u.name));
    expect(root.querySelector('g.chosen text')?.textContent).toMatch(new RegExp(`^chosen: best by ${j.objective}`));
    expect(root.querySelectorAll('circle.point').length).toBe(j.points[0].pareto.length);
    const best = d.sections.flatMap((s) => s.tables).find((t) => t.caption.startsWith('Best schedule.'))!;
    expect(best.table.rows.map((r) => r.cells.slice(0, 2))).toEqual(j.points[0].best.schedule.map((b: { block: string; time_batch: number }) => [b.block, String(b.time_batch)]));
    expect(d.sections.flatMap((s) => s.tables).some((t) => /differs from the best/.test(t.caption))).toBe(true);
  });

  it('explore --sweep: best and uniform energy and off-chip bytes against the buffer size, one section per point', () => {
    const j = JSON.parse(text.sweep);
    const d = docs.sweep;
    const ids = chartsOf(d).map((c) => c.id);
    expect(ids).toEqual(expect.arrayContaining(['r0-sweep-energy', 'r0-sweep-offchip', ...j.points.map((_: unknown, i: number) => `r0-p${i}-pareto`)]));
    const energy = svgDom(chartsOf(d).find((c) => c.id === 'r0-sweep-energy')!.svg);
    expect(legendLabels(energy)).toEqual([`best by ${j.objective}`, ...j.points[0].uniform.map((u: { name: string }) => u.name)]);
    const best = [...energy.querySelectorAll('g.series')][0];
    expect([...best.querySelectorAll('path.point')].map((p) => Number(p.getAttribute('data-value')))).toEqual(j.points.map((p: { best: { energy_pJ: number } }) => p.best.energy_pJ));
    expect(energy.querySelector('text.axis-label')?.textContent).toBe('GB size (log scale)');
  });

  it('search: statistics from the top-level fields, the chosen mapping as YAML', () => {
    const j = JSON.parse(text.search);
    const d = docs.search;
    const facts = Object.fromEntries(d.sections[0].facts!);
    expect(facts).toMatchObject({ strategy: j.strategy, seed: String(j.seed), stop: j.stop, objective: j.objective });
    expect(facts.chosen).toMatch(/^best by energy/);
    const code = d.sections.flatMap((s) => s.code ?? []);
    expect(code.map((c) => c.text)).toEqual([j.best.mapping_yaml]);
    const md = docArtifacts(d).find((a) => a.name === 'report.md')!.content;
    expect(md).toContain('```yaml\n' + j.best.mapping_yaml.replace(/\n+$/, '') + '\n```');
    const html = docArtifacts(d).find((a) => a.name === 'report.html')!.content;
    expect(html).toContain('<pre><code>');
  });

  it('training: step energy with static, tt_mode, batch and timesteps; energy per scheme; memory at every batch size', () => {
    const j = JSON.parse(text.training);
    const d = docs.training;
    const facts = Object.fromEntries(d.sections[0].facts!);
    expect(facts['training step energy']).toContain(energy(j.totals.energy_pJ));
    expect(facts['training step energy']).toContain(`static ${energy(j.totals.static_energy_pJ)}`);
    expect(facts.decomposition).toBe(`${j.decomposition} (${j.tt_mode})`);
    expect(facts.batch).toBe(String(j.batch));
    expect(facts.timesteps).toBe(String(j.timesteps));
    const ids = chartsOf(d).map((c) => c.id);
    const batches = [...new Set(j.schemes.flatMap((s: { memory: { batch: number }[] }) => s.memory.map((m) => m.batch)))];
    expect(ids).toEqual(['r0-phases', 'r0-scheme-energy', 'r0-schemes', ...batches.slice(1).map((b) => `r0-schemes-b${b}`), 'r0-layers']);
    const phaseTotal = d.sections.find((s) => s.heading === 'Energy by phase')!.tables[0].table.rows.at(-1)!.cells;
    expect(phaseTotal[2]).toBe((Math.round(j.totals.energy_pJ * 100) / 100).toLocaleString('en-US'));
  });

  it('pipeline: activity table busy + idle = the run, stall caused per level', () => {
    const j = JSON.parse(text.pipeline);
    const t = docs.pipeline.sections.find((s) => s.heading === 'Pipeline timeline')!.tables[0];
    expect(t.table.columns.map((c) => c.label)).toEqual(['level', 'busy', 'idle', 'busy + idle', 'compute stall caused']);
    expect(t.caption).not.toMatch(/except/);
    for (const r of t.table.rows) expect(Math.abs(Number(r.cells[3].replace(/,/g, '')) - j.timing.cycles)).toBeLessThanOrEqual(1);
  });
});

describe('compare on real command output', () => {
  it('T innermost vs T outermost: State off-chip is "new" (0 in the baseline), not "-"', () => {
    const d = buildCompare([input(text.inner, 'inner'), input(text.outer, 'outer')], PROV);
    const per = d.sections.find((s) => s.heading === 'Off-chip traffic per tensor')!.tables[0].table;
    const state = per.rows.find((r) => r.cells[0] === 'State')!.cells;
    const a = JSON.parse(text.inner).offchip_bytes_by_tensor.State;
    expect(state[3]).toBe(a === 0 ? 'new (baseline 0)' : `${(JSON.parse(text.outer).offchip_bytes_by_tensor.State / a).toFixed(3)}x`);
    for (const c of chartsOf(d)) expectWellFormed(c);
  });

  it('mixed kinds (evaluation, training, explore, search) compare the totals they share and say so', () => {
    const d = buildCompare([input(text.inner, 'inner'), input(text.training, 'tt'), input(text.explore, 'explore'), input(text.search, 'search')], PROV);
    expect(d.sections[0].note).toMatch(/different kinds/);
    const totals = d.sections[0].tables[0].table;
    const energy = totals.rows.find((r) => r.cells[0] === 'energy')!.cells;
    const ev = JSON.parse(text.inner).totals.energy_pJ;
    // training energy is the step total with static energy, like the evaluation's
    expect(energy[3]).toBe(`${(JSON.parse(text.training).totals.energy_pJ / ev).toFixed(3)}x`);
    expect(energy[5]).toBe(`${(JSON.parse(text.explore).points[0].best.energy_pJ / ev).toFixed(3)}x`);
    // the evaluation and the search's chosen evaluation share their breakdowns; the others are named as missing
    const byLevel = d.sections.find((s) => s.heading === 'Energy by level and compute action')!;
    expect(byLevel.note).toBe('Not in tt, explore.');
    for (const c of chartsOf(d)) expectWellFormed(c);
  });

  it('two networks compare per layer', async () => {
    const d = buildCompare([input(text.network, 'as-given'), input(text.network, 'again')], PROV);
    const perLayer = d.sections.find((s) => s.heading === 'Energy per layer')!;
    expect(perLayer.tables[0].table.rows).toHaveLength(JSON.parse(text.network).layers.length);
    expect(d.sections.find((s) => s.heading === 'Neuron state per layer')).toBeDefined();
    const totals = d.sections[0].tables[0].table.rows.map((r) => r.cells[0]);
    expect(totals).toEqual(expect.arrayContaining(['neuron state', 'weights', 'peak on-chip']));
  });
});
