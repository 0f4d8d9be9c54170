/**
 * Pipeline timeline: per level, what it is doing over the whole run (fill, drain, busy, ...), from the pipeline
 * timing model. Each state of a lane gets its own sub-row, so overlapping fills and drains stay visible. On the
 * compute lane the gaps between busy spans are drawn as waiting (stall). Where the model kept only the first spans
 * of a lane (capped), the rest of the run is marked "not recorded" instead of looking idle.
 */
import type { Chart } from '../chart.ts';
import { axisLabel, createCanvas, finishChart, textWidth } from '../svg/canvas.ts';
import { fillOf, GRID, INK } from '../svg/style.ts';
import type { EvalView, Span } from '../views.ts';

/** Adjacent spans of one state closer than `gap` cycles become one (keeps the SVG small at any span count). */
export function mergeSpans(spans: readonly Span[], gap: number): Span[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start || a.end - b.end);
  const out: Span[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && last.state === s.state && s.start - last.end <= gap) out[out.length - 1] = { ...last, end: Math.max(last.end, s.end) };
    else out.push(s);
  }
  return out;
}

export const WAITING = 'compute waiting (stall)';
export const NOT_RECORDED = 'not recorded (timeline capped)';
const UNRECORDED_FILL = '#f2f2f2';

/** The gaps between the busy spans of the compute lane, from 0 to its last recorded busy end. */
export function computeGaps(spans: readonly Span[]): Span[] {
  const busy = mergeSpans(spans.filter((s) => s.state === 'busy'), 0);
  const out: Span[] = [];
  let t = 0;
  for (const s of busy) {
    if (s.start > t) out.push({ start: t, end: s.start, state: WAITING });
    t = Math.max(t, s.end);
  }
  return out;
}

export function timelineChart(e: EvalView, id: string): Chart | undefined {
  const tl = e.timing.timeline;
  if (!tl) return undefined;
  const lanes = tl.lanes.map((lane) => {
    const last = Math.max(...lane.spans.map((s) => s.end));
    const capped = lane.spansTotal !== undefined && lane.spansTotal > lane.spans.length;
    const gaps = lane.level === 'compute' ? computeGaps(lane.spans) : [];
    return { ...lane, last, capped, spansRecorded: lane.spans.length, spans: [...lane.spans, ...gaps] };
  });
  const run = Math.max(e.timing.cycles ?? e.totals.cycles, ...lanes.map((l) => l.last));
  const states: string[] = [];
  for (const lane of lanes) for (const s of lane.spans) if (!states.includes(s.state)) states.push(s.state);
  states.sort((a, b) => (a === 'busy' ? -1 : b === 'busy' ? 1 : 0));
  const anyCapped = lanes.some((l) => l.capped && l.last < run);
  const legendStates = states;
  const width = 760;
  const labelW = Math.min(200, Math.max(60, ...lanes.map((l) => textWidth(l.level) + 12)));
  const laneStates = lanes.map((l) => states.filter((st) => l.spans.some((s) => s.state === st)));
  const subH = 12;
  const laneH = laneStates.map((ss) => Math.max(1, ss.length) * subH + 4);
  const laneY = laneH.map((_, i) => laneH.slice(0, i).reduce((a, h) => a + h + 8, 0));
  const c = createCanvas({
    id,
    title: `Pipeline timeline per level: ${e.name}`,
    width,
    plotHeight: laneY[laneY.length - 1] + laneH[laneH.length - 1] + 4,
    margin: { left: labelW, right: 24, bottom: 44 },
    legend: [...legendStates.map((label, i) => ({ label, series: i })), ...(anyCapped ? [{ label: NOT_RECORDED, fill: UNRECORDED_FILL }] : [])],
    series: legendStates.length,
  });
  const d3 = c.d3;
  const x = d3.scaleLinear().domain([0, run > 0 ? run : 1]).range([0, c.box.w]);
  const ticks = x.ticks(6);
  c.plot.append('g').attr('class', 'grid').selectAll('line').data(ticks).join('line').attr('x1', (t) => x(t)).attr('x2', (t) => x(t)).attr('y1', 0).attr('y2', c.box.h).attr('stroke', GRID);
  c.plot.append('g').attr('class', 'axis x-axis').attr('transform', `translate(0,${c.box.h})`).call(d3.axisBottom(x).tickValues(ticks).tickFormat(d3.format('~s')));
  axisLabel(c, 'time (cycles)', 'bottom', 36);
  const gap = (run / c.box.w) * 0.5;
  lanes.forEach((lane, i) => {
    const y = laneY[i] + 2;
    const h = laneH[i];
    c.plot.append('text').attr('class', 'category-label').attr('x', -8).attr('y', y + h / 2 + 2).attr('text-anchor', 'end').text(lane.level);
    c.plot.append('rect').attr('class', 'lane').attr('x', 0).attr('y', y - 2).attr('width', c.box.w).attr('height', h).attr('fill', 'none').attr('stroke', GRID);
    const g = c.plot.append('g').attr('class', 'bar').attr('data-label', lane.level);
    const rowOf = laneStates[i];
    for (const s of mergeSpans(lane.spans, gap)) {
      const r = rowOf.indexOf(s.state);
      g.append('rect').attr('class', 'segment').attr('data-series', s.state).attr('data-value', s.end - s.start).attr('x', x(s.start)).attr('y', y + r * subH).attr('width', Math.max(0.5, x(s.end) - x(s.start))).attr('height', subH)
        .attr('fill', fillOf(id, legendStates.indexOf(s.state))).attr('stroke', INK).attr('stroke-width', 0.3);
    }
    if (lane.capped && lane.last < run) {
      const what = `the model recorded the first ${lane.spansRecorded.toLocaleString('en-US')} of ${(lane.spansTotal ?? 0).toLocaleString('en-US')} spans`;
      c.plot.append('rect').attr('class', 'not-recorded').attr('data-series', NOT_RECORDED).attr('x', x(lane.last)).attr('y', y - 2).attr('width', Math.max(0.5, x(run) - x(lane.last))).attr('height', h)
        .attr('fill', UNRECORDED_FILL).attr('stroke', GRID).attr('stroke-width', 0.5)
        .append('title').text(`${lane.level}: ${what} (up to cycle ${Math.round(lane.last).toLocaleString('en-US')})`);
      if (x(run) - x(lane.last) > textWidth(`not recorded: ${what}`) + 12) {
        c.plot.append('text').attr('class', 'capped-label').attr('x', x(lane.last) + 6).attr('y', y + h / 2 + 2).attr('font-style', 'italic').attr('fill', '#555555').text(`not recorded: ${what}`);
      }
    }
  });
  const capped = anyCapped ? ' The model keeps only the first spans of a lane; past them the lane is marked "not recorded" (the per-level totals in the table and the activity chart cover the whole run).' : '';
  return finishChart(c, `The whole run (${Math.round(run).toLocaleString('en-US')} cycles) left to right; each lane is a level, each sub-row one state; nearby spans of one state are merged at this resolution. On the compute lane, gaps between busy spans are the array waiting.${capped}`);
}
