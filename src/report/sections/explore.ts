/**
 * Report sections of an explore result: a sweep over an arch parameter (best and reference schedules vs the value,
 * how each point's search ended), and per sweep point the search statistics, the Pareto front of schedules, the
 * best schedule block by block and what the front's schedules change.
 */
import { paretoChart } from '../charts/pareto.ts';
import { sweepCharts, sweepPointLabel } from '../charts/sweep.ts';
import { present, section, table, tableIf, type DocSection, type DocTable } from '../doc.ts';
import type { ExplorePoint, ExploreView, ScheduleRow, SearchView } from '../views.ts';
import { scheduleTable, scheduleText } from './network.ts';
import { byteCell, count, pJ, share } from './numbers.ts';
import { pointsTable, pointText } from './search.ts';

const TOTAL_LABELS: Readonly<Record<string, string>> = {
  energy_pJ: 'energy',
  cycles: 'cycles',
  offchip_bytes: 'off-chip traffic',
  computes: 'synaptic operations',
  ops_dense: 'dense operations',
  state_bytes: 'neuron state (all layers)',
  weight_bytes: 'weights (all layers)',
  activation_bytes: 'output activations (all layers, all timesteps)',
  peak_onchip_bytes: 'peak on-chip',
  onchip_capacity_bytes: 'on-chip capacity',
  streamed_ops: 'streamed chunk ops',
};
const BYTES = new Set(['offchip_bytes', 'state_bytes', 'weight_bytes', 'activation_bytes', 'peak_onchip_bytes', 'onchip_capacity_bytes']);

function totalsTable(p: ExplorePoint): DocTable[] {
  if (!p.best) return [];
  const cap = p.best.totals.find(([k]) => k === 'onchip_capacity_bytes')?.[1];
  const cell = (k: string, v: number): string =>
    k === 'energy_pJ' ? pJ(v)[0] : k === 'peak_onchip_bytes' && cap ? `${byteCell(v)} (${share(v, cap)} of capacity)` : BYTES.has(k) ? byteCell(v) : count(v);
  const rows = [...p.best.totals.map(([k, v]) => [TOTAL_LABELS[k] ?? k.replace(/_/g, ' '), cell(k, v)]), ...p.best.offchipByKind.map(([k, v]) => [`off-chip: ${k}`, byteCell(v)])];
  return tableIf('Totals of the best schedule (its full network evaluation).', table(['total', 'value'], rows));
}

/** Blocks whose schedule differs from the best's, per front point: what the front trades. */
function differences(best: readonly ScheduleRow[], front: ExplorePoint['frontSchedules']): DocTable[] {
  if (front.length < 2) return []; // a front of one point is the best schedule itself
  const same = (a: ScheduleRow, b: ScheduleRow | undefined): boolean => !!b && scheduleText(a) === scheduleText(b);
  const rows = front.map(([label, rows]) => [label, rows.filter((r, i) => !same(r, best[i])).map((r) => `${r.block}: ${scheduleText(r) || '-'}`).join('; ') || 'same as the best']);
  return tableIf('Schedules of the Pareto points: the blocks where each differs from the best schedule.', table(['point', 'differs from the best in'], rows));
}

/** How far past the front's largest energy and cycles a reference still counts as near it (10 %). */
const NEAR = 1.1;

/**
 * The front with the references near it, when the full chart squeezes them together: the far references stretch
 * its axes so that the front and its close competitors overlap (less than a quarter of the range on an axis).
 */
export function nearFront(f: SearchView): SearchView | undefined {
  const pts = f.chosen && !f.points.includes(f.chosen) ? [...f.points, f.chosen] : [...f.points];
  if (pts.length === 0 || f.references.length === 0) return undefined;
  const eMax = Math.max(...pts.map((p) => p.energy_pJ)) * NEAR;
  const cMax = Math.max(...pts.map((p) => p.cycles)) * NEAR;
  const refs = f.references.filter((r) => r.energy_pJ <= eMax && r.cycles <= cMax);
  const near = [...pts, ...refs];
  if (refs.length === f.references.length || new Set(near.map((p) => `${p.energy_pJ}/${p.cycles}`)).size < 2) return undefined;
  const span = (xs: readonly { energy_pJ: number; cycles: number }[], k: 'energy_pJ' | 'cycles'): number => Math.max(...xs.map((p) => p[k])) - Math.min(...xs.map((p) => p[k]));
  const all = [...pts, ...f.references];
  const squeezed = (k: 'energy_pJ' | 'cycles'): boolean => span(near, k) < 0.25 * span(all, k);
  return squeezed('energy_pJ') || squeezed('cycles') ? { ...f, references: refs } : undefined;
}

/** `auto for 11 stateful layers` or `onchip: conv1, conv2; auto: conv3`. */
function placementText(p: ExplorePoint): string | undefined {
  if (p.statePlacement.length === 0) return undefined;
  const by = new Map<string, string[]>();
  for (const [l, v] of p.statePlacement) by.set(v, [...(by.get(v) ?? []), l]);
  if (by.size === 1) {
    const [[v, ls]] = [...by];
    return ls.length === 1 ? `${v} (${ls[0]}, the only stateful layer)` : `${v} for all ${ls.length} stateful layers`;
  }
  return [...by].map(([v, ls]) => `${v}: ${ls.join(', ')}`).join('; ');
}

/** How the point's search ended, in a few words (sweep table). */
function searchCell(p: ExplorePoint): string {
  if (p.error !== undefined) return 'no schedule';
  const st = Object.fromEntries(p.front.stats);
  const end = st['stopped early']?.startsWith('yes') ? 'stopped early' : st['optimal under the model']?.startsWith('yes') ? 'optimal' : (st['search method'] ?? '-');
  return st['search time'] ? `${end}, ${st['search time']}` : end;
}

function pointSections(x: ExploreView, p: ExplorePoint, id: string, sweep: boolean): DocSection[] {
  const label = sweepPointLabel(p);
  const heading = sweep ? `Sweep point ${label}` : 'Schedule search';
  if (p.error !== undefined) return [section(`${id}-s`, heading, { note: `No schedule at this point: ${p.error}` })];
  const title = sweep ? `Schedules at ${label}: energy vs cycles` : `Schedules: energy vs cycles: ${x.name}`;
  const chart = paretoChart(p.front, `${id}-pareto`, title);
  const near = nearFront(p.front);
  const far = near ? p.front.references.filter((r) => !near.references.includes(r)).map((r) => r.label) : [];
  const zoom = near ? paretoChart(near, `${id}-near`, `${sweep ? `At ${label}: near` : 'Near'} the front (without ${far.join(', ')})`) : undefined;
  const facts: (readonly [string, string])[] = [...(p.sweep ? [['sweep value', label] as const] : []), ...p.front.stats];
  if (p.front.chosen) facts.push(['best', pointText(p.front.chosen)]);
  const placement = placementText(p);
  if (placement) facts.push(['state placement (best)', placement]);
  const tables: DocTable[] = [{ caption: 'Pareto points, the best schedule and the uniform reference schedules.', table: pointsTable(p.front) }];
  tables.push(...tableIf('Uniform reference schedules that cannot run at this point.', table(['schedule', 'reason'], p.referenceErrors.map(([n, e]) => [n, e]))));
  tables.push(...scheduleTable(p.schedule).map((t) => ({ ...t, caption: `Best schedule. ${t.caption}` })));
  tables.push(...differences(p.schedule, p.frontSchedules));
  tables.push(...totalsTable(p));
  const single = p.front.points.length <= 1 && p.frontSchedules.length <= 1;
  return [section(`${id}-s`, heading, { note: single && p.front.points.length === 1 ? 'The Pareto front is a single schedule: the best one (no other schedule trades energy for cycles or off-chip bytes here).' : undefined, facts, charts: present([chart, zoom]), tables })];
}

export function exploreSections(x: ExploreView, id: string, heading: string): DocSection[] {
  const sweep = x.points.length > 1;
  const facts: (readonly [string, string])[] = [];
  if (x.network) facts.push(['network', x.network]);
  if (x.arch) facts.push(['arch', x.arch]);
  if (x.objective) facts.push(['objective', x.objective]);
  facts.push(...x.run);
  if (sweep) facts.push(['sweep points', String(x.points.length)]);
  const out: DocSection[] = [section(id, heading, { level: 2, facts })];
  if (sweep) {
    const refs = [...new Set(x.points.flatMap((p) => p.front.references.map((r) => r.label)))];
    const rows = x.points.map((p) => {
      const c = p.front.chosen;
      return [
        sweepPointLabel(p),
        ...(c ? [pJ(c.energy_pJ)[0], count(c.cycles), byteCell(c.offchip_bytes)] : ['-', '-', '-']),
        searchCell(p),
        ...refs.map((r) => {
          const q = p.front.references.find((z) => z.label === r);
          return q ? pJ(q.energy_pJ)[0] : p.referenceErrors.some(([n]) => n === r) ? 'cannot run' : '-';
        }),
      ];
    });
    out.push(section(`${id}-sweep-s`, 'Sweep', {
      charts: sweepCharts(x, `${id}-sweep`),
      tables: [{ caption: 'Best schedule at each sweep point, how its search ended (each point has its own time budget), and the energy of each uniform reference schedule there.', table: table(['point', 'best energy', 'cycles', 'off-chip', 'search', ...refs.map((r) => `${r} energy`)], rows) }],
    }));
  }
  x.points.forEach((p, i) => out.push(...pointSections(x, p, `${id}-p${i}`, sweep)));
  return out;
}
