/**
 * The content of an evaluation summary as plain data (facts and tables of strings), rendered by text-summary.ts
 * for the terminal and by markdown.ts for summary.md, so both always show the same numbers.
 */
import type { Evaluation } from '../model/types.ts';
import { bytes, capacity, energy, num, pct } from './format.ts';

export type Align = 'left' | 'right';

export interface Row {
  /** `group` rows head a block (a level); `item` rows belong to the group above (its tensors). */
  readonly kind: 'group' | 'item' | 'total';
  readonly cells: readonly string[];
}

export interface Table {
  readonly columns: readonly { readonly label: string; readonly align: Align }[];
  readonly rows: readonly Row[];
}

export interface Section {
  readonly heading: string;
  readonly note?: string;
  readonly facts?: readonly (readonly [string, string])[];
  readonly table?: Table;
}

export interface Summary {
  readonly title: string;
  readonly facts: readonly (readonly [string, string])[];
  readonly sections: readonly Section[];
}

export interface SummaryOptions {
  /** Where the mapping came from (a file name), shown in the header. */
  readonly mapping?: string;
}

const cols = (...labels: string[]): Table['columns'] => labels.map((label, i) => ({ label, align: i === 0 ? 'left' : 'right' }));

function accessTable(e: Evaluation): Table {
  const rows: Row[] = [];
  for (const l of e.levels) {
    const used = l.capacity_bits === null ? 'unbounded' : `${pct(l.capacity_used_bits, l.capacity_bits)} of ${capacity(l.capacity_bits)}`;
    rows.push({ kind: 'group', cells: [l.name, '', '', '', used, '', energy(l.energy_pJ)] });
    for (const [t, s] of Object.entries(l.tensors)) {
      rows.push({ kind: 'item', cells: [t, num(s.reads), num(s.fills), num(s.updates), num(s.utilized_capacity), num(s.utilized_instances), energy(s.energy_pJ)] });
    }
  }
  return { columns: cols('level / tensor', 'reads', 'fills', 'updates', 'utilized capacity', 'instances', 'energy'), rows };
}

function offchipTable(e: Evaluation): Table {
  const total = e.totals.offchip_bytes;
  const rows: Row[] = Object.entries(e.offchip_bytes_by_tensor).map(([t, b]) => ({ kind: 'item', cells: [t, bytes(b), pct(b, total)] }));
  rows.push({ kind: 'total', cells: ['total', bytes(total), total > 0 ? '100.0%' : '-'] });
  return { columns: cols('tensor', 'bytes', 'share'), rows };
}

function energyTable(e: Evaluation): Table {
  const total = e.totals.energy_pJ;
  const rows: Row[] = [];
  const line = (name: string, pJ: number, count = ''): Row => ({ kind: 'item', cells: [name, count, energy(pJ), num(round2(pJ)), pct(pJ, total)] });
  rows.push({ kind: 'group', cells: ['by level', '', '', '', ''] });
  for (const l of e.levels) rows.push(line(l.name, l.energy_pJ));
  rows.push({ kind: 'group', cells: ['by tensor', '', '', '', ''] });
  for (const [t, v] of Object.entries(e.energy_by_tensor)) rows.push(line(t, v));
  rows.push({ kind: 'group', cells: ['by compute action', '', '', '', ''] });
  for (const [a, c] of Object.entries(e.compute)) rows.push(line(a, c.energy_pJ, `${num(c.count)} ops`));
  rows.push({ kind: 'total', cells: ['total', '', energy(total), num(round2(total)), total > 0 ? '100.0%' : '-'] });
  return { columns: cols('', 'count', 'energy', 'pJ', 'share'), rows };
}

function timingTable(e: Evaluation): Table {
  const rows: Row[] = e.levels.map((l) => ({
    kind: 'item',
    cells: [l.name, num(l.cycles), l.bandwidth_throttling >= 1 ? 'none' : `${(100 * l.bandwidth_throttling).toFixed(1)}% of compute rate`],
  }));
  return { columns: cols('level', 'cycles', 'bandwidth throttling'), rows };
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

export function buildSummary(e: Evaluation, opts: SummaryOptions = {}): Summary {
  const facts: [string, string][] = [
    ['workload', e.workload],
    ['arch', e.arch],
  ];
  if (opts.mapping) facts.push(['mapping', opts.mapping]);
  facts.push(['energy table', e.energy_source], ['timing model', e.timing.model]);
  return {
    title: `spikeloop evaluation: ${e.workload} on ${e.arch}`,
    facts,
    sections: [
      {
        heading: 'Accesses per level',
        note: 'Counts are words per instance (Timeloop convention); energy is summed over instances. Levels outermost first.',
        table: accessTable(e),
      },
      { heading: 'Off-chip traffic', table: offchipTable(e) },
      { heading: 'Energy', table: energyTable(e) },
      {
        heading: 'Timing',
        facts: [
          ['cycles', num(e.totals.cycles)],
          ['compute cycles', num(e.timing.compute_cycles)],
          ['bottleneck', e.timing.bottleneck],
          ['utilization', `${(100 * e.utilization).toFixed(1)}% of the compute array${e.active_utilization !== undefined && e.active_utilization < e.utilization - 1e-12 ? ` (${(100 * e.active_utilization).toFixed(1)}% on ops not skipped)` : ''}`],
          ['computes', num(e.totals.computes)],
        ],
        table: timingTable(e),
      },
    ],
  };
}

/** The few numbers of `--brief`: energy, off-chip bytes (with the per-tensor split), cycles. */
export function buildBrief(e: Evaluation, opts: SummaryOptions = {}): Summary {
  const split = Object.entries(e.offchip_bytes_by_tensor)
    .filter(([, b]) => b > 0)
    .map(([t, b]) => `${t} ${num(b)}`)
    .join(', ');
  return {
    title: `${e.workload} on ${e.arch}${opts.mapping ? ` (${opts.mapping})` : ''}`,
    facts: [
      ['energy', `${energy(e.totals.energy_pJ)} (${num(round2(e.totals.energy_pJ))} pJ)`],
      ['off-chip', `${bytes(e.totals.offchip_bytes)}${split ? `: ${split}` : ''}`],
      ['cycles', `${num(e.totals.cycles)} (bottleneck: ${e.timing.bottleneck}, ${e.timing.model})`],
    ],
    sections: [],
  };
}
