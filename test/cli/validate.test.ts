import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { A, cli, DIAGNOSTIC_LINE, M_INNER, M_OUTER, ROOT, tempDir, W } from './harness.ts';

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
    expect(r.err).toMatch(/^nope\.yaml:1:1: error SL-FILE-NOT-FOUND: .*nope\.yaml/m);
    expect(r.err).not.toMatch(/\n\s+at /);
    expect(r.err).not.toContain('eyeriss-like.yaml'); // the arch itself is fine
  });

  it('reports a folder given as a file', async () => {
    const r = await cli(['validate', 'arch-specs']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^arch-specs:1:1: error SL-FILE-READ: .*directory/m);
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('spikeloop validate: pairing and evaluation', () => {
  it('pairs every shipped mapping with its own arch and workload (for: or file name) and finds them all valid', async () => {
    const { readdirSync } = await import('node:fs');
    const list = (d: string) => readdirSync(join(ROOT, d)).filter((f) => f.endsWith('.yaml') && !f.includes('.sweep.')).map((f) => `${d}/${f}`);
    const r = await cli(['validate', ...list('arch-specs'), ...list('workloads'), ...list('mappings')]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
  });

  it('a mapping whose arch is not among several given ones gets SL-MAP-CONTEXT, not a cascade of level errors', async () => {
    const r = await cli(['validate', A, 'arch-specs/two-level.yaml', W, 'workloads/fc-snn.yaml', 'mappings/ttsnn-accelerator-fc-snn.yaml']);
    expect(r.code).toBe(1);
    expect(r.err.split('\n')).toEqual([expect.stringMatching(/^mappings\/ttsnn-accelerator-fc-snn\.yaml:1:1: error SL-MAP-CONTEXT: .*none is its arch/)]);
  });

  it('evaluates mappings: a tile that does not fit is SL-EVAL-CAPACITY at its level entry, exit 3', async () => {
    const dir = join(ROOT, 'test', 'spec', 'fixtures', 'SL-EVAL-CAPACITY');
    const r = await cli(['validate', join(dir, 'arch.yaml'), join(dir, 'workload.yaml'), join(dir, 'mapping.yaml')]);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/mapping\.yaml:\d+:\d+: error SL-EVAL-CAPACITY: .*Buffer/);
  });

  it('reports diagnostics in file and line order', async () => {
    const f = join(tempDir(), 'w.yaml');
    writeFileSync(f, 'workload:\n  name: x\n  type: snn-conv\n  dims: { N: 1, T: -2, K: 4, C: 4, P: 4, Q: 4, R: 3, S: 3 }\n  stateles: true\n  density: { Inputs: 3 }\n');
    const r = await cli(['validate', f]);
    const lines = r.err.split('\n').map((l) => Number(DIAGNOSTIC_LINE.exec(l)?.[2]));
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
    expect(lines.length).toBeGreaterThanOrEqual(3);
  });

  it('a binary file is SL-FILE-READ, not a YAML error with raw bytes', async () => {
    const f = join(tempDir(), 'x.yaml');
    writeFileSync(f, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3]));
    const r = await cli(['validate', f]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/:1:1: error SL-FILE-READ: .*binary/);
  });
});
