/** The evaluation summary as a Markdown document (summary.md). Pure. */
import type { Evaluation } from '../model/types.ts';
import type { Artifact } from './artifact.ts';
import { buildSummary, type Summary, type SummaryOptions, type Table } from './summary-model.ts';

/** Escape what would break a table cell or start Markdown formatting. */
export function esc(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/([*_`[\]<>])/g, '\\$1');
}

export function mdTable(t: Table): string[] {
  const head = `| ${t.columns.map((c) => esc(c.label) || ' ').join(' | ')} |`;
  const rule = `| ${t.columns.map((c) => (c.align === 'right' ? '---:' : ':---')).join(' | ')} |`;
  const grouped = t.rows.some((r) => r.kind === 'group');
  const rows = t.rows.map((r) => {
    const cells = r.cells.map((c, i) => {
      const v = esc(c);
      if (v === '') return ' ';
      if (r.kind === 'group' || r.kind === 'total') return `**${v}**`;
      return grouped && i === 0 ? `&nbsp;&nbsp;${v}` : v;
    });
    return `| ${cells.join(' | ')} |`;
  });
  return [head, rule, ...rows];
}

export function renderMarkdown(s: Summary): string {
  const out: string[] = [`# ${esc(s.title)}`, ''];
  for (const [k, v] of s.facts) out.push(`- **${esc(k)}**: ${esc(v)}`);
  for (const sec of s.sections) {
    out.push('', `## ${esc(sec.heading)}`, '');
    if (sec.note) out.push(esc(sec.note), '');
    if (sec.facts) {
      for (const [k, v] of sec.facts) out.push(`- **${esc(k)}**: ${esc(v)}`);
      out.push('');
    }
    if (sec.table) out.push(...mdTable(sec.table));
  }
  return out.join('\n').replace(/\n+$/, '') + '\n';
}

export function markdownSummary(e: Evaluation, opts: SummaryOptions = {}): string {
  return renderMarkdown(buildSummary(e, opts));
}

export function markdownArtifact(e: Evaluation, opts: SummaryOptions = {}): Artifact {
  return { name: 'summary.md', mediaType: 'text/markdown', content: markdownSummary(e, opts) };
}
