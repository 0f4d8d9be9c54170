/**
 * One SVG chart drawn with d3-node: white background, a title (`<title>` for screen readers and a visible
 * heading), an optional legend under it, and a plot area. `finishChart` serializes it and rejects non-finite
 * coordinates (a NaN in a chart is a bug in report/, never shown to the user).
 */
import type * as D3 from 'd3';
import { D3Node } from 'd3-node';
import { invariant } from '../../core/result.ts';
import type { Chart } from '../chart.ts';
import { definePatterns, fillOf, FONT, INK } from './style.ts';

export type Sel<E extends D3.BaseType> = D3.Selection<E, unknown, null, undefined>;

export interface Box {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export interface Canvas {
  readonly id: string;
  readonly d3: typeof D3;
  readonly svg: Sel<SVGSVGElement>;
  readonly defs: Sel<SVGDefsElement>;
  /** The plot area, translated to its top-left corner. */
  readonly plot: Sel<SVGGElement>;
  readonly box: Box;
  readonly width: number;
  readonly height: number;
  readonly title: string;
}

export interface LegendItem {
  readonly label: string;
  /** Series index for the fill (see style.ts), or an explicit fill. */
  readonly series?: number;
  readonly fill?: string;
  /** Drawn as a line sample instead of a box. */
  readonly line?: { readonly dash?: string };
  /** A symbol path (d3.symbol, centred on 0,0) drawn over the line sample. */
  readonly symbol?: string;
  /** Drawn as a point marker instead of a box. */
  readonly marker?: 'circle' | 'ring' | 'square';
}

const TITLE_H = 30;
const CHAR_W = 6.4; // average glyph width at 11 px, for layout estimates
const ROW_H = 18;

export const textWidth = (s: string, px = 11): number => s.length * CHAR_W * (px / 11);

/** Legend rows laid out left to right, wrapping at `width`. */
function legendLayout(items: readonly LegendItem[], width: number): { x: number; row: number }[] {
  const out: { x: number; row: number }[] = [];
  let x = 0;
  let row = 0;
  for (const it of items) {
    const w = 18 + textWidth(it.label) + 16;
    if (x > 0 && x + w > width) {
      x = 0;
      row++;
    }
    out.push({ x, row });
    x += w;
  }
  return out;
}

export interface CanvasSpec {
  readonly id: string;
  readonly title: string;
  readonly width: number;
  /** Height of the plot area alone; the canvas adds title, legend and margins. */
  readonly plotHeight: number;
  readonly margin: { readonly left: number; readonly right: number; readonly bottom: number };
  readonly legend?: readonly LegendItem[];
  /** Number of patterned series to define (defaults to the legend's). */
  readonly series?: number;
}

let shared: typeof D3 | undefined;
/** The d3 module (from a D3Node made once), for helpers that need d3 before a canvas exists (symbol paths). */
export function d3lib(): typeof D3 {
  shared ??= new D3Node().d3;
  return shared;
}

export function createCanvas(spec: CanvasSpec): Canvas {
  const legend = spec.legend ?? [];
  const layout = legendLayout(legend, spec.width - 24);
  const legendH = legend.length === 0 ? 0 : (Math.max(...layout.map((l) => l.row)) + 1) * ROW_H + 8;
  const top = TITLE_H + legendH + 10;
  const height = Math.round(top + spec.plotHeight + spec.margin.bottom);
  const d3n = new D3Node();
  const d3 = d3n.d3;
  const svg = d3n
    .createSVG(spec.width, height)
    .attr('viewBox', `0 0 ${spec.width} ${height}`)
    .attr('role', 'img')
    .attr('aria-labelledby', `${spec.id}-title`)
    .attr('class', 'spikeloop-chart')
    .attr('data-chart', spec.id)
    .attr('font-family', FONT)
    .attr('font-size', 11)
    .attr('fill', INK);
  svg.append('title').attr('id', `${spec.id}-title`).text(spec.title);
  const defs = svg.append('defs');
  const nSeries = spec.series ?? legend.reduce((m, it) => Math.max(m, (it.series ?? -1) + 1), 0);
  definePatterns(defs, spec.id, nSeries);
  svg.append('rect').attr('width', spec.width).attr('height', height).attr('fill', '#ffffff');
  svg.append('text').attr('class', 'chart-title').attr('x', spec.width / 2).attr('y', 20).attr('text-anchor', 'middle').attr('font-size', 14).attr('font-weight', 'bold').text(spec.title);
  if (legend.length > 0) {
    const g = svg.append('g').attr('class', 'legend').attr('transform', `translate(12,${TITLE_H + 4})`);
    legend.forEach((it, i) => {
      const { x, row } = layout[i];
      const e = g.append('g').attr('class', 'legend-item').attr('transform', `translate(${x},${row * ROW_H})`);
      if (it.marker === 'square') {
        e.append('rect').attr('x', 1.5).attr('y', 1.5).attr('width', 9).attr('height', 9).attr('fill', it.fill ?? '#8c8c8c').attr('stroke', INK).attr('stroke-width', 1.2);
      } else if (it.marker) {
        e.append('circle').attr('cx', 6).attr('cy', 6).attr('r', it.marker === 'ring' ? 6 : 4).attr('fill', it.marker === 'ring' ? 'none' : (it.fill ?? '#8c8c8c')).attr('stroke', INK).attr('stroke-width', it.marker === 'ring' ? 2 : 0.8);
      } else if (it.line) {
        e.append('line').attr('x1', 0).attr('x2', 14).attr('y1', 6).attr('y2', 6).attr('stroke', INK).attr('stroke-width', 2).attr('stroke-dasharray', it.line.dash ?? null);
        if (it.symbol) e.append('path').attr('d', it.symbol).attr('transform', 'translate(7,6)').attr('fill', it.fill ?? '#ffffff').attr('stroke', INK).attr('stroke-width', 1);
      } else {
        const fill = it.fill ?? fillOf(spec.id, it.series ?? i);
        e.append('rect').attr('width', 12).attr('height', 12).attr('fill', fill).attr('stroke', INK).attr('stroke-width', 0.8);
      }
      e.append('text').attr('x', 18).attr('y', 10).text(it.label);
    });
  }
  const box: Box = { x: spec.margin.left, y: top, w: spec.width - spec.margin.left - spec.margin.right, h: spec.plotHeight };
  const plot = svg.append('g').attr('class', 'plot').attr('transform', `translate(${box.x},${box.y})`);
  return { id: spec.id, d3, svg, defs, plot, box, width: spec.width, height, title: spec.title };
}

const NUMERIC_ATTR = /\s(?:x|y|x1|x2|y1|y2|cx|cy|r|width|height|d|transform|points|viewBox|data-value)="([^"]*)"/g;

/** Serialize; a non-finite coordinate is a bug (invariant), so no chart ever ships NaN. */
export function finishChart(c: Canvas, caption: string): Chart {
  const svg = (c.svg.node() as SVGSVGElement).outerHTML.replace(/(<|<\/)(lineargradient|clippath)\b/g, (_, a: string, t: string) => a + (t === 'lineargradient' ? 'linearGradient' : 'clipPath'));
  for (const m of svg.matchAll(NUMERIC_ATTR)) invariant(!/NaN|Infinity/.test(m[1]), `chart ${c.id}: non-finite coordinate ${m[0].trim()}`);
  return { id: c.id, title: c.title, caption, width: c.width, height: c.height, svg };
}

/** Axis label text (`energy (uJ)`), centred under or beside the plot. */
export function axisLabel(c: Canvas, text: string, where: 'bottom' | 'left', offset: number): void {
  const t = c.plot.append('text').attr('class', 'axis-label').attr('text-anchor', 'middle').attr('font-size', 12).text(text);
  if (where === 'bottom') t.attr('x', c.box.w / 2).attr('y', c.box.h + offset);
  else t.attr('transform', `translate(${-offset},${c.box.h / 2}) rotate(-90)`);
}
