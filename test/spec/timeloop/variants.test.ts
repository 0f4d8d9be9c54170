// Timeloop v0.2/v0.3 features beyond the reference cases: nested ranges, capacity and bandwidth attributes, ERT
// variants, mapping shorthands and Timeloop's padding rules.
import { describe, expect, it } from 'vitest';
import { importTimeloop, type TimeloopImport } from '../../../src/spec/timeloop/index.ts';
import type { Diagnostic } from '../../../src/core/diagnostics.ts';

const ARCH = `
architecture:
  version: 0.3
  subtree:
  - name: sys
    local:
    - name: MainMemory
      class: DRAM
      attributes: {word-bits: 8, block-size: 4, read_bandwidth: 2, write-bandwidth: 1}
    subtree:
    - name: cluster[0..1]
      local:
      - name: Shared
        class: smartbuffer_SRAM
        attributes: {sizeKB: 2, word-bits: 16, width: 64, multiple-buffering: 2, shared_bandwidth: 4}
      subtree:
      - name: PE[0..3]
        local:
        - name: RF
          class: regfile
          attributes: {entries: 10, word-bits: 16, bandwidth: 6, meshY: 2}
        - name: Adder
          class: adder
        - name: alu
          class: fpmac
          attributes: {meshY: 2}
`;

const PROBLEM = `
problem:
  shape:
    name: conv1d
    dimensions: [K, C, P, R]
    coefficients: [{name: stride, default: 1}]
    data-spaces:
    - {name: W, projection: [K, C, R]}
    - name: I
      projection:
      - [ [C] ]
      - [ [P, stride], [R] ]
    - name: O
      projection: [ [K], [[P]] ]
      read-write: true
  K: 8
  C: 4
  P: 3
  stride: 2
`;

const ERT_V02 = `
ERT:
  version: 0.2
  tables:
    sys.MainMemory:
      read: [{arguments: {a: 1}, energy: 100}, {arguments: {a: 2}, energy: 120}]
      write: {energy: 150}
    sys.cluster[0..1].Shared:
      random_read: [{energy: 5}]
      random_fill: [{energy: 6}]
      write: [{energy: 9}]
    sys.cluster[0..1].PE[0..3].RF:
      read: [{energy: 1}]
      write: [{energy: 2}]
      random_update: [{energy: 3}]
    sys.cluster[0..1].PE[0..3].alu:
      mac_gated: [{energy: 0.1}]
      mac_reused: [{energy: 0.4}]
`;

const MAPPING = `
- target: 0          # numeric target: 0 = innermost (RF)
  type: temporal
  factors: [R=1, P=3]
  permutation: R     # P (factor 3) is not listed: it goes outermost at RF
- target: Shared
  type: spatial
  factors: {K: 4, C: 2}
  permutation: KC
- target: Shared
  type: temporal
  factors: C=2 K=2
- target: RF
  type: bypass
  bypass: [W]
- target: MainMemory
  type: temporal
  factors: K1
`;

function imp(ert = ERT_V02, mapping = MAPPING): { value: TimeloopImport; warnings: readonly Diagnostic[] } {
  const r = importTimeloop({
    arch: { file: 'a.yaml', text: ARCH },
    problem: { file: 'p.yaml', text: PROBLEM },
    mapping: { file: 'm.yaml', text: mapping },
    ert: { file: 'e.yaml', text: ert },
  });
  if (!r.ok) throw new Error(r.diagnostics.map((d) => `${d.pos?.file}:${d.pos?.line} ${d.code} ${d.message}`).join('\n'));
  return r;
}

describe('Timeloop importer: architecture attributes', () => {
  const { value, warnings } = imp();
  const [mem, shared, rf] = value.arch.levels;

  it('multiplies nested ranges, honours meshY, skips unknown classes with a warning', () => {
    expect(value.arch.name).toBe('sys');
    expect(value.arch.levels.map((l) => [l.name, l.instances, l.meshX, l.meshY])).toEqual([
      ['MainMemory', 1, 1, 1],
      ['Shared', 2, 2, 1],
      ['RF', 8, 4, 2],
    ]);
    expect(value.arch.compute).toMatchObject({ name: 'alu', instances: 8, meshX: 4, meshY: 2 });
    const adderLine = ARCH.split('\n').findIndex((l) => l.includes('- name: Adder')) + 1;
    expect(warnings.filter((w) => w.code === 'SL-TL-IGNORED').map((w) => [w.pos?.file, w.pos?.line])).toEqual([['a.yaml', adderLine]]);
  });

  it('reads capacities (sizeKB, entries, multiple-buffering) and word/vector widths', () => {
    expect(mem.capacityBits).toBeNull();
    expect(mem.offChip).toBe(true);
    expect([mem.wordBits, mem.widthBits]).toEqual([8, 32]);
    // 2 KB = 1024 16-bit words, halved by multiple-buffering 2
    expect(shared.capacityBits).toBe(512 * 16);
    // width 64 without block-size: block-size = 64 / 16 = 4 words
    expect([shared.wordBits, shared.widthBits]).toEqual([16, 64]);
    expect(rf.capacityBits).toBe(10 * 16);
    expect(shared.offChip || rf.offChip).toBe(false);
  });

  it('converts bandwidths from words/cycle to bits/cycle (bandwidth = half read, half write)', () => {
    expect([mem.readBandwidth, mem.writeBandwidth, mem.sharedBandwidth]).toEqual([16, 8, null]);
    expect([shared.readBandwidth, shared.writeBandwidth, shared.sharedBandwidth]).toEqual([null, null, 64]);
    expect([rf.readBandwidth, rf.writeBandwidth]).toEqual([48, 48]);
  });
});

describe('Timeloop importer: ERT', () => {
  it('matches tables by last name part, takes the largest argument variant, maps read/write actions', () => {
    const { value, warnings } = imp();
    const [mem, shared, rf] = value.arch.levels;
    expect(mem.energy).toEqual({ read: 120, fill: 150, update: 150 });
    // random_update falls back to random_fill before write
    expect(shared.energy).toEqual({ read: 5, fill: 6, update: 6 });
    expect(rf.energy).toEqual({ read: 1, fill: 2, update: 3 });
    // no mac_random: a mac_* action is used, with a warning
    expect(value.arch.compute.energy).toEqual({ mac: 0.1 });
    expect(warnings.filter((w) => w.code === 'SL-TL-ERT-MISSING').map((w) => w.pos?.file)).toEqual(['e.yaml']);
  });

  it('reads the v0.3 list form with repeated actions', () => {
    const ert = `
ERT:
  version: 0.3
  tables:
  - name: sys.MainMemory
    actions:
    - {name: read, arguments: {x: 1}, energy: 3}
    - {name: read, arguments: {x: 2}, energy: 4}
    - {name: write, energy: 5}
  - name: sys.cluster[0..1].Shared
    actions: [{name: read, energy: 1}, {name: write, energy: 1}]
  - name: sys.cluster[0..1].PE[0..3].RF
    actions: [{name: read, energy: 1}, {name: write, energy: 1}]
  - name: sys.cluster[0..1].PE[0..3].alu
    actions: [{name: mac_gated, energy: 0.1}, {name: mac_random, energy: 0.7}]
`;
    const { value, warnings } = imp(ert);
    expect(value.arch.levels[0].energy).toEqual({ read: 4, fill: 5, update: 5 });
    expect(value.arch.compute.energy).toEqual({ mac: 0.7 });
    expect(warnings.filter((w) => w.code.startsWith('SL-TL-ERT'))).toEqual([]);
  });
});

describe('Timeloop importer: problem and mapping shorthands', () => {
  const { value } = imp();
  const w = value.workload;
  const loops = (ls: readonly { dim: number; factor: number; axis?: string }[]) => ls.map((l) => `${w.dims[l.dim]}${l.factor}${l.axis ?? ''}`);

  it('reads flat projections, coefficients from the instance and sizes from the flat problem map', () => {
    expect(w.name).toBe('conv1d');
    expect(w.dims).toEqual(['K', 'C', 'P', 'R']);
    expect(w.sizes).toEqual([8, 4, 3, 1]); // R missing: 1
    const proj = (n: string) => w.tensors.find((t) => t.name === n)!.projection.map((r) => r.map((t) => `${w.dims[t.dim]}*${t.coeff}`).join('+'));
    expect(proj('W')).toEqual(['K*1', 'C*1', 'R*1']);
    expect(proj('I')).toEqual(['C*1', 'P*2+R*1']);
    expect(proj('O')).toEqual(['K*1', 'P*1']);
    expect(w.tensors.map((t) => t.bits)).toEqual([8, 8, 8]); // the outermost level's word-bits
  });

  it('pads permutations outermost, defaults split to all-X, accepts numeric targets and bypass directives', () => {
    const [mem, shared, rf] = value.mapping.levels;
    expect(loops(mem.temporal)).toEqual([]);
    // no permutation: problem order K, C, P, R from innermost, so C is the outer loop
    expect(loops(shared.temporal)).toEqual(['C2', 'K2']);
    expect(loops(shared.spatial)).toEqual(['C2X', 'K4X']);
    expect(loops(rf.temporal)).toEqual(['P3']);
    expect(rf.keep).toEqual([false, true, true]);
    expect(mem.keep).toEqual([true, true, true]);
  });

  it('warns when a permutation leaves out a dimension with a factor above 1', () => {
    const pad = (m: string) => imp(ERT_V02, m).warnings.filter((d) => d.code === 'SL-TL-PERMUTATION-PAD').map((d) => d.pos?.line);
    expect(pad(MAPPING)).toEqual([5]);
    expect(pad(MAPPING.replace('permutation: R ', 'permutation: RP'))).toEqual([]);
  });

  it('places unlisted dimensions outermost, in problem order', () => {
    const m = MAPPING.replace('factors: C=2 K=2', 'factors: C=2 K=2\n  permutation: P');
    const r = imp(ERT_V02, m);
    expect(loops(r.value.mapping.levels[1].temporal)).toEqual(['C2', 'K2']);
  });
});
