/** A ReportDoc as Markdown: charts as image links to the SVG files written beside it (`charts/<id>.svg`). */
import type { DocSection, Provenance, ReportDoc } from './doc.ts';
import { esc, mdTable } from './markdown.ts';

export const chartPath = (id: string): string => `charts/${id}.svg`;

/** Text with `code` spans: the prose escaped, the spans kept as code. */
export const inlineMd = (s: string): string => s.split(/`([^`]+)`/).map((part, i) => (i % 2 === 1 ? `\`${part}\`` : esc(part))).join('');

/** A fence longer than any run of backticks in the text. */
const fence = (text: string): string => '`'.repeat(Math.max(3, ...[...text.matchAll(/`+/g)].map((m) => m[0].length + 1)));

function facts(fs: readonly (readonly [string, string])[]): string[] {
  return fs.map(([k, v]) => `- **${esc(k)}**: ${esc(v)}`);
}

function sectionMd(s: DocSection): string[] {
  const out = ['', `${'#'.repeat(s.level)} ${esc(s.heading)}`, ''];
  if (s.warnings && s.warnings.length > 0) out.push(s.warnings.map((w) => `> **warning:** ${inlineMd(w)}`).join('\n>\n'), '');
  if (s.note) out.push(inlineMd(s.note), '');
  if (s.facts && s.facts.length > 0) out.push(...facts(s.facts), '');
  for (const c of s.charts) out.push(`![${esc(c.title)}](${chartPath(c.id)})`, '', `*${inlineMd(c.caption)}*`, '');
  for (const t of s.tables) out.push(`${inlineMd(t.caption)}`, '', ...mdTable(t.table), '');
  for (const c of s.code ?? []) {
    const f = fence(c.text);
    out.push(inlineMd(c.caption), '', `${f}yaml`, c.text.replace(/\n+$/, ''), f, '');
  }
  return out;
}

const codeSpan = (s: string): string => `\`${s.replace(/`/g, "'")}\``;

export function provenanceMd(p: Provenance): string[] {
  const out = ['', '## Reproducibility', '', `- **spikeloop version**: ${esc(p.version)}`, `- **command**: ${codeSpan(p.command)}`];
  out.push('', 'Result files read and their SHA-256.', '', '| file | result | kind | SHA-256 |', '| :--- | :--- | :--- | :--- |');
  for (const i of p.inputs) out.push(`| ${esc(i.file)} | ${esc(i.name)} | ${esc(i.kind)} | \`${i.sha256}\` |`);
  if (p.energyTables.length > 0) {
    out.push('', 'Energy tables (the results\' `energy_source`).', '', '| energy table | results |', '| :--- | :--- |');
    for (const t of p.energyTables) out.push(`| ${esc(t.table)} | ${esc(t.results.join(', '))} |`);
  }
  for (const pr of p.producers ?? []) {
    out.push('', `### How ${esc(pr.result)} was produced`, '', pr.command ? `- **command**: ${codeSpan(pr.command)}` : 'The result does not record the command that produced it.');
    if (pr.inputs.length > 0) {
      out.push('', '| spec file | SHA-256 |', '| :--- | :--- |');
      for (const i of pr.inputs) out.push(`| ${esc(i.path)} | ${i.sha256 ? `\`${i.sha256}\`` : '-'} |`);
    } else out.push('', 'The result does not record its spec files (arch, workload, mapping) or their hashes.');
  }
  return out;
}

export function renderReportMarkdown(d: ReportDoc): string {
  const out = [`# ${esc(d.title)}`, ''];
  if (d.facts.length > 0) out.push(...facts(d.facts));
  for (const s of d.sections) out.push(...sectionMd(s));
  out.push(...provenanceMd(d.provenance));
  return out.join('\n').replace(/\n{3,}/g, '\n\n').replace(/\n+$/, '') + '\n';
}
