// Loads the Timeloop reference cases (../shared/reference/timeloop relative to the repo root) as importer input.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { SourceFile, TimeloopFiles } from '../../../src/spec/timeloop/index.ts';

export const REPO_ROOT = resolve(import.meta.dirname, '..', '..', '..');
export const REFERENCE_DIR = resolve(REPO_ROOT, '../shared/reference/timeloop');

/** The four cases the import tests pin down. */
export const CASES = ['case02', 'case04', 'case08', 'case13'] as const;

/** Every caseNN folder present (more may be added to the suite later). */
export function allCases(): string[] {
  if (!existsSync(REFERENCE_DIR)) return [];
  return readdirSync(REFERENCE_DIR).filter((d) => /^case\d+$/.test(d) && existsSync(join(REFERENCE_DIR, d, 'expected.json'))).sort();
}

export function source(caseName: string, file: string): SourceFile {
  const path = join(REFERENCE_DIR, caseName, file);
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
  return JSON.parse(readFileSync(join(REFERENCE_DIR, caseName, 'expected.json'), 'utf8'));
}
