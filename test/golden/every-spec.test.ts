// Every shipped spec, of every kind, in arch-specs/, workloads/ and mappings/ (sub-folders included) is validated
// together in one `spikeloop validate` (mappings and constraints paired with their arch and workload, sweeps with
// their arch, schedules with their network), and every network and TT network is evaluated: networks on the
// Meta-prototype-like arch under the default schedule, TT networks for their parameters and MACs (a training step
// of each is evaluated by test/cli/training.test.ts and bench/training.ts). Single-layer mappings have golden
// numbers in shipped-specs.test.ts.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../cli/harness.ts';
import { detectSpecKind } from '../../src/spec/load.ts';
import { parseTtNetwork } from '../../src/spec/tt-network.ts';
import { networkCounts } from '../../src/workload/tt/resnet.ts';
import { ROOT } from './shipped.ts';

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(ROOT, dir)).sort()) {
    const rel = `${dir}/${name}`;
    if (statSync(join(ROOT, rel)).isDirectory()) out.push(...yamlFiles(rel));
    else if (/\.ya?ml$/.test(name)) out.push(rel);
  }
  return out;
}
const FILES = ['arch-specs', 'workloads', 'mappings'].flatMap(yamlFiles);
const kindOf = (f: string): string => {
  const k = detectSpecKind({ file: f, text: readFileSync(join(ROOT, f), 'utf8') });
  return 'kind' in k ? k.kind : 'invalid';
};

describe('every shipped spec', () => {
  it('has a known kind, and the whole set validates without a single diagnostic', async () => {
    expect(FILES.filter((f) => kindOf(f) === 'invalid')).toEqual([]);
    const r = await cli(['validate', ...FILES]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    // Every kind the tool reads is shipped at least once.
    const kinds = new Set(FILES.map(kindOf));
    for (const k of ['arch', 'workload', 'mapping', 'network', 'tt_network', 'constraints', 'sweep']) expect(kinds).toContain(k);
  });

  for (const f of FILES.filter((x) => kindOf(x) === 'network')) {
    it(`${f} evaluates on the Meta-prototype-like arch (default schedule)`, async () => {
      const r = await cli(['evaluate', '--arch', 'arch-specs/meta-prototype-like.yaml', '--workload', f, '--json']);
      expect(r.code, r.err).toBe(0);
      const j = JSON.parse(r.out);
      expect(j.layers.length).toBeGreaterThan(0);
      expect(j.totals.energy_pJ).toBeGreaterThan(0);
      expect(j.totals.offchip_bytes).toBeGreaterThan(0);
      // Off-chip bytes by kind add up to the total.
      const kinds = Object.values(j.totals.offchip_bytes_by_kind as Record<string, number>).reduce((a, b) => a + b, 0);
      expect(kinds).toBeCloseTo(j.totals.offchip_bytes, 3);
    });
  }

  for (const f of FILES.filter((x) => kindOf(x) === 'tt_network')) {
    it(`${f}: parameters and MACs per timestep, TT never above dense`, () => {
      const r = parseTtNetwork(readFileSync(join(ROOT, f), 'utf8'), f);
      if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('; '));
      const c = networkCounts(r.value);
      expect(c.params).toBeGreaterThan(0);
      expect(c.macsPerTimestep).toBeGreaterThan(0);
      expect(c.params).toBeLessThanOrEqual(c.denseParams);
      expect(c.macsPerTimestep).toBeLessThanOrEqual(c.denseMacsPerTimestep);
    });
  }
});
