/**
 * Pareto front of a search: energy vs cycles, off-chip bytes as grey level, the chosen point ringed, and labelled
 * reference points (explore's uniform schedules) as squares.
 */
import type { Chart } from '../chart.ts';
import { HALO } from '../svg/bars.ts';
import { axisLabel, createCanvas, finishChart, type LegendItem } from '../svg/canvas.ts';
import { GRID, INK } from '../svg/style.ts';
import { bytesUnit, energyUnit } from '../svg/units.ts';
import type { SearchPoint, SearchView } from '../views.ts';

/** Points not dominated in (cycles, energy), sorted by cycles: the 2-D front drawn as a staircase. */
export function front2d(points: readonly SearchPoint[]): SearchPoint[] {
  const sorted = [...points].sort((a, b) => a.cycles - b.cycles || a.energy_pJ - b.energy_pJ);
  const out: SearchPoint[] = [];
  for (const p of sorted) if (out.length === 0 || p.energy_pJ < out[out.length - 1].energy_pJ) out.push(p);
  return out;
}

const pad = (lo: number, hi: number): [number, number] => {
  const span = hi - lo || Math.abs(hi) || 1;
  return [Math.max(0, lo - 0.08 * span), hi + 0.08 * span];
};

export function paretoChart(s: SearchView, id: string, title = `Search result: energy vs cycles: ${s.name}`): Chart | undefined {
  const pts = s.chosen && !s.points.includes(s.chosen) ? [...s.points, s.chosen] : [...s.points];
  const all = [...pts, ...s.references];
  if (!all.some((p) => p.energy_pJ > 0)) return undefined;
  const withBytes = all.filter((p) => p.offchip_bytes !== undefined);
  const legend: LegendItem[] = [{ label: 'design point', marker: 'circle' }, { label: 'front (energy vs cycles)', line: { dash: '4,3' } }];
  if (s.chosen) legend.push({ label: `chosen: ${s.chosen.label}`, marker: 'ring' });
  if (s.references.length > 0) legend.push({ label: 'reference (labelled)', marker: 'square' });
  const c = createCanvas({ id, title, width: 760, plotHeight: 320, margin: { left: 78, right: 120, bottom: 48 }, legend });
  const d3 = c.d3;
  const eu = energyUnit(Math.max(...all.map((p) => p.energy_pJ)));
  const x = d3.scaleLinear().domain(pad(Math.min(...all.map((p) => p.cycles)), Math.max(...all.map((p) => p.cycles)))).nice().range([0, c.box.w]);
  const y = d3.scaleLinear().domain(pad(Math.min(...all.map((p) => p.energy_pJ)) / eu.div, Math.max(...all.map((p) => p.energy_pJ)) / eu.div)).nice().range([c.box.h, 0]);
  c.plot.append('g').attr('class', 'grid').selectAll('line').data(y.ticks(6)).join('line').attr('x1', 0).attr('x2', c.box.w).attr('y1', (t) => y(t)).attr('y2', (t) => y(t)).attr('stroke', GRID);
  c.plot.append('g').attr('class', 'axis x-axis').attr('transform', `translate(0,${c.box.h})`).call(d3.axisBottom(x).ticks(6).tickFormat(d3.format('~s')));
  c.plot.append('g').attr('class', 'axis y-axis').call(d3.axisLeft(y).ticks(6).tickFormat(d3.format('~g')));
  axisLabel(c, 'latency (cycles)', 'bottom', 38);
  axisLabel(c, `energy (${eu.name})`, 'left', 60);
  const bmin = withBytes.length ? Math.min(...withBytes.map((p) => p.offchip_bytes!)) : 0;
  const bmax = withBytes.length ? Math.max(...withBytes.map((p) => p.offchip_bytes!)) : 0;
  const grey = (b: number | undefined): string => (b === undefined ? '#ffffff' : d3.interpolateGreys(0.15 + 0.8 * (bmax > bmin ? (b - bmin) / (bmax - bmin) : 0.5)));
  const fmt = d3.format(',.4~g');
  const tip = (p: SearchPoint): string => `${p.label}: ${fmt(p.energy_pJ / eu.div)} ${eu.name}, ${fmt(p.cycles)} cycles${p.offchip_bytes !== undefined ? `, ${fmt(p.offchip_bytes)} B off-chip` : ''}`;
  if (pts.length > 0) {
    const f = front2d(pts);
    const line = d3.line<SearchPoint>().x((p) => x(p.cycles)).y((p) => y(p.energy_pJ / eu.div)).curve(d3.curveStepAfter);
    c.plot.append('path').attr('class', 'front').attr('d', line(f) ?? '').attr('fill', 'none').attr('stroke', INK).attr('stroke-width', 1.2).attr('stroke-dasharray', '4,3');
    c.plot.append('g').attr('class', 'points').selectAll('circle').data(pts).join('circle').attr('class', 'point').attr('data-value', (p) => p.energy_pJ)
      .attr('cx', (p) => x(p.cycles)).attr('cy', (p) => y(p.energy_pJ / eu.div)).attr('r', 4).attr('fill', (p) => grey(p.offchip_bytes)).attr('stroke', INK).attr('stroke-width', 0.8)
      .append('title').text(tip);
  }
  const refs = c.plot.append('g').attr('class', 'references');
  s.references.forEach((p, i) => {
    const cx = x(p.cycles);
    const cy = y(p.energy_pJ / eu.div);
    const g = refs.append('g').attr('class', 'reference');
    g.append('rect').attr('class', 'point reference-point').attr('data-value', p.energy_pJ).attr('x', cx - 4.5).attr('y', cy - 4.5).attr('width', 9).attr('height', 9).attr('fill', grey(p.offchip_bytes)).attr('stroke', INK).attr('stroke-width', 1.2)
      .append('title').text(tip(p));
    // Labels alternate above and below so neighbouring references do not print over each other.
    const t = g.append('text').attr('class', 'reference-label').attr('x', cx + 7).attr('y', cy + (i % 2 === 0 ? -7 : 14)).text(p.label);
    for (const [k, v] of Object.entries(HALO)) t.attr(k, v);
  });
  if (s.chosen) {
    const cx = x(s.chosen.cycles);
    const cy = y(s.chosen.energy_pJ / eu.div);
    const g = c.plot.append('g').attr('class', 'chosen');
    g.append('circle').attr('cx', cx).attr('cy', cy).attr('r', 9).attr('fill', 'none').attr('stroke', INK).attr('stroke-width', 2);
    const t = g.append('text').attr('x', Math.min(cx + 12, c.box.w - 6)).attr('y', cy + 22 > c.box.h - 4 ? cy - 14 : cy + 22).attr('text-anchor', cx + 12 > c.box.w - 120 ? 'end' : 'start').attr('font-weight', 'bold').text(`chosen: ${s.chosen.label}`);
    for (const [k, v] of Object.entries(HALO)) t.attr(k, v);
  }
  if (withBytes.length > 0) {
    const bu = bytesUnit(bmax);
    const gid = `${id}-greys`;
    const grad = c.defs.append('linearGradient').attr('id', gid).attr('x1', 0).attr('x2', 0).attr('y1', 1).attr('y2', 0);
    for (const t of [0, 0.5, 1]) grad.append('stop').attr('offset', t).attr('stop-color', d3.interpolateGreys(0.15 + 0.8 * t));
    const lg = c.plot.append('g').attr('class', 'color-legend').attr('transform', `translate(${c.box.w + 24},20)`);
    lg.append('text').attr('x', 0).attr('y', -8).text(`off-chip (${bu.name})`);
    lg.append('rect').attr('width', 14).attr('height', 120).attr('fill', `url(#${gid})`).attr('stroke', INK).attr('stroke-width', 0.6);
    lg.append('text').attr('x', 20).attr('y', 10).text(fmt(bmax / bu.div));
    lg.append('text').attr('x', 20).attr('y', 120).text(fmt(bmin / bu.div));
  }
  const refText = s.references.length > 0 ? ' Squares are the labelled reference points (not part of the front).' : '';
  return finishChart(c, `Each circle is a design point of the result; darker marks move more bytes off-chip. The dashed staircase joins the points no other point beats in both energy and cycles; the ring marks the chosen point.${refText}`);
}
