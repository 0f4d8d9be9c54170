/** Busy / stall / idle cycles per level from the pipeline timing model. */
import type { Chart } from '../chart.ts';
import { barChart } from '../svg/bars.ts';
import { countUnit } from '../svg/units.ts';
import type { EvalView } from '../views.ts';

export function levelActivityChart(e: EvalView, id: string): Chart | undefined {
  const a = e.timing.activity;
  if (a.length === 0) return undefined;
  const series = (['busy', 'stall', 'idle'] as const).filter((k) => a.some((x) => x[k] !== undefined));
  return barChart({
    id,
    title: `Busy, stall and idle cycles per level: ${e.name}`,
    caption: 'Pipeline timing model: for each level, the cycles it moves data (busy), waits on another level (stall) and has nothing to do (idle).',
    series,
    rows: a.map((x) => ({ label: x.level, values: series.map((k) => x[k] ?? 0), highlight: x.level === e.timing.bottleneck })),
    unit: countUnit('cycles'),
    quantity: 'cycles',
  });
}
