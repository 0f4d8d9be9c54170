/**
 * Energy per layer of a network, stacked by memory level and compute action where the layers carry `levels[]`
 * and `compute`; a layer that reports only its total is one unsplit segment (never a made-up split).
 */
import type { Chart } from '../chart.ts';
import { barChart } from '../svg/bars.ts';
import { energyUnit } from '../svg/units.ts';
import type { LayerView, NetworkView } from '../views.ts';

export const hasSplit = (l: LayerView): boolean => l.levels.length > 0 || l.compute.length > 0;
export const UNSPLIT = 'total (no split in the input)';

/**
 * Series and per-layer values of the chart (and of its table). A level or action whose energy is 0 in every layer
 * (a level the layers never use, an action the energy table makes free) is not a series; it is named in `zero`.
 */
export function layerEnergySplit(n: NetworkView): { series: string[]; rows: { label: string; values: number[] }[]; split: boolean; zero: string[] } {
  const levels: string[] = [];
  const actions: string[] = [];
  for (const l of n.layers) {
    for (const lv of l.levels) if (!levels.includes(lv.name)) levels.push(lv.name);
    for (const a of l.compute) if (!actions.includes(a.action)) actions.push(a.action);
  }
  const unsplit = n.layers.some((l) => !hasSplit(l));
  const series = [...levels, ...actions.map((a) => `compute: ${a}`), ...(unsplit ? [UNSPLIT] : [])];
  const rows = n.layers.map((l) => {
    const v = new Array<number>(series.length).fill(0);
    for (const lv of l.levels) v[levels.indexOf(lv.name)] += lv.energy_pJ;
    for (const a of l.compute) v[levels.length + actions.indexOf(a.action)] += a.energy_pJ;
    if (!hasSplit(l)) v[series.length - 1] = l.totals.energy_pJ;
    return { label: l.name, values: v };
  });
  const used = series.map((_, s) => rows.some((r) => r.values[s] > 0));
  if (!used.some(Boolean)) return { series, rows, split: levels.length + actions.length > 0, zero: [] };
  return {
    series: series.filter((_, s) => used[s]),
    rows: rows.map((r) => ({ ...r, values: r.values.filter((_, s) => used[s]) })),
    split: levels.length + actions.length > 0,
    zero: series.filter((_, s) => !used[s]),
  };
}

export function layerEnergyChart(n: NetworkView, id: string): Chart | undefined {
  if (n.layers.length === 0) return undefined;
  const { series, rows, split } = layerEnergySplit(n);
  const max = Math.max(...rows.map((r) => r.values.reduce((a, b) => a + b, 0)));
  return barChart({
    id,
    title: split ? 'Energy per layer, by memory level and compute action' : 'Energy per layer (the input gives no per-level split)',
    caption: split
      ? 'One bar per layer in network order, split by the memory level where the energy is spent and by compute action.'
      : 'One bar per layer in network order: its total energy. The result does not break layers down by level or compute action.',
    series,
    rows,
    unit: energyUnit(max),
    quantity: 'energy',
  });
}
