/** Report sections of a search result: the Pareto front, the chosen point and mapping, search statistics. */
import { front2d, paretoChart } from '../charts/pareto.ts';
import { present, section, table, type DocSection, type Table } from '../doc.ts';
import type { SearchPoint, SearchView } from '../views.ts';
import { evaluationSections } from './evaluation.ts';
import { byteCell, count, pJ } from './numbers.ts';

export const pointText = (p: SearchPoint): string => `${pJ(p.energy_pJ)[0]}, ${count(p.cycles)} cycles${p.offchip_bytes !== undefined ? `, ${byteCell(p.offchip_bytes)} off-chip` : ''}`;

/** The design points of a result (front membership, chosen) and its reference points, as one table. */
export function pointsTable(s: SearchView): Table {
  const front = new Set(front2d(s.points));
  const rows = s.points.map((p) => [p.label, ...pJ(p.energy_pJ), count(p.cycles), byteCell(p.offchip_bytes), front.has(p) ? 'yes' : '', p === s.chosen ? 'chosen' : '']);
  if (s.chosen && !s.points.includes(s.chosen)) rows.push([s.chosen.label, ...pJ(s.chosen.energy_pJ), count(s.chosen.cycles), byteCell(s.chosen.offchip_bytes), '', 'chosen']);
  for (const r of s.references) rows.push([r.label, ...pJ(r.energy_pJ), count(r.cycles), byteCell(r.offchip_bytes), '', 'reference']);
  return table(['point', 'energy', 'pJ', 'cycles', 'off-chip', 'on the front', ''], rows);
}

export function searchSections(s: SearchView, id: string, heading: string): DocSection[] {
  const facts: (readonly [string, string])[] = [];
  if (s.workload) facts.push(['workload', s.workload]);
  if (s.arch) facts.push(['arch', s.arch]);
  facts.push(['points in the result', String(s.points.length)]);
  if (s.objective) facts.push(['objective', s.objective]);
  if (s.chosen) facts.push(['chosen', `${s.chosen.label}: ${pointText(s.chosen)}`]);
  facts.push(...s.stats);
  const chart = paretoChart(s, `${id}-pareto`);
  const out: DocSection[] = [section(id, heading, { level: 2, facts })];
  out.push(
    ...present([
      chart ? section(`${id}-pareto-s`, 'Pareto front', { charts: [chart], tables: [{ caption: 'Design points (on the energy-cycles front: yes).', table: pointsTable(s) }] }) : undefined,
      s.mappingYaml
        ? section(`${id}-mapping-s`, 'Chosen mapping', { code: [{ caption: 'The chosen mapping as mapping YAML (`spikeloop evaluate --mapping` reads it unchanged).', text: s.mappingYaml }] })
        : undefined,
    ]),
  );
  if (s.best) out.push(...evaluationSections(s.best, `${id}-best`, `${heading}: chosen mapping`).map((sec, i) => (i === 0 ? { ...sec, level: 3 as const } : sec)));
  return out;
}
