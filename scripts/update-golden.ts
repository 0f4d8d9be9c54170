/**
 * Regenerate the golden files of the shipped-specs test: `npx tsx scripts/update-golden.ts`.
 * Evaluates every shipped mapping (see test/golden/shipped.ts for discovery and pairing), writes
 * test/golden/expected/<mapping>.json, and deletes golden files whose mapping is gone. Refuses to write anything
 * when a handled spec is invalid. Review the diff (git diff test/golden/expected) before committing.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { discover, EXPECTED_DIR, goldenOf, goldenPath, goldenText, isHandled, loadShipped, ROOT, runMapping, validateAlone } from '../test/golden/shipped.ts';

const shipped = loadShipped(discover());
const problems: string[] = [];
const outputs = new Map<string, string>();
for (const f of shipped.files) {
  if (!isHandled(f.kind)) {
    console.log(`skip ${f.path} (kind ${f.kind})`);
    continue;
  }
  if (f.kind !== 'mapping') {
    const v = validateAlone(shipped, f);
    if (!v.ok) problems.push(...v.problems);
    continue;
  }
  const run = runMapping(shipped, f);
  if (run.skip) {
    console.log(`skip ${f.path} (${run.skip})`);
    continue;
  }
  if (run.problems.length > 0 || run.outcome?.status !== 'ok') {
    problems.push(...run.problems.map((p) => `${f.path}: ${p}`));
    continue;
  }
  outputs.set(goldenPath(f), goldenText(goldenOf(f, run.pairing, run.outcome.evaluation)));
}
if (problems.length > 0) {
  console.error(problems.join('\n'));
  console.error('nothing written: fix the specs first');
  process.exit(1);
}
mkdirSync(EXPECTED_DIR, { recursive: true });
let changed = 0;
for (const [path, text] of outputs) {
  const old = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  if (old === text) continue;
  writeFileSync(path, text);
  changed++;
  console.log(`${old === undefined ? 'new    ' : 'updated'} ${relative(ROOT, path)}`);
}
for (const name of readdirSync(EXPECTED_DIR)) {
  const path = join(EXPECTED_DIR, name);
  if (name.endsWith('.json') && !outputs.has(path)) {
    rmSync(path);
    changed++;
    console.log(`removed ${relative(ROOT, path)} (no mapping ${basename(name, '.json')}.yaml)`);
  }
}
console.log(`${outputs.size} golden files, ${changed} changed`);
