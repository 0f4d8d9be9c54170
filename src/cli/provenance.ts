/**
 * Provenance of a result JSON: the command line that produced it and the SHA-256 of every file it read, as
 * `{command, inputs: [{path, sha256}]}` for the writers to spread into their document (report reads it back:
 * src/report/read/provenance.ts). Hashing is I/O-adjacent (node:crypto), so it lives in cli/.
 */
import { createHash } from 'node:crypto';
import type { Host } from './io.ts';

export interface InputRecordJson {
  readonly path: string;
  readonly sha256: string;
}

export interface ProvenanceJson {
  readonly command: string;
  readonly inputs: readonly InputRecordJson[];
}

export const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

const quote = (a: string): string => (/^[A-Za-z0-9._/=:@%+-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`);

/** `spikeloop <args>` with shell quoting where an argument needs it. */
export const commandLine = (args: readonly string[]): string => ['spikeloop', ...args].map(quote).join(' ');

/**
 * `{command, inputs}` for `args` (the arguments after `spikeloop`) and the files the command read (paths as the
 * user gave them; undefined entries and duplicates are skipped). A file that cannot be read again is left out:
 * the command would already have failed on it.
 */
export function provenanceRecord(host: Host, args: readonly string[], files: readonly (string | undefined)[]): ProvenanceJson {
  const inputs: InputRecordJson[] = [];
  for (const f of files) {
    if (f === undefined || inputs.some((i) => i.path === f)) continue;
    try {
      inputs.push({ path: f, sha256: sha256(host.readFile(host.resolve(f))) });
    } catch {
      // unreadable now: not recorded
    }
  }
  return { command: commandLine(args), inputs };
}
