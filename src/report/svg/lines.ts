/**
 * Line chart of a few series over a numeric x (e.g. buffer size), optionally on a log2 x axis: each series a
 * dash pattern and a marker shape, so it reads in grey scale; a value a series lacks leaves a gap.
 */
import type { Chart } from '../chart.ts';
import { axisLabel, createCanvas, d3lib, finishChart, type LegendItem } from './canvas.ts';
import { GRID, INK } from './style.ts';
import { logTicks } from './ticks.ts';
import type { Unit } from './units.ts';

export interface LineSeries {
  readonly label: string;
  /** One value per x (raw units); undefined: not present. */
  readonly values: readonly (number | undefined)[];
}

export interface LineSpec {
  readonly id: string;
  readonly title: string;
  readonly caption: string;
  readonly x: readonly number[];
  readonly xLabel: string;
  readonly xLog2?: boolean;
  readonly xTick: (v: number) => string;
  readonly series: readonly LineSeries[];
  readonly yUnit: Unit;
  readonly yQuantity: string;
}

const DASHES = [null, '6,3', '2,2', '8,3,2,3', '1,3', '10,4'];
const FILLS = ['#111111', '#ffffff', '#8c8c8c', '#ffffff', '#111111', '#d4d4d4'];

export function lineChart(spec: LineSpec): Chart | undefined {
  const vals = spec.series.flatMap((s) => s.values.filter((v): v is number => v !== undefined && Number.isFinite(v)));
  if (spec.x.length === 0 || !vals.some((v) => v > 0) || (spec.xLog2 && spec.x.some((v) => !(v > 0)))) return undefined;
  const l3 = d3lib();
  const symbols = [l3.symbolCircle, l3.symbolSquare, l3.symbolTriangle, l3.symbolDiamond, l3.symbolCross, l3.symbolStar, l3.symbolWye];
  const sym = (i: number): string => l3.symbol(symbols[i % symbols.length], 48)() ?? '';
  const legend: LegendItem[] = spec.series.map((s, i) => ({ label: s.label, line: { dash: DASHES[i % DASHES.length] ?? undefined }, symbol: sym(i), fill: FILLS[i % FILLS.length] }));
  const c = createCanvas({ id: spec.id, title: spec.title, width: 760, plotHeight: 280, margin: { left: 78, right: 30, bottom: 48 }, legend });
  const d3 = c.d3;
  const xs = spec.x;
  const x = spec.xLog2
    ? d3.scaleLog().base(2).domain([Math.min(...xs), Math.max(...xs) === Math.min(...xs) ? Math.min(...xs) * 2 : Math.max(...xs)]).range([0, c.box.w])
    : d3.scaleLinear().domain([Math.min(0, ...xs), Math.max(...xs) || 1]).nice().range([0, c.box.w]);
  const ymax = Math.max(...vals) / spec.yUnit.div;
  const ymin = Math.min(...vals) / spec.yUnit.div;
  // Values over more than 50x (all positive) go on a log axis, so the small ones do not flatten into the x axis.
  const yLog = ymin > 0 && ymax / ymin > 50;
  const y = yLog ? d3.scaleLog().domain([ymin / 1.3, ymax * 1.3]).range([c.box.h, 0]) : d3.scaleLinear().domain([0, ymax > 0 ? ymax * 1.05 : 1]).nice().range([c.box.h, 0]);
  const yTicks = yLog ? logTicks(ymin / 1.3, ymax * 1.3) : y.ticks(6);
  c.plot.append('g').attr('class', 'grid').selectAll('line').data(yTicks).join('line').attr('x1', 0).attr('x2', c.box.w).attr('y1', (t) => y(t)).attr('y2', (t) => y(t)).attr('stroke', GRID);
  c.plot.append('g').attr('class', 'axis x-axis').attr('transform', `translate(0,${c.box.h})`).call(d3.axisBottom(x).tickValues([...xs]).tickFormat((v) => spec.xTick(Number(v))))
    .selectAll('text').attr('transform', 'rotate(-25)').attr('text-anchor', 'end');
  c.plot.append('g').attr('class', 'axis y-axis').call(d3.axisLeft(y).tickValues(yTicks).tickFormat((v) => d3.format(spec.yUnit.tick)(Number(v))));
  axisLabel(c, spec.xLabel, 'bottom', 44);
  axisLabel(c, `${spec.yQuantity}${yLog ? ', log scale' : ''} (${spec.yUnit.name})`, 'left', 60);
  const fmt = d3.format(',.4~g');
  spec.series.forEach((s, i) => {
    const g = c.plot.append('g').attr('class', 'series').attr('data-series', s.label);
    const pts = s.values.map((v, k) => [xs[k], v] as const).filter((p): p is readonly [number, number] => p[1] !== undefined && Number.isFinite(p[1]));
    const line = d3.line<readonly [number, number]>().x((p) => x(p[0])).y((p) => y(p[1] / spec.yUnit.div));
    g.append('path').attr('class', 'series-line').attr('d', line(pts) ?? '').attr('fill', 'none').attr('stroke', INK).attr('stroke-width', 1.5).attr('stroke-dasharray', DASHES[i % DASHES.length]);
    for (const [px, v] of pts) {
      g.append('path').attr('class', 'point').attr('data-value', v).attr('d', sym(i)).attr('transform', `translate(${x(px)},${y(v / spec.yUnit.div)})`).attr('fill', FILLS[i % FILLS.length]).attr('stroke', INK).attr('stroke-width', 1)
        .append('title').text(`${s.label} at ${spec.xTick(px)}: ${fmt(v / spec.yUnit.div)} ${spec.yUnit.name}`);
    }
  });
  return finishChart(c, spec.caption);
}
