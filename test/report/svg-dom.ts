// Parse a chart's SVG into a DOM (jsdom, through d3-node) for structural assertions.
import { D3Node } from 'd3-node';
import { expect } from 'vitest';
import type { Chart } from '../../src/report/chart.ts';

export function svgDom(svg: string): Element {
  const doc = new D3Node({ container: `<div id="root">${svg}</div>` }).document;
  const el = doc.querySelector('#root > svg');
  if (!el) throw new Error('no <svg> root');
  return el;
}

const COORDS = ['x', 'y', 'x1', 'x2', 'y1', 'y2', 'cx', 'cy', 'r', 'width', 'height', 'd', 'transform', 'viewBox'];

/** Every coordinate attribute of every element parses to finite numbers (no NaN, no Infinity, no empty). */
export function expectFiniteCoordinates(root: Element): void {
  const bad: string[] = [];
  for (const el of [root, ...root.querySelectorAll('*')]) {
    for (const a of COORDS) {
      const v = el.getAttribute(a);
      if (v === null) continue;
      const nums = v.match(/-?[\d.]+(?:e[-+]?\d+)?|NaN|Infinity/gi) ?? [];
      if (/NaN|Infinity|undefined/.test(v) || nums.some((n) => !Number.isFinite(Number(n)))) bad.push(`<${el.tagName} ${a}="${v}">`);
    }
  }
  expect(bad).toEqual([]);
}

/** The common structure of every chart: a titled SVG with a visible title, axis labels with units, finite coordinates. */
export function expectChartBasics(c: Chart, axisLabels: readonly RegExp[]): Element {
  const root = svgDom(c.svg);
  expect(root.getAttribute('xmlns')).toBe('http://www.w3.org/2000/svg');
  expect(root.querySelector('title')?.textContent).toBe(c.title);
  expect(root.querySelector('text.chart-title')?.textContent).toBe(c.title);
  expect(Number(root.getAttribute('width'))).toBeGreaterThan(100);
  expect(Number(root.getAttribute('height'))).toBeGreaterThan(100);
  const labels = [...root.querySelectorAll('text.axis-label')].map((t) => t.textContent ?? '');
  for (const re of axisLabels) expect(labels.some((l) => re.test(l)), `axis label ${re} in ${JSON.stringify(labels)}`).toBe(true);
  expectFiniteCoordinates(root);
  return root;
}

export const legendLabels = (root: Element): string[] => [...root.querySelectorAll('g.legend-item text')].map((t) => t.textContent ?? '');
