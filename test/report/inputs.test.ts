// The tolerant reader: kind detection, what each kind needs, and diagnostics with file, line and a fix.
import { describe, expect, it } from 'vitest';
import { detectKind, readInput } from '../../src/report/inputs.ts';
import { locatePath } from '../../src/report/read/locate.ts';
import { demoEvaluation, demoEvaluationText, syntheticNetwork, syntheticSearch, syntheticTraining, withPipelineTiming } from './fixtures.ts';

describe('detectKind', () => {
  it('recognizes each kind by schema and by shape', async () => {
    const e = await demoEvaluation();
    expect(detectKind(e)).toBe('evaluation');
    const { schema: _s, ...bare } = e;
    expect(detectKind(bare)).toBe('evaluation');
    const n = syntheticNetwork(e, await demoEvaluation('outer'));
    expect(detectKind(n)).toBe('network');
    expect(detectKind({ ...n, schema: 'spikeloop.evaluation/1' })).toBe('network');
    expect(detectKind(syntheticSearch())).toBe('search');
    expect(detectKind({ front: [] })).toBe('search');
    expect(detectKind(syntheticTraining())).toBe('training');
    expect(detectKind({ schemes: {} })).toBe('training');
    expect(detectKind({ hello: 1 })).toBeUndefined();
    expect(detectKind([1, 2])).toBeUndefined();
  });
});

describe('readInput', () => {
  it('reads the real evaluation with every field the charts use', async () => {
    const text = await demoEvaluationText();
    const r = readInput(text, 'ev.json', 'ev');
    expect(r.ok).toBe(true);
    if (!r.ok || r.value.kind !== 'evaluation') throw new Error('not an evaluation');
    const v = r.value.evaluation;
    const j = JSON.parse(text);
    expect(v.totals).toEqual(j.totals);
    expect(v.levels.map((l) => l.name)).toEqual(j.levels.map((l: { name: string }) => l.name));
    expect(v.levels[0].capacityBits).toBeNull();
    expect(v.energySource).toBe(j.energy_source);
    expect(v.timing.bottleneck).toBe(j.timing.bottleneck);
    expect(v.timing.timeline).toBeUndefined();
    expect(v.compute.map((c) => c.action)).toEqual(Object.keys(j.compute));
  });

  it('reads the pipeline timing detail in both accepted timeline shapes', async () => {
    const p = withPipelineTiming(await demoEvaluation());
    const r = readInput(JSON.stringify(p), 'p.json', 'p');
    if (!r.ok || r.value.kind !== 'evaluation') throw new Error('not read');
    expect(r.value.evaluation.timing.activity.map((a) => a.level)).toEqual(['DRAM', 'GlobalBuffer', 'RegisterFile']);
    expect(r.value.evaluation.timing.timeline?.capped).toBe(true);
    const flat = { ...p, timing: { ...p.timing, timeline: [{ level: 'DRAM', start: 0, end: 5 }, { level: 'RF', start: 1, end: 3, state: 'stall' }, { level: 'DRAM', start: 5, end: 4 }] } };
    const r2 = readInput(JSON.stringify(flat), 'f.json', 'f');
    if (!r2.ok || r2.value.kind !== 'evaluation') throw new Error('not read');
    expect(r2.value.evaluation.timing.timeline?.lanes).toEqual([
      { level: 'DRAM', spans: [{ start: 0, end: 5, state: 'busy' }] },
      { level: 'RF', spans: [{ start: 1, end: 3, state: 'stall' }] },
    ]);
  });

  it('invalid JSON: error with the line and column of the problem', () => {
    const r = readInput('{\n  "totals": {\n    "energy_pJ": 1,,\n  }\n}', 'bad.json', 'bad');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.diagnostics[0].code).toBe('SL-REPORT-JSON');
    expect(r.diagnostics[0].pos).toMatchObject({ file: 'bad.json', line: 3 });
    expect(r.diagnostics[0].hint).toMatch(/evaluate --json/);
  });

  it('unknown document kind and a missing required field are diagnostics pointing at the field', () => {
    const k = readInput('{"hello": 1}', 'x.json', 'x');
    expect(!k.ok && k.diagnostics[0].code).toBe('SL-REPORT-KIND');
    const text = '{\n  "schema": "spikeloop.evaluation/1",\n  "levels": [],\n  "totals": {\n    "energy_pJ": "lots",\n    "cycles": 3\n  }\n}';
    const f = readInput(text, 'f.json', 'f');
    expect(f.ok).toBe(false);
    if (f.ok) return;
    expect(f.diagnostics[0]).toMatchObject({ code: 'SL-REPORT-FIELD', pos: { file: 'f.json', line: 4, col: 3 } });
    expect(f.diagnostics[0].message).toMatch(/totals\.energy_pJ/);
    const s = readInput(JSON.stringify({ pareto: [{ energy: 'x' }] }, null, 2), 's.json', 's');
    expect(!s.ok && s.diagnostics[0].pos?.line).toBe(3);
  });

  it('reads a search result: points, chosen point, stats', () => {
    const r = readInput(JSON.stringify(syntheticSearch()), 's.json', 's');
    if (!r.ok || r.value.kind !== 'search') throw new Error('not read');
    expect(r.value.search.points).toHaveLength(14);
    expect(r.value.search.chosen).toBe(r.value.search.points[6]);
    expect(r.value.search.stats).toContainEqual(['invalid: capacity', '700']);
  });

  it('locatePath finds nested keys and array elements', () => {
    const text = '{\n "a": [\n  1,\n  {"b": {"c": 2}}\n ]\n}';
    expect(locatePath(text, ['a', 1, 'b', 'c'])).toEqual({ line: 4, col: 10 });
    expect(locatePath(text, ['a', 7])).toEqual({ line: 2, col: 2 });
    expect(locatePath('not json', ['a'])).toEqual({ line: 1, col: 1 });
  });
});

describe('the pipeline timing model output', () => {
  it('reads whatever pipeline detail `evaluate --timing pipeline` writes without losing the totals', async () => {
    const { cli, A, W, M_OUTER } = await import('../cli/harness.ts');
    const r = await cli(['evaluate', '--arch', A, '--workload', W, '--mapping', M_OUTER, '--timing', 'pipeline', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    const v = readInput(r.out, 'p.json', 'p');
    if (!v.ok || v.value.kind !== 'evaluation') throw new Error('not read');
    const e = v.value.evaluation;
    expect(e.totals.cycles).toBe(j.totals.cycles);
    expect(e.timing.model).toBe(j.timing.model);
    // each level the JSON lists with busy/stall/idle cycles appears as an activity row, named as in the JSON
    const listed = (j.timing.levels ?? []).filter((l: { busy_cycles?: number }) => typeof l.busy_cycles === 'number').map((l: { name: string }) => l.name);
    expect(e.timing.activity.map((a) => a.level).filter((n) => n !== 'compute')).toEqual(listed);
    if (j.timing.timeline) expect(e.timing.timeline?.lanes.map((l) => l.level)).toEqual(j.timing.timeline.levels.filter((l: { spans: unknown[] }) => l.spans.length > 0).map((l: { name: string }) => l.name));
  });
});
