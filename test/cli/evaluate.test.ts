import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareWithExpected, expectedFromTimeloop } from '../../src/spec/timeloop/expected.ts';
import { describe, expect, it } from 'vitest';
import { A, cli, DIAGNOSTIC_LINE, M_INNER, M_OUTER, tempDir, TIMELOOP, W } from './harness.ts';

const native = (m: string, ...more: string[]): string[] => ['evaluate', '--arch', A, '--workload', W, '--mapping', m, ...more];

describe('spikeloop evaluate', () => {
  it('--json prints exactly one JSON document with the contract fields (DESIGN.md §4)', async () => {
    const r = await cli(native(M_INNER, '--json'));
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.schema).toBe('spikeloop.evaluation/1');
    for (const k of ['energy_pJ', 'cycles', 'offchip_bytes', 'computes']) expect(typeof j.totals[k]).toBe('number');
    expect(Array.isArray(j.levels)).toBe(true);
    expect(j.levels.map((l: { name: string }) => l.name)).toEqual(['DRAM', 'GlobalBuffer', 'RegisterFile']);
    for (const l of j.levels) {
      expect(typeof l.energy_pJ).toBe('number');
      for (const s of Object.values(l.tensors) as Record<string, number>[]) {
        for (const k of ['reads', 'fills', 'updates', 'utilized_capacity', 'utilized_instances']) expect(typeof s[k]).toBe('number');
      }
    }
    expect(j.levels[0].tensors.Weights.reads).toBeGreaterThan(0);
    expect(j.compute.ac.count).toBeGreaterThan(0);
    expect(typeof j.compute.ac.energy_pJ).toBe('number');
    expect(j.timing.model).toBe('roofline');
    expect(typeof j.timing.cycles).toBe('number');
    expect(typeof j.timing.bottleneck).toBe('string');
  });

  it('prints a readable summary by default and a few lines with --brief', async () => {
    const full = await cli(native(M_INNER));
    expect(full.code).toBe(0);
    expect(full.out).toContain('vgg-conv3-snn on eyeriss-like');
    expect(full.out).toMatch(/GlobalBuffer/);
    expect(full.out).toMatch(/[0-9.]+ [pnum]J/);
    const brief = await cli(native(M_OUTER, '--brief'));
    expect(brief.code).toBe(0);
    expect(brief.out.split('\n').length).toBeLessThanOrEqual(5);
    expect(brief.out).toMatch(/energy/);
    expect(brief.out).toMatch(/off-chip/);
    expect(brief.out).toMatch(/cycles/);
  });

  it('T outermost spills the membrane state to DRAM; T innermost does not', async () => {
    const inner = JSON.parse((await cli(native(M_INNER, '--json'))).out);
    const outer = JSON.parse((await cli(native(M_OUTER, '--json'))).out);
    expect(inner.offchip_bytes_by_tensor.State).toBe(0);
    // 64*28*28 neurons, 16-bit state, written and re-read (T-1) = 3 times: 2 * 3 * 50176 * 2 bytes.
    expect(outer.offchip_bytes_by_tensor.State).toBe(2 * 3 * 50176 * 2);
    expect((await cli(native(M_OUTER, '--brief'))).out).toContain('State 602,112');
  });

  it('--timing pipeline is passed to the model', async () => {
    const r = await cli(native(M_INNER, '--json', '--timing', 'pipeline'));
    expect(r.code).toBe(0);
    expect(['roofline', 'pipeline']).toContain(JSON.parse(r.out).timing.model);
  });

  it('--out writes evaluation.json and summary.md, creating the folder', async () => {
    const dir = join(tempDir(), 'a', 'b');
    const r = await cli(native(M_INNER, '--out', dir, '--json'));
    expect(r.code).toBe(0);
    const written = JSON.parse(readFileSync(join(dir, 'evaluation.json'), 'utf8'));
    expect(written).toEqual(JSON.parse(r.out));
    const md = readFileSync(join(dir, 'summary.md'), 'utf8');
    expect(md).toMatch(/^# /);
    expect(md).toContain('| ---');
  });

  it('--out that cannot be written is exit 1 with SL-FILE-WRITE', async () => {
    const writeFile = (): void => {
      throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    };
    const r = await cli(native(M_INNER, '--out', 'locked', '--json'), { writeFile });
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toBe('locked/evaluation.json:1:1: error SL-FILE-WRITE: cannot write locked/evaluation.json: permission denied');
  });

  it('a missing file is exit 1 with SL-FILE-NOT-FOUND, not a stack trace', async () => {
    const r = await cli(['evaluate', '--arch', 'nope.yaml', '--workload', W, '--mapping', M_INNER]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^nope\.yaml:1:1: error SL-FILE-NOT-FOUND: /);
    expect(r.err).not.toMatch(/\n\s+at /);
    expect(r.out).toBe('');
  });

  it('a spec error is exit 1 with positioned diagnostics', async () => {
    const f = join(tempDir(), 'm.yaml');
    writeFileSync(f, 'mapping:\n  - level: DRAM\n    temporal: "K4 P2"\n  - level: GlobalBuffer\n    temporal: "K2 Q2 P2 T4 C4"\n    spatial: { Y: "K8", X: "Q14" }\n  - level: RegisterFile\n    temporal: "C16 P7 R3"\n');
    const r = await cli(native(f));
    expect(r.code).toBe(1);
    for (const l of r.err.split('\n')) expect(l).toMatch(DIAGNOSTIC_LINE);
    expect(r.err.startsWith(`${f}:`)).toBe(true);
  });

  it('a mapping whose tiles do not fit is exit 3, pointing at the level entry', async () => {
    const f = join(tempDir(), 'm.yaml');
    // All of C (and R, S) at the 512-byte register file: 64*3*3 8-bit weights = 576 bytes do not fit.
    writeFileSync(f, 'mapping:\n  - level: DRAM\n    temporal: "K4 P2"\n  - level: GlobalBuffer\n    temporal: "K2 Q2 P2 T4"\n    spatial: { Y: "K8", X: "Q14" }\n  - level: RegisterFile\n    temporal: "C64 P7 R3 S3"\n');
    const r = await cli(native(f, '--json'));
    expect(r.code).toBe(3);
    expect(r.out).toBe('');
    const m = DIAGNOSTIC_LINE.exec(r.err);
    expect(m).not.toBeNull();
    expect(m![1]).toBe(f);
    expect(m![2]).toBe('7'); // the RegisterFile entry
    expect(m![4]).toBe('SL-EVAL-CAPACITY');
    expect(r.err).toMatch(/RegisterFile/);
    expect(r.err).toMatch(/needed [\d,]+ bits, available 4,096 bits/);
  });
});

describe('spikeloop evaluate --timeloop', () => {
  const dir = (c: string): string => join(TIMELOOP, c);
  const files = (c: string, ert = true): string[] => ['arch.yaml', 'problem.yaml', 'mapping.yaml', ...(ert ? ['ERT.yaml'] : [])].map((f) => join(dir(c), f));

  const cases = existsSync(TIMELOOP) ? readdirSync(TIMELOOP).filter((c) => /^case\d+$/.test(c)).sort() : [];
  for (const c of cases) {
    it(`${c}: the CLI matches Timeloop's numbers, with the files in any order`, async () => {
      // Alphabetical order (ERT, arch, mapping, problem), as a shell glob passes them.
      const r = await cli(['evaluate', '--timeloop', ...[...files(c)].sort(), '--json']);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      const j = JSON.parse(r.out);
      expect(j.schema).toBe('spikeloop.evaluation/1');
      const expected = expectedFromTimeloop(JSON.parse(readFileSync(join(dir(c), 'expected.json'), 'utf8')));
      if (!expected.ok) throw new Error('bad expected.json');
      expect(compareWithExpected(expected.value, j)).toEqual([]);
    });
  }

  it.runIf(existsSync(dir('case02')))('a missing Timeloop file is exit 1 naming it', async () => {
    const [a, p] = files('case02');
    const r = await cli(['evaluate', '--timeloop', a, p, 'missing-mapping.yaml']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^missing-mapping\.yaml:1:1: error SL-FILE-NOT-FOUND/);
  });
});
