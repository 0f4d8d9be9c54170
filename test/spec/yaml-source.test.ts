// The positioned YAML reader: aliases and merge keys are expanded where used, alias bombs are stopped, duplicate keys
// stay errors.
import { describe, expect, it } from 'vitest';
import { parseArch } from '../../src/spec/arch.ts';
import { parseYaml } from '../../src/spec/yaml-source.ts';

describe('parseYaml', () => {
  it('expands aliases and merge keys (explicit keys win over merged ones)', () => {
    const r = parseArch(`arch:
  name: a
  clock_mhz: 100
  levels:
    - name: DRAM
      kind: dram
      width: 64
      energy: &e { read: 100, write: 120 }
    - &b
      name: B1
      capacity_bytes: 1024
      width: 64
      energy: *e
    - <<: *b
      name: B2
      capacity_bytes: 512
  compute: { mesh: [1, 1], energy: { mac: 1 } }
`, 'a.yaml');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.levels.map((l) => [l.name, l.capacityBits, l.energy.fill])).toEqual([['DRAM', null, 120], ['B1', 8192, 120], ['B2', 4096, 120]]);
  });

  it('stops an alias bomb with a diagnostic', () => {
    let text = 'a0: &a0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n';
    for (let i = 1; i < 9; i++) text += `a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]\n`;
    const r = parseYaml(text, 'bomb.yaml');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.diagnostics[0].message).toMatch(/more than 200,000 values/);
  });

  it('keeps duplicate keys an error', () => {
    const r = parseYaml('a: 1\na: 2\n', 'd.yaml');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.diagnostics[0].code).toBe('SL-YAML-SYNTAX');
  });
});
