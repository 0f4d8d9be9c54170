/**
 * On-chip memory occupancy over a network's schedule, stacked by what is held, against the capacity (dashed) and the
 * peak over the whole run (dotted), with the schedule's blocks as alternating bands.
 */
import type { Chart } from '../chart.ts';
import { HALO } from '../svg/bars.ts';
import { axisLabel, createCanvas, finishChart, textWidth, type LegendItem } from '../svg/canvas.ts';
import { fillOf, GRID, INK } from '../svg/style.ts';
import { bytesUnit, sizeText } from '../svg/units.ts';
import type { Occupancy } from '../views.ts';

/** A run of consecutive steps of one block: steps [from, to). */
export interface StepBand {
  readonly label: string;
  readonly from: number;
  readonly to: number;
}

/** Consecutive steps with the same key as bands (steps without a key belong to no band). */
export function bandsOf(keys: readonly (string | undefined)[]): StepBand[] {
  const out: StepBand[] = [];
  keys.forEach((k, i) => {
    if (k === undefined) return;
    const last = out[out.length - 1];
    if (last && last.label === k && last.to === i) out[out.length - 1] = { ...last, to: i + 1 };
    else out.push({ label: k, from: i, to: i + 1 });
  });
  return out;
}

export function occupancyChart(o: Occupancy, id: string, bands: readonly StepBand[] = []): Chart | undefined {
  if (o.steps.length === 0 || !o.values.some((r) => r.some((v) => v > 0))) return undefined;
  const totals = o.values.map((r) => r.reduce((a, b) => a + Math.max(0, b), 0));
  const max = Math.max(...totals, o.capacityBytes ?? 0, o.peakBytes ?? 0);
  const u = bytesUnit(max);
  const legend: LegendItem[] = o.series.map((label, i) => ({ label, series: i }));
  if (o.capacityBytes !== undefined) legend.push({ label: 'capacity', line: { dash: '5,3' } });
  if (o.peakBytes !== undefined) legend.push({ label: 'peak over the run', line: { dash: '1,2' } });
  const c = createCanvas({ id, title: 'On-chip memory occupancy over the schedule', width: 760, plotHeight: 240, margin: { left: 70, right: 24, bottom: 64 }, legend, series: o.series.length });
  const d3 = c.d3;
  const x = d3.scaleBand<number>().domain(o.steps.map((_, i) => i)).range([0, c.box.w]).padding(o.steps.length > 60 ? 0 : 0.15);
  const y = d3.scaleLinear().domain([0, (max > 0 ? max / u.div : 1) * (bands.length > 1 ? 1.12 : 1)]).nice().range([c.box.h, 0]);
  // block bands under everything: alternate light grey, the block's name at the top where it fits
  const bg = c.plot.append('g').attr('class', 'block-bands');
  const edge = (i: number): number => (i <= 0 ? 0 : i >= o.steps.length ? c.box.w : x(i)! - (x.step() - x.bandwidth()) / 2);
  bands.forEach((b, i) => {
    const x0 = edge(b.from);
    const x1 = edge(b.to);
    const g = bg.append('g').attr('class', 'block-band').attr('data-label', b.label);
    g.append('rect').attr('x', x0).attr('y', 0).attr('width', Math.max(0.5, x1 - x0)).attr('height', c.box.h).attr('fill', i % 2 === 0 ? '#f2f2f2' : '#ffffff');
    if (textWidth(b.label, 10) + 4 <= x1 - x0) g.append('text').attr('x', (x0 + x1) / 2).attr('y', 11).attr('text-anchor', 'middle').attr('font-size', 10).text(b.label);
  });
  c.plot.append('g').attr('class', 'grid').selectAll('line').data(y.ticks(5)).join('line').attr('x1', 0).attr('x2', c.box.w).attr('y1', (t) => y(t)).attr('y2', (t) => y(t)).attr('stroke', GRID);
  const every = Math.ceil(o.steps.length / 16);
  c.plot.append('g').attr('class', 'axis x-axis').attr('transform', `translate(0,${c.box.h})`)
    .call(d3.axisBottom(x).tickValues(x.domain().filter((i) => i % every === 0)).tickFormat((i) => o.steps[i]))
    .selectAll('text').attr('transform', 'rotate(-30)').attr('text-anchor', 'end');
  c.plot.append('g').attr('class', 'axis y-axis').call(d3.axisLeft(y).ticks(5).tickFormat(d3.format('~g')));
  axisLabel(c, 'schedule step', 'bottom', 56);
  axisLabel(c, `on-chip bytes (${u.name})`, 'left', 52);
  o.values.forEach((row, i) => {
    let acc = 0;
    const g = c.plot.append('g').attr('class', 'bar').attr('data-label', o.steps[i]);
    row.forEach((v, s) => {
      if (!(v > 0)) return;
      const y0 = y(acc / u.div);
      const y1 = y((acc + v) / u.div);
      g.append('rect').attr('class', 'segment').attr('data-series', o.series[s]).attr('data-value', v).attr('x', x(i)!).attr('y', y1).attr('width', Math.max(0.5, x.bandwidth())).attr('height', Math.max(0.5, y0 - y1))
        .attr('fill', fillOf(id, s)).attr('stroke', INK).attr('stroke-width', 0.3)
        .append('title').text(`${o.steps[i]} / ${o.series[s]}: ${d3.format(',.4~g')(v)} B`);
      acc += v;
    });
  });
  const labelled: number[] = [];
  const line = (cls: string, bytes: number, dash: string, text: string): void => {
    const yy = y(bytes / u.div);
    // a label that would print over the previous one goes under its line
    const ty = labelled.some((l) => Math.abs(l - (yy - 4)) < 12) ? yy + 12 : yy - 4;
    labelled.push(ty);
    c.plot.append('line').attr('class', `ref-line ${cls}`).attr('data-value', bytes).attr('x1', 0).attr('x2', c.box.w).attr('y1', yy).attr('y2', yy).attr('stroke', INK).attr('stroke-width', 1.5).attr('stroke-dasharray', dash);
    const t = c.plot.append('text').attr('class', 'ref-label').attr('x', c.box.w - 4).attr('y', ty).attr('text-anchor', 'end').attr('font-size', 10).text(text);
    for (const [k, v] of Object.entries(HALO)) t.attr(k, v);
  };
  if (o.capacityBytes !== undefined) line('capacity-line', o.capacityBytes, '5,3', `capacity ${sizeText(o.capacityBytes)}`);
  if (o.peakBytes !== undefined) line('peak-line', o.peakBytes, '1,2', `peak ${sizeText(o.peakBytes)}`);
  const parts = ['Bytes held on chip at each step of the schedule, stacked by what they are'];
  if (o.capacityBytes !== undefined) parts.push('the dashed line is the on-chip capacity');
  if (o.peakBytes !== undefined) parts.push('the dotted line is the peak over the whole run, which the sampled steps need not reach');
  if (bands.length > 1) parts.push('shaded bands are the blocks of the schedule');
  return finishChart(c, `${parts.join('; ')}.`);
}
