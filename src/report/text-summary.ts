/** A readable terminal summary of an Evaluation (pure: returns text, aligned columns). */
import type { Evaluation } from '../model/types.ts';
import { buildBrief, buildSummary, type Summary, type SummaryOptions, type Table } from './summary-model.ts';

export type { SummaryOptions } from './summary-model.ts';

/** Aligned columns, two spaces apart; item rows are indented under their group row. */
export function renderTable(t: Table, indent = ''): string[] {
  const grouped = t.rows.some((r) => r.kind === 'group');
  const cellsOf = (r: Table['rows'][number]): string[] => r.cells.map((c, i) => (grouped && i === 0 && r.kind === 'item' ? `  ${c}` : c));
  const grid = [t.columns.map((c) => c.label), ...t.rows.map(cellsOf)];
  const width = t.columns.map((_, i) => Math.max(...grid.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    indent +
    cells
      .map((c, i) => (t.columns[i].align === 'left' ? c.padEnd(width[i]) : c.padStart(width[i])))
      .join('  ')
      .trimEnd();
  const rule = indent + width.map((w) => '-'.repeat(w)).join('  ');
  const out = [line(grid[0]), rule];
  t.rows.forEach((r, i) => {
    if (r.kind === 'total') out.push(rule);
    out.push(line(grid[i + 1]));
  });
  return out;
}

function renderFacts(facts: readonly (readonly [string, string])[], indent = ''): string[] {
  const w = Math.max(0, ...facts.map(([k]) => k.length));
  return facts.map(([k, v]) => `${indent}${k.padEnd(w)}  ${v}`);
}

export function renderText(s: Summary): string {
  const out: string[] = [s.title, ...renderFacts(s.facts, '  ')];
  for (const sec of s.sections) {
    out.push('', sec.heading);
    if (sec.note) out.push(`  ${sec.note}`);
    if (sec.facts) out.push(...renderFacts(sec.facts, '  '));
    if (sec.table) {
      if (sec.facts) out.push('');
      out.push(...renderTable(sec.table, '  '));
    }
  }
  return out.join('\n');
}

/** The full terminal summary. */
export function textSummary(e: Evaluation, opts: SummaryOptions = {}): string {
  return renderText(buildSummary(e, opts));
}

/** A few lines: energy, off-chip bytes, cycles. */
export function briefSummary(e: Evaluation, opts: SummaryOptions = {}): string {
  return renderText(buildBrief(e, opts));
}
