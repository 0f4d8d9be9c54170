// Every SL-TL diagnostic of the Timeloop importer, each provoked by one small edit of a reference case: the code,
// the file and the line must point at the thing to fix. Nothing throws.
import { describe, expect, it } from 'vitest';
import { importTimeloop, TIMELOOP_CODES, type TimeloopFiles } from '../../../src/spec/timeloop/index.ts';
import { expectedFromTimeloop } from '../../../src/spec/timeloop/expected.ts';
import { caseFiles } from './reference.ts';

type Kind = 'arch' | 'problem' | 'mapping' | 'ert';

interface Fixture {
  readonly code: string;
  readonly why: string;
  /** Reference case to start from (default case08: three levels and a PE mesh). */
  readonly base?: string;
  /** Text edits per file: [search, replace] applied to the first occurrence, or a function. */
  readonly edit: Partial<Record<Kind, [string, string] | ((text: string) => string)>>;
  readonly dropErt?: boolean;
  /** Which file the diagnostic is in, and a string on the line it must point at (nth occurrence, default 1). */
  readonly file: Kind;
  readonly line: string;
  readonly nth?: number;
  /** For files replaced wholesale (wrong kind): the text the diagnostic's file holds. */
  readonly lineIn?: Kind;
}

const F: readonly Fixture[] = [
  // ---------------------------------------------------------------- errors
  { code: 'SL-TL-WRONG-FILE', why: 'the problem passed as the architecture', edit: { arch: () => caseFiles('case08').problem.text }, file: 'arch', line: 'problem:', lineIn: 'problem' },
  { code: 'SL-TL-MISSING-KEY', why: 'a directive without a type', edit: { mapping: ['  type: temporal\n', ''] }, file: 'mapping', line: '- target: DRAM' },
  { code: 'SL-TL-TYPE', why: 'dimensions not a list', edit: { problem: ['dimensions: [ N, K, C ]', 'dimensions: N'] }, file: 'problem', line: 'dimensions: N' },
  { code: 'SL-TL-NUMBER', why: 'a depth that is not a number', edit: { arch: ['depth: 256', 'depth: lots'] }, file: 'arch', line: 'depth: lots' },
  { code: 'SL-TL-NAME-RANGE', why: 'a malformed instance range', edit: { arch: ['PE[0..7]', 'PE[0..x]'] }, file: 'arch', line: 'PE[0..x]' },
  { code: 'SL-TL-ARCH-TREE', why: 'two subtrees in one node', edit: { arch: (t) => `${t.trimEnd()}\n      - name: Extra\n        local: []\n` }, file: 'arch', line: '- name: Extra' },
  {
    code: 'SL-TL-NO-STORAGE', why: 'no component has a storage class',
    edit: { arch: (t) => t.replace('class: DRAM', 'class: thing').replace('class: SRAM', 'class: thing').replace('class: regfile', 'class: thing') },
    file: 'arch', line: 'version: 0.3',
  },
  { code: 'SL-TL-COMPUTE', why: 'no compute unit', edit: { arch: ['class: intmac', 'class: adder'] }, file: 'arch', line: 'version: 0.3' },
  { code: 'SL-TL-MESH', why: 'meshX does not divide the instances', edit: { arch: ['meshX: 4', 'meshX: 3'] }, file: 'arch', line: 'meshX: 3' },
  {
    code: 'SL-TL-INSTANCES', why: 'PEs not a multiple of the buffers above',
    edit: { arch: ['depth: 256            # entries of block-size words', 'depth: 256\n          instances: 3'] },
    file: 'arch', line: 'name: RegisterFile',
  },
  { code: 'SL-TL-WIDTH', why: 'width not a multiple of the word', edit: { arch: (t) => replaceNth(t, 'width: 16', 'width: 24', 2) }, file: 'arch', line: 'width: 24' },
  { code: 'SL-TL-DUPLICATE-NAME', why: 'two data-spaces named Weights', edit: { problem: ['- name: Inputs', '- name: Weights'] }, file: 'problem', line: '- name: Weights', nth: 2 },
  { code: 'SL-TL-UNKNOWN-DIM', why: 'a factor of an unknown dimension', edit: { mapping: ['factors: N=1 K=2 C=2', 'factors: N=1 K=2 X=2'] }, file: 'mapping', line: 'X=2' },
  { code: 'SL-TL-PROJECTION', why: 'an undeclared coefficient', edit: { problem: ['- [ [K] ]', '- [ [K, Hs] ]'] }, file: 'problem', line: '[ [K, Hs] ]' },
  { code: 'SL-TL-UNKNOWN-LEVEL', why: 'a misspelt target', edit: { mapping: ['target: GlobalBuffer', 'target: GlobalBufer'] }, file: 'mapping', line: 'target: GlobalBufer' },
  { code: 'SL-TL-UNKNOWN-TYPE', why: 'a misspelt directive type', edit: { mapping: ['type: temporal', 'type: temporl'] }, file: 'mapping', line: 'type: temporl' },
  { code: 'SL-TL-FACTORS', why: 'a factor that is not a number', edit: { mapping: ['factors: N=1 K=2 C=2', 'factors: N=1 K=two C=2'] }, file: 'mapping', line: 'K=two' },
  { code: 'SL-TL-PERMUTATION', why: 'a dimension listed twice', edit: { mapping: ['permutation: CKN', 'permutation: CKC'] }, file: 'mapping', line: 'permutation: CKC' },
  { code: 'SL-TL-FACTOR-PRODUCT', why: 'factors of N multiply to 2, not 4', edit: { mapping: ['factors: N=4 K=1 C=2', 'factors: N=2 K=1 C=2'] }, file: 'mapping', line: 'factors: N=2 K=1 C=2' },
  { code: 'SL-TL-UNKNOWN-DATASPACE', why: 'a misspelt data-space', edit: { mapping: ['keep: [ Weights, Inputs, Outputs ]', 'keep: [ Weights, Input, Outputs ]'] }, file: 'mapping', line: 'Input,' },
  { code: 'SL-TL-KEEP-BYPASS', why: 'a data-space kept and bypassed at DRAM', edit: { mapping: ['bypass: []', 'bypass: [ Inputs ]'] }, file: 'mapping', line: 'bypass: [ Inputs ]' },
  {
    code: 'SL-TL-NO-FANOUT', why: 'spatial factors between DRAM and the single GlobalBuffer',
    edit: { mapping: (t) => `${t.trimEnd()}\n- target: DRAM\n  type: spatial\n  factors: K=2\n` }, file: 'mapping', line: 'factors: K=2',
  },
  { code: 'SL-TL-UNSUPPORTED', why: 'a residual (imperfect) factor', edit: { mapping: ['factors: N=1 K=2 C=2', 'factors: N=1 K=2,1 C=2'] }, file: 'mapping', line: 'K=2,1' },
  // ---------------------------------------------------------------- warnings
  { code: 'SL-TL-NO-ERT', why: 'no ERT file', edit: {}, dropErt: true, file: 'arch', line: 'architecture:' },
  { code: 'SL-TL-ERT-MISSING', why: 'no table for GlobalBuffer', edit: { ert: ['name: system.chip.GlobalBuffer', 'name: system.chip.GlobalBuf'] }, file: 'arch', line: '- name: GlobalBuffer' },
  { code: 'SL-TL-ERT-UNUSED', why: 'a table for no component', edit: { ert: ['name: system.chip.GlobalBuffer', 'name: system.chip.GlobalBuf'] }, file: 'ert', line: 'name: system.chip.GlobalBuf' },
  {
    code: 'SL-TL-VECTOR-ENERGY', why: 'vector-access-energy in the arch',
    edit: { arch: ['depth: 256            # entries of block-size words', 'depth: 256\n          vector-access-energy: 7'] },
    file: 'arch', line: 'vector-access-energy: 7',
  },
  { code: 'SL-TL-CLUSTER', why: 'width = 2 words with block-size 1', edit: { arch: (t) => replaceNth(t, 'width: 16', 'width: 32', 2) }, file: 'arch', line: 'width: 32' },
  { code: 'SL-TL-IGNORED', why: 'a misspelt key in a directive', edit: { mapping: ['permutation: CKN', 'permuation: CKN'] }, file: 'mapping', line: 'permuation: CKN' },
  { code: 'SL-TL-PERMUTATION-PAD', why: 'K (factor 2) left out of a permutation', edit: { mapping: ['permutation: CKN', 'permutation: CN'] }, file: 'mapping', line: 'permutation: CN' },
  {
    code: 'SL-TL-DUPLICATE-DIRECTIVE', why: 'two temporal directives for RegisterFile',
    edit: { mapping: (t) => `${t.trimEnd()}\n- target: RegisterFile\n  type: temporal\n  factors: N=4 K=1 C=2\n  permutation: NCK\n` },
    file: 'mapping', line: '- target: RegisterFile', nth: 3,
  },
  { code: 'SL-TL-FACTOR-ZERO', why: 'N=0 means the whole dimension', edit: { mapping: ['factors: N=4 K=1 C=2', 'factors: N=0 K=1 C=2'] }, file: 'mapping', line: 'N=0' },
];

function replaceNth(text: string, search: string, replace: string, nth: number): string {
  let at = -1;
  for (let i = 0; i < nth; i++) at = text.indexOf(search, at + 1);
  if (at < 0) throw new Error(`fixture: '${search}' not found ${nth} times`);
  return text.slice(0, at) + replace + text.slice(at + search.length);
}

function lineOf(text: string, s: string, nth = 1): number {
  let seen = 0;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) if (lines[i].includes(s) && ++seen === nth) return i + 1;
  throw new Error(`fixture: '${s}' not found ${nth} times`);
}

function build(f: Fixture): TimeloopFiles {
  const base = caseFiles(f.base ?? 'case08');
  const out: Record<Kind, { file: string; text: string }> = { ...base };
  for (const [k, e] of Object.entries(f.edit) as [Kind, [string, string] | ((t: string) => string)][]) {
    const text = out[k].text;
    const next = typeof e === 'function' ? e(text) : replaceNth(text, e[0], e[1], 1);
    if (next === text) throw new Error(`fixture ${f.code}: the edit of ${k} changed nothing`);
    out[k] = { file: out[k].file, text: next };
  }
  return f.dropErt ? { arch: out.arch, problem: out.problem, mapping: out.mapping } : out;
}

describe('Timeloop importer diagnostics', () => {
  for (const f of F) {
    it(`${f.code}: ${f.why}`, () => {
      const files = build(f);
      const r = importTimeloop(files);
      const all = r.ok ? r.warnings : r.diagnostics;
      const file = (files as Record<Kind, { file: string; text: string } | undefined>)[f.file]!;
      const text = f.lineIn ? files[f.lineIn]!.text : file.text;
      const want = { code: f.code, file: file.file, line: lineOf(text, f.line, f.nth) };
      const got = all.filter((d) => d.code === f.code).map((d) => ({ code: d.code, file: d.pos?.file, line: d.pos?.line }));
      expect(got).toContainEqual(want);
      const severity = all.find((d) => d.code === f.code)!.severity;
      expect(r.ok).toBe(severity === 'warning');
      for (const d of all) expect(d.message.length).toBeGreaterThan(10);
    });
  }

  it('has a fixture for every SL-TL code (SL-TL-EXPECTED is tested below)', () => {
    const covered = new Set([...F.map((f) => f.code), 'SL-TL-EXPECTED']);
    expect(Object.values(TIMELOOP_CODES).filter((c) => !covered.has(c))).toEqual([]);
  });

  it('SL-TL-EXPECTED: a malformed expected.json names the bad field', () => {
    const r = expectedFromTimeloop({ cycles: 1, energy_pJ: 1, computes: 1, arithmetic: { name: 'MAC', energy_pJ: 0, utilized_instances: 1 }, levels: 3 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.diagnostics.map((d) => [d.code, d.path?.join('.')])).toEqual([['SL-TL-EXPECTED', 'levels']]);
  });

  it('adds did-you-mean hints to unknown names', () => {
    const r = importTimeloop(build(F.find((f) => f.code === 'SL-TL-UNKNOWN-LEVEL')!));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.diagnostics.find((d) => d.code === 'SL-TL-UNKNOWN-LEVEL')?.hint).toBe("did you mean 'GlobalBuffer'?");
  });

  it('reports YAML syntax errors with their position and still reads the other files', () => {
    const files = caseFiles('case08');
    const r = importTimeloop({ ...files, problem: { file: files.problem.file, text: 'problem:\n  shape: [unclosed\n' }, mapping: { file: files.mapping.file, text: 'mapping:\n- target: Nowhere\n  type: temporal\n' } });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.diagnostics.some((d) => d.code === 'SL-YAML-SYNTAX' && d.pos?.file === files.problem.file)).toBe(true);
  });

  it('never throws on arbitrary YAML shapes', () => {
    const odd = ['', '42', '[1, 2]', 'architecture: 3', 'architecture: {subtree: 5}', 'problem: {shape: {dimensions: [N], data-spaces: [{name: A, projection: [[[]]]}]}}',
      'mapping: [{type: spatial, target: 0, factors: {N: x}}]', 'ERT: {tables: [{name: a.b, actions: [{name: read, energy: [1, {energy: 2}]}]}]}'];
    const files = caseFiles('case02');
    for (const text of odd) {
      for (const k of ['arch', 'problem', 'mapping', 'ert'] as const) {
        expect(() => importTimeloop({ ...files, [k]: { file: 'odd.yaml', text } })).not.toThrow();
      }
    }
  });
});

describe('Timeloop importer: a failure always carries an error', () => {
  const files = caseFiles('case02');
  const cases: [string, Kind, string][] = [
    ['empty dimensions', 'problem', 'problem:\n  shape:\n    dimensions: []\n    data-spaces: []\n'],
    ['empty mapping', 'mapping', 'mapping:\n'],
    ['empty architecture', 'arch', 'architecture:\n  version: 0.3\n  subtree: []\n'],
    ['empty ERT', 'ert', 'ERT:\n  version: 0.3\n  tables: []\n'],
  ];
  for (const [why, k, text] of cases) {
    it(why, () => {
      const r = importTimeloop({ ...files, [k]: { file: 'x.yaml', text } });
      if (!r.ok) expect(r.diagnostics.some((d) => d.severity === 'error')).toBe(true);
    });
  }
});
