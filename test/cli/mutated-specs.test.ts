// Malformed input never crashes: every shipped spec, mutated at random (lines deleted, duplicated, re-indented,
// values and keys replaced by hostile tokens, the file cut short), goes through `validate` (and `evaluate` or
// `search` where the file is one of their inputs). Whatever the mutation, the outcome is an exit code of DESIGN.md
// §4 (never 70, the internal error), and every line on stderr is a positioned diagnostic naming the mutated file
// or one of the other inputs: no stack trace, no unpositioned message.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { A, cli, M_INNER, ROOT, tempDir, W } from './harness.ts';

const TOKENS = [
  '-1', '0', '1e400', 'abc', '[]', '{}', 'null', '~', '2**60', '"x"', '1/0', 'NaN', '0.5', 'true', '-0', '1e-300', '[1, 2]',
  '{a: 1}', '"64 * "', '9007199254740993', '&a 3', '*zz', '!!binary AAAA', "'", '"', '|', '- x', 'x: y: z', '0x10', '.inf',
  '2 ** 1000', 'sqrt(-1)', '1..2',
];
const KEYS = ['foo', 'name', 'levels', 'dims', 'T', 'K', 'factors', 'permutation', 'bypass', 'keep', 'capacity', 'instances', 'spatial', 'type', 'layers'];

const list = (d: string): string[] => readdirSync(join(ROOT, d)).filter((f) => f.endsWith('.yaml')).map((f) => `${d}/${f}`);
// Network and TT workloads are validated only (evaluating them runs the chunk mapper: seconds per run).
const FILES = [...list('arch-specs'), ...list('workloads'), ...list('mappings'), ...list('mappings/constraints')];

type Mutation = { kind: number; line: number; token: number; cut: number };
const mutation = fc.record({ kind: fc.integer({ min: 0, max: 7 }), line: fc.nat(), token: fc.nat(), cut: fc.double({ min: 0, max: 1, noNaN: true }) });

function mutate(text: string, ms: readonly Mutation[]): string {
  const lines = text.split('\n');
  for (const m of ms) {
    const i = m.line % lines.length;
    const l = lines[i] ?? '';
    const tok = TOKENS[m.token % TOKENS.length];
    const key = KEYS[m.token % KEYS.length];
    if (m.kind === 0) lines.splice(i, 1);
    else if (m.kind === 1) lines.splice(i, 0, l);
    else if (m.kind === 2) lines[i] = l.replace(/:\s*(.+)$/, () => `: ${tok}`);
    else if (m.kind === 3) lines[i] = l.replace(/^(\s*-?\s*)([A-Za-z_][\w-]*)/, (_, a: string) => a + key);
    else if (m.kind === 4) lines[i] = l.replace(/\d+/, () => tok);
    else if (m.kind === 5) return lines.join('\n').slice(0, Math.floor(m.cut * text.length));
    else if (m.kind === 6) lines[i] = `  ${l}`;
    else lines.splice(i, 0, `${/^\s*/.exec(l)?.[0] ?? ''}${key}: ${tok}`);
  }
  return lines.join('\n');
}

const POSITIONED = /^(.+):(\d+):(\d+): (error|warning) SL-[A-Z0-9-]+: \S/;

describe('mutated shipped specs', () => {
  it('never crash: exit 0/1/2/3 and only positioned diagnostics on stderr', async () => {
    const dir = tempDir();
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...FILES), fc.array(mutation, { minLength: 1, maxLength: 3 }), async (file, ms) => {
        const text = mutate(readFileSync(join(ROOT, file), 'utf8'), ms);
        const p = join(dir, `${n++}-${file.replace(/\//g, '_')}`);
        writeFileSync(p, text);
        const runs: string[][] = [['validate', p]];
        if (file.startsWith('arch-specs/')) runs.push(['evaluate', '--arch', p, '--workload', W, '--mapping', M_INNER]);
        if (file === W) runs.push(['evaluate', '--arch', A, '--workload', p, '--mapping', M_INNER]);
        if (file === M_INNER) runs.push(['evaluate', '--arch', A, '--workload', W, '--mapping', p]);
        if (file.startsWith('mappings/constraints/')) runs.push(['search', '--arch', A, '--workload', W, '--constraints', p, '--max-evals', '200']);
        for (const argv of runs) {
          const r = await cli(argv);
          const what = `${argv.join(' ')}\n--- file ---\n${text}\n--- stderr ---\n${r.err}`;
          expect([0, 1, 2, 3], what).toContain(r.code);
          if (r.code === 1 || r.code === 3) {
            const lines = r.err.split('\n').filter((l) => l.trim() !== '');
            expect(lines.length, what).toBeGreaterThan(0);
            for (const l of lines) expect(l, what).toMatch(POSITIONED);
          }
          expect(r.err, what).not.toMatch(/\n\s+at \S+ \(/);
        }
      }),
      { numRuns: 150, seed: 20261202 },
    );
  }, 120_000);
});
