// The readers: kind detection, what each kind needs, strictness (wrong types, negative numbers) and diagnostics
// with file, line and the full JSON path of the field.
import { describe, expect, it } from 'vitest';
import { detectKind, readInput, type ReportInput } from '../../src/report/inputs.ts';
import { pathText } from '../../src/report/read/ctx.ts';
import { locatePath } from '../../src/report/read/locate.ts';
import { demoEvaluation, demoEvaluationText, streamedNetwork, syntheticNetwork, syntheticSearch, syntheticTraining, withPipelineTiming } from './fixtures.ts';
import { REAL_FILES, realOutputs, type RealKind } from './real.ts';

const errors = (text: string): { line: number; message: string; path?: readonly (string | number)[] }[] => {
  const r = readInput(text, 'f.json', 'f');
  if (r.ok) throw new Error('expected a diagnostic');
  return r.diagnostics.map((d) => ({ line: d.pos!.line, message: d.message, path: d.path }));
};
const read = (text: string): ReportInput => {
  const r = readInput(text, 'f.json', 'f');
  if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('\n'));
  return r.value;
};

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
    expect(detectKind([{ totals: { energy_pJ: 1, cycles: 2 } }])).toBe('search'); // pareto.json: a bare array
    expect(detectKind({ points: [{ uniform: [], best: {}, pareto: [] }] })).toBe('explore');
    expect(detectKind({ schema: 'spikeloop.explore/1', points: [] })).toBe('explore');
    expect(detectKind(syntheticTraining())).toBe('training');
    expect(detectKind({ schemes: {} })).toBe('training');
    expect(detectKind({ phases: [], layers: [] })).toBe('training'); // training results have layers too
    expect(detectKind({ hello: 1 })).toBeUndefined();
    expect(detectKind([1, 2])).toBeUndefined();
  });

  it('every real command output is detected as its kind', async () => {
    const { text } = await realOutputs();
    const want: Record<RealKind, string> = { inner: 'evaluation', outer: 'evaluation', pipeline: 'evaluation', network: 'network', explore: 'explore', sweep: 'explore', training: 'training', search: 'search', pareto: 'search' };
    for (const k of Object.keys(REAL_FILES) as RealKind[]) expect([k, detectKind(JSON.parse(text[k]))]).toEqual([k, want[k]]);
  });
});

describe('readInput of real command output', () => {
  it('the evaluation with every field the charts use, including the bandwidth fields', async () => {
    const text = await demoEvaluationText();
    const v = read(text);
    if (v.kind !== 'evaluation') throw new Error('not an evaluation');
    const e = v.evaluation;
    const j = JSON.parse(text);
    expect(e.totals).toEqual(j.totals);
    expect(e.levels.map((l) => l.name)).toEqual(j.levels.map((l: { name: string }) => l.name));
    expect(e.levels[0].capacityBits).toBeNull();
    expect(e.levels.map((l) => l.transferCycles)).toEqual(j.levels.map((l: { transfer_cycles: number }) => l.transfer_cycles));
    expect(e.levels.map((l) => l.readBits)).toEqual(j.levels.map((l: { read_bits: number }) => l.read_bits));
    expect(e.levels[0].bandwidth).toEqual(j.levels[0].bandwidth_bits_per_cycle);
    expect(e.energySource).toBe(j.energy_source);
    expect(e.timing.bottleneck).toBe(j.timing.bottleneck);
    expect(e.timing.timeline).toBeUndefined();
    expect(e.compute.map((c) => c.action)).toEqual(Object.keys(j.compute));
    expect(e.workload).toBe(j.workload);
  });

  it('the pipeline timing detail: activity rows named as in the JSON, the timeline lanes', async () => {
    const { text } = await realOutputs();
    const j = JSON.parse(text.pipeline);
    const v = read(text.pipeline);
    if (v.kind !== 'evaluation') throw new Error('not read');
    const e = v.evaluation;
    expect(e.totals.cycles).toBe(j.totals.cycles);
    expect(e.timing.model).toBe('pipeline');
    expect(e.timing.cycles).toBe(j.timing.cycles);
    expect(e.timing.activity.map((a) => a.level)).toEqual([...j.timing.levels.map((l: { name: string }) => l.name), 'compute']);
    expect(e.timing.activity.find((a) => a.level === 'compute')).toMatchObject({ busy: j.timing.compute_activity.busy_cycles, stall: j.timing.compute_activity.stall_cycles });
    expect(e.timing.timeline?.lanes.map((l) => l.level)).toEqual(j.timing.timeline.levels.filter((l: { spans: unknown[] }) => l.spans.length > 0).map((l: { name: string }) => l.name));
  });

  it('explore: each sweep point has its value, search statistics, front, best (with its schedule) and labelled uniform references', async () => {
    const { text } = await realOutputs();
    for (const k of ['explore', 'sweep'] as const) {
      const j = JSON.parse(text[k]);
      const v = read(text[k]);
      if (v.kind !== 'explore') throw new Error('not explore');
      const x = v.explore;
      expect(x.points).toHaveLength(j.points.length);
      expect(Object.fromEntries(x.run)).toMatchObject({ 'schedule space': j.space, 'chunk mapper': j.chunk_mapper, 'spike format': j.spike_format, threads: String(j.threads) });
      x.points.forEach((p, i) => {
        const src = j.points[i];
        // the sweep value and what it sets, from `value` and the label `GB.capacity_bytes = 50`
        if (src.value === null) expect(p.sweep).toBeUndefined();
        else expect([p.sweep, p.capacityBytes]).toEqual([{ level: 'GB', field: 'capacity_bytes', value: src.value }, src.value]);
        expect(p.error).toBeUndefined();
        const stats = Object.fromEntries(p.front.stats);
        expect(stats).toMatchObject({ 'search method': src.method, 'schedules costed': src.evaluated.toLocaleString('en-US'), 'block runs': src.block_runs.toLocaleString('en-US'), 'stopped early': src.stopped ? expect.stringMatching(/^yes/) : 'no' });
        expect(stats['optimal under the model']).toBe(src.optimal ? 'yes (exact search)' : 'not claimed');
        expect(p.front.points).toHaveLength(src.pareto.length);
        expect(p.front.references.map((r) => r.label)).toEqual(src.uniform.map((u: { name: string }) => u.name));
        expect(p.referenceErrors).toEqual([]);
        // the chosen point is the best's own numbers (its `totals` is the full network total, summed in another order)
        expect(p.front.chosen).toMatchObject({ energy_pJ: src.best.energy_pJ, cycles: src.best.cycles, offchip_bytes: src.best.offchip_bytes });
        expect(p.front.chosen?.label).toMatch(new RegExp(`^best by ${j.objective}`));
        // and it is drawn once: as the front point with the same numbers when the front has it
        const onFront = src.pareto.some((q: { energy_pJ: number; cycles: number }) => Math.abs(q.energy_pJ - src.best.energy_pJ) <= 1e-9 * q.energy_pJ && q.cycles === src.best.cycles);
        expect(p.front.points.includes(p.front.chosen!)).toBe(onFront);
        expect(p.schedule.map((b) => [b.block, b.timeBatch, b.tileRows, b.tileAxis])).toEqual(src.best.schedule.map((b: { block: string; time_batch: number; tile_rows: number | null; tile_axis: string }) => [b.block, b.time_batch, b.tile_rows, b.tile_axis]));
        expect(p.statePlacement).toEqual(Object.entries(src.best.state_placement));
        expect(p.best?.totals.find(([t]) => t === 'peak_onchip_bytes')?.[1]).toBe(src.best.totals.peak_onchip_bytes);
        expect(p.frontSchedules).toHaveLength(src.pareto.length);
      });
    }
  });

  it('explore: the best point is its own numbers, not its `totals`; a front point equal up to rounding is the chosen one', () => {
    const best = { energy_pJ: 100, cycles: 10, offchip_bytes: 5, schedule: [], totals: { energy_pJ: 100 * (1 + 1e-15), cycles: 10, offchip_bytes: 5, peak_onchip_bytes: 7 } };
    const doc = { schema: 'spikeloop.explore/1', objective: 'energy', points: [{ label: 'as given', value: null, uniform: [], best, pareto: [{ energy_pJ: 100 * (1 - 1e-15), cycles: 10, offchip_bytes: 5 }, { energy_pJ: 90, cycles: 20, offchip_bytes: 5 }] }] };
    const v = read(JSON.stringify(doc));
    if (v.kind !== 'explore') throw new Error('not explore');
    const [p] = v.explore.points;
    expect(p.front.points.map((q) => q.label)).toEqual(['best by energy (P1)', 'P2']);
    expect(p.front.chosen).toBe(p.front.points[0]);
    const own = read(JSON.stringify({ ...doc, points: [{ ...doc.points[0], pareto: [], best: { ...best, totals: { ...best.totals, energy_pJ: 250 } } }] }));
    if (own.kind !== 'explore') throw new Error('not explore');
    expect(own.explore.points[0].front.chosen?.energy_pJ).toBe(100);
  });

  it('explore: a sweep point and a uniform schedule that could not run carry their reasons; the rest reads', async () => {
    const { text } = await realOutputs();
    const j = JSON.parse(text.sweep);
    const [p0, p1, ...more] = j.points;
    const doc = { ...j, points: [{ label: p0.label, value: p0.value, error: 'no valid schedule: a[T2,Q1]: the tiles kept at GB need 116 bits' }, { ...p1, uniform: [p1.uniform[0], { name: 'TB-LBL', error: 'does not fit' }] }, ...more] };
    const v = read(JSON.stringify(doc));
    if (v.kind !== 'explore') throw new Error('not explore');
    const [a, b] = v.explore.points;
    expect(a.error).toMatch(/^no valid schedule/);
    expect(a.front.points).toEqual([]);
    expect(a.front.chosen).toBeUndefined();
    expect(b.front.references.map((r) => r.label)).toEqual([p1.uniform[0].name]);
    expect(b.referenceErrors).toEqual([['TB-LBL', 'does not fit']]);
    expect(v.explore.points).toHaveLength(j.points.length);
  });

  it('search.json: the chosen mapping YAML and the statistics from the top-level fields; pareto.json as a bare array', async () => {
    const { text } = await realOutputs();
    const j = JSON.parse(text.search);
    const v = read(text.search);
    if (v.kind !== 'search') throw new Error('not search');
    const s = v.search;
    expect(s.mappingYaml).toBe(j.best.mapping_yaml);
    expect(s.best?.totals.energy_pJ).toBe(j.best.evaluation.totals.energy_pJ);
    const stats = Object.fromEntries(s.stats);
    expect(stats).toMatchObject({ strategy: j.strategy, seed: String(j.seed), stop: j.stop, 'mappings evaluated': j.explored.evaluated.toLocaleString('en-US') });
    expect(stats['mapspace size']).toMatch(/10\^|^\d/);
    expect(s.points).toHaveLength(j.pareto.length);
    expect(s.chosen?.label).toMatch(/^best by energy/);
    const p = read(text.pareto);
    if (p.kind !== 'search') throw new Error('not search');
    expect(p.search.points).toHaveLength(JSON.parse(text.pareto).length);
  });

  it('network and training: the fields the producers write today', async () => {
    const { text } = await realOutputs();
    const n = read(text.network);
    if (n.kind !== 'network') throw new Error('not network');
    const jn = JSON.parse(text.network);
    const net = n.network;
    expect(net.layers).toHaveLength(jn.layers.length);
    net.layers.forEach((l, i) => {
      const src = jn.layers[i];
      expect(l.totals).toEqual({ energy_pJ: src.totals.energy_pJ, cycles: src.totals.cycles, offchip_bytes: src.totals.offchip_bytes, computes: src.totals.computes });
      expect(l.levels.map((lv) => [lv.name, lv.energy_pJ])).toEqual(src.levels.map((lv: { name: string; energy_pJ: number }) => [lv.name, lv.energy_pJ]));
      expect(l.levels.flatMap((lv) => lv.tensors.map((t) => [lv.name, t.name, t.reads, t.fills, t.updates]))).toEqual(
        src.levels.flatMap((lv: { name: string; tensors: Record<string, { reads: number; fills: number; updates: number }> }) => Object.entries(lv.tensors).map(([t, c]) => [lv.name, t, c.reads, c.fills, c.updates])),
      );
      expect(l.compute.map((c) => [c.action, c.count, c.energy_pJ])).toEqual(Object.entries(src.compute).map(([a, c]) => [a, (c as { count: number }).count, (c as { energy_pJ: number }).energy_pJ]));
      expect(l.timing.bottleneck).toBe(src.timing.bottleneck);
      expect(l.offchipByKind).toEqual(Object.entries(src.offchip_bytes_by_kind));
      expect([l.chunks, l.chunkMapping]).toEqual([src.chunks, src.chunk_mapping]);
    });
    expect(net.schedule.map((b) => [b.block, b.timeBatch, b.tileRows, b.tileAxis])).toEqual(jn.schedule.map((b: { block: string; time_batch: number; tile_rows: number | null; tile_axis: string }) => [b.block, b.time_batch, b.tile_rows, b.tile_axis]));
    expect(net.peakOnchipBytes).toBe(jn.totals.peak_onchip_bytes);
    expect(net.streamedOps).toBe(jn.totals.streamed_ops);
    expect(net.warnings).toEqual(jn.warnings);
    expect(net.dramBoundCycles).toBe(jn.timing.dram_bound_cycles);
    expect(Object.fromEntries(net.run)).toMatchObject({ 'chunk mapper': jn.chunk_mapper, 'mapping constraints': jn.constraints, 'spike format': jn.spike_format });
    expect(net.total.levels.map((l) => l.tensors.length)).toEqual(jn.levels.map((l: { tensors: object }) => Object.keys(l.tensors).length));
    expect(net.occupancy?.steps).toHaveLength(jn.occupancy.length);
    expect([net.occupancy?.capacityBytes, net.occupancy?.peakBytes]).toEqual([jn.capacity_bytes, jn.totals.peak_onchip_bytes]);
    const t = read(text.training);
    if (t.kind !== 'training') throw new Error('not training');
    const jt = JSON.parse(text.training);
    expect(t.training).toMatchObject({ batch: jt.batch, timesteps: jt.timesteps, ttMode: jt.tt_mode, totals: { energy_pJ: jt.totals.energy_pJ, static_pJ: jt.totals.static_energy_pJ } });
    expect(t.training.schemes.map((s) => s.stepEnergy)).toEqual(jt.schemes.map((s: { step_energy_pJ: number }) => s.step_energy_pJ));
    expect(t.training.schemes[0].memory.map((m) => m.batch)).toEqual(jt.schemes[0].memory.map((m: { batch: number }) => m.batch));
  });

  it('network warnings: the simulator\'s streamed-op warning is read; a warning that is not text is an error at its path', () => {
    const s = streamedNetwork();
    const v = read(JSON.stringify(s));
    if (v.kind !== 'network') throw new Error('not network');
    expect(v.network.warnings).toEqual(s.warnings);
    expect(v.network.warnings![0]).toMatch(/streamed/);
    expect(v.network.streamedOps).toBe(s.totals.streamed_ops);
    expect(errors(JSON.stringify({ ...s, warnings: [3] }))[0]).toMatchObject({ path: ['warnings', 0], message: expect.stringMatching(/`warnings\[0\]` should be a string/) });
  });

  it('the provenance a result records (command, inputs with hashes) is read when present', async () => {
    const e = { ...(await demoEvaluation()), command: 'spikeloop evaluate --arch a.yaml', inputs: [{ path: 'a.yaml', sha256: 'ab'.repeat(32) }] };
    const v = read(JSON.stringify(e));
    if (v.kind !== 'evaluation') throw new Error('not read');
    expect(v.evaluation.provenance).toEqual({ command: 'spikeloop evaluate --arch a.yaml', inputs: [{ path: 'a.yaml', sha256: 'ab'.repeat(32) }] });
    expect(errors(JSON.stringify({ ...e, inputs: [{ sha256: 'x' }] }))[0].message).toMatch(/inputs\[0\]/);
  });
});

describe('strict reading: every problem at its full JSON path, with its line', () => {
  it('invalid JSON: error with the line and column of the problem', () => {
    const r = readInput('{\n  "totals": {\n    "energy_pJ": 1,,\n  }\n}', 'bad.json', 'bad');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.diagnostics[0].code).toBe('SL-REPORT-JSON');
    expect(r.diagnostics[0].pos).toMatchObject({ file: 'bad.json', line: 3 });
    expect(r.diagnostics[0].hint).toMatch(/evaluate --json/);
  });

  it('unknown document kind, and a required field of the wrong type', () => {
    const k = readInput('{"hello": 1}', 'x.json', 'x');
    expect(!k.ok && k.diagnostics[0].code).toBe('SL-REPORT-KIND');
    const text = '{\n  "schema": "spikeloop.evaluation/1",\n  "levels": [],\n  "totals": {\n    "energy_pJ": "lots",\n    "cycles": 3\n  }\n}';
    const [d] = errors(text);
    expect(d).toMatchObject({ line: 5, path: ['totals', 'energy_pJ'] });
    expect(d.message).toBe('evaluation result: `totals.energy_pJ` should be a number, got the string "lots"');
  });

  it('a layer without energy names `layers[3].energy_pJ`; non-object layers are named too', async () => {
    const inner = await demoEvaluation();
    const layer = { name: 'l', energy_pJ: 1, cycles: 2 };
    const doc = { schema: 'spikeloop.network-evaluation/1', totals: inner.totals, layers: [layer, layer, layer, { name: 'x', cycles: 5 }] };
    const es = errors(JSON.stringify(doc, null, 2));
    expect(es.map((e) => e.message)).toEqual(['network result: `layers[3].energy_pJ` is missing']);
    const bad = errors(JSON.stringify({ ...doc, layers: [1, 'x', null] }, null, 2)).map((e) => e.message);
    expect(bad).toEqual(['network result: `layers[0]` should be an object, got number 1', 'network result: `layers[1]` should be an object, got the string "x"', 'network result: `layers[2]` should be an object, got null']);
  });

  it('wrong shapes that used to be silently accepted: levels "oops", compute [1,2], a Pareto point with cycles "x"', async () => {
    const e = await demoEvaluation();
    expect(errors(JSON.stringify({ ...e, levels: 'oops' }, null, 2))[0].message).toBe('evaluation result: `levels` should be an array, got the string "oops"');
    expect(errors(JSON.stringify({ ...e, compute: [1, 2] }, null, 2))[0].message).toBe('evaluation result: `compute` should be an object, got an array');
    const s = syntheticSearch();
    s.pareto[3] = { ...s.pareto[3], cycles: 'x' };
    const [d] = errors(JSON.stringify(s, null, 2));
    expect(d.message).toBe('search result: `pareto[3].cycles` should be a number, got the string "x"');
    expect(d.line).toBeGreaterThan(3);
  });

  it('negative energies, cycles and bytes are errors, each listed', async () => {
    const e = await demoEvaluation();
    const doc = { ...e, totals: { ...e.totals, energy_pJ: -5 }, levels: [{ ...e.levels[0], energy_pJ: -1 }, ...e.levels.slice(1)], offchip_bytes_by_tensor: { ...e.offchip_bytes_by_tensor, State: -3 } };
    const msgs = errors(JSON.stringify(doc, null, 2)).map((d) => d.message);
    expect(msgs).toEqual([
      'evaluation result: `totals.energy_pJ` is -5: energies, cycles, bytes and counts cannot be negative',
      'evaluation result: `levels[0].energy_pJ` is -1: energies, cycles, bytes and counts cannot be negative',
      'evaluation result: `offchip_bytes_by_tensor.State` is -3: energies, cycles, bytes and counts cannot be negative',
    ]);
  });

  it('a missing workload is not replaced by the file name; missing optional fields stay absent, never 0', async () => {
    const { workload: _w, ...e } = await demoEvaluation();
    const v = read(JSON.stringify({ ...e, levels: e.levels.map((l: Record<string, unknown>) => ({ ...l, tensors: { Weights: { reads: 3 } } })) }));
    if (v.kind !== 'evaluation') throw new Error('not read');
    expect(v.evaluation.workload).toBeUndefined();
    expect(v.evaluation.levels[0].tensors[0]).toEqual({ name: 'Weights', reads: 3, fills: undefined, updates: undefined, energy_pJ: undefined, bytes: undefined });
  });

  it('explore points without a front or best, and training phases without energy, are named', () => {
    expect(errors(JSON.stringify({ schema: 'spikeloop.explore/1', points: [{ label: 'x', uniform: [] }] }))[0].message).toMatch(/`points\[0\]` has neither `pareto` points nor a `best` schedule \(nor an `error`\)/);
    expect(errors(JSON.stringify({ schema: 'spikeloop.explore/1', points: [] }))[0].message).toMatch(/needs `points\[\]`/);
    expect(errors(JSON.stringify({ schema: 'spikeloop.training/1', phases: [{ name: 'forward' }] }))[0].message).toBe('training result: `phases[0].energy_pJ` is missing');
  });

  it('pipeline timelines in both accepted shapes; a span that ends before it starts is an error', async () => {
    const p = withPipelineTiming(await demoEvaluation());
    const v = read(JSON.stringify(p));
    if (v.kind !== 'evaluation') throw new Error('not read');
    expect(v.evaluation.timing.timeline?.capped).toBe(true);
    const flat = { ...p, timing: { ...p.timing, timeline: [{ level: 'DRAM', start: 0, end: 5 }, { level: 'RF', start: 1, end: 3, state: 'stall' }] } };
    const f = read(JSON.stringify(flat));
    if (f.kind !== 'evaluation') throw new Error('not read');
    expect(f.evaluation.timing.timeline?.lanes).toEqual([
      { level: 'DRAM', spans: [{ start: 0, end: 5, state: 'busy' }] },
      { level: 'RF', spans: [{ start: 1, end: 3, state: 'stall' }] },
    ]);
    const back = { ...p, timing: { ...p.timing, timeline: [{ level: 'DRAM', start: 5, end: 4 }] } };
    expect(errors(JSON.stringify(back))[0].message).toBe('evaluation result: `timing.timeline[0]` ends (4) before it starts (5)');
  });

  it('at most 20 problems per file, then one line with how many more', () => {
    const doc = { schema: 'spikeloop.search/1', pareto: Array.from({ length: 30 }, () => ({ energy_pJ: -1, cycles: 1 })) };
    const r = readInput(JSON.stringify(doc), 's.json', 's');
    if (r.ok) throw new Error('expected problems');
    expect(r.diagnostics).toHaveLength(21);
    expect(r.diagnostics[20].message).toBe('search result: 10 more problems (next: `pareto[20].energy_pJ`)');
  });

  it('pathText and locatePath', () => {
    expect(pathText(['layers', 3, 'energy_pJ'])).toBe('layers[3].energy_pJ');
    expect(pathText([])).toBe('(document)');
    const text = '{\n "a": [\n  1,\n  {"b": {"c": 2}}\n ]\n}';
    expect(locatePath(text, ['a', 1, 'b', 'c'])).toEqual({ line: 4, col: 10 });
    expect(locatePath(text, ['a', 7])).toEqual({ line: 2, col: 2 });
    expect(locatePath('not json', ['a'])).toEqual({ line: 1, col: 1 });
  });
});
