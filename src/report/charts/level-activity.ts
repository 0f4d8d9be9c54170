/**
 * Busy and idle cycles per level and of the compute array (pipeline timing model), and beside them the compute
 * stall each level causes. Busy + idle is the whole run for every row (idle = cycles - busy, model/types.ts);
 * stall is not a third state of the level but the compute array's waiting caused by it, so it is drawn as a
 * separate sub-bar rather than stacked.
 */
import type { Chart } from '../chart.ts';
import { barChart } from '../svg/bars.ts';
import { countUnit } from '../svg/units.ts';
import type { EvalView, LevelActivity } from '../views.ts';

/** Rows whose busy + idle is not the run's cycles (beyond rounding): a producer inconsistency worth saying. */
export function activityMismatches(a: readonly LevelActivity[], cycles: number): string[] {
  return a.filter((x) => x.busy !== undefined && x.idle !== undefined && Math.abs(x.busy + x.idle - cycles) > 1 + 1e-6 * cycles).map((x) => x.level);
}

export function levelActivityChart(e: EvalView, id: string): Chart | undefined {
  const a = e.timing.activity;
  if (a.length === 0) return undefined;
  const cycles = e.timing.cycles ?? e.totals.cycles;
  const off = activityMismatches(a, cycles);
  const fmt = (v: number | undefined): string => (v === undefined ? '-' : Math.round(v).toLocaleString('en-US'));
  return barChart({
    id,
    title: `Busy and idle cycles per level, and the compute stall each causes: ${e.name}`,
    caption:
      'Pipeline timing model. Upper sub-bar: the cycles a level moves data (the compute array: computes) and the rest of the run (idle); the two add up to the total cycles (dashed line). ' +
      'Lower sub-bar: the cycles the compute array waited because of this level (for the compute row: all its waiting).' +
      (off.length > 0 ? ` Busy + idle differs from the run's ${fmt(cycles)} cycles for ${off.join(', ')} in the input.` : ''),
    series: ['busy', 'idle', 'compute stall caused by this level'],
    groups: [0, 0, 1],
    rows: a.map((x) => ({ label: x.level, values: [x.busy ?? 0, x.idle ?? 0, x.stall ?? 0], highlight: x.level === e.timing.bottleneck, note: `busy ${fmt(x.busy)}, stall ${fmt(x.stall)}` })),
    unit: countUnit('cycles'),
    quantity: 'time',
    refLine: { value: cycles, label: 'total cycles' },
  });
}
