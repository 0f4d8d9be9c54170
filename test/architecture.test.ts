// DESIGN.md §1: no import cycles, and each folder imports only what it may (scripts/import-rules.ts).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSourceTree } from '../scripts/check-cycles.ts';
import { checkArchitecture, importsOf } from '../scripts/import-rules.ts';

describe('architecture rules', () => {
  it('hold for the real src/ tree', () => {
    const files = readSourceTree(join(import.meta.dirname, '..', 'src'));
    expect(files.size).toBeGreaterThan(10);
    expect(checkArchitecture(files).map((p) => p.message)).toEqual([]);
  });

  it('find a synthetic cycle and name its files in order', () => {
    const problems = checkArchitecture({
      'core/a.ts': "import { b } from './b.ts';\nexport const a = 1;",
      'core/b.ts': "import { c } from './c.ts';\nexport const b = 2;",
      'core/c.ts': "export { a } from './a.ts';\nexport const c = 3;",
      'core/d.ts': "import { a } from './a.ts';",
    });
    expect(problems).toHaveLength(1);
    expect(problems[0].kind).toBe('cycle');
    expect(problems[0].message).toBe('import cycle: core/a.ts -> core/b.ts -> core/c.ts -> core/a.ts');
  });

  it('count type-only and dynamic imports in cycles', () => {
    const problems = checkArchitecture({
      'model/x.ts': "import type { Y } from './y.ts';",
      'model/y.ts': "export async function f() { return import('./x.ts'); }",
    });
    expect(problems.map((p) => p.kind)).toEqual(['cycle']);
  });

  it('reject a folder importing one it may not', () => {
    const problems = checkArchitecture({
      'core/ids.ts': "import { evaluate } from '../model/evaluate.ts';",
      'model/evaluate.ts': 'export function evaluate() {}',
      'search/loop.ts': "import { evaluate } from '../model/evaluate.ts';",
      'spec/mapping.ts': "import { fanout } from '../analysis/geo.ts';",
      'analysis/geo.ts': 'export const fanout = 1;',
    });
    const layer = problems.filter((p) => p.kind === 'layer').map((p) => p.file);
    expect(layer).toEqual(['core/ids.ts', 'search/loop.ts', 'spec/mapping.ts']);
  });

  it('let report/ import model types only', () => {
    const ok = checkArchitecture({
      'model/types.ts': 'export interface E { x: number }',
      'report/a.ts': "import type { E } from '../model/types.ts';\nimport { type E as F } from '../model/types.ts';",
    });
    expect(ok).toEqual([]);
    const bad = checkArchitecture({
      'model/evaluate.ts': 'export function evaluate() {}',
      'report/a.ts': "import { evaluate } from '../model/evaluate.ts';",
    });
    expect(bad.map((p) => p.kind)).toEqual(['layer']);
    expect(bad[0].message).toContain('import type');
  });

  it('let cli/ import everything, and flag unknown folders and unresolved imports', () => {
    const problems = checkArchitecture({
      'cli/main.ts': "import { evaluate } from '../model/evaluate.ts';\nimport { x } from './missing.ts';",
      'model/evaluate.ts': 'export function evaluate() {}',
      'misc/util.ts': 'export const u = 1;',
    });
    expect(problems.map((p) => p.kind).sort()).toEqual(['unknown-folder', 'unresolved']);
  });

  it('parse every import form', () => {
    const files = new Set(['m/a.ts', 'm/b.ts', 'm/c.ts', 'm/d.ts', 'm/e.ts', 'm/f/index.ts']);
    const src = [
      "import { a } from './a.ts';",
      "import type { B } from './b.ts';",
      "export * from './c.ts';",
      "import './d.ts';",
      'const e = () => import("./e.ts");',
      "import { type F } from './f';",
      "import { readFileSync } from 'node:fs';",
      '// import { z } from "./z.ts";',
    ].join('\n');
    const edges = importsOf('m/x.ts', src, files).map((e) => `${e.to}${e.typeOnly ? ' (type)' : ''}`);
    expect(edges).toEqual(['m/a.ts', 'm/b.ts (type)', 'm/c.ts', 'm/d.ts', 'm/e.ts', 'm/f/index.ts (type)']);
  });
});
