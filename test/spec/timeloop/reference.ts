// Loads the Timeloop reference cases as importer input: ../shared/reference/timeloop (relative to the repo root) when
// it exists, else the vendored copy in test/reference/timeloop.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { SourceFile, TimeloopFiles } from '../../../src/spec/timeloop/index.ts';

export const REPO_ROOT = resolve(import.meta.dirname, '..', '..', '..');
const SHARED_DIR = resolve(REPO_ROOT, '../shared/reference/timeloop');
const VENDORED_DIR = resolve(REPO_ROOT, 'test/reference/timeloop');

/** The folder of one case: the shared suite's copy when present, else the vendored one. */
export function caseDir(caseName: string): string {
  const shared = join(SHARED_DIR, caseName);
  return existsSync(join(shared, 'expected.json')) ? shared : join(VENDORED_DIR, caseName);
}

/** The four cases the import tests pin down. */
export const CASES = ['case02', 'case04', 'case08', 'case13'] as const;

/** Every caseNN folder present (more may be added to the suite later). */
export function allCases(): string[] {
  const names = new Set<string>();
  for (const dir of [SHARED_DIR, VENDORED_DIR]) {
    if (!existsSync(dir)) continue;
    for (const d of readdirSync(dir)) if (/^case\d+$/.test(d) && existsSync(join(dir, d, 'expected.json'))) names.add(d);
  }
  return [...names].sort();
}

export function source(caseName: string, file: string): SourceFile {
  const path = join(caseDir(caseName), file);
  return { file: path, text: readFileSync(path, 'utf8') };
}

export function caseFiles(caseName: string): Required<TimeloopFiles> {
  return {
    arch: source(caseName, 'arch.yaml'),
    problem: source(caseName, 'problem.yaml'),
    mapping: source(caseName, 'mapping.yaml'),
    ert: source(caseName, 'ERT.yaml'),
  };
}

export function expectedJson(caseName: string): unknown {
  return JSON.parse(readFileSync(join(caseDir(caseName), 'expected.json'), 'utf8'));
}
