/** A readable terminal summary of an Evaluation (pure: returns text, aligned columns). */
import type { Evaluation } from '../model/types.ts';
import { energy, num, pct } from './format.ts';
import { buildBrief, buildSummary, type Section, type Summary, type SummaryOptions, type Table } from './summary-model.ts';

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
  const s = buildSummary(e, opts);
  return renderText({ ...s, sections: [...s.sections, ...pipelineSections(e)] });
}

/** Pipeline timing detail (busy / stall / idle per level, prologue, epilogue, stall causes) and static energy. */
function pipelineSections(e: Evaluation): Section[] {
  const out: Section[] = [];
  const t = e.timing;
  if (t.model === 'pipeline' && t.levels && t.compute_activity) {
    const total = e.totals.cycles;
    const ca = t.compute_activity;
    const causes = Object.entries(t.stall_share_by_tensor ?? {})
      .filter(([, v]) => v > 0)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k} ${(100 * v).toFixed(1)}%`)
      .join(', ');
    const rows: Table['rows'] = [
      ...t.levels.map((l) => ({ kind: 'item' as const, cells: [l.name, num(l.tiles), num(l.busy_cycles), num(l.stall_cycles), num(l.idle_cycles)] })),
      { kind: 'total' as const, cells: ['compute', num(t.outer_tiles ?? 0), num(ca.busy_cycles), num(ca.stall_cycles), num(ca.idle_cycles)] },
    ];
    const col = (label: string, align: 'left' | 'right' = 'right') => ({ label, align });
    out.push({
      heading: 'Pipeline timeline',
      note: 'busy: ports moving data (levels) or computing; stall: cycles the compute array waited because of it.',
      facts: [
        ['cycles', `${num(total)} (roofline ${num(t.roofline_cycles ?? 0)}, +${pct(total - (t.roofline_cycles ?? total), t.roofline_cycles ?? total)})`],
        ['prologue / epilogue', `${num(t.prologue_cycles ?? 0)} / ${num(t.epilogue_cycles ?? 0)} cycles`],
        ['outer tiles', (t.simulated_tiles ?? 0) < (t.outer_tiles ?? 0) ? `${num(t.outer_tiles ?? 0)} (${num(t.simulated_tiles ?? 0)} simulated, the repeated rest replayed exactly)` : `${num(t.outer_tiles ?? 0)} (all simulated)`],
        ['stalls caused by', causes || 'none'],
      ],
      table: { columns: [col('level', 'left'), col('tiles'), col('busy'), col('stall'), col('idle')], rows },
    });
  }
  if (e.energy_static_pJ && e.energy_static_pJ > 0) {
    out.push({
      heading: 'Static energy',
      facts: [
        ['total', `${energy(e.energy_static_pJ)} (${pct(e.energy_static_pJ, e.totals.energy_pJ)} of the total, included)`],
        ...Object.entries(e.energy_static?.levels ?? {}).filter(([, v]) => v > 0).map(([k, v]): [string, string] => [`leakage ${k}`, energy(v)]),
        ['compute idle', energy(e.energy_static?.compute_idle_pJ ?? 0)],
      ],
    });
  }
  return out;
}

/** A few lines: energy, off-chip bytes, cycles. */
export function briefSummary(e: Evaluation, opts: SummaryOptions = {}): string {
  return renderText(buildBrief(e, opts));
}
