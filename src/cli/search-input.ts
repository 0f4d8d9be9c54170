/** Inputs of `spikeloop search`: native arch + workload, or Timeloop v0.3 files (a mapping among them is ignored). */
import type { Arch } from '../arch/types.ts';
import type { Diagnostic } from '../core/diagnostics.ts';
import type { Workload } from '../workload/types.ts';
import { readSources, type SourceFile } from './files.ts';
import type { Host } from './io.ts';

export interface SearchInputs {
  readonly arch: Arch;
  readonly workload: Workload;
  readonly warnings: readonly Diagnostic[];
  readonly ignored?: string;
}

export async function loadNative(host: Host, archFile: string, workloadFile: string): Promise<SearchInputs | Diagnostic[]> {
  const { sources, diagnostics } = readSources(host, [archFile, workloadFile]);
  if (diagnostics.length > 0) return diagnostics;
  const [{ parseArch }, { parseWorkload }, { parseYaml }] = await Promise.all([import('../spec/arch.ts'), import('../spec/workload.ts'), import('../spec/yaml-source.ts')]);
  const tree = parseYaml(sources[1].text, sources[1].file);
  if (tree.ok && tree.value.kind === 'map') {
    const net = tree.value.entries.find((e) => e.key === 'network');
    if (net) {
      return [{
        code: 'SL-SPEC-KIND', severity: 'error', pos: net.keyPos, path: ['network'],
        message: `${sources[1].file} describes a network, but search maps one layer`,
        hint: 'search a network with `spikeloop explore`, or give search the workload file of one layer',
      }];
    }
  }
  const ra = parseArch(sources[0].text, sources[0].file);
  const rw = parseWorkload(sources[1].text, sources[1].file);
  if (!ra.ok || !rw.ok) return [...(ra.ok ? ra.warnings : ra.diagnostics), ...(rw.ok ? rw.warnings : rw.diagnostics)];
  return { arch: ra.value, workload: rw.value, warnings: [...ra.warnings, ...rw.warnings] };
}

/**
 * Timeloop files in any order: ARCH PROBLEM [MAPPING] [ERT]. The importer needs a mapping, so a trivial one (every
 * factor at the outermost level) is generated from the problem's dims; a mapping file given is not used.
 */
export async function loadTimeloop(host: Host, files: readonly string[]): Promise<SearchInputs | Diagnostic[]> {
  const { sources, diagnostics } = readSources(host, files);
  if (diagnostics.length > 0) return diagnostics;
  const { parseYaml } = await import('../spec/yaml-source.ts');
  const { kindsIn, rootOf } = await import('../spec/timeloop/detect.ts');
  const { Diags } = await import('../spec/timeloop/tree.ts');
  const { readArchitecture } = await import('../spec/timeloop/arch.ts');
  const { readProblem } = await import('../spec/timeloop/problem.ts');
  const { importTimeloop } = await import('../spec/timeloop/index.ts');
  const byKind = new Map<string, SourceFile>();
  const unknown: SourceFile[] = [];
  for (const s of sources) {
    const t = parseYaml(s.text, s.file);
    const kinds = t.ok ? (t.value.kind === 'seq' ? ['mapping'] : kindsIn(t.value).map((k) => k.kind)) : [];
    if (kinds.length === 1 && !byKind.has(kinds[0])) byKind.set(kinds[0], s);
    else unknown.push(s);
  }
  const [a0, p0, ...rest] = sources;
  const archSrc = byKind.get('arch') ?? a0;
  const problemSrc = byKind.get('problem') ?? p0;
  const ert = byKind.get('ert') ?? (byKind.size < 2 ? rest.find((s) => s !== byKind.get('mapping')) : unknown.find((s) => s !== archSrc && s !== problemSrc));
  // Level and dim names for the generated mapping.
  const d = new Diags();
  const ta = parseYaml(archSrc.text, archSrc.file);
  const tp = parseYaml(problemSrc.text, problemSrc.file);
  const draft = ta.ok ? (() => { const r = rootOf(d, ta.value, 'arch'); return r && readArchitecture(d, r.node); })() : undefined;
  const problem = tp.ok ? (() => { const r = rootOf(d, tp.value, 'problem'); return r && readProblem(d, r.node, 16); })() : undefined;
  let text = 'mapping: []\n';
  if (draft && draft.levels.length > 0 && problem) {
    const factors = problem.dims.map((n, i) => `${n}=${problem.sizes[i]}`).join(' ');
    text = `mapping:\n  - target: ${draft.levels[0].name}\n    type: temporal\n    factors: ${factors}\n`;
  }
  const mapping = { file: '<generated mapping>', text };
  const r = importTimeloop(ert ? { arch: archSrc, problem: problemSrc, mapping, ert } : { arch: archSrc, problem: problemSrc, mapping });
  if (!r.ok) return [...r.diagnostics];
  return { arch: r.value.arch, workload: r.value.workload, warnings: r.warnings, ignored: byKind.get('mapping')?.file };
}
