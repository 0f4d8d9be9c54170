/** Pipeline timeline: per level, what it is doing over time (busy, stall, ...), from the pipeline timing model. */
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

export function timelineChart(e: EvalView, id: string): Chart | undefined {
  const tl = e.timing.timeline;
  if (!tl) return undefined;
  const states: string[] = [];
  for (const lane of tl.lanes) for (const s of lane.spans) if (!states.includes(s.state)) states.push(s.state);
  states.sort((a, b) => (a === 'busy' ? -1 : b === 'busy' ? 1 : 0));
  const end = Math.max(...tl.lanes.flatMap((l) => l.spans.map((s) => s.end)));
  const width = 760;
  const labelW = Math.min(200, Math.max(60, ...tl.lanes.map((l) => textWidth(l.level) + 12)));
  const laneH = 22;
  const c = createCanvas({
    id,
    title: `Pipeline timeline per level: ${e.name}`,
    width,
    plotHeight: tl.lanes.length * (laneH + 8),
    margin: { left: labelW, right: 24, bottom: 44 },
    legend: states.map((label, i) => ({ label, series: i })),
  });
  const d3 = c.d3;
  const x = d3.scaleLinear().domain([0, end > 0 ? end : 1]).range([0, c.box.w]);
  const ticks = x.ticks(6);
  c.plot.append('g').attr('class', 'grid').selectAll('line').data(ticks).join('line').attr('x1', (t) => x(t)).attr('x2', (t) => x(t)).attr('y1', 0).attr('y2', c.box.h).attr('stroke', GRID);
  c.plot.append('g').attr('class', 'axis x-axis').attr('transform', `translate(0,${c.box.h})`).call(d3.axisBottom(x).tickValues(ticks).tickFormat(d3.format('~s')));
  axisLabel(c, 'time (cycles)', 'bottom', 36);
  const gap = (end / c.box.w) * 0.5;
  tl.lanes.forEach((lane, i) => {
    const y = i * (laneH + 8) + 4;
    c.plot.append('text').attr('class', 'category-label').attr('x', -8).attr('y', y + laneH / 2 + 4).attr('text-anchor', 'end').text(lane.level);
    c.plot.append('rect').attr('class', 'lane').attr('x', 0).attr('y', y).attr('width', c.box.w).attr('height', laneH).attr('fill', 'none').attr('stroke', GRID);
    const g = c.plot.append('g').attr('class', 'bar').attr('data-label', lane.level);
    const last = Math.max(...lane.spans.map((s) => s.end));
    if (lane.spansTotal !== undefined && lane.spansTotal > lane.spans.length && x(last) + 8 < c.box.w - 60) {
      c.plot.append('text').attr('class', 'capped-label').attr('x', x(last) + 6).attr('y', y + laneH / 2 + 4).attr('font-style', 'italic')
        .text(`first ${lane.spans.length.toLocaleString('en-US')} of ${lane.spansTotal.toLocaleString('en-US')} spans`);
    }
    for (const s of mergeSpans(lane.spans, gap)) {
      g.append('rect').attr('class', 'segment').attr('data-series', s.state).attr('x', x(s.start)).attr('y', y).attr('width', Math.max(0.5, x(s.end) - x(s.start))).attr('height', laneH)
        .attr('fill', fillOf(id, states.indexOf(s.state))).attr('stroke', INK).attr('stroke-width', 0.3);
    }
  });
  const capped = tl.capped ? ' The model capped the timeline to a maximum size, so it may show only part of the run.' : '';
  return finishChart(c, `Each lane is a level; each box a span of cycles in the named state (nearby spans of one state are merged at this resolution).${capped}`);
}
