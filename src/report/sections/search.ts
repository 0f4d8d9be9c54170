/** Report sections of a search result: the Pareto front, the chosen point, search statistics. */
import { front2d, paretoChart } from '../charts/pareto.ts';
import { present, section, type DocSection, table } from '../doc.ts';
import type { SearchView } from '../views.ts';
import { evaluationSections } from './evaluation.ts';
import { byteCell, count, pJ } from './numbers.ts';

export function searchSections(s: SearchView, id: string, heading: string): DocSection[] {
  const facts: (readonly [string, string])[] = [['points in the result', String(s.points.length)]];
  if (s.objective) facts.push(['objective', s.objective]);
  if (s.chosen) facts.push(['chosen', `${s.chosen.label}: ${pJ(s.chosen.energy_pJ)[0]}, ${count(s.chosen.cycles)} cycles${s.chosen.offchip_bytes !== undefined ? `, ${byteCell(s.chosen.offchip_bytes)} off-chip` : ''}`]);
  facts.push(...s.stats);
  const chart = paretoChart(s, `${id}-pareto`);
  const front = new Set(front2d(s.points));
  const rows = s.points.map((p) => [p.label, ...pJ(p.energy_pJ), count(p.cycles), byteCell(p.offchip_bytes), front.has(p) ? 'yes' : '', p === s.chosen ? 'chosen' : '']);
  if (s.chosen && !s.points.includes(s.chosen)) rows.push([s.chosen.label, ...pJ(s.chosen.energy_pJ), count(s.chosen.cycles), byteCell(s.chosen.offchip_bytes), '', 'chosen']);
  const out: DocSection[] = [section(id, heading, { level: 2, facts })];
  out.push(
    ...present([
      chart
        ? section(`${id}-pareto-s`, 'Pareto front', {
            charts: [chart],
            tables: [{ caption: 'Design points (on the energy-cycles front: yes).', table: table(['point', 'energy', 'pJ', 'cycles', 'off-chip', 'front', ''], rows) }],
          })
        : undefined,
    ]),
  );
  if (s.best) out.push(...evaluationSections(s.best, `${id}-best`, `${heading}: chosen mapping`).map((sec, i) => (i === 0 ? { ...sec, level: 3 as const } : sec)));
  return out;
}
