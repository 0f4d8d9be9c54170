/**
 * An explore sweep over a buffer size: the best schedule's energy and off-chip traffic at each size, beside the
 * uniform reference schedules (ST-LBL, TB-F, ...) at the same sizes.
 */
import type { Chart } from '../chart.ts';
import { bytes as fmtBytes } from '../format.ts';
import { lineChart, type LineSeries } from '../svg/lines.ts';
import { bytesUnit, energyUnit } from '../svg/units.ts';
import type { ExploreView } from '../views.ts';

const sizeTick = (b: number): string => {
  const u = bytesUnit(b);
  return `${Number((b / u.div).toPrecision(4))} ${u.name}`;
};

export function sweepCharts(x: ExploreView, id: string): Chart[] {
  const pts = x.points.filter((p) => p.capacityBytes !== undefined && p.capacityBytes > 0);
  if (pts.length < 2) return [];
  const sizes = pts.map((p) => p.capacityBytes!);
  const refs: string[] = [];
  for (const p of pts) for (const r of p.front.references) if (!refs.includes(r.label)) refs.push(r.label);
  const series = (metric: 'energy_pJ' | 'offchip_bytes'): LineSeries[] => [
    { label: `best${x.objective ? ` by ${x.objective}` : ''}`, values: pts.map((p) => p.front.chosen?.[metric]) },
    ...refs.map((r) => ({ label: r, values: pts.map((p) => p.front.references.find((q) => q.label === r)?.[metric]) })),
  ];
  const level = pts[0].label.replace(/\s+\d[\d\s.,]*\s*[KMG]?i?B$/, '').trim();
  const what = level && level !== pts[0].label ? `${level} size` : 'buffer size';
  const eSeries = series('energy_pJ');
  const bSeries = series('offchip_bytes');
  const maxOf = (s: LineSeries[]): number => Math.max(0, ...s.flatMap((l) => l.values.filter((v): v is number => v !== undefined)));
  const charts = [
    lineChart({
      id: `${id}-energy`,
      title: `Energy vs ${what}: ${x.name}`,
      caption: `Energy of the best schedule the search found at each ${what} (${sizes.map(fmtBytes).join(', ')}), and of the uniform reference schedules at the same sizes.`,
      x: sizes,
      xLabel: `${what} (log scale)`,
      xLog2: true,
      xTick: sizeTick,
      series: eSeries,
      yUnit: energyUnit(maxOf(eSeries)),
      yQuantity: 'energy',
    }),
    lineChart({
      id: `${id}-offchip`,
      title: `Off-chip traffic vs ${what}: ${x.name}`,
      caption: `Off-chip bytes of the best schedule and of the uniform reference schedules at each ${what}.`,
      x: sizes,
      xLabel: `${what} (log scale)`,
      xLog2: true,
      xTick: sizeTick,
      series: bSeries,
      yUnit: bytesUnit(maxOf(bSeries)),
      yQuantity: 'off-chip traffic',
    }),
  ];
  return charts.filter((c): c is Chart => c !== undefined);
}
