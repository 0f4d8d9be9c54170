/** `spikeloop validate FILE...`: every problem in every file, as `file:line:col: error CODE: message`. */
import type { Host } from './io.ts';
import { readSources } from './files.ts';
import { EXIT, printDiagnostics } from './render.ts';

export async function runValidate(host: Host, files: readonly string[]): Promise<number> {
  const { sources, diagnostics } = readSources(host, files);
  const { validateSpecs } = await import('../spec/load.ts');
  const all = [...diagnostics, ...validateSpecs(sources)];
  const code = printDiagnostics(host, all);
  if (code !== EXIT.ok) return code;
  host.stdout(`ok: ${files.length} file${files.length === 1 ? '' : 's'} valid`);
  return EXIT.ok;
}
