/** Diagnostics as data: found in one place, formatted in another (DESIGN.md §1). */

export type Severity = 'error' | 'warning';

export interface SourcePos {
  /** File path as the user gave it (or a logical name such as `<inline>`). */
  readonly file: string;
  /** 1-based line and column; 0 when unknown. */
  readonly line: number;
  readonly col: number;
}

export interface Diagnostic {
  /** Stable machine-readable code from the message catalogue, e.g. `SL-SPEC-UNKNOWN-KEY`. */
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  readonly pos?: SourcePos;
  /** Path inside the document, e.g. ['arch', 'levels', 2, 'capacity_bytes']. */
  readonly path?: readonly (string | number)[];
  /** How to fix it, when we know. */
  readonly hint?: string;
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = d.pos ? `${d.pos.file}:${d.pos.line}:${d.pos.col}: ` : '';
  const hint = d.hint ? ` (${d.hint})` : '';
  return `${where}${d.severity} ${d.code}: ${d.message}${hint}`;
}

export function hasErrors(ds: readonly Diagnostic[]): boolean {
  return ds.some((d) => d.severity === 'error');
}
