/**
 * Report sections of an explore result: a sweep over a buffer size (best and reference schedules vs size), and
 * per sweep point the Pareto front of schedules, the best schedule block by block and what the front's schedules
 * change.
 */
import { paretoChart } from '../charts/pareto.ts';
import { sweepCharts } from '../charts/sweep.ts';
import { present, section, table, tableIf, type DocSection, type DocTable } from '../doc.ts';
import { bytesUnit } from '../svg/units.ts';
import type { ExplorePoint, ExploreView, ScheduleRow, SearchView } from '../views.ts';
import { scheduleTable, scheduleText } from './network.ts';
import { byteCell, count, pJ } from './numbers.ts';
import { pointsTable, pointText } from './search.ts';

const BYTES = new Set(['offchip_bytes', 'state_bytes', 'weight_bytes', 'activation_bytes', 'peak_onchip_bytes', 'onchip_capacity_bytes']);
const totalCell = (k: string, v: number): string => (k === 'energy_pJ' ? pJ(v)[0] : BYTES.has(k) ? byteCell(v) : count(v));

/** Blocks whose schedule differs from the best's, per front point: what the front trades. */
function differences(best: readonly ScheduleRow[], front: ExplorePoint['frontSchedules']): DocTable[] {
  const same = (a: ScheduleRow, b: ScheduleRow | undefined): boolean => !!b && scheduleText(a) === scheduleText(b);
  const rows = front.map(([label, rows]) => [label, rows.filter((r, i) => !same(r, best[i])).map((r) => `${r.block}: ${scheduleText(r) || '-'}`).join('; ') || 'same as the best']);
  return tableIf('Schedules of the Pareto points: the blocks where each differs from the best schedule.', table(['point', 'differs from the best in'], rows));
}

/** `GlobalBuffer 524288 B` as `GlobalBuffer 512 KiB` (the producer's label with a readable size). */
export function pointLabel(p: ExplorePoint): string {
  if (p.capacityBytes === undefined) return p.label;
  const u = bytesUnit(p.capacityBytes);
  const size = `${Number((p.capacityBytes / u.div).toPrecision(4))} ${u.name}`;
  return p.label.endsWith(`${p.capacityBytes} B`) ? `${p.label.slice(0, -`${p.capacityBytes} B`.length)}${size}` : p.label;
}

/** True when the front's points fill less than a quarter of the chart's range on an axis (the references stretch it). */
function frontIsSmall(f: SearchView): boolean {
  const pts = f.chosen && !f.points.includes(f.chosen) ? [...f.points, f.chosen] : f.points;
  if (f.references.length === 0 || pts.length < 2) return false;
  const span = (xs: number[]): number => Math.max(...xs) - Math.min(...xs);
  const all = [...pts, ...f.references];
  const small = (k: 'energy_pJ' | 'cycles'): boolean => span(pts.map((p) => p[k])) < 0.25 * span(all.map((p) => p[k]));
  const distinct = new Set(pts.map((p) => `${p.energy_pJ}/${p.cycles}`)).size > 1;
  return distinct && (small('energy_pJ') || small('cycles'));
}

function pointSections(x: ExploreView, p: ExplorePoint, id: string, sweep: boolean): DocSection[] {
  const label = pointLabel(p);
  const title = sweep ? `Schedules at ${label}: energy vs cycles` : `Schedules: energy vs cycles: ${x.name}`;
  const chart = paretoChart(p.front, `${id}-pareto`, title);
  const zoom = frontIsSmall(p.front) ? paretoChart({ ...p.front, references: [] }, `${id}-front`, `${sweep ? `At ${label}: ` : ''}the Pareto front alone (no reference schedules)`) : undefined;
  const facts: (readonly [string, string])[] = [...(p.capacityBytes !== undefined ? [['capacity', byteCell(p.capacityBytes)] as const] : []), ...p.front.stats];
  if (p.front.chosen) facts.push(['best', pointText(p.front.chosen)]);
  const tables: DocTable[] = [{ caption: 'Pareto points, the best schedule and the uniform reference schedules.', table: pointsTable(p.front) }];
  tables.push(...scheduleTable(p.schedule).map((t) => ({ ...t, caption: `Best schedule. ${t.caption}` })));
  tables.push(...differences(p.schedule, p.frontSchedules));
  if (p.best) tables.push(...tableIf('Totals of the best schedule.', table(['total', 'value'], [...p.best.totals.map(([k, v]) => [k.replace(/_/g, ' '), totalCell(k, v)]), ...p.best.offchipByKind.map(([k, v]) => [`off-chip ${k}`, byteCell(v)])])));
  return [section(`${id}-s`, sweep ? `Sweep point ${label}` : 'Schedule search', { facts, charts: present([chart, zoom]), tables })];
}

export function exploreSections(x: ExploreView, id: string, heading: string): DocSection[] {
  const sweep = x.points.length > 1;
  const facts: (readonly [string, string])[] = [];
  if (x.network) facts.push(['network', x.network]);
  if (x.arch) facts.push(['arch', x.arch]);
  if (x.objective) facts.push(['objective', x.objective]);
  if (sweep) facts.push(['sweep points', String(x.points.length)]);
  const out: DocSection[] = [section(id, heading, { level: 2, facts })];
  if (sweep) {
    const refs = [...new Set(x.points.flatMap((p) => p.front.references.map((r) => r.label)))];
    const rows = x.points.map((p) => [pointLabel(p), ...(p.front.chosen ? [pJ(p.front.chosen.energy_pJ)[0], count(p.front.chosen.cycles), byteCell(p.front.chosen.offchip_bytes)] : ['-', '-', '-']), ...refs.map((r) => {
      const q = p.front.references.find((z) => z.label === r);
      return q ? pJ(q.energy_pJ)[0] : '-';
    })]);
    out.push(section(`${id}-sweep-s`, 'Sweep', {
      charts: sweepCharts(x, `${id}-sweep`),
      tables: [{ caption: 'Best schedule at each sweep point, and the energy of each uniform reference schedule there.', table: table(['point', 'best energy', 'cycles', 'off-chip', ...refs.map((r) => `${r} energy`)], rows) }],
    }));
  }
  x.points.forEach((p, i) => out.push(...pointSections(x, p, `${id}-p${i}`, sweep)));
  return out;
}
