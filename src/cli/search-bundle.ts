/**
 * Booting search workers cheaply. Registering tsx in a worker and compiling the source tree there costs about
 * 0.3 s of CPU per worker; instead the worker entry is bundled once per process with esbuild (a dependency of tsx)
 * into one plain ES module, which a worker loads from a data: URL in a few tens of milliseconds. Without esbuild
 * the workers fall back to registering tsx.
 */
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

export type WorkerBoot = { readonly kind: 'bundle'; readonly url: URL } | { readonly kind: 'tsx'; readonly code: string; readonly tsxApi: string; readonly entry: string };

let boot: Promise<WorkerBoot> | undefined;

export function workerBoot(): Promise<WorkerBoot> {
  boot ??= makeBoot();
  return boot;
}

async function makeBoot(): Promise<WorkerBoot> {
  const require = createRequire(import.meta.url);
  const entry = new URL('./search-worker.ts', import.meta.url);
  try {
    const fromTsx = createRequire(require.resolve('tsx/package.json'));
    const esbuild = fromTsx('esbuild') as { build(o: object): Promise<{ outputFiles: { text: string }[] }> };
    const out = await esbuild.build({ entryPoints: [fileURLToPath(entry)], bundle: true, platform: 'node', format: 'esm', target: 'node20', write: false, logLevel: 'silent' });
    return { kind: 'bundle', url: new URL(`data:text/javascript,${encodeURIComponent(out.outputFiles[0].text)}`) };
  } catch {
    const tsxApi = pathToFileURL(require.resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
    const code =
      `const { workerData, parentPort } = require('node:worker_threads');` +
      `import(workerData.boot.tsxApi).then((m) => { (m.register || m.default.register)(); return import(workerData.boot.entry); })` +
      `.catch((e) => parentPort.postMessage({ type: 'error', message: String((e && e.stack) || e) }));`;
    return { kind: 'tsx', code, tsxApi, entry: entry.href };
  }
}
