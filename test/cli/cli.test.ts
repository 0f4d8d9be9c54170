import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.ts';

function cli(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = run(args, { stdout: (s) => out.push(s), stderr: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}
const A = 'arch-specs/eyeriss-like.yaml';
const W = 'workloads/vgg-conv3-snn.yaml';
const M = 'mappings/eyeriss-like-vgg-conv3-t-inner.yaml';

describe('spikeloop CLI', () => {
  it('evaluate --json prints the contract fields', () => {
    const r = cli(['evaluate', '--arch', A, '--workload', W, '--mapping', M, '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.schema).toBe('spikeloop.evaluation/1');
    for (const k of ['energy_pJ', 'cycles', 'offchip_bytes', 'computes']) expect(typeof j.totals[k]).toBe('number');
    expect(j.levels[0].tensors.Weights.reads).toBeGreaterThan(0);
    expect(j.timing.model).toBe('roofline');
    expect(j.compute.ac.count).toBeGreaterThan(0);
  });
  it('T outermost spills the membrane state to DRAM; T innermost does not', () => {
    const inner = JSON.parse(cli(['evaluate', '--arch', A, '--workload', W, '--mapping', M, '--json']).out);
    const outer = JSON.parse(cli(['evaluate', '--arch', A, '--workload', W, '--mapping', 'mappings/eyeriss-like-vgg-conv3-t-outer.yaml', '--json']).out);
    expect(inner.offchip_bytes_by_tensor.State).toBe(0);
    // 64*28*28 neurons, 16-bit state, written and re-read (T-1) = 3 times: 2 * 3 * 50176 * 2 bytes.
    expect(outer.offchip_bytes_by_tensor.State).toBe(2 * 3 * 50176 * 2);
  });
  it('a missing file is exit 1 with a diagnostic, not a stack trace', () => {
    const r = cli(['evaluate', '--arch', 'nope.yaml', '--workload', W, '--mapping', M]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/nope\.yaml:0:0: error SL-FILE-NOT-FOUND/);
  });
  it('factors that do not multiply to the dimension are reported with file and line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sl-'));
    const f = join(dir, 'm.yaml');
    writeFileSync(f, 'mapping:\n  - level: DRAM\n    temporal: "K4 P2"\n  - level: GlobalBuffer\n    temporal: "K2 Q2 P2 T4 C4"\n    spatial: { Y: "K8", X: "Q14" }\n  - level: RegisterFile\n    temporal: "C16 P7 R3"\n');
    const r = cli(['evaluate', '--arch', A, '--workload', W, '--mapping', f]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${f}:2:3: error SL-MAP-FACTOR-PRODUCT: the factors of S multiply to 1`);
  });
  it('unknown keys get a did-you-mean', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sl-'));
    const f = join(dir, 'w.yaml');
    writeFileSync(f, 'workload:\n  name: x\n  type: snn-conv\n  dims: { N: 1, T: 2, K: 4, C: 4, P: 4, Q: 4, R: 3, S: 3 }\n  stateles: true\n');
    const r = cli(['validate', f]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${f}:5:3: error SL-SPEC-UNKNOWN-KEY: unknown key 'stateles' in an SNN layer (did you mean 'stateless'?)`);
  });
  it('invalid YAML and negative sizes are diagnostics', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sl-'));
    const f = join(dir, 'w.yaml');
    writeFileSync(f, 'workload:\n  name: x\n  type: snn-conv\n  dims: { N: 1, T: -2, K: 4, C: 4, P: 4, Q: 4, R: 3, S: 3 }\n');
    expect(cli(['validate', f]).err).toMatch(/w\.yaml:4:\d+: error SL-SPEC-NEGATIVE/);
    writeFileSync(f, 'workload:\n  name: [x\n');
    expect(cli(['validate', f]).err).toMatch(/error SL-YAML-SYNTAX/);
  });
  it('a usage error is exit 2', () => {
    expect(cli(['evaluate', '--arch', A]).code).toBe(2);
  });
  it('the shipped specs validate', () => {
    const r = cli(['validate', A, W, M, 'mappings/eyeriss-like-vgg-conv3-t-outer.yaml']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
  });
});
