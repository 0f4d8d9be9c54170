/** The CLI's window on the world: console streams, files, working directory, environment. Injectable for tests. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export interface Io {
  /** One chunk of standard output; a newline is appended. */
  stdout(s: string): void;
  /** One chunk of standard error; a newline is appended. */
  stderr(s: string): void;
  /** Read a UTF-8 text file (absolute path). Throws a Node errno error (`ENOENT`, ...) on failure. */
  readFile?(path: string): string;
  /** Write a text file (absolute path), creating its folder. */
  writeFile?(path: string, content: string): void;
  /** Folder relative paths are resolved against (default: the process's). */
  cwd?: string;
  env?: Readonly<Record<string, string | undefined>>;
}

export interface Host {
  stdout(s: string): void;
  stderr(s: string): void;
  readFile(path: string): string;
  writeFile(path: string, content: string): void;
  /** Absolute path of a path the user gave. */
  resolve(path: string): string;
  env: Readonly<Record<string, string | undefined>>;
  /** The arguments after `spikeloop` (for the provenance of result files). */
  argv: readonly string[];
}

/**
 * `mkdir -p` one level at a time. Node's `mkdirSync(dir, { recursive: true })` can spin forever on pseudo file
 * systems such as /proc (mkdir reports ENOENT for a parent that exists); this fails with the first error instead.
 */
function makeDirs(dir: string): void {
  if (existsSync(dir)) return;
  const parent = dirname(dir);
  if (parent !== dir) makeDirs(parent);
  mkdirSync(dir);
}

export function nodeIo(): Io {
  return {
    stdout: (s) => void process.stdout.write(s + '\n'),
    stderr: (s) => void process.stderr.write(s + '\n'),
  };
}

export function makeHost(io: Io = nodeIo(), argv: readonly string[] = []): Host {
  const cwd = io.cwd ?? process.cwd();
  return {
    stdout: (s) => io.stdout(s),
    stderr: (s) => io.stderr(s),
    readFile: io.readFile ? (p) => io.readFile!(p) : (p) => readFileSync(p, 'utf8'),
    writeFile: io.writeFile
      ? (p, c) => io.writeFile!(p, c)
      : (p, c) => {
          makeDirs(dirname(p));
          writeFileSync(p, c);
        },
    resolve: (p) => resolve(cwd, p),
    env: io.env ?? process.env,
    argv,
  };
}
