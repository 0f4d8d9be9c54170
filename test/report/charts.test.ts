// Structural tests of every chart: element counts, titles, axis labels with units, legends, no NaN coordinates.
import { describe, expect, it } from 'vitest';
import { compareChart } from '../../src/report/charts/compare.ts';
import { energyBreakdownChart } from '../../src/report/charts/energy-breakdown.ts';
import { layerEnergyChart } from '../../src/report/charts/layer-energy.ts';
import { layerMemoryChart } from '../../src/report/charts/layer-memory.ts';
import { levelActivityChart } from '../../src/report/charts/level-activity.ts';
import { occupancyChart } from '../../src/report/charts/occupancy.ts';
import { offchipChart } from '../../src/report/charts/offchip-traffic.ts';
import { front2d, paretoChart } from '../../src/report/charts/pareto.ts';
import { rooflineChart } from '../../src/report/charts/roofline.ts';
import { mergeSpans, timelineChart } from '../../src/report/charts/timeline.ts';
import { trainingEnergyChart } from '../../src/report/charts/training-energy.ts';
import { trainingMemoryChart } from '../../src/report/charts/training-memory.ts';
import { readEvaluation } from '../../src/report/read/evaluation.ts';
import { readNetwork } from '../../src/report/read/network.ts';
import { readSearch } from '../../src/report/read/search.ts';
import { readTraining } from '../../src/report/read/training.ts';
import { barChart } from '../../src/report/svg/bars.ts';
import { energyUnit } from '../../src/report/svg/units.ts';
import { isProblem, type ReadProblem, type EvalView, type NetworkView, type SearchView, type TrainingView } from '../../src/report/views.ts';
import { demoEvaluation, syntheticNetwork, syntheticSearch, syntheticTraining, withPipelineTiming, type Doc } from './fixtures.ts';
import { expectChartBasics, legendLabels, svgDom } from './svg-dom.ts';

function view<T>(v: T | ReadProblem): T {
  if (isProblem(v)) throw new Error(v.message);
  return v;
}
const evalOf = (d: Doc): EvalView => view(readEvaluation(d, 't-inner'));

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
    const tensors = [...new Set(d.levels.flatMap((l: Doc) => Object.keys(l.tensors)))];
    expect(legendLabels(root)).toEqual([...tensors, ...Object.keys(d.compute).map((a) => `compute: ${a}`)]);
    expect([...root.querySelectorAll('text.category-label')].map((t) => t.textContent)).toEqual([...d.levels.map((l: Doc) => l.name), 'compute']);
    // grey-scale readable: the fills of the series are pairwise different (grey level and/or pattern)
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
  });

  it('roofline: a bar per level and compute, the bottleneck highlighted, total cycles as the reference line', async () => {
    const e = evalOf(await demoEvaluation());
    const c = rooflineChart(e, 'rl')!;
    const root = expectChartBasics(c, [/^cycles \(cycles\)$/]);
    expect(root.querySelectorAll('g.bar').length).toBe(e.levels.length + 1);
    expect(root.querySelectorAll('line.ref-line').length).toBe(1);
    const bold = [...root.querySelectorAll('text.category-label')].filter((t) => t.getAttribute('font-weight') === 'bold').map((t) => t.textContent);
    expect(bold).toEqual([e.timing.bottleneck]);
  });

  it('pipeline timeline and busy/stall bars appear only when the JSON has them', async () => {
    const d = await demoEvaluation();
    expect(timelineChart(evalOf(d), 'tl')).toBeUndefined();
    expect(levelActivityChart(evalOf(d), 'la')).toBeUndefined();
    const p = evalOf(withPipelineTiming(d));
    const tl = timelineChart(p, 'tl')!;
    const root = expectChartBasics(tl, [/^time \(cycles\)$/]);
    expect(root.querySelectorAll('g.bar').length).toBe(d.levels.length);
    expect(legendLabels(root)).toEqual(['busy', 'stall']);
    expect(root.querySelectorAll('rect.segment').length).toBeGreaterThan(d.levels.length);
    expect(tl.caption).toMatch(/capped/);
    const la = levelActivityChart(p, 'la')!;
    const r2 = expectChartBasics(la, [/^cycles \(cycles\)$/]);
    expect(legendLabels(r2)).toEqual(['busy', 'stall', 'idle']);
  });

  it('merges adjacent spans of one state and keeps different states apart', () => {
    const m = mergeSpans([{ start: 0, end: 10, state: 'busy' }, { start: 10.4, end: 20, state: 'busy' }, { start: 20, end: 25, state: 'stall' }, { start: 40, end: 50, state: 'busy' }], 1);
    expect(m).toEqual([{ start: 0, end: 20, state: 'busy' }, { start: 20, end: 25, state: 'stall' }, { start: 40, end: 50, state: 'busy' }]);
  });
});

describe('network, search and training charts (synthetic inputs)', () => {
  const network = async (): Promise<NetworkView> => view(readNetwork(syntheticNetwork(await demoEvaluation(), await demoEvaluation('outer')), 'net'));

  it('energy per layer: one bar per layer stacked by level and compute', async () => {
    const n = await network();
    const root = expectChartBasics(layerEnergyChart(n, 'le')!, [/^energy \(/]);
    expect([...root.querySelectorAll('text.category-label')].map((t) => t.textContent)).toEqual(['conv3_1', 'conv3_2']);
    expect(legendLabels(root)).toEqual(['DRAM', 'GlobalBuffer', 'RegisterFile', 'compute']);
  });

  it('memory per layer (grouped) and occupancy over the schedule with the capacity line', async () => {
    const n = await network();
    const root = expectChartBasics(layerMemoryChart(n, 'lm')!, [/^memory \((B|KiB)\)$/]);
    expect(root.querySelectorAll('rect.segment').length).toBe(2 * 3);
    const occ = expectChartBasics(occupancyChart(n.occupancy!, 'oc')!, [/^schedule step$/, /^on-chip bytes \((KiB|B)\)$/]);
    expect(occ.querySelectorAll('g.bar').length).toBe(12);
    expect(occ.querySelectorAll('line.ref-line').length).toBe(1);
    expect(legendLabels(occ)).toEqual(['weights', 'state', 'spikes', 'capacity']);
  });

  it('Pareto chart: one circle per point, the staircase front, the chosen point ringed, off-chip grey legend', () => {
    const s: SearchView = view(readSearch(syntheticSearch(), 'search'));
    const root = expectChartBasics(paretoChart(s, 'pf')!, [/^latency \(cycles\)$/, /^energy \((uJ|mJ)\)$/]);
    expect(root.querySelectorAll('circle.point').length).toBe(14);
    expect(root.querySelectorAll('g.chosen circle').length).toBe(1);
    expect(root.querySelector('g.chosen text')?.textContent).toBe('chosen: m6');
    expect(root.querySelector('path.front')?.getAttribute('d')).toMatch(/^M/);
    expect(root.querySelector('g.color-legend text')?.textContent).toMatch(/^off-chip \((KiB|B)\)$/);
    // grey level follows off-chip bytes: more bytes, darker
    const lum = (p: Element): number => {
      const m = /rgb\((\d+)/.exec(p.getAttribute('fill') ?? '');
      return m ? Number(m[1]) : parseInt((p.getAttribute('fill') ?? '#000000').slice(1, 3), 16);
    };
    const circles = [...root.querySelectorAll('circle.point')];
    expect(lum(circles[0])).toBeGreaterThan(lum(circles[4]));
  });

  it('front2d keeps exactly the points no other point beats in both energy and cycles', () => {
    const s: SearchView = view(readSearch(syntheticSearch(), 'search'));
    const f = front2d(s.points);
    for (const p of s.points) {
      const dominated = s.points.some((q) => q !== p && q.cycles <= p.cycles && q.energy_pJ <= p.energy_pJ && (q.cycles < p.cycles || q.energy_pJ < p.energy_pJ));
      expect(f.includes(p)).toBe(!dominated);
    }
  });

  it('training: energy by phase stacked by level, memory by scheme grouped', () => {
    const t: TrainingView = view(readTraining(syntheticTraining(), 'train'));
    const e = expectChartBasics(trainingEnergyChart(t, 'te')!, [/^energy \(/]);
    expect([...e.querySelectorAll('text.category-label')].map((x) => x.textContent)).toEqual(['forward', 'backward', 'weight_gradient']);
    expect(legendLabels(e)).toEqual(['DRAM', 'GlobalBuffer', 'RegisterFile', 'compute and other']);
    const m = expectChartBasics(trainingMemoryChart(t, 'tm')!, [/^memory \((MiB|KiB)\)$/]);
    expect(m.querySelectorAll('g.bar').length).toBe(4);
    expect(m.querySelectorAll('rect.segment').length).toBe(8);
  });
});

describe('chart robustness', () => {
  it('compare chart: ratio bars to the first result, a baseline line at 1', () => {
    const c = compareChart(['a', 'b', 'c'], [{ label: 'energy', values: [2, 3, 1] }, { label: 'cycles', values: [10, 10, undefined] }], 'cc')!;
    const root = expectChartBasics(c, [/^ratio \(x baseline\)$/]);
    expect(root.querySelectorAll('g.bar').length).toBe(2);
    expect([...root.querySelectorAll('text.value-label')].map((t) => t.textContent)).toEqual(['1.000x / 1.500x / 0.500x', '1.000x / 1.000x / -']);
    expect(compareChart(['a'], [{ label: 'energy', values: [1] }], 'x')).toBeUndefined();
  });

  it('degenerate data (all zero, NaN, a single point) draws finite coordinates', () => {
    const z = barChart({ id: 'z', title: 'zeros', caption: '', series: ['a', 'b'], rows: [{ label: 'r', values: [0, Number.NaN] }], unit: energyUnit(0), quantity: 'energy' });
    expectChartBasics(z, [/energy/]);
    const one = paretoChart({ name: 's', points: [{ energy_pJ: 5, cycles: 7, label: 'only' }], stats: [] }, 'p1')!;
    expectChartBasics(one, [/cycles/]);
    expect(svgDom(one.svg).querySelectorAll('circle.point').length).toBe(1);
  });
});
