/**
 * Side-by-side totals of several results as ratios to the first (the baseline), on a log axis: a bar from 1 to
 * the ratio, so 0.5x and 2x are equally long and one 700x metric does not flatten the rest. A ratio a log axis
 * cannot show (a zero baseline: "new"; a zero value: "0") is written at the baseline instead of drawn.
 */
import type { Chart } from '../chart.ts';
import { HALO } from '../svg/bars.ts';
import { axisLabel, createCanvas, finishChart, textWidth } from '../svg/canvas.ts';
import { fillOf, GRID, INK } from '../svg/style.ts';
import { logTicks } from '../svg/ticks.ts';

export { logTicks } from '../svg/ticks.ts';

export interface CompareMetric {
  readonly label: string;
  /** One value per result; undefined where a result lacks it. */
  readonly values: readonly (number | undefined)[];
}

/** `B / A` as text: `1.500x`, `new` (A is 0, B is not), `same (0)` (both 0), `0x`, `-` (either missing). */
export function ratioText(v: number | undefined, base: number | undefined): string {
  if (v === undefined || base === undefined) return '-';
  if (base === 0) return v === 0 ? 'same (0)' : 'new (baseline 0)';
  return `${(v / base).toFixed(3)}x`;
}

export function compareChart(names: readonly string[], metrics: readonly CompareMetric[], id: string): Chart | undefined {
  if (names.length < 2) return undefined;
  const rows = metrics.filter((m) => m.values[0] !== undefined && m.values.some((v, i) => i > 0 && v !== undefined));
  const ratios = rows.flatMap((m) => m.values.slice(1).flatMap((v) => (v !== undefined && m.values[0]! > 0 && v > 0 ? [v / m.values[0]!] : [])));
  if (ratios.length === 0) return undefined;
  const others = names.slice(1);
  const lo = Math.min(1, ...ratios) / 1.25;
  const hi = Math.max(1, ...ratios) * 1.25;
  const subH = 14;
  const barH = subH * others.length;
  const step = barH + 12;
  const labelW = Math.min(220, Math.max(60, ...rows.map((m) => textWidth(m.label) + 12)));
  const c = createCanvas({
    id,
    title: `Compared with ${names[0]}: ratio per metric (log scale, lower is better)`,
    width: 760,
    plotHeight: step * rows.length,
    margin: { left: labelW, right: 76, bottom: 44 },
    legend: [...others.map((label, i) => ({ label: `${label} / ${names[0]}`, series: i })), { label: `1 = ${names[0]}`, line: { dash: '5,3' } }],
    series: others.length,
  });
  const d3 = c.d3;
  const x = d3.scaleLog().domain([lo, hi]).range([0, c.box.w]);
  const ticks = logTicks(lo, hi);
  c.plot.append('g').attr('class', 'grid').selectAll('line').data(ticks).join('line').attr('x1', (t) => x(t)).attr('x2', (t) => x(t)).attr('y1', 0).attr('y2', c.box.h).attr('stroke', GRID);
  c.plot.append('g').attr('class', 'axis x-axis').attr('transform', `translate(0,${c.box.h})`).call(d3.axisBottom(x).tickValues(ticks).tickFormat((t) => `${d3.format('~g')(Number(t))}x`));
  axisLabel(c, `ratio to ${names[0]} (x, log scale)`, 'bottom', 36);
  const one = x(1);
  c.plot.append('line').attr('class', 'ref-line').attr('x1', one).attr('x2', one).attr('y1', 0).attr('y2', c.box.h).attr('stroke', INK).attr('stroke-width', 1.5).attr('stroke-dasharray', '5,3');
  rows.forEach((m, i) => {
    const y0 = i * step + 6;
    c.plot.append('text').attr('class', 'category-label').attr('x', -8).attr('y', y0 + barH / 2 + 4).attr('text-anchor', 'end').text(m.label);
    const g = c.plot.append('g').attr('class', 'bar').attr('data-label', m.label);
    const base = m.values[0]!;
    m.values.slice(1).forEach((v, k) => {
      const y = y0 + k * subH;
      const text = ratioText(v, base);
      let tx = one + 4;
      let anchor = 'start';
      if (v !== undefined && base > 0 && v > 0) {
        const r = v / base;
        const a = Math.min(one, x(r));
        const w = Math.max(0.8, Math.abs(x(r) - one));
        g.append('rect').attr('class', 'segment').attr('data-series', `${others[k]} / ${names[0]}`).attr('data-value', r).attr('x', a).attr('y', y + 1).attr('width', w).attr('height', subH - 2).attr('fill', fillOf(id, k)).attr('stroke', INK).attr('stroke-width', 0.6)
          .append('title').text(`${m.label}: ${others[k]} / ${names[0]} = ${text}`);
        if (r < 1) {
          tx = a - 4;
          anchor = 'end';
        } else tx = a + w + 4;
        if (anchor === 'end' && tx < textWidth(text)) {
          tx = one + 4;
          anchor = 'start';
        }
        if (anchor === 'start' && tx + textWidth(text, 10) > c.box.w + 72) {
          tx = Math.min(one, x(r)) - 4;
          anchor = 'end';
        }
      }
      const t = c.plot.append('text').attr('class', 'value-label').attr('x', tx).attr('y', y + subH - 3).attr('text-anchor', anchor).attr('font-size', 10).text(text);
      for (const [key, val] of Object.entries(HALO)) t.attr(key, val);
    });
  });
  return finishChart(c, `Each metric of each result divided by the same metric of ${names[0]}, on a log scale centred on 1 (the dashed line): bars to the left are smaller than the baseline, to the right larger. "new" marks a metric that is 0 in the baseline.`);
}
