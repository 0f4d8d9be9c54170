/**
 * Timeloop v0.2/v0.3 importer: architecture, problem, mapping and (optional) ERT files -> Arch, Workload, Mapping.
 * Every file is read even when another one fails, so one run reports every problem; nothing throws.
 */
import type { Diagnostic, SourcePos } from '../../core/diagnostics.ts';
import { fail, ok, type Result } from '../../core/result.ts';
import type { Arch, StorageLevel } from '../../arch/types.ts';
import type { Mapping } from '../../mapping/types.ts';
import type { Workload } from '../../workload/types.ts';
import { parseYaml, type PNode } from '../yaml-source.ts';
import { readArchitecture, type ArchDraft } from './arch.ts';
import { kindsIn, rootOf } from './detect.ts';
import { assignEnergies, readErt, type Energies, type ErtTable } from './ert.ts';
import { readMapping } from './mapping.ts';
import type { FileKind } from './messages.ts';
import { readProblem } from './problem.ts';
import { Diags } from './tree.ts';

export interface SourceFile {
  /** Path as the user gave it; used in diagnostics. */
  readonly file: string;
  readonly text: string;
}

export interface TimeloopFiles {
  readonly arch: SourceFile;
  readonly problem: SourceFile;
  readonly mapping: SourceFile;
  readonly ert?: SourceFile;
}

export interface TimeloopImport {
  readonly arch: Arch;
  readonly workload: Workload;
  readonly mapping: Mapping;
  /** Per storage level (outermost first): where its mapping is written, for diagnostics about it. */
  readonly levelPos: readonly SourcePos[];
}

export { TIMELOOP_CODES } from './messages.ts';

function parse(d: Diags, syntax: Diagnostic[], src: SourceFile, kind: FileKind): { tree: PNode; node: PNode } | undefined {
  const r = parseYaml(src.text, src.file);
  if (!r.ok) {
    syntax.push(...r.diagnostics);
    return undefined;
  }
  const root = rootOf(d, r.value, kind);
  return root ? { tree: r.value, node: root.node } : undefined;
}

function buildArch(draft: ArchDraft, e: Energies): Arch {
  const levels = draft.levels.map(
    (l, i): StorageLevel => ({
      name: l.name,
      instances: l.instances,
      meshX: l.meshX,
      meshY: l.meshY,
      capacityBits: l.capacityBits,
      widthBits: l.wordBits * l.blockSize,
      wordBits: l.wordBits,
      readBandwidth: l.readBandwidth,
      writeBandwidth: l.writeBandwidth,
      sharedBandwidth: l.sharedBandwidth,
      energy: e.levels[i],
      doubleBuffered: false,
      leakageMw: 0,
      latencyCycles: 0,
      offChip: l.offChip,
      // Timeloop v0.3 has no burst size: no rounding in the pipeline timing model (neutral).
      burstBits: 0,
    }),
  );
  const c = draft.compute;
  return {
    name: draft.name,
    levels,
    compute: { name: c.name, instances: c.instances, meshX: c.meshX, meshY: c.meshY, energy: e.compute, idleMw: 0 },
    clockMhz: 1000,
    energySource: e.source,
  };
}

export function importTimeloop(files: TimeloopFiles): Result<TimeloopImport> {
  const d = new Diags();
  const syntax: Diagnostic[] = [];
  const archSrc = parse(d, syntax, files.arch, 'arch');
  const problemSrc = parse(d, syntax, files.problem, 'problem');
  const mappingSrc = parse(d, syntax, files.mapping, 'mapping');
  const ertSrc = files.ert ? parse(d, syntax, files.ert, 'ert') : undefined;

  const draft = archSrc ? readArchitecture(d, archSrc.node) : undefined;
  const tables: ErtTable[] | undefined = ertSrc ? readErt(d, ertSrc.node) : undefined;
  const ertReadable = !files.ert || ertSrc !== undefined;
  const energies = archSrc && draft && ertReadable ? assignEnergies(d, draft, tables, archSrc.tree, files.ert?.file) : undefined;
  const arch = draft && energies ? buildArch(draft, energies) : undefined;
  const bits = arch?.levels[0]?.wordBits ?? 16;
  const workload = problemSrc ? readProblem(d, problemSrc.node, bits) : undefined;
  const mapped = arch && workload && mappingSrc ? readMapping(d, mappingSrc.node, arch, workload) : undefined;

  const all = [...syntax, ...d.list];
  if (syntax.length > 0 || d.errorCount > 0 || !arch || !workload || !mapped) return fail(all);
  return ok({ arch, workload, mapping: mapped.mapping, levelPos: mapped.levelPos }, all);
}

/**
 * Files in any order -> which is which, from their top-level keys (architecture:, problem:, mapping:, ERT:).
 * When the kinds are not one of each (a combined file, an unreadable one), the order given is kept
 * (ARCH PROBLEM MAPPING [ERT]) and importTimeloop names the misplaced file.
 */
export function arrangeTimeloopFiles(sources: readonly SourceFile[]): TimeloopFiles {
  const byKind = new Map<FileKind, SourceFile>();
  let unique = sources.length >= 3 && sources.length <= 4;
  for (const src of sources) {
    const r = parseYaml(src.text, src.file);
    const kinds = r.ok ? (r.value.kind === 'seq' ? [{ kind: 'mapping' as FileKind }] : kindsIn(r.value)) : [];
    if (kinds.length !== 1 || byKind.has(kinds[0].kind)) {
      unique = false;
      break;
    }
    byKind.set(kinds[0].kind, src);
  }
  const [arch, problem, mapping, ert] = sources;
  if (!unique || !byKind.has('arch') || !byKind.has('problem') || !byKind.has('mapping')) return ert ? { arch, problem, mapping, ert } : { arch, problem, mapping };
  const e = byKind.get('ert');
  const base = { arch: byKind.get('arch')!, problem: byKind.get('problem')!, mapping: byKind.get('mapping')! };
  return e ? { ...base, ert: e } : base;
}
