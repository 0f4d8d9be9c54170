/** A report as data: sections of facts, charts and tables, rendered to Markdown and HTML by the same code path. */
import type { Chart } from './chart.ts';
import type { Row, Table } from './summary-model.ts';

export type { Row, Table } from './summary-model.ts';

export interface DocTable {
  readonly caption: string;
  readonly table: Table;
}

export interface DocSection {
  /** Unique in the document (HTML anchor). */
  readonly id: string;
  readonly heading: string;
  /** 2 = a result, 3 = a part of it. */
  readonly level: 2 | 3;
  readonly note?: string;
  /** Problems the producer flagged (streamed ops, ...), shown before everything else of the section. */
  readonly warnings?: readonly string[];
  readonly facts?: readonly (readonly [string, string])[];
  readonly charts: readonly Chart[];
  readonly tables: readonly DocTable[];
  /** Verbatim text blocks (a mapping YAML), after the tables. */
  readonly code?: readonly DocCode[];
}

export interface DocCode {
  readonly caption: string;
  readonly text: string;
}

/** One input file as the report names it: what the CLI read, with its SHA-256 so the report is reproducible. */
export interface InputRecord {
  readonly file: string;
  readonly name: string;
  readonly kind: string;
  readonly sha256: string;
}

/** An energy table (`energy_source`) and the results (by name) that name it. */
export interface EnergyTableRecord {
  readonly table: string;
  readonly results: readonly string[];
}

/** What produced one result: its command line and spec files with hashes, as the result records them. */
export interface ProducerRecord {
  readonly result: string;
  readonly command?: string;
  readonly inputs: readonly { readonly path: string; readonly sha256?: string }[];
}

export interface Provenance {
  readonly version: string;
  /** The command line that produced the report. */
  readonly command: string;
  readonly inputs: readonly InputRecord[];
  /** Energy tables named by the inputs (their `energy_source`); results without one are listed too. */
  readonly energyTables: readonly EnergyTableRecord[];
  /** Per result: the command and spec files that produced it (filled by report.ts from the results). */
  readonly producers?: readonly ProducerRecord[];
}

export interface ReportDoc {
  readonly title: string;
  readonly facts: readonly (readonly [string, string])[];
  readonly sections: readonly DocSection[];
  readonly provenance: Provenance;
}

const NUMERIC = /^[-+]?\d/;

/** A column of words (no cell starts with a number; `-` and empty cells say nothing): read left-aligned. */
const textColumn = (rows: readonly (readonly string[])[], i: number): boolean => {
  const cells = rows.map((r) => r[i] ?? '').filter((c) => c !== '' && c !== '-');
  return cells.length > 0 && !cells.some((c) => NUMERIC.test(c));
};

/** A table whose first column and columns of words are left-aligned, and the columns of numbers right-aligned. */
export function table(labels: readonly string[], rows: readonly (readonly string[])[], total?: readonly string[]): Table {
  const body: Row[] = rows.map((cells) => ({ kind: 'item', cells }));
  if (total) body.push({ kind: 'total', cells: total });
  return { columns: labels.map((label, i) => ({ label, align: i === 0 || textColumn(rows, i) ? 'left' : 'right' })), rows: body };
}

export function section(id: string, heading: string, parts: Partial<Omit<DocSection, 'id' | 'heading'>> = {}): DocSection {
  return { id, heading, level: parts.level ?? 3, note: parts.note, warnings: parts.warnings, facts: parts.facts, charts: parts.charts ?? [], tables: parts.tables ?? [], code: parts.code };
}

/** A table only when it has rows (an empty table is never shown). */
export function tableIf(caption: string, t: Table): DocTable[] {
  return t.rows.some((r) => r.kind !== 'total') ? [{ caption, table: t }] : [];
}

/** Drop absent charts (missing data is never drawn). */
export const present = <T>(xs: readonly (T | undefined)[]): T[] => xs.filter((x): x is T => x !== undefined);
