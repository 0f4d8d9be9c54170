// The real executable, as a user runs it: checks the tsx wiring of bin/spikeloop (no build step).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { A, M_INNER, ROOT, W } from './harness.ts';

const BIN = join(ROOT, 'bin', 'spikeloop');

describe('bin/spikeloop', () => {
  it('runs --help from another working directory', () => {
    const r = spawnSync(BIN, ['--help'], { cwd: tmpdir(), encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
    expect(r.error).toBeUndefined();
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Usage: spikeloop');
  });

  it('sets the exit code of a usage error', () => {
    const r = spawnSync(process.execPath, [BIN, 'evaluate', '--arch'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status).toBe(2);
  });

  it('evaluates with paths relative to the working directory', () => {
    const r = spawnSync(process.execPath, [BIN, 'evaluate', '--arch', A, '--workload', W, '--mapping', M_INNER, '--brief'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('off-chip');
  });
});
