// Reports of real command output (evaluate, --timing pipeline, network evaluate, explore with and without a sweep,
// search --pareto and its pareto.json, a TT training step): every chart well formed and showing data, no empty
// table, no number the input does not have.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Chart } from '../../src/report/chart.ts';
import { buildCompare } from '../../src/report/compare.ts';
import { energy } from '../../src/report/format.ts';
import type { DocTable, Provenance, ReportDoc } from '../../src/report/doc.ts';
import { readInput, type ReportInput } from '../../src/report/inputs.ts';
import { buildReport, chartsOf, docArtifacts } from '../../src/report/report.ts';
import { textWidth } from '../../src/report/svg/canvas.ts';
import { overlap } from '../../src/report/svg/labels.ts';
import { demoEvaluation, energyOnly, streamedNetwork, syntheticNetwork, syntheticSearch, syntheticTraining, withPipelineTiming } from './fixtures.ts';
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

/** The point labels of a Pareto chart (reference and chosen) do not print over each other (boxes from the text's size estimate). */
function expectLabelsApart(root: Element): void {
  const boxes = [...root.querySelectorAll('text.reference-label, text.chosen-label')].map((t) => {
    const w = textWidth(t.textContent ?? '') * (t.getAttribute('font-weight') === 'bold' ? 1.1 : 1);
    return { label: t.textContent, box: { x: Number(t.getAttribute('x')), y: Number(t.getAttribute('y')) - 10, w, h: 13 } };
  });
  expect(boxes.length).toBeGreaterThan(1);
  for (let i = 0; i < boxes.length; i++) for (let k = i + 1; k < boxes.length; k++) expect([boxes[i].label, boxes[k].label, overlap(boxes[i].box, boxes[k].box)]).toEqual([boxes[i].label, boxes[k].label, 0]);
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

  it('network: per-layer energy by level and action, traffic by kind, chunks, occupancy; counts named as summed; no empty hints', () => {
    const d = docs.network;
    const j = JSON.parse(text.network);
    const tables = d.sections.flatMap((s) => s.tables);
    const byCaption = (re: RegExp): DocTable => tables.find((t) => re.test(t.caption))!;
    // per-layer levels and compute actions: the chart's segments as a table, levels and actions that cost nothing left out
    const split = byCaption(/^Energy per layer by level and compute action/);
    type Layer = { levels: { name: string; energy_pJ: number }[]; compute: Record<string, { energy_pJ: number }> };
    const pJof = (l: Layer, s: string): number => (s.startsWith('compute: ') ? l.compute[s.slice('compute: '.length)]?.energy_pJ : l.levels.find((x) => x.name === s)?.energy_pJ) ?? 0;
    const series: string[] = [...j.levels.map((l: { name: string }) => l.name), ...Object.keys(j.compute).map((a) => `compute: ${a}`)];
    const zero = series.filter((s) => !j.layers.some((l: Layer) => pJof(l, s) > 0));
    expect(zero.length).toBeGreaterThan(0); // this energy table makes the PE registers and the neuron update free
    expect(split.caption).toContain(`Left out, 0 in every layer: ${zero.join(', ')}.`);
    expect(split.table.columns.map((c) => c.label)).not.toEqual(expect.arrayContaining(zero.map((z: string) => `${z} pJ`)));
    expect(split.table.rows).toHaveLength(j.layers.length);
    const dram = split.table.columns.findIndex((c) => c.label === 'DRAM pJ');
    expect(split.table.rows.map((r) => r.cells[dram])).toEqual(j.layers.map((l: { levels: { name: string; energy_pJ: number }[] }) => (Math.round(l.levels.find((x) => x.name === 'DRAM')!.energy_pJ * 100) / 100).toLocaleString('en-US')));
    const layers = d.sections.find((s) => s.heading === 'Energy per layer')!;
    expect(layers.note).toBeUndefined();
    expect(layers.charts.map((c) => c.id)).toEqual(['r0-layers', 'r0-layer-offchip']);
    expect(byCaption(/^Off-chip bytes per layer by tensor kind/).table.rows.map((r) => r.cells.at(-1))).toEqual(j.layers.map((l: { offchip_bytes: number }) => l.offchip_bytes.toLocaleString('en-US')));
    // the schedule it ran with, block by block, with the tile axis, and each layer's chunk ops and chunk mapping
    const sched = d.sections.find((s) => s.heading === 'Schedule')!.tables[0].table;
    expect(sched.rows.map((r) => r.cells.slice(0, 4))).toEqual(j.schedule.map((b: { block: string; time_batch: number; tile_rows: number | null; tile_axis: string }) => [b.block, String(b.time_batch), b.tile_rows === null ? 'whole' : String(b.tile_rows), b.tile_rows === null ? '-' : b.tile_axis]));
    expect(sched.columns.map((c) => [c.label, c.align])).toContainEqual(['layers', 'left']);
    const chunks = byCaption(/^Chunk ops per layer/).table;
    expect(chunks.rows.map((r) => r.cells)).toEqual(j.layers.map((l: { name: string; chunks: number; chunk_mapping: string }) => [l.name, l.chunks.toLocaleString('en-US'), l.chunk_mapping]));
    // the network's access counts are words summed over instances (not the single-layer per-instance convention)
    const access = d.sections.find((s) => s.heading === 'Accesses and capacity')!;
    expect(access.note).toMatch(/^Counts are words summed over all instances and all layers/);
    expect(access.tables[0].table.columns.map((c) => c.label)).toEqual(['level / tensor', 'reads', 'fills', 'updates']); // no column of "-"
    // no section that would only say the network total has no timeline or port traffic
    expect(d.sections.map((s) => s.heading)).not.toEqual(expect.arrayContaining(['Bandwidth and roofline', 'Pipeline timeline']));
    // memory: the occupancy series, its table per step with the block, no "no occupancy" note
    const mem = d.sections.find((s) => s.heading.startsWith('Memory'))!;
    expect(mem.charts.map((c) => c.id)).toEqual(['r0-memory', 'r0-occupancy']);
    expect(mem.note).not.toMatch(/no on-chip occupancy series/);
    expect(mem.facts).toContainEqual(['streamed chunk ops (did not fit on chip)', String(j.totals.streamed_ops)]);
    const occ = byCaption(/^On-chip bytes held at each schedule step/).table;
    expect(occ.rows).toHaveLength(j.occupancy.length);
    expect(occ.columns.map((c) => c.label).slice(0, 2)).toEqual(['step', 'block']);
    // the facts: energy table, how it ran, and that the producer flagged nothing
    const facts = d.sections[0].facts!;
    expect(facts).toContainEqual(['energy table', j.energy_source]);
    expect(facts).toContainEqual(['chunk mapper', j.chunk_mapper]);
    expect(facts).toContainEqual(['warnings', j.warnings.length === 0 ? 'none' : `${j.warnings.length} (see Warnings)`]);
    expect(d.sections.some((s) => s.heading === 'Warnings')).toBe(j.warnings.length > 0);
  });

  it('network with streamed ops (the simulator\'s result): its warning is the first thing after the overview, in HTML and Markdown', () => {
    const s = streamedNetwork();
    const d = buildReport([input(JSON.stringify(s), 'streamed')], PROV);
    expect(d.sections[1].heading).toBe('Warnings');
    expect(d.sections[1].warnings).toEqual(s.warnings);
    expect(d.sections[0].facts).toContainEqual(['warnings', `${s.warnings.length} (see Warnings)`]);
    expect(d.sections.find((x) => x.heading.startsWith('Memory'))!.facts).toContainEqual(['streamed chunk ops (did not fit on chip)', String(s.totals.streamed_ops)]);
    const arts = docArtifacts(d);
    const html = arts.find((a) => a.name === 'report.html')!.content;
    expect(html).toContain(`<ul class="warnings"><li>${s.warnings[0]}</li></ul>`);
    expect(html).toMatch(/<li><a href="#r0-warnings-s">Warnings<\/a><\/li>/);
    expect(arts.find((a) => a.name === 'report.md')!.content).toContain(`> **warning:** ${s.warnings[0].replace(/_/g, '\\_')}`);
  });

  it('network with layers carrying their energy only (older producers): no made-up zeros, no empty tables, notes say what is missing', () => {
    const j = energyOnly(JSON.parse(text.network));
    const d = buildReport([input(JSON.stringify(j), 'old')], PROV);
    const captions = d.sections.flatMap((s) => s.tables.map((t) => t.caption));
    expect(captions.some((c) => /by level and compute/.test(c))).toBe(false); // no table of compute pJ = 0 for every layer
    expect(captions.some((c) => /Accesses per level and tensor/.test(c))).toBe(false);
    expect(captions.some((c) => /Chunk ops/.test(c))).toBe(false);
    expect(d.sections.find((s) => s.heading === 'Energy per layer')!.note).toMatch(/total energy only/);
    const mem = d.sections.find((s) => s.heading.startsWith('Memory'))!;
    expect(mem.note).toMatch(/whole network only/);
    expect(mem.note).toMatch(/no on-chip occupancy series/);
    expect(d.sections[0].facts!.map(([k]) => k)).not.toContain('warnings'); // the result does not say
    expectNoEmptyTable(d);
  });

  it('explore: the Pareto chart with the chosen point and the labelled uniform schedules clear of each other, the search statistics, the best schedule per block', () => {
    const j = JSON.parse(text.explore);
    const src = j.points[0];
    const d = docs.explore;
    const pareto = chartsOf(d).find((c) => c.id === 'r0-p0-pareto')!;
    const root = svgDom(pareto.svg);
    expect([...root.querySelectorAll('text.reference-label')].map((t) => t.textContent)).toEqual(src.uniform.map((u: { name: string }) => u.name));
    expect(root.querySelector('g.chosen text')?.textContent).toMatch(new RegExp(`^chosen: best by ${j.objective}`));
    // the best is the front point with its numbers: drawn once
    expect(root.querySelectorAll('circle.point').length).toBe(src.pareto.length);
    expectLabelsApart(root);
    // the references that the far ones squeeze against the best get a chart of their own
    const near = chartsOf(d).find((c) => c.id === 'r0-p0-near');
    if (near) {
      expectLabelsApart(svgDom(near.svg));
      expect(svgDom(near.svg).querySelectorAll('rect.reference-point').length).toBeLessThan(src.uniform.length);
    }
    const sec = d.sections.find((s) => s.heading === 'Schedule search')!;
    expect(Object.fromEntries(sec.facts!)).toMatchObject({ 'search method': src.method, 'optimal under the model': src.optimal ? 'yes (exact search)' : 'not claimed', 'stopped early': src.stopped ? expect.stringMatching(/^yes/) : 'no' });
    const placements = Object.entries(src.best.state_placement as Record<string, string>);
    if (new Set(placements.map(([, p]) => p)).size === 1) expect(Object.fromEntries(sec.facts!)['state placement (best)']).toBe(`${placements[0][1]} for all ${placements.length} stateful layers`);
    const best = sec.tables.find((t) => t.caption.startsWith('Best schedule.'))!;
    expect(best.table.rows.map((r) => r.cells.slice(0, 2))).toEqual(src.best.schedule.map((b: { block: string; time_batch: number }) => [b.block, String(b.time_batch)]));
    // what the front trades, when it has more than one schedule
    expect(sec.tables.some((t) => /differs from the best/.test(t.caption))).toBe(src.pareto.length > 1);
    const totals = sec.tables.find((t) => t.caption.startsWith('Totals of the best schedule'))!.table;
    expect(totals.rows.find((r) => r.cells[0] === 'peak on-chip')?.cells[1]).toMatch(/of capacity\)$/);
  });

  it('explore --sweep: best and uniform energy and off-chip bytes against the swept capacity, how each search ended, one section per point', () => {
    const j = JSON.parse(text.sweep);
    const d = docs.sweep;
    const ids = chartsOf(d).map((c) => c.id);
    expect(ids).toEqual(expect.arrayContaining(['r0-sweep-energy', 'r0-sweep-offchip', ...j.points.map((_: unknown, i: number) => `r0-p${i}-pareto`)]));
    const energy = svgDom(chartsOf(d).find((c) => c.id === 'r0-sweep-energy')!.svg);
    expect(legendLabels(energy)).toEqual([`best by ${j.objective}`, ...j.points[0].uniform.map((u: { name: string }) => u.name)]);
    const best = [...energy.querySelectorAll('g.series')][0];
    expect([...best.querySelectorAll('path.point')].map((p) => Number(p.getAttribute('data-value')))).toEqual(j.points.map((p: { best: { energy_pJ: number } }) => p.best.energy_pJ));
    expect(energy.querySelector('text.axis-label')?.textContent).toBe('GB capacity (log scale)');
    expect([...energy.querySelectorAll('g.x-axis text')].map((t) => t.textContent)).toEqual(j.points.map((p: { value: number }) => `${p.value} B`));
    const table = d.sections.find((s) => s.heading === 'Sweep')!.tables[0].table;
    expect(table.rows.map((r) => r.cells[0])).toEqual(j.points.map((p: { value: number }) => `GB capacity ${p.value} B`));
    const search = table.columns.findIndex((c) => c.label === 'search');
    expect(table.rows.map((r) => r.cells[search])).toEqual(j.points.map((p: { optimal: boolean; stopped: boolean; seconds: number; method: string }) => `${p.stopped ? 'stopped early' : p.optimal ? 'optimal' : p.method}, ${p.seconds.toLocaleString('en-US', { maximumFractionDigits: 3 })} s`));
    expect(d.sections.filter((s) => s.heading.startsWith('Sweep point ')).map((s) => s.heading)).toEqual(j.points.map((p: { value: number }) => `Sweep point GB capacity ${p.value} B`));
  });

  it('explore --sweep with a point that could not be scheduled: a gap in the sweep charts, its reason in its section', () => {
    const j = JSON.parse(text.sweep);
    const doc = { ...j, points: [{ label: j.points[0].label, value: j.points[0].value, error: 'no valid schedule: too small' }, ...j.points.slice(1)] };
    const d = buildReport([input(JSON.stringify(doc), 'gap')], PROV);
    const energy = svgDom(chartsOf(d).find((c) => c.id === 'r0-sweep-energy')!.svg);
    expect([...energy.querySelectorAll('g.series')][0].querySelectorAll('path.point').length).toBe(j.points.length - 1);
    const sec = d.sections.find((s) => s.heading === `Sweep point GB capacity ${j.points[0].value} B`)!;
    expect(sec.note).toBe('No schedule at this point: no valid schedule: too small');
    expect(sec.charts).toEqual([]);
    expect(d.sections.find((s) => s.heading === 'Sweep')!.tables[0].table.rows[0].cells.slice(1, 5)).toEqual(['-', '-', '-', 'no schedule']);
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
