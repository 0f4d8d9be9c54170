/** Energy per layer of a network, stacked by memory level and compute. */
import type { Chart } from '../chart.ts';
import { barChart } from '../svg/bars.ts';
import { energyUnit } from '../svg/units.ts';
import type { NetworkView } from '../views.ts';

export function layerEnergyChart(n: NetworkView, id: string): Chart | undefined {
  if (n.layers.length === 0) return undefined;
  const levels: string[] = [];
  for (const l of n.layers) for (const lv of l.levels) if (!levels.includes(lv.name)) levels.push(lv.name);
  // A layer that reports only its total gets a bar of its own series rather than a made-up split.
  const split = (l: (typeof n.layers)[number]): boolean => l.levels.length > 0 || l.compute.length > 0;
  const unsplit = n.layers.some((l) => !split(l) && l.totals.energy_pJ > 0);
  const series = [...levels, 'compute', ...(unsplit ? ['total (no split in the input)'] : [])];
  const rows = n.layers.map((l) => {
    const v = new Array<number>(series.length).fill(0);
    for (const lv of l.levels) v[levels.indexOf(lv.name)] += lv.energy_pJ;
    v[levels.length] = l.compute.reduce((a, c) => a + c.energy_pJ, 0);
    if (!split(l) && unsplit) v[levels.length + 1] = l.totals.energy_pJ;
    return { label: l.name, values: v };
  });
  const max = Math.max(...rows.map((r) => r.values.reduce((a, b) => a + b, 0)));
  return barChart({
    id,
    title: 'Energy per layer, by memory level and compute',
    caption: 'One bar per layer in network order, split by the memory level where the energy is spent and the compute array.',
    series,
    rows,
    unit: energyUnit(max),
    quantity: 'energy',
  });
}
