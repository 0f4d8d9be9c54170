/**
 * Bandwidth roofline per level: the cycles each level's ports need for its traffic alone at its bandwidth
 * (`transfer_cycles`), against the compute array's cycles; the longest bar bounds the run.
 */
import type { Chart } from '../chart.ts';
import { barChart, type BarRow } from '../svg/bars.ts';
import { countUnit } from '../svg/units.ts';
import type { EvalView, LevelView } from '../views.ts';

/** A level whose every port is unlimited (null bandwidth) moves its traffic in no time. */
export const unlimited = (l: LevelView): boolean => !!l.bandwidth && ![l.bandwidth.read, l.bandwidth.write, l.bandwidth.shared].some((b) => typeof b === 'number');

/** Share of the run a level's ports are busy: transfer cycles over total cycles. */
export const portUtilization = (l: LevelView, cycles: number): number | undefined => (l.transferCycles !== undefined && cycles > 0 ? l.transferCycles / cycles : undefined);

export function rooflineChart(e: EvalView, id: string): Chart | undefined {
  const levels = e.levels.filter((l) => l.transferCycles !== undefined);
  if (levels.length === 0) return undefined;
  const compute = e.timing.computeCycles;
  const bound = Math.max(compute ?? 0, ...levels.map((l) => l.transferCycles!));
  const fmt = (v: number): string => Math.round(v).toLocaleString('en-US');
  const pct = (v: number): string => (e.totals.cycles > 0 ? `${((100 * v) / e.totals.cycles).toFixed(1)}% of the run` : '');
  const rows: BarRow[] = levels.map((l) => {
    const t = l.transferCycles!;
    const isBound = t === bound && t > 0;
    const note = unlimited(l) ? 'unlimited bandwidth: 0' : `${fmt(t)} (${pct(t)})${isBound ? ', bound' : ''}`;
    return { label: l.name, values: [t], highlight: isBound, note };
  });
  if (compute !== undefined) rows.push({ label: 'compute', values: [compute], highlight: compute === bound, note: `${fmt(compute)} (${pct(compute)})${compute === bound ? ', bound' : ''}` });
  return barChart({
    id,
    title: `Bandwidth roofline: port cycles per level vs compute: ${e.name}`,
    caption: `Cycles each level's ports need to move its traffic alone (bits read and written at its bandwidth), beside the compute array's cycles at full rate; the longest bar (bold) bounds the run, and a level above the compute bar is bandwidth-bound. The dashed line is the run's total cycles (${e.timing.model ?? 'unknown'} timing).`,
    series: ['cycles needed'],
    rows,
    unit: countUnit('cycles'),
    quantity: 'time',
    refLine: { value: e.totals.cycles, label: `total cycles (${e.timing.model ?? 'timing'})` },
  });
}
