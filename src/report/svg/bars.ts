/**
 * Horizontal bar chart, stacked (segments of one bar add up), grouped (one sub-bar per series) or both (`groups`:
 * the sub-bar of each series; series of one sub-bar stack), with a value axis at the bottom, category labels on
 * the left, a legend, an optional reference line and a total at the end of each bar. The building block of most
 * charts in charts/. A chart with no positive value is not drawn (undefined): an empty chart says nothing.
 */
import type { Chart } from '../chart.ts';
import { axisLabel, createCanvas, finishChart, textWidth, type LegendItem } from './canvas.ts';
import { fillOf, GRID, INK } from './style.ts';
import type { Unit } from './units.ts';

export interface BarRow {
  readonly label: string;
  /** One value per series (raw units, e.g. pJ); missing or non-finite values count as 0. */
  readonly values: readonly number[];
  /** Drawn in bold with a thick outline (e.g. the bottleneck level). */
  readonly highlight?: boolean;
  /** Text after the bar instead of its total. */
  readonly note?: string;
}

export interface BarSpec {
  readonly id: string;
  readonly title: string;
  readonly caption: string;
  readonly series: readonly string[];
  readonly rows: readonly BarRow[];
  readonly unit: Unit;
  /** The quantity on the value axis, without the unit: `energy`. */
  readonly quantity: string;
  readonly mode?: 'stacked' | 'grouped';
  /** Sub-bar index of each series (overrides `mode`): series with the same index stack in one sub-bar. */
  readonly groups?: readonly number[];
  readonly refLine?: { readonly value: number; readonly label: string };
  readonly width?: number;
}

const clean = (v: number | undefined): number => (v !== undefined && Number.isFinite(v) && v > 0 ? v : 0);

/** Series that are zero in every row say nothing: leave them out of the bars and the legend. */
function dropEmptySeries(spec: BarSpec): BarSpec {
  const keep = spec.series.map((_, s) => spec.rows.some((r) => clean(r.values[s]) > 0));
  if (keep.every(Boolean) || !keep.some(Boolean)) return spec;
  const pick = <T>(xs: readonly T[]): T[] => xs.filter((_, s) => keep[s]);
  return { ...spec, series: pick(spec.series), groups: spec.groups && pick(spec.groups), rows: spec.rows.map((r) => ({ ...r, values: pick(spec.series.map((_, s) => r.values[s] ?? 0)) })) };
}

/** White outline behind text so a line or bar under it does not cross the letters. */
export const HALO = { 'paint-order': 'stroke', stroke: '#ffffff', 'stroke-width': 3, 'stroke-linejoin': 'round' } as const;

export function barChart(input: BarSpec): Chart | undefined {
  if (!input.rows.some((r) => r.values.some((v) => clean(v) > 0))) return undefined;
  const spec = dropEmptySeries(input);
  const ns = spec.series.length;
  const groupOf = spec.groups ?? spec.series.map((_, i) => (spec.mode === 'grouped' ? i : 0));
  const ng = Math.max(...groupOf) + 1;
  const width = spec.width ?? 760;
  const rows = spec.rows.map((r) => ({ ...r, values: spec.series.map((_, i) => clean(r.values[i]) / spec.unit.div) }));
  const barH = ng > 1 ? Math.max(14, 10 * ng) : 20;
  const step = barH + 10;
  const labelW = Math.min(220, Math.max(60, ...rows.map((r) => textWidth(r.label) + 12)));
  const sums = rows.map((r) => Array.from({ length: ng }, (_, g) => r.values.reduce((a, v, i) => a + (groupOf[i] === g ? v : 0), 0)));
  const totals = sums.map((gs) => Math.max(0, ...gs));
  const fmt = (v: number): string => v.toLocaleString('en-US', { maximumSignificantDigits: 4 });
  const notes = rows.map((r, i) => r.note ?? (totals[i] > 0 ? fmt(totals[i]) : '0'));
  const right = Math.min(width * 0.4, Math.max(60, ...notes.map((n) => textWidth(n) + 14)));
  const fit = (n: string): string => {
    if (textWidth(n) + 14 <= right) return n;
    const keep = Math.max(1, Math.floor((right - 14) / textWidth('x')) - 1);
    return `${n.slice(0, keep)}…`;
  };
  const legend: LegendItem[] = ns > 1 || ng > 1 ? spec.series.map((label, i) => ({ label, series: i })) : [];
  if (spec.refLine) legend.push({ label: spec.refLine.label, line: { dash: '5,3' } });
  const c = createCanvas({ id: spec.id, title: spec.title, width, plotHeight: Math.max(step * rows.length, step), margin: { left: labelW, right, bottom: 44 }, legend, series: ns });
  const d3 = c.d3;
  const ref = spec.refLine ? clean(spec.refLine.value) / spec.unit.div : 0;
  const max = Math.max(ref, ...totals);
  const x = d3.scaleLinear().domain([0, max > 0 ? max : 1]).nice().range([0, c.box.w]);
  const ticks = x.ticks(6);
  c.plot.append('g').attr('class', 'grid').selectAll('line').data(ticks).join('line').attr('x1', (t) => x(t)).attr('x2', (t) => x(t)).attr('y1', 0).attr('y2', c.box.h).attr('stroke', GRID);
  const axis = c.plot.append('g').attr('class', 'axis x-axis').attr('transform', `translate(0,${c.box.h})`);
  axis.call(d3.axisBottom(x).tickValues(ticks).tickFormat(d3.format(spec.unit.tick)));
  axisLabel(c, spec.quantity === spec.unit.name ? spec.unit.name : `${spec.quantity} (${spec.unit.name})`, 'bottom', 36);
  // The reference line goes under the bars and labels: labels keep a white halo where it crosses them.
  if (spec.refLine) {
    c.plot.append('line').attr('class', 'ref-line').attr('x1', x(ref)).attr('x2', x(ref)).attr('y1', 0).attr('y2', c.box.h).attr('stroke', INK).attr('stroke-width', 1.5).attr('stroke-dasharray', '5,3');
  }
  const vfmt = d3.format(',.4~g');
  rows.forEach((r, i) => {
    const y0 = i * step + 5;
    const g = c.plot.append('g').attr('class', 'bar').attr('data-label', r.label);
    c.plot.append('text').attr('class', 'category-label').attr('x', -8).attr('y', y0 + barH / 2 + 4).attr('text-anchor', 'end').attr('font-weight', r.highlight ? 'bold' : null).text(r.label);
    const acc = new Array<number>(ng).fill(0);
    const sub = barH / ng;
    r.values.forEach((v, s) => {
      if (v <= 0) return;
      const gi = groupOf[s];
      const y = y0 + gi * sub;
      const x0 = x(acc[gi]);
      const w = Math.max(0.5, x(acc[gi] + v) - x0);
      g.append('rect').attr('class', 'segment').attr('data-series', spec.series[s]).attr('data-value', v * spec.unit.div).attr('x', x0).attr('y', y).attr('width', w).attr('height', sub).attr('fill', fillOf(spec.id, s)).attr('stroke', INK).attr('stroke-width', r.highlight ? 2 : 0.6)
        .append('title').text(`${r.label} / ${spec.series[s]}: ${vfmt(v)} ${spec.unit.name}`);
      acc[gi] += v;
    });
    const t = c.plot.append('text').attr('class', 'value-label').attr('x', x(totals[i]) + 5).attr('y', y0 + barH / 2 + 4).attr('font-weight', r.highlight ? 'bold' : null).text(fit(notes[i]));
    for (const [k, v] of Object.entries(HALO)) t.attr(k, v);
  });
  return finishChart(c, spec.caption);
}
