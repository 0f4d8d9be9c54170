// Vitest global setup: the real command outputs the report tests read (test/report/real.ts) are produced once per
// run, not once per test file, and removed afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { produceRealOutputs } from './real.ts';

export default async function setup(): Promise<() => void> {
  const dir = mkdtempSync(join(tmpdir(), 'spikeloop-real-'));
  await produceRealOutputs(dir);
  process.env.SPIKELOOP_REAL_OUTPUTS = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
