// One failing fixture per diagnostic code of the catalogue (src/spec/messages.ts, ALL_CODES).
//
// A fixture is the folder test/spec/fixtures/<CODE>/ with a minimal file set. One of its files starts with
//   # expect: CODE line N [in FILE] [run validate|evaluate|timeloop] [out DIR]
//   # message: TEXT            (optional: a substring the diagnostic line must contain, e.g. a did-you-mean)
// The files are run through the CLI in-process, from the fixture folder:
//   validate  (default)  spikeloop validate <every *.yaml entry of the folder, plus FILE when it does not exist>
//   evaluate  (SL-EVAL-*) spikeloop evaluate --arch A --workload W --mapping M [--out DIR] (kinds from the files)
//   report    (SL-REPORT-*) spikeloop report <every *.json of the folder> (the expect line sits in fixture.yaml)
//   timeloop  (SL-TL-*)   spikeloop evaluate --timeloop arch.yaml problem.yaml mapping.yaml [ERT.yaml]; files the
//                         fixture does not have come from fixtures/_timeloop-base/ (reference case08), except that
//                         `without ERT` leaves the ERT out.
// Every diagnostic printed must carry CODE (the fixture triggers exactly that code), one of them at FILE (default:
// the file with the expect line) and line N, and the exit code must match the severity.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.ts';
import type { InvalidOutcome } from '../../src/model/types.ts';
import { detectSpecKind } from '../../src/spec/load.ts';
import { ALL_CODES, CLI_CODES, describeCode, type CliCode } from '../../src/spec/messages.ts';
import { ROOT } from '../golden/shipped.ts';

const FIXTURES = join(ROOT, 'test', 'spec', 'fixtures');
const TL_BASE = join(FIXTURES, '_timeloop-base');
const TL_FILES = ['arch.yaml', 'problem.yaml', 'mapping.yaml', 'ERT.yaml'] as const;

/** Codes no file can trigger, with the reason. Each reason is checked below where it can be. */
const NOT_FROM_A_FILE: Readonly<Record<string, string>> = {
  'SL-EVAL-MAPPING':
    'the mapping parser rejects every case evaluate() would call a mapping error first (a missing level gets an empty entry, ' +
    'SL-MAP-FACTOR-PRODUCT, SL-MAP-NO-HOME); the outcome exists for mappings built in code (search, schedules)',
  'SL-TL-EXPECTED': "reports a malformed expected.json of a reference case; it is read by tests, not by any command",
};

/**
 * Codes whose emitting command is being built in parallel (network schedules, TT networks, report inputs): their
 * fixtures are owed by those tasks, and they show up as `todo` in the test output until then.
 */
/** Codes whose fixture is owed, with the reason (none at present: every code a file can trigger has its fixture). */
const FIXTURE_OWED: Readonly<Record<string, string>> = {};

interface Expectation {
  readonly code: string;
  readonly line: number;
  readonly file: string;
  readonly run: 'validate' | 'evaluate' | 'network' | 'timeloop' | 'report';
  readonly out?: string;
  readonly withoutErt: boolean;
  readonly message?: string;
}

function entries(dir: string): string[] {
  return readdirSync(dir).filter((n) => n.endsWith('.yaml')).sort();
}

function readExpectation(code: string, dir: string): Expectation {
  const found: Expectation[] = [];
  for (const name of entries(dir)) {
    const path = join(dir, name);
    if (!statSync(path).isFile()) continue;
    const lines = readFileSync(path, 'utf8').split('\n');
    const m = /^# expect: (\S+) line (\d+)(.*)$/.exec(lines[0]);
    if (!m) continue;
    const rest = m[3];
    const opt = (key: string): string | undefined => new RegExp(`\\b${key} (\\S+)`).exec(rest)?.[1];
    const runKind = opt('run') ?? (m[1].startsWith('SL-TL-') ? 'timeloop' : m[1].startsWith('SL-EVAL-') ? 'evaluate' : m[1].startsWith('SL-REPORT-') ? 'report' : 'validate');
    const msg = /^# message: (.*)$/.exec(lines[1] ?? '');
    found.push({
      code: m[1], line: Number(m[2]), file: opt('in') ?? name, run: runKind as Expectation['run'], out: opt('out'),
      withoutErt: /\bwithout ERT\b/.test(rest), message: msg?.[1],
    });
  }
  if (found.length !== 1) throw new Error(`${code}: expected one '# expect:' first line in ${dir}, found ${found.length}`);
  if (found[0].code !== code) throw new Error(`${dir} expects ${found[0].code}, not ${code}`);
  return found[0];
}

/** The fixture files of a folder by spec kind (arch, workload, mapping, network, schedule, ...). */
function kindsOf(dir: string, names: readonly string[]): Record<string, string> {
  const byKind: Record<string, string> = {};
  for (const n of names) {
    const k = detectSpecKind({ file: n, text: readFileSync(join(dir, n), 'utf8') });
    if ('kind' in k) byKind[k.kind] = n;
  }
  return byKind;
}

function args(dir: string, x: Expectation): string[] {
  const names = entries(dir);
  if (x.run === 'report') return ['report', ...readdirSync(dir).filter((n) => n.endsWith('.json')).sort(), '--out', 'out'];
  if (x.run === 'timeloop') {
    const files = TL_FILES.filter((f) => !(f === 'ERT.yaml' && x.withoutErt)).map((f) => (names.includes(f) ? f : join(TL_BASE, f)));
    return ['evaluate', '--timeloop', ...files];
  }
  if (x.run === 'evaluate') {
    const byKind = kindsOf(dir, names);
    return ['evaluate', '--arch', byKind.arch, '--workload', byKind.workload, '--mapping', byKind.mapping, ...(x.out ? ['--out', x.out] : [])];
  }
  if (x.run === 'network') {
    // evaluate on a network workload, with the folder's schedule file when there is one
    const byKind = kindsOf(dir, names);
    return ['evaluate', '--arch', byKind.arch, '--workload', byKind.network, ...(byKind.schedule ? ['--schedule', byKind.schedule] : [])];
  }
  return ['validate', ...names, ...(names.includes(x.file) ? [] : [x.file])];
}

const LINE = /^(.+):(\d+):(\d+): (error|warning) (SL-[A-Z0-9-]+): (.*)$/;

async function runFixture(dir: string, argv: string[]): Promise<{ code: number; err: string[] }> {
  const err: string[] = [];
  const writes: string[] = [];
  const code = await run(argv, {
    cwd: dir, env: {}, stdout: () => {}, stderr: (s) => err.push(...s.split('\n')),
    // --out must not write into the source tree; paths through a regular file fail as the real file system would.
    writeFile: (p) => {
      writes.push(p);
      const parts = p.split('/');
      for (let i = 1; i < parts.length; i++) {
        const prefix = parts.slice(0, i).join('/') || '/';
        if (existsSync(prefix) && statSync(prefix).isFile()) throw Object.assign(new Error(`ENOTDIR: ${prefix}`), { code: 'ENOTDIR' });
      }
    },
  });
  return { code, err };
}

const codes = ALL_CODES.map((c) => c.code);

describe('diagnostic catalogue', () => {
  it('lists each code once, each with a description', () => {
    expect(new Set(codes).size).toBe(codes.length);
    for (const c of ALL_CODES) {
      expect(c.code).toMatch(/^SL-[A-Z0-9]+(-[A-Z0-9]+)+$/);
      expect(c.description.length).toBeGreaterThan(10);
    }
  });

  it('covers every SL-EVAL code the CLI can print (one per InvalidOutcome stage)', () => {
    const stages: Record<InvalidOutcome['stage'], true> = { mapping: true, capacity: true, fanout: true, semantics: true };
    const evalCodes = Object.keys(stages).map((s) => `SL-EVAL-${s.toUpperCase()}`);
    // Compile-time: the template type of outcome.ts codes is a catalogue code.
    const typed: `SL-EVAL-${Uppercase<InvalidOutcome['stage']>}` extends CliCode ? true : false = true;
    expect(typed).toBe(true);
    for (const c of evalCodes) expect(Object.keys(CLI_CODES)).toContain(c);
  });

  it('knows every code literal written in src/ (spec parsers, CLI, Timeloop importer)', () => {
    const used = new Set<string>();
    const walk = (dir: string): void => {
      for (const n of readdirSync(dir)) {
        const p = join(dir, n);
        if (statSync(p).isDirectory()) walk(p);
        else if (n.endsWith('.ts') && !p.endsWith(join('spec', 'messages.ts'))) {
          for (const m of readFileSync(p, 'utf8').matchAll(/['"`](SL-[A-Z0-9]+(?:-[A-Z0-9]+)+)['"`]/g)) used.add(m[1]);
        }
      }
    };
    walk(join(ROOT, 'src'));
    expect([...used].filter((c) => !describeCode(c)).sort()).toEqual([]);
  });
});

describe('one failing fixture per diagnostic code', () => {
  for (const c of ALL_CODES) {
    const reason = NOT_FROM_A_FILE[c.code];
    if (FIXTURE_OWED[c.code] && !existsSync(join(FIXTURES, c.code))) {
      it.todo(`${c.code}: fixture owed (${FIXTURE_OWED[c.code]})`);
      continue;
    }
    if (reason) {
      it(`${c.code}: not triggerable from a file (${reason})`, () => {
        expect(existsSync(join(FIXTURES, c.code))).toBe(false);
      });
      continue;
    }
    it(`${c.code}: ${c.description}`, async () => {
      const dir = join(FIXTURES, c.code);
      expect(existsSync(dir), `missing fixture folder test/spec/fixtures/${c.code}/`).toBe(true);
      const x = readExpectation(c.code, dir);
      const r = await runFixture(dir, args(dir, x));
      const diags = r.err.filter((l) => LINE.test(l)).map((l) => LINE.exec(l)!);
      expect(diags.length, `no diagnostic printed; stderr:\n${r.err.join('\n')}`).toBeGreaterThan(0);
      expect(diags.map((d) => d[5]), `other codes printed:\n${r.err.join('\n')}`).toEqual(diags.map(() => c.code));
      expect(diags.map((d) => [d[1], Number(d[2])])).toContainEqual([x.file, x.line]);
      expect(diags.every((d) => d[4] === c.severity)).toBe(true);
      if (x.message) expect(r.err.join('\n')).toContain(x.message);
      const exit = c.severity === 'warning' ? 0 : c.code.startsWith('SL-EVAL-') ? 3 : 1;
      expect(r.code).toBe(exit);
    });
  }

  it('has no fixture folder for a code the catalogue does not know', () => {
    const folders = readdirSync(FIXTURES).filter((n) => !n.startsWith('_'));
    expect(folders.filter((f) => !codes.includes(f as (typeof codes)[number]))).toEqual([]);
  });
});
