// Golden tests over EVERY shipped spec (DESIGN.md §4): each file in arch-specs/, workloads/ and mappings/ is found
// by listing the folders, validated, and every mapping is evaluated on the arch and workload it is written for; the
// key numbers are compared with test/golden/expected/<mapping>.json. Regenerate those with
//   npx tsx scripts/update-golden.ts
// (never automatically: a missing or different golden file fails the test, also under CI=true).
// Files of kinds this test does not handle (networks, TT descriptions, sweeps, ...) are skipped by name; see
// HANDLED_KINDS and the pairing rule in ./shipped.ts.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Evaluation } from '../../src/model/types.ts';
import {
  diffGolden, discover, EXPECTED_DIR, goldenOf, goldenPath, HANDLED_KINDS, isHandled, kindOf, loadShipped, runMapping, validateAlone,
  type SpecFile,
} from './shipped.ts';

const shipped = loadShipped(discover());
const handled = shipped.files.filter((f) => isHandled(f.kind));
const skipped = shipped.files.filter((f) => !isHandled(f.kind));
const mappings = handled.filter((f) => f.kind === 'mapping');

function evaluationOf(f: SpecFile): Evaluation {
  const run = runMapping(shipped, f);
  expect(run.problems).toEqual([]);
  if (run.outcome?.status !== 'ok') throw new Error(`${f.path} did not evaluate`);
  return run.outcome.evaluation;
}

describe('shipped specs: discovery', () => {
  it('finds the shipped specs of every kind it handles', () => {
    const kinds = new Set(handled.map((f) => f.kind));
    for (const k of HANDLED_KINDS) expect(kinds, `no shipped file of kind ${k}`).toContain(k);
    expect(mappings.length).toBeGreaterThanOrEqual(8);
  });

  it('classifies kinds by the top-level key and the workload type', () => {
    expect(kindOf('arch: {}', 'a')).toBe('arch');
    expect(kindOf('workload: { type: snn-fc }', 'w')).toBe('workload:snn-fc');
    expect(kindOf('workload: { name: x }', 'w')).toBe('workload:?');
    expect(isHandled('workload:?')).toBe(true); // a workload without a type is invalid, not skipped
    expect(kindOf('network: {}', 'n')).toBe('network');
    expect(isHandled('network')).toBe(false);
    expect(kindOf('arch: [unclosed', 'bad')).toBe('yaml-error');
    expect(isHandled('yaml-error')).toBe(true); // a file that does not parse fails
  });

  for (const f of skipped) it.skip(`${f.path}: kind '${f.kind}' is not one this test handles`, () => {});
});

describe('shipped specs: each arch and workload is valid on its own', () => {
  for (const f of handled.filter((x) => x.kind !== 'mapping')) {
    it(f.path, () => {
      const v = validateAlone(shipped, f);
      expect(v.ok ? [] : v.problems).toEqual([]);
    });
  }
});

describe('shipped specs: each mapping is valid and matches its golden numbers', () => {
  for (const f of mappings) {
    const run = runMapping(shipped, f);
    if (run.skip) {
      it.skip(`${f.path}: ${run.skip}`, () => {});
      continue;
    }
    it(`${f.path} on ${run.pairing.arch?.path ?? '?'} x ${run.pairing.workload?.path ?? '?'}`, () => {
      expect(run.problems).toEqual([]);
      if (run.outcome?.status !== 'ok') throw new Error('not evaluated');
      const path = goldenPath(f);
      if (!existsSync(path)) throw new Error(`no golden file ${path}: run npx tsx scripts/update-golden.ts and review it`);
      const expected: unknown = JSON.parse(readFileSync(path, 'utf8'));
      const actual: unknown = JSON.parse(JSON.stringify(goldenOf(f, run.pairing, run.outcome.evaluation)));
      expect(diffGolden(expected, actual)).toEqual([]);
    });
  }

  it('has no golden file without a mapping', () => {
    const wanted = new Set(mappings.map((f) => goldenPath(f)));
    const stale = readdirSync(EXPECTED_DIR).filter((n) => n.endsWith('.json')).map((n) => join(EXPECTED_DIR, n)).filter((p) => !wanted.has(p));
    expect(stale).toEqual([]);
  });
});

describe('golden comparison', () => {
  it('fails on any count difference and on energies beyond rounding', () => {
    const g = { totals: { energy_pJ: 1000, cycles: 10 }, levels: [{ tensors: { W: { reads: 5 } } }] };
    expect(diffGolden(g, g)).toEqual([]);
    expect(diffGolden(g, { ...g, totals: { energy_pJ: 1000 * (1 + 1e-15), cycles: 10 } })).toEqual([]);
    expect(diffGolden(g, { ...g, totals: { energy_pJ: 1000.001, cycles: 10 } })).toEqual(['totals.energy_pJ: expected 1000, got 1000.001']);
    expect(diffGolden(g, { ...g, levels: [{ tensors: { W: { reads: 6 } } }] })).toEqual(['levels.0.tensors.W.reads: expected 5, got 6']);
    expect(diffGolden(g, { totals: g.totals, levels: [{ tensors: { W: { reads: 5 }, X: { reads: 1 } } }] })).toEqual(['levels.0.tensors.X: expected undefined, got {"reads":1}']);
  });
});

// Hand-checked numbers, one or more per shipped arch: the golden files must agree with arithmetic done by hand.
describe('shipped specs: hand-checked numbers', () => {
  const find = (path: string): SpecFile => {
    const f = mappings.find((m) => m.path === path);
    if (!f) throw new Error(`${path} is not shipped`);
    return f;
  };
  const lvl = (e: Evaluation, name: string) => e.levels.find((l) => l.name === name)!;

  it('two-level x fc-snn: weights fetched once (DRAM reads = Buffer fills = |Weights| = 64 x 256)', () => {
    const e = evaluationOf(find('mappings/two-level-fc-snn.yaml'));
    expect(lvl(e, 'DRAM').tensors.Weights.reads).toBe(64 * 256);
    expect(lvl(e, 'Buffer').tensors.Weights.fills).toBe(64 * 256);
    // Every weight is used once per timestep, but ops on zero input spikes are skipped with their weight read:
    // 16384 x T4 x density 0.2 reads from the buffer (no multicast: X splits K, Y splits C).
    expect(lvl(e, 'Buffer').tensors.Weights.reads).toBe(Math.round(64 * 256 * 4 * 0.2));
    // 8-bit weights: 16 KiB off chip; 1-bit inputs T4 x C256 = 128 B; 1-bit outputs T4 x K64 = 32 B; no state traffic.
    expect(e.offchip_bytes_by_tensor).toMatchObject({ Weights: 16384, Inputs: 128, Outputs: 32, State: 0 });
    // ac = N T K C x density 0.2; one neuron update per (t, k).
    expect(e.compute.ac.count).toBeCloseTo(4 * 64 * 256 * 0.2, 9);
    expect(e.compute.neuron_update.count).toBe(4 * 64);
  });

  it('two-level x fc-snn with T outermost: the state spills (3 write-backs + 3 re-reads of 64 x 16 bits) and weights refetch per timestep', () => {
    const e = evaluationOf(find('mappings/two-level-fc-snn-t-outer.yaml'));
    // State 64 neurons x 16 bit = 128 B; written back after t0, t1, t2 and re-read before t1, t2, t3 (the read at
    // t0 is elided, the final state is not written back): 6 x 128 B.
    expect(e.offchip_bytes_by_tensor.State).toBe(6 * 128);
    expect(e.offchip_bytes_by_tensor.Weights).toBe(4 * 16384);
  });

  it('ttsnn-accelerator x small-conv-snn: weights loaded once per layer; DRAM traffic in 128-byte bursts', () => {
    const e = evaluationOf(find('mappings/ttsnn-accelerator-small-conv-snn.yaml'));
    const weights = 16 * 8 * 3 * 3; // K C R S = 1152 8-bit words = 9 bursts of 128 B exactly
    expect(lvl(e, 'DRAM').tensors.Weights.reads).toBe(weights);
    expect(lvl(e, 'WeightBuffer').tensors.Weights.fills).toBe(weights);
    expect(e.offchip_bytes_by_tensor.Weights).toBe(9 * 128);
    // Inputs: T4 x C8 x 17 x 17 spikes (stride 2: 2 x 7 + 3 = 17) = 9248 bits = 1156 B -> 10 bursts of 128 B.
    expect(lvl(e, 'DRAM').tensors.Inputs.reads).toBe(4 * 8 * 17 * 17);
    expect(e.offchip_bytes_by_tensor.Inputs).toBe(10 * 128);
    // 9 B weight scratchpad holds exactly one 3x3 kernel of 8-bit weights.
    expect(lvl(e, 'WeightSpad').capacity_used_bits).toBe(72);
    expect(lvl(e, 'WeightSpad').tensors.Weights.utilized_instances).toBe(128);
    // Energy of the accumulates: N T K C P Q R S x 0.1 density x 0.0397 pJ.
    expect(e.compute.ac.energy_pJ).toBeCloseTo(4 * 16 * 8 * 64 * 9 * 0.1 * 0.0397, 6);
    // Buffer leakage (24.91 + 6.26 + 6.26 mW, ttsnn.md) plus the PE array's clocked idle power (39.867 mW, SATA_Sim's
    // comp-stat, see the arch file) over 2304 cycles at 400 MHz (5.76 us): 77.297 mW x 5.76 us = 445,230.72 pJ.
    expect(e.timing.cycles).toBe(2304);
    expect(e.energy_static_pJ).toBeCloseTo((24.91 + 6.26 + 6.26 + 39.867) * 1e-3 * (2304 / 400e6) * 1e12, 3);
  });
});
