import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { A, cli, DIAGNOSTIC_LINE, M_INNER, M_OUTER, tempDir, W } from './harness.ts';

describe('spikeloop validate', () => {
  it('accepts the shipped specs (exit 0, nothing on stderr)', async () => {
    const r = await cli(['validate', A, W, M_INNER, M_OUTER]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('ok');
  });

  it('reports a bad file as file:line:col: error CODE: message, exit 1', async () => {
    const f = join(tempDir(), 'w.yaml');
    writeFileSync(f, 'workload:\n  name: x\n  type: snn-conv\n  dims: { N: 1, T: -2, K: 4, C: 4, P: 4, Q: 4, R: 3, S: 3 }\n');
    const r = await cli(['validate', f]);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    const lines = r.err.split('\n');
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) expect(l).toMatch(DIAGNOSTIC_LINE);
    const m = DIAGNOSTIC_LINE.exec(lines[0])!;
    expect(m[1]).toBe(f);
    expect(m[2]).toBe('4'); // the line of T: -2
  });

  it('reports an unknown key at its position', async () => {
    const f = join(tempDir(), 'w.yaml');
    writeFileSync(f, 'workload:\n  name: x\n  type: snn-conv\n  dims: { N: 1, T: 2, K: 4, C: 4, P: 4, Q: 4, R: 3, S: 3 }\n  stateles: true\n');
    const r = await cli(['validate', f]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(new RegExp(`^${escape(f)}:5:3: error SL-[A-Z-]+: .*stateles`, 'm'));
  });

  it('reports a YAML syntax error as a diagnostic', async () => {
    const f = join(tempDir(), 'w.yaml');
    writeFileSync(f, 'workload:\n  name: [x\n');
    const r = await cli(['validate', f]);
    expect(r.code).toBe(1);
    expect(r.err.split('\n')[0]).toMatch(DIAGNOSTIC_LINE);
  });

  it('reports a missing file with SL-FILE-NOT-FOUND and still checks the others', async () => {
    const r = await cli(['validate', 'nope.yaml', A]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^nope\.yaml:0:0: error SL-FILE-NOT-FOUND: .*nope\.yaml/m);
    expect(r.err).not.toMatch(/\n\s+at /);
    expect(r.err).not.toContain('eyeriss-like.yaml'); // the arch itself is fine
  });

  it('reports a folder given as a file', async () => {
    const r = await cli(['validate', 'arch-specs']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^arch-specs:0:0: error SL-FILE-READ: .*directory/m);
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
