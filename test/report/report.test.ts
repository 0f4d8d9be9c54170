// Report documents: HTML and Markdown from the same data, charts present only when their data is, provenance.
import { describe, expect, it } from 'vitest';
import type { Provenance } from '../../src/report/doc.ts';
import { readInput, type ReportInput } from '../../src/report/inputs.ts';
import { buildReport, chartsOf, reportArtifacts } from '../../src/report/report.ts';
import { demoEvaluation, demoEvaluationText, syntheticNetwork, syntheticSearch, syntheticTraining, withPipelineTiming } from './fixtures.ts';

const PROV: Provenance = { version: '9.9.9-test', command: 'spikeloop report a.json', inputs: [{ file: 'a.json', name: 'a', kind: 'evaluation', sha256: 'ab'.repeat(32) }], energyTables: [{ table: 'table X (source Y)', results: ['a'] }] };

function input(doc: unknown, name: string): ReportInput {
  const r = readInput(JSON.stringify(doc), `${name}.json`, name);
  if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('\n'));
  return r.value;
}

describe('report of the demo evaluation', () => {
  it('draws energy, off-chip and roofline charts and no timeline (the roofline result has none)', async () => {
    const d = buildReport([input(await demoEvaluation(), 't-inner')], PROV);
    expect(chartsOf(d).map((c) => c.id)).toEqual(['r0-energy', 'r0-offchip', 'r0-roofline']);
    const timing = d.sections.find((s) => s.heading === 'Pipeline timeline');
    expect(timing?.charts).toEqual([]);
    expect(timing?.note).toBe('No per-level timeline in this result (timing model: roofline); evaluate with `--timing pipeline` to see what each level does over the run and which one stalls the compute array.');
  });

  it('HTML: self-contained page with inline SVG per chart, tables, provenance; no script, no network', async () => {
    const arts = reportArtifacts([input(await demoEvaluation(), 't-inner')], PROV);
    const html = arts.find((a) => a.name === 'report.html')!.content;
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain("default-src 'none'");
    expect(html).not.toMatch(/<script|<link|<img|src=|url\((?!#)|@import/i);
    expect(html.match(/https?:\/\/[^"\s<]+/g)?.filter((u) => u !== 'http://www.w3.org/2000/svg') ?? []).toEqual([]);
    expect((html.match(/<figure class="chart"/g) ?? []).length).toBe(3);
    expect((html.match(/<svg /g) ?? []).length).toBe(3);
    for (const s of ['9.9.9-test', 'spikeloop report a.json', 'ab'.repeat(32), 'table X (source Y)', 'vgg-conv3-snn', 'eyeriss-like', '<table>', 'Reproducibility']) expect(html).toContain(s);
    expect(html).not.toMatch(/NaN|undefined/);
  });

  it('Markdown: same numbers, charts linked as SVG files that are artifacts', async () => {
    const e = await demoEvaluation();
    const arts = reportArtifacts([input(e, 't-inner')], PROV);
    const md = arts.find((a) => a.name === 'report.md')!.content;
    const links = [...md.matchAll(/!\[[^\]]*\]\((charts\/[^)]+\.svg)\)/g)].map((m) => m[1]);
    expect(links).toEqual(arts.filter((a) => a.mediaType === 'image/svg+xml').map((a) => a.name));
    for (const a of arts.filter((x) => x.name.endsWith('.svg'))) expect(a.content.startsWith('<?xml')).toBe(true);
    const total = Math.round(e.totals.energy_pJ * 100) / 100;
    const html = arts.find((a) => a.name === 'report.html')!.content;
    for (const s of [total.toLocaleString('en-US'), e.totals.offchip_bytes.toLocaleString('en-US'), e.totals.cycles.toLocaleString('en-US')]) {
      expect(md).toContain(s);
      expect(html).toContain(s);
    }
    expect(md).toContain(`\`${'ab'.repeat(32)}\``);
    expect(md).toMatch(/\| :--- \|/);
    // inline code in notes is code, not escaped backticks; the HTML shows it as <code>
    expect(md).toContain('evaluate with `--timing pipeline` to see');
    expect(md).not.toContain('\\`');
    expect(html).toContain('evaluate with <code>--timing pipeline</code> to see');
  });

  it('pipeline timing detail adds the timeline and busy/idle/stall charts', async () => {
    const d = buildReport([input(withPipelineTiming(await demoEvaluation()), 'p')], PROV);
    expect(chartsOf(d).map((c) => c.id)).toEqual(['r0-energy', 'r0-offchip', 'r0-roofline', 'r0-timeline', 'r0-activity']);
  });
});

describe('report of other kinds and of several inputs', () => {
  it('network, search and training inputs in one report: their charts, with unique ids', async () => {
    const net = syntheticNetwork(await demoEvaluation(), await demoEvaluation('outer'));
    const d = buildReport([input(net, 'net'), input(syntheticSearch(), 'search'), input(syntheticTraining(), 'train')], PROV);
    const ids = chartsOf(d).map((c) => c.id);
    // the network document has off-chip bytes by kind but not by tensor: no per-tensor chart
    expect(ids).toEqual(['r0-layers', 'r0-kinds', 'r0-memory', 'r0-occupancy', 'r0-energy', 'r0-roofline', 'r1-pareto', 'r2-phases', 'r2-schemes']);
    expect(d.sections.find((s) => s.heading === 'Schedule')?.tables[0].table.rows.map((r) => r.cells)).toEqual([
      ['b0', '6', 'whole', 'conv3_1'],
      ['b1', '1', '4', 'conv3_2'],
    ]);
    expect(new Set(d.sections.map((s) => s.id)).size).toBe(d.sections.length);
    const facts = d.sections.find((s) => s.id === 'r1')!.facts!;
    expect(facts).toContainEqual(['objective', 'edp']);
    expect(facts.find(([k]) => k === 'chosen')?.[1]).toMatch(/^m6: /);
  });

  it('a search result that carries the chosen evaluation also reports it', async () => {
    // An evaluation without its provenance (the CLI now records command and inputs in every result it writes).
    const { command: _c, inputs: _i, ...evaluation } = (await demoEvaluation()) as unknown as Record<string, unknown>;
    const s = { ...syntheticSearch(), chosen: { label: 'best', evaluation } };
    delete (s as { chosen_index?: number }).chosen_index;
    const d = buildReport([input(s, 'search')], PROV);
    expect(chartsOf(d).map((c) => c.id)).toEqual(['r0-pareto', 'r0-best-energy', 'r0-best-offchip', 'r0-best-roofline']);
    // the producers of each result: none recorded here, and the report says so
    expect(d.provenance.producers).toEqual([{ result: 'search', command: undefined, inputs: [] }]);
    const html = reportArtifacts([input(s, 'search')], PROV).find((a) => a.name === 'report.html')!.content;
    expect(html).toContain('The result does not record its spec files');
  });

  it('the text of a real evaluation round-trips: the report of the JSON file names its totals', async () => {
    const r = readInput(await demoEvaluationText('outer'), 'outer.json', 'outer');
    expect(r.ok).toBe(true);
  });
});
