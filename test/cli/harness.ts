// Runs the CLI in-process with captured stdout/stderr (fast: no child process, no tsx startup).
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run, type Io } from '../../src/cli/main.ts';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const A = 'arch-specs/eyeriss-like.yaml';
export const W = 'workloads/vgg-conv3-snn.yaml';
export const M_INNER = 'mappings/eyeriss-like-vgg-conv3-t-inner.yaml';
export const M_OUTER = 'mappings/eyeriss-like-vgg-conv3-t-outer.yaml';
/** Folder of the Timeloop reference cases: the shared suite when it is beside the repo, else the vendored copy. */
export const TIMELOOP = existsSync(join(ROOT, '..', 'shared', 'reference', 'timeloop', 'case02')) ? join(ROOT, '..', 'shared', 'reference', 'timeloop') : join(ROOT, 'test', 'reference', 'timeloop');

export interface CliResult {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

export async function cli(args: readonly string[], io: Partial<Io> = {}): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(args, { cwd: ROOT, env: {}, stdout: (s) => out.push(s), stderr: (s) => err.push(s), ...io });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'spikeloop-test-'));
}

/** `file:line:col: error CODE: message`, the diagnostic line format of DESIGN.md §4. */
export const DIAGNOSTIC_LINE = /^(.+):(\d+):(\d+): error (SL-[A-Z0-9-]+): \S.*$/;
