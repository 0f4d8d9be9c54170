// Named energy tables: the numbers of energy.md / ttsnn.md at their own points, log-log interpolation between them,
// width scaling, and how an arch spec uses a table (estimates, overrides, constants in expressions, errors).
import { describe, expect, it } from 'vitest';
import { ENERGY_TABLES, energyTable, estimateLevel, scaledTable } from '../../src/arch/energy-tables.ts';
import { parseArch } from '../../src/spec/arch.ts';

const est = (name: string, kind: 'dram' | 'sram' | 'regfile', bytes: number | null, width: number) => {
  const r = estimateLevel(energyTable(name)!, kind, bytes === null ? null : bytes * 8, width);
  if (typeof r === 'string') throw new Error(r);
  return r;
};

describe('energy tables', () => {
  it('every table has a source and unique name', () => {
    expect(new Set(ENERGY_TABLES.map((t) => t.name)).size).toBe(ENERGY_TABLES.length);
    for (const t of ENERGY_TABLES) expect(t.source.length).toBeGreaterThan(10);
  });

  it('horowitz45 reproduces its SRAM points and interpolates on a log-log scale', () => {
    expect(est('horowitz45', 'sram', 8 * 1024, 64).read).toBeCloseTo(10, 12);
    expect(est('horowitz45', 'sram', 32 * 1024, 64).read).toBeCloseTo(20, 12);
    expect(est('horowitz45', 'sram', 1024 * 1024, 64).read).toBeCloseTo(100, 12);
    // Between 8 KB (10) and 32 KB (20): energy ~ size^0.5, so 16 KB -> 10 sqrt 2.
    expect(est('horowitz45', 'sram', 16 * 1024, 64).read).toBeCloseTo(10 * Math.SQRT2, 9);
    // Below 8 KB the same slope extrapolates: 2 KB -> 5 pJ; a 32-bit access costs half a 64-bit one.
    expect(est('horowitz45', 'sram', 2 * 1024, 64).read).toBeCloseTo(5, 9);
    expect(est('horowitz45', 'sram', 32 * 1024, 32).read).toBeCloseTo(10, 12);
    // DRAM: the middle of 1300-2600 pJ per 64 bits.
    expect(est('horowitz45', 'dram', null, 64).read).toBe(1950);
  });

  it('sata-cacti28 reproduces both CACTI points and their leakage', () => {
    const s32 = est('sata-cacti28', 'sram', 32 * 1024, 256);
    expect([s32.read, s32.write, s32.leakageMw]).toEqual([expect.closeTo(11.03, 9), expect.closeTo(12.77, 9), expect.closeTo(6.26, 9)]);
    const s144 = est('sata-cacti28', 'sram', 144 * 1024, 256);
    expect([s144.read, s144.write, s144.leakageMw]).toEqual([expect.closeTo(28.63, 9), expect.closeTo(28.22, 9), expect.closeTo(24.91, 9)]);
    expect(est('sata-cacti28', 'dram', null, 1024).read).toBeCloseTo(468.8, 12);
  });

  it('eyeriss-normalized scales every ratio by mac_pJ', () => {
    const t = scaledTable(energyTable('eyeriss-normalized')!, 2.2);
    const dram = estimateLevel(t, 'dram', null, 64);
    expect(typeof dram !== 'string' && dram.read).toBeCloseTo(4 * 200 * 2.2, 9);
    const rf = estimateLevel(t, 'regfile', 512 * 8, 16);
    expect(typeof rf !== 'string' && rf.read).toBeCloseTo(2.2, 12);
    expect(t.compute.mac).toBeCloseTo(2.2, 12);
  });

  it('says why it cannot estimate', () => {
    expect(estimateLevel(energyTable('accelergy-defaults')!, 'sram', 8192, 64)).toMatch(/no .*SRAM/);
    expect(estimateLevel(energyTable('horowitz45')!, 'sram', null, 64)).toMatch(/capacity/);
  });
});

const arch = (body: string) => parseArch(`arch:\n  name: t\n  clock_mhz: 100\n${body}`, 'a.yaml');
const LEVELS = `  levels:
    - name: DRAM
      kind: dram
      width: 64
    - name: Buffer
      capacity_bytes: 32 * 1024
      width: 64
      energy: { write: 25 }
  compute:
    mesh: [4, 1]
`;

describe('energy_table in an arch spec', () => {
  it('estimates missing energies, keeps the given ones, and fills compute defaults', () => {
    const r = arch(`  energy_table: horowitz45\n${LEVELS}    energy: { neuron_update: 2 * add_fp32 }\n`);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const [dram, buf] = r.value.levels;
    expect(dram.energy).toEqual({ read: 1950, fill: 1950, update: 1950 });
    expect(buf.energy.read).toBeCloseTo(20, 12); // estimated
    expect(buf.energy.fill).toBe(25); // given
    expect(r.value.compute.energy).toEqual({ mac: 4.6, ac: 0.9, neuron_update: 1.8 });
    expect(r.value.energySource).toContain('Horowitz');
    expect(r.value.energyTable?.estimated.map((x) => x.what)).toEqual(['DRAM', 'Buffer', 'compute mac', 'compute ac']);
  });

  it('without a table, a level needs its energies', () => {
    const r = arch(LEVELS + '    energy: { mac: 1 }\n');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.diagnostics.map((d) => d.code)).toContain('SL-SPEC-MISSING-KEY');
  });

  it('an unknown table name is an error with a did-you-mean', () => {
    const r = arch(`  energy_table: horowitz54\n${LEVELS}`);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      const d = r.diagnostics.find((x) => x.code === 'SL-SPEC-ENUM')!;
      expect(d.pos?.line).toBe(4);
      expect(d.hint).toBe("did you mean 'horowitz45'?");
    }
  });

  it('an unknown constant in an expression names the close one', () => {
    const r = arch(`  energy_table: horowitz45\n${LEVELS}    energy: { ac: add_fpp32 }\n`);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.diagnostics.find((x) => x.code === 'SL-SPEC-EXPR')?.hint).toBe("did you mean 'add_fp32'?");
  });
});
