/**
 * `npm run bench [-- NAME...]`: runs every benchmark script in bench/ (each a standalone tsx script that writes
 * JSON to reports/bench/), one after the other in its own process so they do not disturb each other's JIT and
 * heap. With names, runs only those (e.g. `npm run bench -- evaluate pipeline`). Benchmarks measure; they never
 * assert on time.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const all = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('_'))
  .map((f) => f.slice(0, -3))
  .sort();
const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !all.includes(w));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; available: ${all.join(', ')}`);
  process.exitCode = 2;
} else {
  let failed = 0;
  for (const name of wanted.length > 0 ? wanted : all) {
    console.log(`\n== bench/${name}.ts`);
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(here, `${name}.ts`)], { stdio: 'inherit' });
    if (r.status !== 0) {
      failed++;
      console.error(`bench/${name}.ts failed (exit ${r.status ?? r.signal})`);
    }
  }
  if (failed > 0) process.exitCode = 1;
}
