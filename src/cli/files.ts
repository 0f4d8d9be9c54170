/** Reading spec files and writing artifacts; every failure becomes a diagnostic naming the file. */
import { join } from 'node:path';
import type { Diagnostic } from '../core/diagnostics.ts';
import type { Artifact } from '../report/artifact.ts';
import type { Host } from './io.ts';

export interface SourceFile {
  /** The path as the user wrote it (diagnostics use this). */
  readonly file: string;
  readonly text: string;
}

function fsDiagnostic(file: string, e: unknown, verb: 'read' | 'write'): Diagnostic {
  const code = (e as { code?: unknown } | null)?.code;
  const pos = { file, line: 1, col: 1 };
  if (verb === 'read' && code === 'ENOENT') {
    return { code: 'SL-FILE-NOT-FOUND', severity: 'error', message: `cannot read ${file}: no such file`, pos, hint: 'check the path' };
  }
  const why =
    code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'ENOTDIR' ? 'a part of the path is not a directory' : (e as Error)?.message ?? String(e);
  return { code: verb === 'read' ? 'SL-FILE-READ' : 'SL-FILE-WRITE', severity: 'error', message: `cannot ${verb} ${file}: ${why}`, pos };
}

/** Read every file; the ones that cannot be read are diagnostics (all of them are reported, not just the first). */
export function readSources(host: Host, files: readonly string[]): { sources: SourceFile[]; diagnostics: Diagnostic[] } {
  const sources: SourceFile[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const file of files) {
    try {
      const text = host.readFile(host.resolve(file));
      if (text.includes('\u0000')) {
        diagnostics.push({ code: 'SL-FILE-READ', severity: 'error', message: `cannot read ${file}: it is a binary file, not YAML or JSON text`, pos: { file, line: 1, col: 1 }, hint: 'check the path' });
        continue;
      }
      sources.push({ file, text });
    } catch (e) {
      diagnostics.push(fsDiagnostic(file, e, 'read'));
    }
  }
  return { sources, diagnostics };
}

/** Write artifacts into `dir` (created when missing); returns the paths written, or the diagnostic of the failure. */
export function writeArtifacts(host: Host, dir: string, artifacts: readonly Artifact[]): { written: string[]; diagnostics: Diagnostic[] } {
  const written: string[] = [];
  for (const a of artifacts) {
    const shown = join(dir, a.name);
    try {
      host.writeFile(host.resolve(shown), a.content);
      written.push(shown);
    } catch (e) {
      return { written, diagnostics: [fsDiagnostic(shown, e, 'write')] };
    }
  }
  return { written, diagnostics: [] };
}
