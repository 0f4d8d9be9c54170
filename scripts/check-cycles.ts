/** `npm run check:cycles`: fails (exit 1) on any import cycle in src/ or a folder importing one it may not. */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkArchitecture } from './import-rules.ts';

export function readSourceTree(srcDir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (/\.(ts|mts|tsx)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
        files.set(relative(srcDir, p).split(sep).join('/'), readFileSync(p, 'utf8'));
      }
    }
  };
  walk(srcDir);
  return files;
}

const here = fileURLToPath(import.meta.url);
if (process.argv[1] && resolve(process.argv[1]) === here) {
  const src = join(here, '..', '..', 'src');
  const files = readSourceTree(src);
  const problems = checkArchitecture(files);
  for (const p of problems) console.error(p.message);
  if (problems.length > 0) {
    console.error(`check:cycles: ${problems.length} problem(s) in ${files.size} files of src/`);
    process.exitCode = 1;
  } else console.log(`check:cycles: ${files.size} files of src/, no import cycles, every import allowed by DESIGN.md §1`);
}
