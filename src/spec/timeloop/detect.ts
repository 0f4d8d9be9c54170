/**
 * Which kind of Timeloop file a document is, from its top-level key, and the node under that key. A file of the
 * wrong kind (e.g. the problem passed where the architecture belongs) is named as such. A combined file holding
 * several kinds may be passed for each of them.
 */
import { msg, type FileKind } from './messages.ts';
import { Diags, entry } from './tree.ts';
import type { PNode } from '../yaml-source.ts';

const KINDS: readonly FileKind[] = ['arch', 'problem', 'mapping', 'ert'];

/** Keys that also identify a kind (older formats). */
const ALIASES: Readonly<Record<FileKind, readonly string[]>> = {
  arch: ['architecture', 'arch'],
  problem: ['problem'],
  mapping: ['mapping'],
  ert: ['ERT'],
};

export function kindsIn(root: PNode): { kind: FileKind; key: string }[] {
  if (root.kind !== 'map') return [];
  const out: { kind: FileKind; key: string }[] = [];
  for (const k of KINDS) {
    for (const a of ALIASES[k]) {
      if (entry(root, a)) {
        out.push({ kind: k, key: a });
        break;
      }
    }
  }
  return out;
}

/** The node under the kind's top-level key, or undefined with a diagnostic. A mapping may be a bare list. */
export function rootOf(d: Diags, tree: PNode, kind: FileKind): { key: string; node: PNode } | undefined {
  if (kind === 'mapping' && tree.kind === 'seq') return { key: '', node: tree };
  const found = kindsIn(tree);
  const mine = found.find((f) => f.kind === kind);
  if (mine && tree.kind === 'map') {
    const e = entry(tree, mine.key);
    if (e && mine.key === 'arch') {
      const native = e.value.kind === 'map' && e.value.entries.some((x) => x.key === 'levels');
      d.add(
        e.value,
        native
          ? msg.unsupported('a spikeloop arch spec (arch: {levels, compute})', 'pass native specs with --arch/--workload/--mapping; --timeloop reads Timeloop v0.3 files')
          : msg.unsupported("the v0.1 'arch: {storage, arithmetic}' format", "write the v0.3 'architecture: {version, subtree}' format"),
      );
      return undefined;
    }
    if (e) return { key: mine.key, node: e.value };
  }
  const other = found[0];
  const at = other && tree.kind === 'map' ? { pos: entry(tree, other.key)?.keyPos ?? tree.pos, path: [other.key] } : tree;
  d.add(at, msg.wrongFile(kind, other?.kind));
  return undefined;
}
