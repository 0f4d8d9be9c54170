/**
 * An explore sweep over an arch parameter (a buffer's capacity, a level's bandwidth): the best schedule's energy and
 * off-chip traffic at each value, beside the uniform reference schedules (ST-LBL, TB-F, ...) at the same values. A
 * point that could not be scheduled is a gap.
 */
import type { Chart } from '../chart.ts';
import { lineChart, type LineSeries } from '../svg/lines.ts';
import { bytesUnit, energyUnit, sizeText } from '../svg/units.ts';
import type { ExplorePoint, ExploreView, SweepValue } from '../views.ts';

/** What the sweep varies, in words (`GB capacity`), and how one of its values reads (`64 KiB`). */
export function sweepAxis(s: SweepValue): { what: string; unit: string; tick: (v: number) => string } {
  const at = s.level ? `${s.level} ` : '';
  if (s.field === 'capacity_bytes') return { what: `${at}capacity`, unit: '', tick: sizeText };
  if (s.field === 'bandwidth_bits') return { what: `${at}bandwidth`, unit: 'bits / cycle', tick: (v) => `${Number(v.toPrecision(4))}` };
  return { what: `${at}${s.field.replace(/_/g, ' ')}`, unit: '', tick: (v) => `${Number(v.toPrecision(4))}` };
}

/** `GB capacity 64 KiB` for a sweep point (the producer's label when it sweeps nothing). */
export function sweepPointLabel(p: ExplorePoint): string {
  if (!p.sweep) return p.label;
  const a = sweepAxis(p.sweep);
  return `${a.what} ${a.tick(p.sweep.value)}${a.unit ? ` ${a.unit}` : ''}`;
}

export function sweepCharts(x: ExploreView, id: string): Chart[] {
  const pts = x.points.filter((p) => p.sweep !== undefined && p.sweep.value > 0);
  if (pts.length < 2) return [];
  const fields = new Set(pts.map((p) => `${p.sweep!.level ?? ''}.${p.sweep!.field}`));
  if (fields.size > 1) return []; // not one parameter: no common x axis
  const axis = sweepAxis(pts[0].sweep!);
  const xs = pts.map((p) => p.sweep!.value);
  const refs: string[] = [];
  for (const p of pts) for (const r of p.front.references) if (!refs.includes(r.label)) refs.push(r.label);
  const series = (metric: 'energy_pJ' | 'offchip_bytes'): LineSeries[] => [
    { label: `best${x.objective ? ` by ${x.objective}` : ''}`, values: pts.map((p) => p.front.chosen?.[metric]) },
    ...refs.map((r) => ({ label: r, values: pts.map((p) => p.front.references.find((q) => q.label === r)?.[metric]) })),
  ];
  const xLabel = `${axis.what}${axis.unit ? `, ${axis.unit}` : ''} (log scale)`;
  const at = xs.map(axis.tick).join(', ');
  const failed = pts.filter((p) => !p.front.chosen).length;
  const gaps = failed > 0 ? ` A gap is a point with no schedule (${failed}).` : '';
  const eSeries = series('energy_pJ');
  const bSeries = series('offchip_bytes');
  const maxOf = (s: LineSeries[]): number => Math.max(0, ...s.flatMap((l) => l.values.filter((v): v is number => v !== undefined)));
  const charts = [
    lineChart({
      id: `${id}-energy`,
      title: `Energy vs ${axis.what}: ${x.name}`,
      caption: `Energy of the best schedule the search found at each ${axis.what} (${at}), and of the uniform reference schedules at the same points.${gaps}`,
      x: xs,
      xLabel,
      xLog2: true,
      xTick: axis.tick,
      series: eSeries,
      yUnit: energyUnit(maxOf(eSeries)),
      yQuantity: 'energy',
    }),
    lineChart({
      id: `${id}-offchip`,
      title: `Off-chip traffic vs ${axis.what}: ${x.name}`,
      caption: `Off-chip bytes of the best schedule and of the uniform reference schedules at each ${axis.what}.${gaps}`,
      x: xs,
      xLabel,
      xLog2: true,
      xTick: axis.tick,
      series: bSeries,
      yUnit: bytesUnit(maxOf(bSeries)),
      yQuantity: 'off-chip traffic',
    }),
  ];
  return charts.filter((c): c is Chart => c !== undefined);
}
