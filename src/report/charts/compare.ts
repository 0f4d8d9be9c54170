/** Side-by-side totals of several results as ratios to the first (the baseline). */
import type { Chart } from '../chart.ts';
import { barChart } from '../svg/bars.ts';
import { RATIO } from '../svg/units.ts';

export interface CompareMetric {
  readonly label: string;
  /** One value per result; undefined where a result lacks it. */
  readonly values: readonly (number | undefined)[];
}

export function compareChart(names: readonly string[], metrics: readonly CompareMetric[], id: string): Chart | undefined {
  const usable = metrics.filter((m) => m.values[0] !== undefined && m.values[0] > 0 && m.values.some((v, i) => i > 0 && v !== undefined));
  if (usable.length === 0 || names.length < 2) return undefined;
  return barChart({
    id,
    title: `Compared with ${names[0]} (ratio, lower is better)`,
    caption: `Each metric of each result divided by the same metric of ${names[0]}; the dashed line marks 1 (equal to the baseline).`,
    series: [...names],
    rows: usable.map((m) => ({
      label: m.label,
      values: m.values.map((v) => (v === undefined ? 0 : v / m.values[0]!)),
      note: m.values.map((v) => (v === undefined ? '-' : `${(v / m.values[0]!).toFixed(3)}x`)).join(' / '),
    })),
    unit: RATIO,
    quantity: 'ratio',
    mode: 'grouped',
    refLine: { value: 1, label: `baseline: ${names[0]}` },
  });
}
