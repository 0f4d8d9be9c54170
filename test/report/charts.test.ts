// Structural tests of every chart: element counts, titles, axis labels with units, legends, no NaN coordinates,
// and the numbers the marks stand for (data-value) against the input.
import { describe, expect, it } from 'vitest';
import { compareChart, logTicks, ratioText } from '../../src/report/charts/compare.ts';
import { energyBreakdownChart } from '../../src/report/charts/energy-breakdown.ts';
import { layerEnergyChart } from '../../src/report/charts/layer-energy.ts';
import { layerMemoryChart } from '../../src/report/charts/layer-memory.ts';
import { layerOffchipChart } from '../../src/report/charts/layer-offchip.ts';
import { levelActivityChart } from '../../src/report/charts/level-activity.ts';
import { bandsOf, occupancyChart } from '../../src/report/charts/occupancy.ts';
import { offchipChart } from '../../src/report/charts/offchip-traffic.ts';
import { front2d, paretoChart } from '../../src/report/charts/pareto.ts';
import { rooflineChart } from '../../src/report/charts/roofline.ts';
import { computeGaps, mergeSpans, NOT_RECORDED, timelineChart, WAITING } from '../../src/report/charts/timeline.ts';
import { trainingEnergyChart, trainingLayerChart, trainingSchemeEnergyChart } from '../../src/report/charts/training-energy.ts';
import { trainingMemoryCharts } from '../../src/report/charts/training-memory.ts';
import { readEvaluation } from '../../src/report/read/evaluation.ts';
import { readNetwork } from '../../src/report/read/network.ts';
import { readSearch } from '../../src/report/read/search.ts';
import { readTraining } from '../../src/report/read/training.ts';
import { stepBands } from '../../src/report/sections/network.ts';
import { barChart } from '../../src/report/svg/bars.ts';
import { fillOf, greyOf, markOf } from '../../src/report/svg/style.ts';
import { energyUnit } from '../../src/report/svg/units.ts';
import { isProblems, type EvalView, type NetworkView, type ReadProblem, type SearchView, type TrainingView } from '../../src/report/views.ts';
import { demoEvaluation, energyOnly, syntheticNetwork, syntheticSearch, syntheticTraining, withPipelineTiming, type Doc } from './fixtures.ts';
import { realOutputs } from './real.ts';
import { expectChartBasics, legendLabels, svgDom } from './svg-dom.ts';

function view<T>(v: T | ReadProblem[]): T {
  if (isProblems(v)) throw new Error(v.map((p) => p.message).join('\n'));
  return v;
}
const evalOf = (d: Doc): EvalView => view(readEvaluation(d, 't-inner'));
const values = (root: Element, sel = 'rect.segment'): number[] => [...root.querySelectorAll(sel)].map((r) => Number(r.getAttribute('data-value')));
const byBar = (root: Element, label: string): Element => [...root.querySelectorAll('g.bar')].find((g) => g.getAttribute('data-label') === label)!;

describe('evaluation charts (real demo evaluation)', () => {
  it('energy breakdown: one bar per level plus compute, one segment per non-zero (level, tensor) and action', async () => {
    const d = await demoEvaluation();
    const e = evalOf(d);
    const c = energyBreakdownChart(e, 'eb')!;
    const root = expectChartBasics(c, [/^energy \((pJ|nJ|uJ|mJ|J)\)$/]);
    const bars = root.querySelectorAll('g.bar');
    expect(bars.length).toBe(d.levels.length + 1);
    const nonZero = d.levels.flatMap((l: Doc) => Object.values(l.tensors).filter((t) => (t as Doc).energy_pJ > 0)).length + Object.values(d.compute).filter((a) => (a as Doc).energy_pJ > 0).length;
    expect(root.querySelectorAll('rect.segment').length).toBe(nonZero);
    // the marks add up to the total energy (no static energy in this arch)
    expect(values(root).reduce((a, b) => a + b, 0)).toBeCloseTo(d.totals.energy_pJ, 0);
    const tensors = [...new Set(d.levels.flatMap((l: Doc) => Object.keys(l.tensors)))];
    expect(legendLabels(root)).toEqual([...tensors, ...Object.keys(d.compute).map((a) => `compute: ${a}`)]);
    expect([...root.querySelectorAll('text.category-label')].map((t) => t.textContent)).toEqual([...d.levels.map((l: Doc) => l.name), 'compute']);
    const fills = new Set([...root.querySelectorAll('g.legend-item rect')].map((r) => r.getAttribute('fill')));
    expect(fills.size).toBe(legendLabels(root).length);
    for (const f of fills) expect(f).toMatch(/^(#[0-9a-f]{6}|url\(#eb-fill-\d+\))$/);
  });

  it('off-chip traffic: one bar per tensor, labelled with bytes and share', async () => {
    const e = evalOf(await demoEvaluation('outer'));
    const c = offchipChart(e.name, e.offchipByTensor, 'oc')!;
    const root = expectChartBasics(c, [/^off-chip traffic \((B|KiB|MiB)\)$/]);
    expect(root.querySelectorAll('g.bar').length).toBe(e.offchipByTensor.length);
    const state = e.offchipByTensor.find(([t]) => t === 'State')![1];
    expect([...root.querySelectorAll('text.value-label')].map((t) => t.textContent)).toContain(`${state.toLocaleString('en-US')} B (${((100 * state) / e.totals.offchip_bytes!).toFixed(1)}%)`);
    expect(offchipChart('x', [], 'none')).toBeUndefined();
    expect(offchipChart('x', [['Weights', 0]], 'zero')).toBeUndefined();
  });

  it('bandwidth roofline: transfer cycles per level (not the Timeloop per-level cycles) beside compute, "time (cycles)"', async () => {
    const d = await demoEvaluation();
    const e = evalOf(d);
    const root = expectChartBasics(rooflineChart(e, 'rl')!, [/^time \(cycles\)$/]);
    expect(root.querySelectorAll('g.bar').length).toBe(e.levels.length + 1);
    for (const l of d.levels) {
      const bar = byBar(root, l.name);
      const v = values(bar);
      // a level with unlimited bandwidth has transfer_cycles 0: no mark, and its label says so
      expect(v).toEqual(l.transfer_cycles > 0 ? [l.transfer_cycles] : []);
      expect(v).not.toContain(d.timing.cycles); // the old chart drew Timeloop's per-level cycles (= compute) here
    }
    expect(values(byBar(root, 'compute'))).toEqual([d.timing.compute_cycles]);
    expect(root.querySelectorAll('line.ref-line').length).toBe(1);
    const bold = [...root.querySelectorAll('text.category-label')].filter((t) => t.getAttribute('font-weight') === 'bold').map((t) => t.textContent);
    expect(bold).toEqual(['compute']); // compute cycles exceed every level's port cycles in this mapping
    // value labels carry a white halo so the dashed total line does not cross their letters
    for (const t of root.querySelectorAll('text.value-label')) expect(t.getAttribute('paint-order')).toBe('stroke');
    // without transfer_cycles (an older result) there is no roofline at all
    const old = { ...d, levels: d.levels.map(({ transfer_cycles: _t, ...l }: Doc) => l) };
    expect(rooflineChart(evalOf(old), 'old')).toBeUndefined();
  });

  it('pipeline timeline and activity appear only when the JSON has them', async () => {
    const d = await demoEvaluation();
    expect(timelineChart(evalOf(d), 'tl')).toBeUndefined();
    expect(levelActivityChart(evalOf(d), 'la')).toBeUndefined();
    const p = evalOf(withPipelineTiming(d));
    const tl = timelineChart(p, 'tl')!;
    const root = expectChartBasics(tl, [/^time \(cycles\)$/]);
    expect(root.querySelectorAll('g.bar').length).toBe(d.levels.length);
    expect(legendLabels(root)).toEqual(['busy', 'stall']);
    expect(root.querySelectorAll('rect.segment').length).toBeGreaterThan(d.levels.length);
  });

  it('merges adjacent spans of one state and keeps different states apart; compute gaps are waiting', () => {
    const m = mergeSpans([{ start: 0, end: 10, state: 'busy' }, { start: 10.4, end: 20, state: 'busy' }, { start: 20, end: 25, state: 'stall' }, { start: 40, end: 50, state: 'busy' }], 1);
    expect(m).toEqual([{ start: 0, end: 20, state: 'busy' }, { start: 20, end: 25, state: 'stall' }, { start: 40, end: 50, state: 'busy' }]);
    expect(computeGaps([{ start: 5, end: 10, state: 'busy' }, { start: 10, end: 12, state: 'busy' }, { start: 20, end: 30, state: 'busy' }])).toEqual([
      { start: 0, end: 5, state: WAITING },
      { start: 12, end: 20, state: WAITING },
    ]);
  });
});

describe('pipeline charts of real `evaluate --timing pipeline` output', () => {
  it('activity: busy + idle is the whole run for every row, stall is a separate sub-bar', async () => {
    const { text } = await realOutputs();
    const d = JSON.parse(text.pipeline);
    const e = evalOf(d);
    const root = expectChartBasics(levelActivityChart(e, 'la')!, [/^time \(cycles\)$/]);
    expect(legendLabels(root)).toEqual(['busy', 'idle', 'compute stall caused by this level', 'total cycles']);
    const rows = [...d.timing.levels, { name: 'compute', ...d.timing.compute_activity }];
    expect(root.querySelectorAll('g.bar').length).toBe(rows.length);
    for (const r of rows) {
      const bar = byBar(root, r.name);
      const seg = (s: string): Element[] => [...bar.querySelectorAll('rect.segment')].filter((x) => x.getAttribute('data-series') === s);
      const upper = [...seg('busy'), ...seg('idle')].reduce((a, x) => a + Number(x.getAttribute('data-value')), 0);
      expect(Math.abs(upper - d.timing.cycles)).toBeLessThanOrEqual(1); // busy + idle = the run (rounding)
      for (const s of seg('compute stall caused by this level')) {
        expect(Number(s.getAttribute('data-value'))).toBe(r.stall_cycles);
        // on its own sub-bar: below the busy/idle one, starting at 0
        expect(Number(s.getAttribute('y'))).toBeGreaterThan(Number((seg('idle')[0] ?? seg('busy')[0]).getAttribute('y')));
        expect(Number(s.getAttribute('x'))).toBe(0);
      }
    }
  });

  it('timeline: the axis spans the whole run; capped lanes are marked "not recorded"; compute gaps are waiting', async () => {
    const { text } = await realOutputs();
    const d = JSON.parse(text.pipeline);
    const e = evalOf(d);
    const c = timelineChart(e, 'tl')!;
    const root = expectChartBasics(c, [/^time \(cycles\)$/]);
    // A timeline binned over the whole run (bin_cycles) misses nothing; only one cut after its first spans does.
    const binned = typeof d.timing.timeline.bin_cycles === 'number';
    const capped = binned ? [] : d.timing.timeline.levels.filter((l: Doc) => l.spans_total > l.spans.length).map((l: Doc) => l.name);
    const marked = [...root.querySelectorAll('rect.not-recorded')];
    expect(marked.length).toBe(capped.length);
    // a marked region reaches the right end of the plot: the x axis covers all timing.cycles
    const plotW = Math.max(...[...root.querySelectorAll('rect.lane')].map((r) => Number(r.getAttribute('width'))));
    for (const r of marked) expect(Number(r.getAttribute('x')) + Number(r.getAttribute('width'))).toBeCloseTo(plotW, 3);
    if (capped.length > 0) expect(legendLabels(root)).toContain(NOT_RECORDED);
    const waiting = [...root.querySelectorAll('rect.segment')].filter((r) => r.getAttribute('data-series') === WAITING);
    if (d.timing.compute_activity.stall_cycles > 0) expect(waiting.length).toBeGreaterThan(0);
  });
});

describe('network charts', () => {
  const synthetic = async (): Promise<NetworkView> => view(readNetwork(syntheticNetwork(await demoEvaluation(), await demoEvaluation('outer')), 'net'));

  it('with per-layer levels[] and compute (the producer fields being added): stacked by level and action', async () => {
    const n = await synthetic();
    const root = expectChartBasics(layerEnergyChart(n, 'le')!, [/^energy \(/]);
    expect([...root.querySelectorAll('text.category-label')].map((t) => t.textContent)).toEqual(['conv3_1', 'conv3_2']);
    expect(legendLabels(root)).toEqual(['DRAM', 'GlobalBuffer', 'RegisterFile', 'compute: ac', 'compute: neuron_update']);
    for (const l of n.layers) expect(values(byBar(root, l.name)).reduce((a, b) => a + b, 0)).toBeCloseTo(l.totals.energy_pJ, 0);
  });

  it('real `evaluate` on a network: each layer stacked by level and compute action, adding up to its energy', async () => {
    const { text } = await realOutputs();
    const d = JSON.parse(text.network);
    const n = view(readNetwork(d, 'sew5'));
    const c = layerEnergyChart(n, 'le')!;
    const root = expectChartBasics(c, [/^energy \(/]);
    expect(c.title).toBe('Energy per layer, by memory level and compute action');
    // the series: every level and action that costs energy in some layer, levels outermost first; none that is 0 everywhere
    const levels: string[] = d.levels.map((l: Doc) => l.name).filter((lv: string) => d.layers.some((l: Doc) => l.levels.find((x: Doc) => x.name === lv)?.energy_pJ > 0));
    const actions: string[] = [...new Set(d.layers.flatMap((l: Doc) => Object.keys(l.compute)))].filter((a) => d.layers.some((l: Doc) => l.compute[a as string]?.energy_pJ > 0)) as string[];
    expect(legendLabels(root)).toEqual([...levels, ...actions.map((a) => `compute: ${a}`)]);
    expect(levels.length).toBeGreaterThan(2);
    for (const l of d.layers) expect(values(byBar(root, l.name)).reduce((a, b) => a + b, 0) / l.totals.energy_pJ).toBeCloseTo(1, 6);
    // memory: only the fields the layers have; no "peak on-chip" in the title when no layer has one
    const m = layerMemoryChart(n, 'lm')!;
    expect(m.title).toBe('Memory per layer: neuron state and weights');
    expectChartBasics(m, [/^memory \((B|KiB|MiB)\)$/]);
  });

  it('real network: off-chip bytes per layer stacked by kind, adding up to each layer\'s off-chip bytes', async () => {
    const { text } = await realOutputs();
    const d = JSON.parse(text.network);
    const root = expectChartBasics(layerOffchipChart(view(readNetwork(d, 'sew5')), 'lo')!, [/^off-chip traffic \((B|KiB|MiB)\)$/]);
    const kinds = Object.keys(d.totals.offchip_bytes_by_kind).filter((k) => d.layers.some((l: Doc) => l.offchip_bytes_by_kind[k] > 0));
    expect(new Set(legendLabels(root))).toEqual(new Set(kinds));
    for (const l of d.layers) {
      const bar = byBar(root, l.name);
      expect(values(bar).reduce((a, b) => a + b, 0)).toBeCloseTo(l.offchip_bytes, 6);
    }
  });

  it('real network: occupancy over the schedule, the blocks as bands, the capacity and the run\'s peak as lines', async () => {
    const { text } = await realOutputs();
    const d = JSON.parse(text.network);
    const n = view(readNetwork(d, 'sew5'));
    const c = occupancyChart(n.occupancy!, 'oc', stepBands(n))!;
    const root = expectChartBasics(c, [/^schedule step$/, /^on-chip bytes \((KiB|MiB)\)$/]);
    expect(root.querySelectorAll('g.bar').length).toBe(d.occupancy.length);
    for (const [i, s] of d.occupancy.entries()) expect(values(root.querySelectorAll('g.bar')[i]).reduce((a, b) => a + b, 0)).toBeCloseTo(s.bytes, 6);
    // kinds held at no step (activations, psums, state here) are not series
    const held = Object.keys(d.occupancy[0].by_kind).filter((k) => d.occupancy.some((s: Doc) => s.by_kind[k] > 0));
    expect(legendLabels(root)).toEqual([...held, 'capacity', 'peak over the run']);
    expect(Number(root.querySelector('line.capacity-line')?.getAttribute('data-value'))).toBe(d.capacity_bytes);
    expect(Number(root.querySelector('line.peak-line')?.getAttribute('data-value'))).toBe(d.totals.peak_onchip_bytes);
    // one band per run of steps in one block, in schedule order, each block of the schedule at least once
    const bands = [...root.querySelectorAll('g.block-band')].map((g) => g.getAttribute('data-label'));
    const blocks = d.schedule.map((b: Doc) => b.block);
    expect([...new Set(bands)]).toEqual(blocks);
    expect(bandsOf(['a', 'a', undefined, 'b', 'b', 'a'])).toEqual([{ label: 'a', from: 0, to: 2 }, { label: 'b', from: 3, to: 5 }, { label: 'a', from: 5, to: 6 }]);
  });

  it('a network with layers carrying their energy only (older producers): one unsplit series, a title that says so', async () => {
    const { text } = await realOutputs();
    const d = energyOnly(JSON.parse(text.network));
    const n = view(readNetwork(d, 'sew5'));
    const c = layerEnergyChart(n, 'le')!;
    const root = expectChartBasics(c, [/^energy \(/]);
    expect(c.title).toMatch(/no per-level split/);
    expect(new Set([...root.querySelectorAll('rect.segment')].map((r) => r.getAttribute('data-series')))).toEqual(new Set(['total (no split in the input)']));
    expect(values(root).reduce((a, b) => a + b, 0)).toBeCloseTo(d.layers.reduce((a: number, l: Doc) => a + l.energy_pJ, 0), 0);
  });

  it('memory per layer (grouped) and occupancy over the schedule with the capacity line', async () => {
    const n = await synthetic();
    const root = expectChartBasics(layerMemoryChart(n, 'lm')!, [/^memory \((B|KiB)\)$/]);
    expect(root.querySelectorAll('rect.segment').length).toBe(2 * 3);
    const occ = expectChartBasics(occupancyChart(n.occupancy!, 'oc')!, [/^schedule step$/, /^on-chip bytes \((KiB|B)\)$/]);
    expect(occ.querySelectorAll('g.bar').length).toBe(12);
    expect(occ.querySelectorAll('line.ref-line').length).toBe(1);
    expect(legendLabels(occ)).toEqual(['weights', 'state', 'spikes', 'capacity']);
  });
});

describe('search charts', () => {
  it('Pareto chart: one circle per point, the staircase front, the chosen point ringed, off-chip grey legend', () => {
    const s: SearchView = view(readSearch(syntheticSearch(), 'search'));
    const root = expectChartBasics(paretoChart(s, 'pf')!, [/^latency \(cycles\)$/, /^energy \((uJ|mJ)\)$/]);
    expect(root.querySelectorAll('circle.point').length).toBe(14);
    expect(root.querySelectorAll('g.chosen circle').length).toBe(1);
    expect(root.querySelector('g.chosen text')?.textContent).toBe('chosen: m6');
    expect(root.querySelector('path.front')?.getAttribute('d')).toMatch(/^M/);
    expect(root.querySelector('g.color-legend text')?.textContent).toMatch(/^off-chip \((KiB|B)\)$/);
    const lum = (p: Element): number => {
      const m = /rgb\((\d+)/.exec(p.getAttribute('fill') ?? '');
      return m ? Number(m[1]) : parseInt((p.getAttribute('fill') ?? '#000000').slice(1, 3), 16);
    };
    const circles = [...root.querySelectorAll('circle.point')];
    expect(lum(circles[0])).toBeGreaterThan(lum(circles[4]));
  });

  it('reference points are labelled squares, not part of the front', () => {
    const s: SearchView = { ...view(readSearch(syntheticSearch(), 'search')), references: [{ label: 'ST-LBL', energy_pJ: 9e8, cycles: 2e6, offchip_bytes: 1e5 }, { label: 'TB-F', energy_pJ: 1.1e9, cycles: 1.2e6 }] };
    const root = expectChartBasics(paretoChart(s, 'pr')!, [/cycles/]);
    expect([...root.querySelectorAll('text.reference-label')].map((t) => t.textContent)).toEqual(['ST-LBL', 'TB-F']);
    expect(root.querySelectorAll('rect.reference-point').length).toBe(2);
    expect(legendLabels(root)).toContain('reference (labelled)');
    expect(front2d(s.points).some((p) => p.label === 'ST-LBL')).toBe(false);
  });

  it('front2d keeps exactly the points no other point beats in both energy and cycles', () => {
    const s: SearchView = view(readSearch(syntheticSearch(), 'search'));
    const f = front2d(s.points);
    for (const p of s.points) {
      const dominated = s.points.some((q) => q !== p && q.cycles <= p.cycles && q.energy_pJ <= p.energy_pJ && (q.cycles < p.cycles || q.energy_pJ < p.energy_pJ));
      expect(f.includes(p)).toBe(!dominated);
    }
  });
});

describe('training charts', () => {
  it('synthetic: energy by phase stacked by level, memory by scheme grouped', () => {
    const t: TrainingView = view(readTraining(syntheticTraining(), 'train'));
    const e = expectChartBasics(trainingEnergyChart(t, 'te')!, [/^energy \(/]);
    expect([...e.querySelectorAll('text.category-label')].map((x) => x.textContent)).toEqual(['forward', 'backward', 'weight_gradient']);
    expect(legendLabels(e)).toEqual(['DRAM', 'GlobalBuffer', 'RegisterFile', 'not attributed in the input']);
    const [m] = trainingMemoryCharts(t, 'tm');
    const mr = expectChartBasics(m, [/^memory \((MiB|KiB)\)$/]);
    expect(mr.querySelectorAll('g.bar').length).toBe(4);
    expect(mr.querySelectorAll('rect.segment').length).toBe(8);
  });

  it('real TT training step: phases add up to the dynamic energy, static is its own bar, schemes split, memory per batch', async () => {
    const { text } = await realOutputs();
    const d = JSON.parse(text.training);
    const t = view(readTraining(d, 'tt'));
    const ph = expectChartBasics(trainingEnergyChart(t, 'te')!, [/^energy \(/]);
    const sum = (root: Element, label: string): number => values(byBar(root, label)).reduce((a, b) => a + b, 0);
    for (const p of d.phases) expect(sum(ph, p.name)).toBeCloseTo(p.energy_pJ, -1);
    expect(sum(ph, 'static (whole step)')).toBeCloseTo(d.totals.static_energy_pJ, -1);
    expect(values(ph).reduce((a, b) => a + b, 0)).toBeCloseTo(d.totals.energy_pJ, -2);
    const sc = expectChartBasics(trainingSchemeEnergyChart(t, 'ts')!, [/^energy \(/]);
    for (const s of d.schemes) expect(sum(sc, s.name)).toBeCloseTo(s.step_energy_pJ, -2);
    const batches = [...new Set(d.schemes.flatMap((s: Doc) => s.memory.map((m: Doc) => m.batch)))];
    const mem = trainingMemoryCharts(t, 'tm');
    expect(mem.map((c) => c.title.match(/batch (\d+)/)?.[1])).toEqual(batches.map(String));
    for (const c of mem) expectChartBasics(c, [/^memory \(/]);
    expectChartBasics(trainingLayerChart(t, 'tl')!, [/^energy \(/]);
  });
});

describe('chart robustness and grey scale', () => {
  it('compare chart: log axis centred on 1, bars from 1 to the ratio, "new" for a zero baseline', () => {
    const c = compareChart(['a', 'b', 'c'], [{ label: 'energy', values: [2, 4, 1] }, { label: 'cycles', values: [10, 10, undefined] }, { label: 'state', values: [0, 5, 0] }], 'cc')!;
    const root = expectChartBasics(c, [/^ratio to a \(x, log scale\)$/]);
    expect(root.querySelectorAll('g.bar').length).toBe(3);
    expect([...root.querySelectorAll('text.value-label')].map((t) => t.textContent)).toEqual(['2.000x', '0.500x', '1.000x', '-', 'new (baseline 0)', 'same (0)']);
    // 2x and 0.5x are equally long on a log axis, on opposite sides of the 1 line
    const [two, half] = [...root.querySelectorAll('rect.segment')];
    expect(Number(two.getAttribute('width'))).toBeCloseTo(Number(half.getAttribute('width')), 6);
    const one = Number(root.querySelector('line.ref-line')!.getAttribute('x1'));
    expect(Number(two.getAttribute('x'))).toBeCloseTo(one, 6);
    expect(Number(half.getAttribute('x')) + Number(half.getAttribute('width'))).toBeCloseTo(one, 6);
    expect(compareChart(['a'], [{ label: 'energy', values: [1] }], 'x')).toBeUndefined();
    expect(ratioText(3, 2)).toBe('1.500x');
    expect(ratioText(3, 0)).toBe('new (baseline 0)');
    expect(ratioText(0, 0)).toBe('same (0)');
    expect(ratioText(undefined, 2)).toBe('-');
    expect(logTicks(0.8, 6)).toContain(1);
    expect(logTicks(0.5, 900)).toEqual(expect.arrayContaining([1, 10, 100]));
  });

  it('degenerate data: an all-zero chart is not drawn; a single point draws finite coordinates', () => {
    expect(barChart({ id: 'z', title: 'zeros', caption: '', series: ['a', 'b'], rows: [{ label: 'r', values: [0, Number.NaN] }], unit: energyUnit(0), quantity: 'energy' })).toBeUndefined();
    const one = paretoChart({ name: 's', points: [{ energy_pJ: 5, cycles: 7, label: 'only' }], references: [], stats: [] }, 'p1')!;
    expectChartBasics(one, [/cycles/]);
    expect(svgDom(one.svg).querySelectorAll('circle.point').length).toBe(1);
  });

  it('grey scale: the (grey, mark) pairs of the first 42 series are all different; neighbours differ in both', () => {
    const pairs = Array.from({ length: 42 }, (_, i) => `${greyOf(i)}/${markOf(i)}`);
    expect(new Set(pairs).size).toBe(42);
    for (let i = 1; i < 42; i++) {
      expect(greyOf(i)).not.toBe(greyOf(i - 1));
      expect(markOf(i)).not.toBe(markOf(i - 1));
    }
    // the old palette repeated the cross-hatch on series 3 and 7 (OutputBuffer and "compute and other")
    expect(`${greyOf(3)}/${markOf(3)}`).not.toBe(`${greyOf(7)}/${markOf(7)}`);
    expect(markOf(3)).not.toBe(markOf(7));
    expect(fillOf('c', 0)).toMatch(/^#/);
  });
});
