import type { Diagnostic } from './diagnostics.ts';

/** Failures are values: a user error never throws (DESIGN.md §1). */
export type Result<T> =
  | { readonly ok: true; readonly value: T; readonly warnings: readonly Diagnostic[] }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

export function ok<T>(value: T, warnings: readonly Diagnostic[] = []): Result<T> {
  return { ok: true, value, warnings };
}

export function fail<T = never>(diagnostics: readonly Diagnostic[]): Result<T> {
  return { ok: false, diagnostics };
}

/** Internal invariant: a bug in spikeloop, never a user error. */
export function invariant(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(`spikeloop internal invariant violated: ${message}`);
}
