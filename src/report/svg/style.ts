/**
 * Grey-scale-readable fills: series i gets grey level i mod 6 and overlay mark i mod 7 (none, hatch, dots, cross,
 * back-hatch, horizontal, vertical lines). 6 and 7 are coprime, so the (grey, mark) pairs of the first 42 series
 * are all different and neighbouring series differ in both: charts stay readable printed in black and white.
 */
import type { Selection } from 'd3';

const GREYS = ['#2b2b2b', '#8c8c8c', '#d4d4d4', '#595959', '#b0b0b0', '#f0f0f0'] as const;
const MARKS = ['none', 'hatch', 'dots', 'cross', 'backhatch', 'horizontal', 'vertical'] as const;
type Mark = (typeof MARKS)[number];

export const INK = '#111111';
export const GRID = '#dddddd';
export const FONT = 'DejaVu Sans, Helvetica, Arial, sans-serif';

function luminance(hex: string): number {
  return parseInt(hex.slice(1, 3), 16) / 255;
}

export function greyOf(i: number): string {
  return GREYS[i % GREYS.length];
}

export function markOf(i: number): Mark {
  return MARKS[i % MARKS.length];
}

export function patternId(chartId: string, i: number): string {
  return `${chartId}-fill-${i}`;
}

/** `url(#...)` of series i; `definePatterns` must have been called with at least i + 1 series. */
export function fillOf(chartId: string, i: number): string {
  return markOf(i) === 'none' ? greyOf(i) : `url(#${patternId(chartId, i)})`;
}

type Defs = Selection<SVGDefsElement, unknown, null, undefined>;

/** `<pattern>` elements for series 0..n-1 (solid series need none). */
export function definePatterns(defs: Defs, chartId: string, n: number): void {
  for (let i = 0; i < n; i++) {
    const mark = markOf(i);
    if (mark === 'none') continue;
    const bg = greyOf(i);
    const fg = luminance(bg) < 0.5 ? '#ffffff' : INK;
    const p = defs.append('pattern').attr('id', patternId(chartId, i)).attr('patternUnits', 'userSpaceOnUse').attr('width', 6).attr('height', 6);
    p.append('rect').attr('width', 6).attr('height', 6).attr('fill', bg);
    if (mark === 'hatch') p.append('path').attr('d', 'M-1,1 l2,-2 M0,6 l6,-6 M5,7 l2,-2').attr('stroke', fg).attr('stroke-width', 1.2);
    if (mark === 'dots') p.append('circle').attr('cx', 3).attr('cy', 3).attr('r', 1.3).attr('fill', fg);
    if (mark === 'cross') p.append('path').attr('d', 'M0,3 h6 M3,0 v6').attr('stroke', fg).attr('stroke-width', 1);
    if (mark === 'backhatch') p.append('path').attr('d', 'M-1,5 l2,2 M0,0 l6,6 M5,-1 l2,2').attr('stroke', fg).attr('stroke-width', 1.2);
    if (mark === 'horizontal') p.append('path').attr('d', 'M0,1.5 h6 M0,4.5 h6').attr('stroke', fg).attr('stroke-width', 1);
    if (mark === 'vertical') p.append('path').attr('d', 'M1.5,0 v6 M4.5,0 v6').attr('stroke', fg).attr('stroke-width', 1);
  }
}
