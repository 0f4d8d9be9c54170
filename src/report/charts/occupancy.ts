/** On-chip memory occupancy over a network's schedule, stacked by what is held, against the capacity. */
import type { Chart } from '../chart.ts';
import { axisLabel, createCanvas, finishChart } from '../svg/canvas.ts';
import { fillOf, GRID, INK } from '../svg/style.ts';
import { bytesUnit } from '../svg/units.ts';
import type { Occupancy } from '../views.ts';

export function occupancyChart(o: Occupancy, id: string): Chart | undefined {
  if (o.steps.length === 0 || !o.values.some((r) => r.some((v) => v > 0))) return undefined;
  const totals = o.values.map((r) => r.reduce((a, b) => a + Math.max(0, b), 0));
  const max = Math.max(...totals, o.capacityBytes ?? 0);
  const u = bytesUnit(max);
  const legend = o.series.map((label, i) => ({ label, series: i }));
  const c = createCanvas({
    id,
    title: 'On-chip memory occupancy over the schedule',
    width: 760,
    plotHeight: 240,
    margin: { left: 70, right: 24, bottom: 64 },
    legend: o.capacityBytes !== undefined ? [...legend, { label: 'capacity', line: { dash: '5,3' } }] : legend,
    series: o.series.length,
  });
  const d3 = c.d3;
  const x = d3.scaleBand<number>().domain(o.steps.map((_, i) => i)).range([0, c.box.w]).padding(o.steps.length > 60 ? 0 : 0.15);
  const y = d3.scaleLinear().domain([0, max > 0 ? max / u.div : 1]).nice().range([c.box.h, 0]);
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
        .attr('fill', fillOf(id, s)).attr('stroke', INK).attr('stroke-width', 0.3);
      acc += v;
    });
  });
  if (o.capacityBytes !== undefined) {
    c.plot.append('line').attr('class', 'ref-line').attr('x1', 0).attr('x2', c.box.w).attr('y1', y(o.capacityBytes / u.div)).attr('y2', y(o.capacityBytes / u.div)).attr('stroke', INK).attr('stroke-width', 1.5).attr('stroke-dasharray', '5,3');
  }
  return finishChart(c, 'Bytes held on chip at each step of the schedule, stacked by what they are; the dashed line is the on-chip capacity.');
}
