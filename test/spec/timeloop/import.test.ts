// The Timeloop importer reads the four reference cases into the expected Arch, Workload and Mapping.
import { describe, expect, it } from 'vitest';
import type { Loop, SpatialLoop } from '../../../src/mapping/types.ts';
import { importTimeloop, type TimeloopFiles, type TimeloopImport } from '../../../src/spec/timeloop/index.ts';
import type { Workload } from '../../../src/workload/types.ts';
import { caseFiles } from './reference.ts';

function load(files: TimeloopFiles): TimeloopImport {
  const r = importTimeloop(files);
  if (!r.ok) throw new Error(r.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  expect(r.warnings).toEqual([]);
  return r.value;
}

/** Loops as `K2` / `K4(X)`, in the order stored (outermost first). */
const loops = (w: Workload, ls: readonly (Loop | SpatialLoop)[]): string[] =>
  ls.map((l) => `${w.dims[l.dim]}${l.factor}${'axis' in l ? `(${l.axis})` : ''}`);

const proj = (w: Workload, name: string): string[] =>
  w.tensors.find((t) => t.name === name)!.projection.map((rank) => rank.map((t) => `${w.dims[t.dim]}*${t.coeff}`).join(' + '));

describe('importTimeloop on the reference cases', () => {
  it('case02: 2-level FC, DRAM loops K2 > N2 > C2', () => {
    const { arch, workload: w, mapping } = load(caseFiles('case02'));
    expect(arch.name).toBe('system');
    expect(arch.levels.map((l) => l.name)).toEqual(['DRAM', 'Buffer']);
    expect(arch.levels.map((l) => [l.instances, l.meshX, l.meshY])).toEqual([[1, 1, 1], [1, 1, 1]]);
    expect(arch.levels.map((l) => l.capacityBits)).toEqual([null, 64 * 16]);
    expect(arch.levels.map((l) => [l.wordBits, l.widthBits, l.offChip])).toEqual([[16, 16, true], [16, 16, false]]);
    expect(arch.levels.map((l) => l.energy)).toEqual([{ read: 64, fill: 80, update: 80 }, { read: 2, fill: 3, update: 3 }]);
    expect(arch.levels.map((l) => [l.readBandwidth, l.writeBandwidth, l.sharedBandwidth])).toEqual([[null, null, null], [null, null, null]]);
    expect(arch.compute).toEqual({ name: 'MAC', instances: 1, meshX: 1, meshY: 1, energy: { mac: 2 }, idleMw: 0 });
    expect(arch.energySource).toContain('ERT');
    expect(w.dims).toEqual(['N', 'K', 'C']);
    expect(w.sizes).toEqual([4, 8, 16]);
    expect(w.snn).toBeUndefined();
    expect(w.tensors.map((t) => [t.name, t.role, t.readWrite, t.bits, t.density])).toEqual([
      ['Weights', 'input', false, 16, 1],
      ['Inputs', 'input', false, 16, 1],
      ['Outputs', 'output', true, 16, 1],
    ]);
    expect(proj(w, 'Weights')).toEqual(['K*1', 'C*1']);
    expect(proj(w, 'Outputs')).toEqual(['N*1', 'K*1']);
    expect(loops(w, mapping.levels[0].temporal)).toEqual(['K2', 'N2', 'C2']);
    expect(loops(w, mapping.levels[1].temporal)).toEqual(['N2', 'K4', 'C8']);
    expect(mapping.levels.map((l) => l.spatial)).toEqual([[], []]);
    expect(mapping.levels.map((l) => l.keep)).toEqual([[true, true, true], [true, true, true]]);
  });

  it('case04: 3-level conv with a sliding-window projection', () => {
    const { arch, workload: w, mapping } = load(caseFiles('case04'));
    expect(arch.levels.map((l) => l.name)).toEqual(['DRAM', 'GlobalBuffer', 'RegisterFile']);
    expect(arch.levels.map((l) => l.instances)).toEqual([1, 1, 1]);
    expect(arch.levels.map((l) => l.capacityBits)).toEqual([null, 512 * 16, 64 * 16]);
    expect(arch.levels.map((l) => l.energy.read)).toEqual([64, 4, 0.5]);
    expect(arch.levels.map((l) => l.energy.update)).toEqual([80, 5, 0.75]);
    expect(w.dims).toEqual(['N', 'K', 'C', 'P', 'Q', 'R', 'S']);
    expect(w.sizes).toEqual([1, 4, 2, 6, 6, 3, 3]);
    // Inputs[n][c][p*Hstride + r][q*Wstride + s], strides 1: rank H = R*1 + P*1
    expect(proj(w, 'Inputs')).toEqual(['N*1', 'C*1', 'R*1 + P*1', 'S*1 + Q*1']);
    expect(loops(w, mapping.levels[0].temporal)).toEqual(['P2']);
    expect(loops(w, mapping.levels[1].temporal)).toEqual(['K4', 'C2', 'Q2']);
    expect(loops(w, mapping.levels[2].temporal)).toEqual(['P3', 'Q3', 'R3', 'S3']);
  });

  it('case08: a 4x2 PE mesh; GlobalBuffer fans out C2 on Y outside K4 on X', () => {
    const { arch, workload: w, mapping } = load(caseFiles('case08'));
    expect(arch.levels.map((l) => [l.name, l.instances, l.meshX, l.meshY])).toEqual([
      ['DRAM', 1, 1, 1],
      ['GlobalBuffer', 1, 1, 1],
      ['RegisterFile', 8, 4, 2],
    ]);
    expect(arch.levels.map((l) => l.capacityBits)).toEqual([null, 256 * 16, 16 * 16]);
    expect(arch.compute).toMatchObject({ instances: 8, meshX: 4, meshY: 2, energy: { mac: 2 } });
    expect(arch.levels[2].energy).toEqual({ read: 0.5, fill: 0.75, update: 0.75 });
    expect(loops(w, mapping.levels[0].temporal)).toEqual([]);
    expect(loops(w, mapping.levels[1].temporal)).toEqual(['K2', 'C2']);
    expect(loops(w, mapping.levels[1].spatial)).toEqual(['C2(Y)', 'K4(X)']);
    expect(loops(w, mapping.levels[2].temporal)).toEqual(['C2', 'N4']);
    expect(mapping.levels[2].spatial).toEqual([]);
  });

  it('case13: SNN with four data-spaces, two of them read-write', () => {
    const { arch, workload: w, mapping } = load(caseFiles('case13'));
    expect(arch.levels.map((l) => [l.name, l.capacityBits])).toEqual([['DRAM', null], ['Buffer', 1024 * 16]]);
    expect(arch.compute.energy).toEqual({ mac: 0.5 });
    expect(w.dims).toEqual(['N', 'T', 'K', 'C', 'P', 'Q', 'R', 'S']);
    expect(w.sizes).toEqual([1, 4, 8, 4, 4, 4, 1, 1]);
    expect(w.tensors.map((t) => [t.name, t.role, t.readWrite])).toEqual([
      ['Weights', 'input', false],
      ['Inputs', 'input', false],
      ['Outputs', 'output', true],
      ['State', 'output', true],
    ]);
    expect(proj(w, 'State')).toEqual(['N*1', 'K*1', 'P*1', 'Q*1']);
    expect(proj(w, 'Inputs')).toEqual(['N*1', 'T*1', 'C*1', 'P*1 + R*1', 'Q*1 + S*1']);
    expect(loops(w, mapping.levels[0].temporal)).toEqual(['T4', 'K2']);
    expect(loops(w, mapping.levels[1].temporal)).toEqual(['K4', 'P4', 'Q4', 'C4']);
    expect(mapping.levels.map((l) => l.keep)).toEqual([[true, true, true, true], [true, true, true, true]]);
  });

  it('gives the position of each level mapping for diagnostics', () => {
    const files = caseFiles('case08');
    const r = importTimeloop(files);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const lines = files.mapping.text.split('\n');
    const lineOf = (s: string) => lines.findIndex((l) => l.includes(s)) + 1;
    expect(r.value.levelPos.map((p) => p.line)).toEqual([lineOf('- target: DRAM'), lineOf('- target: GlobalBuffer'), lineOf('- target: RegisterFile')]);
    expect(r.value.levelPos.every((p) => p.file === files.mapping.file)).toBe(true);
  });
});
