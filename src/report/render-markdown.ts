/** A ReportDoc as Markdown: charts as image links to the SVG files written beside it (`charts/<id>.svg`). */
import type { DocSection, Provenance, ReportDoc } from './doc.ts';
import { esc, mdTable } from './markdown.ts';

export const chartPath = (id: string): string => `charts/${id}.svg`;

function facts(fs: readonly (readonly [string, string])[]): string[] {
  return fs.map(([k, v]) => `- **${esc(k)}**: ${esc(v)}`);
}

function sectionMd(s: DocSection): string[] {
  const out = ['', `${'#'.repeat(s.level)} ${esc(s.heading)}`, ''];
  if (s.note) out.push(esc(s.note), '');
  if (s.facts && s.facts.length > 0) out.push(...facts(s.facts), '');
  for (const c of s.charts) out.push(`![${esc(c.title)}](${chartPath(c.id)})`, '', `*${esc(c.caption)}*`, '');
  for (const t of s.tables) out.push(`${esc(t.caption)}`, '', ...mdTable(t.table), '');
  return out;
}

export function provenanceMd(p: Provenance): string[] {
  const out = ['', '## Reproducibility', '', `- **spikeloop version**: ${esc(p.version)}`, `- **command**: \`${p.command.replace(/`/g, "'")}\``];
  for (const t of p.energyTables) out.push(`- **energy table**: ${esc(t)}`);
  out.push('', '| input | kind | SHA-256 |', '| :--- | :--- | :--- |');
  for (const i of p.inputs) out.push(`| ${esc(i.file)} | ${esc(i.kind)} | \`${i.sha256}\` |`);
  return out;
}

export function renderReportMarkdown(d: ReportDoc): string {
  const out = [`# ${esc(d.title)}`, ''];
  if (d.facts.length > 0) out.push(...facts(d.facts));
  for (const s of d.sections) out.push(...sectionMd(s));
  out.push(...provenanceMd(d.provenance));
  return out.join('\n').replace(/\n{3,}/g, '\n\n').replace(/\n+$/, '') + '\n';
}
