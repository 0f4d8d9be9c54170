/**
 * Pareto front of a search: energy vs cycles, off-chip bytes as grey level, the chosen point ringed, and labelled
 * reference points (explore's uniform schedules) as squares.
 */
import type { Chart } from '../chart.ts';
import { HALO } from '../svg/bars.ts';
import { axisLabel, createCanvas, finishChart, textWidth, type LegendItem } from '../svg/canvas.ts';
import { placeLabels, type LabelRequest, type Marker } from '../svg/labels.ts';
import { GRID, INK } from '../svg/style.ts';
import { bytesUnit, energyUnit, sizeText } from '../svg/units.ts';
import type { SearchPoint, SearchView } from '../views.ts';

/** Points not dominated in (cycles, energy), sorted by cycles: the 2-D front drawn as a staircase. */
export function front2d(points: readonly SearchPoint[]): SearchPoint[] {
  const sorted = [...points].sort((a, b) => a.cycles - b.cycles || a.energy_pJ - b.energy_pJ);
  const out: SearchPoint[] = [];
  for (const p of sorted) if (out.length === 0 || p.energy_pJ < out[out.length - 1].energy_pJ) out.push(p);
  return out;
}

/** The data range with a margin; a range much narrower than its values (equal up to rounding) gets a visible one. */
const pad = (lo: number, hi: number): [number, number] => {
  const span = Math.max(hi - lo, 0.02 * Math.abs(hi)) || 1;
  return [Math.max(0, lo - 0.08 * span), hi + 0.08 * span];
};

/** Label text height at 11 px, and the width of bold text relative to regular. */
const LABEL_H = 13;
const BOLD = 1.1;

export function paretoChart(s: SearchView, id: string, title = `Search result: energy vs cycles: ${s.name}`): Chart | undefined {
  const pts = s.chosen && !s.points.includes(s.chosen) ? [...s.points, s.chosen] : [...s.points];
  const all = [...pts, ...s.references];
  if (!all.some((p) => p.energy_pJ > 0)) return undefined;
  const withBytes = all.filter((p) => p.offchip_bytes !== undefined);
  const staircase = front2d(pts);
  const legend: LegendItem[] = [{ label: 'design point', marker: 'circle' }, ...(staircase.length > 1 ? [{ label: 'front (energy vs cycles)', line: { dash: '4,3' } }] : [])];
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
    const line = d3.line<SearchPoint>().x((p) => x(p.cycles)).y((p) => y(p.energy_pJ / eu.div)).curve(d3.curveStepAfter);
    c.plot.append('path').attr('class', 'front').attr('d', line(staircase) ?? '').attr('fill', 'none').attr('stroke', INK).attr('stroke-width', 1.2).attr('stroke-dasharray', '4,3');
    c.plot.append('g').attr('class', 'points').selectAll('circle').data(pts).join('circle').attr('class', 'point').attr('data-value', (p) => p.energy_pJ)
      .attr('cx', (p) => x(p.cycles)).attr('cy', (p) => y(p.energy_pJ / eu.div)).attr('r', 4).attr('fill', (p) => grey(p.offchip_bytes)).attr('stroke', INK).attr('stroke-width', 0.8)
      .append('title').text(tip);
  }
  const at = (p: SearchPoint): [number, number] => [x(p.cycles), y(p.energy_pJ / eu.div)];
  // Labels (the chosen point's first, then the references') are placed clear of each other and of every mark.
  const markers: Marker[] = [...pts.map((p) => ({ x: at(p)[0], y: at(p)[1], r: 4.5 })), ...s.references.map((p) => ({ x: at(p)[0], y: at(p)[1], r: 5.5 }))];
  const chosenText = s.chosen ? `chosen: ${s.chosen.label}` : '';
  const requests: LabelRequest[] = [
    ...(s.chosen ? [{ x: at(s.chosen)[0], y: at(s.chosen)[1], r: 10, w: textWidth(chosenText) * BOLD, h: LABEL_H }] : []),
    ...s.references.map((p) => ({ x: at(p)[0], y: at(p)[1], r: 5.5, w: textWidth(p.label), h: LABEL_H })),
  ];
  if (s.chosen) markers.push({ x: at(s.chosen)[0], y: at(s.chosen)[1], r: 10 });
  const places = placeLabels(requests, markers, c.box);
  const label = (g: typeof c.plot, i: number, cls: string, text: string, bold: boolean): void => {
    const { box, ring } = places[i];
    const q = requests[i];
    if (ring > 0) {
      // a leader from the mark's edge to the nearest point of the label's box
      const nx = Math.min(Math.max(q.x, box.x), box.x + box.w);
      const ny = Math.min(Math.max(q.y, box.y), box.y + box.h);
      const d = Math.hypot(nx - q.x, ny - q.y) || 1;
      g.append('line').attr('class', 'leader').attr('x1', q.x + ((nx - q.x) * q.r) / d).attr('y1', q.y + ((ny - q.y) * q.r) / d).attr('x2', nx).attr('y2', ny).attr('stroke', INK).attr('stroke-width', 0.7);
    }
    const t = g.append('text').attr('class', cls).attr('x', box.x).attr('y', box.y + box.h - 3).attr('font-weight', bold ? 'bold' : null).text(text);
    for (const [k, v] of Object.entries(HALO)) t.attr(k, v);
  };
  const refs = c.plot.append('g').attr('class', 'references');
  const first = s.chosen ? 1 : 0;
  s.references.forEach((p) => {
    const [cx, cy] = at(p);
    refs.append('g').attr('class', 'reference').append('rect').attr('class', 'point reference-point').attr('data-value', p.energy_pJ).attr('x', cx - 4.5).attr('y', cy - 4.5).attr('width', 9).attr('height', 9).attr('fill', grey(p.offchip_bytes)).attr('stroke', INK).attr('stroke-width', 1.2)
      .append('title').text(tip(p));
  });
  let chosenG: typeof c.plot | undefined;
  if (s.chosen) {
    const [cx, cy] = at(s.chosen);
    chosenG = c.plot.append('g').attr('class', 'chosen');
    chosenG.append('circle').attr('cx', cx).attr('cy', cy).attr('r', 9).attr('fill', 'none').attr('stroke', INK).attr('stroke-width', 2);
  }
  // text last, so no mark is drawn over a label
  const labels = c.plot.append('g').attr('class', 'labels');
  s.references.forEach((p, i) => label(labels.append('g').attr('class', 'reference'), first + i, 'reference-label', p.label, false));
  if (chosenG) label(chosenG, 0, 'chosen-label', chosenText, true);
  if (withBytes.length > 0 && bmax === bmin) {
    // one off-chip value for every mark: say it, no scale
    const lg = c.plot.append('g').attr('class', 'color-legend').attr('transform', `translate(${c.box.w + 24},20)`);
    lg.append('text').attr('x', 0).attr('y', -8).text('off-chip (all)');
    lg.append('text').attr('x', 0).attr('y', 8).text(sizeText(bmax));
  } else if (withBytes.length > 0) {
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
