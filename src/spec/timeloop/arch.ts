/**
 * Timeloop v0.2/v0.3 architecture (`architecture: {version, subtree: [...]}`) -> storage levels (outermost first)
 * and the compute unit, without energies (those come from the ERT, see ert.ts). Rules follow Timeloop v3's
 * `Topology::ParseTreeSpecs` and `BufferLevel::ParseSpecs`:
 * - walking the tree, a node's `local` components come before (outside) its `subtree`; one subtree per node;
 * - instances = product of the `[a..b]` ranges of the component's name and of every enclosing subtree name,
 *   unless an `instances` attribute says otherwise; meshX defaults to instances (one row), meshY = instances/meshX;
 * - capacity: `entries` words, or `depth` x `block-size` words, or `sizeKB`; divided by `multiple-buffering`;
 *   no size means unbounded; every dataspace is stored at the level's `word-bits`;
 * - bandwidths are words/cycle per instance (converted here to bits/cycle).
 */
import type { PMap, PNode } from '../yaml-source.ts';
import { msg } from './messages.ts';
import { classify, isDramClass, parseRangeName } from './names.ts';
import { asMap, asSeq, Diags, field, num, required, str } from './tree.ts';

export interface ComponentDraft {
  /** Name without its `[a..b]` range. */
  readonly name: string;
  readonly cls: string;
  /** The component's entry in its `local` list. */
  readonly node: PMap;
  /** Its `attributes` (or the entry itself in the flat style). */
  readonly attrs: PMap;
  readonly instances: number;
  readonly meshX: number;
  readonly meshY: number;
}

export interface StorageDraft extends ComponentDraft {
  readonly capacityBits: number | null;
  readonly wordBits: number;
  readonly blockSize: number;
  /** Bits per cycle per instance; null = unlimited. */
  readonly readBandwidth: number | null;
  readonly writeBandwidth: number | null;
  readonly sharedBandwidth: number | null;
  readonly offChip: boolean;
  /** `vector-access-energy` in the arch: overrides the ERT for read, fill and update. */
  readonly vectorAccessEnergy?: { readonly value: number; readonly node: PNode };
}

export interface ArchDraft {
  readonly name: string;
  /** Outermost first. */
  readonly levels: readonly StorageDraft[];
  readonly compute: ComponentDraft;
}

interface RawComponent {
  readonly name: string;
  readonly cls: string;
  readonly node: PMap;
  readonly n: number;
}

function rangeName(d: Diags, m: PMap, what: string): { base: string; count: number } | undefined {
  const nameNode = required(d, m, 'name', what);
  const raw = str(d, nameNode, `the name of ${what}`);
  if (raw === undefined) return undefined;
  const r = parseRangeName(raw);
  if ('error' in r) {
    d.add(nameNode, msg.nameRange(raw));
    return undefined;
  }
  return r;
}

function walk(d: Diags, node: PMap, nodeName: string, mult: number, out: RawComponent[]): void {
  const local = asSeq(d, field(node, 'local'), `the local list of '${nodeName}'`);
  for (const item of local?.items ?? []) {
    const m = asMap(d, item, 'a local component');
    if (!m) continue;
    const r = rangeName(d, m, 'a local component');
    const cls = str(d, field(m, 'class'), `the class of a component`) ?? '';
    if (r) out.push({ name: r.base, cls, node: m, n: mult * r.count });
  }
  const sub = asSeq(d, field(node, 'subtree'), `the subtree of '${nodeName}'`);
  if (!sub || sub.items.length === 0) return;
  if (sub.items.length > 1) d.add(sub.items[1], msg.archTree(nodeName, sub.items.length));
  const child = asMap(d, sub.items[0], 'a subtree');
  if (!child) return;
  const r = rangeName(d, child, 'a subtree');
  if (r) walk(d, child, r.base, mult * r.count, out);
}

function topology(d: Diags, c: RawComponent, attrs: PMap): { instances: number; meshX: number; meshY: number } {
  const instances = num(d, field(attrs, 'instances'), `${c.name} instances`, 'positive integer') ?? c.n;
  const mxNode = field(attrs, 'meshX');
  const myNode = field(attrs, 'meshY');
  const mx = num(d, mxNode, `${c.name} meshX`, 'positive integer');
  const my = num(d, myNode, `${c.name} meshY`, 'positive integer');
  if (mx !== undefined && my !== undefined) {
    if (mx * my !== instances) d.add(mxNode, msg.mesh(c.name, `meshX ${mx} x meshY ${my} differs from its ${instances} instances`));
    return { instances, meshX: mx, meshY: my };
  }
  if (mx !== undefined) {
    if (instances % mx !== 0) {
      d.add(mxNode, msg.mesh(c.name, `meshX ${mx} does not divide its ${instances} instances`));
      return { instances, meshX: instances, meshY: 1 };
    }
    return { instances, meshX: mx, meshY: instances / mx };
  }
  if (my !== undefined) {
    if (instances % my !== 0) {
      d.add(myNode, msg.mesh(c.name, `meshY ${my} does not divide its ${instances} instances`));
      return { instances, meshX: instances, meshY: 1 };
    }
    return { instances, meshX: instances / my, meshY: my };
  }
  return { instances, meshX: instances, meshY: 1 };
}

/** Block size in words, from block-size, cluster-size and width (Timeloop v3 rules). */
function blockSizeOf(d: Diags, name: string, a: PMap, wb: number): number {
  let bs = num(d, field(a, 'block_size', 'n_words'), `${name} block-size`, 'positive integer');
  let cs = num(d, field(a, 'cluster_size'), `${name} cluster-size`, 'positive integer');
  const widthNode = field(a, 'width', 'memory_width', 'data_storage_width');
  const width = num(d, widthNode, `${name} width`, 'positive integer');
  if (width !== undefined) {
    if (width % (wb * (bs ?? 1)) !== 0) {
      d.add(widthNode, msg.width(name, `width ${width} is not a multiple of word-bits ${wb} x block-size ${bs ?? 1}`));
    } else if (bs !== undefined && cs !== undefined) {
      if (bs * wb * cs !== width) d.add(widthNode, msg.width(name, `block-size ${bs} x word-bits ${wb} x cluster-size ${cs} differs from width ${width}`));
    } else if (cs !== undefined) {
      if (width % (cs * wb) !== 0) d.add(widthNode, msg.width(name, `width ${width} is not a multiple of cluster-size ${cs} x word-bits ${wb}`));
      else bs = width / cs / wb;
    } else if (bs !== undefined) {
      cs = width / (wb * bs);
    } else {
      bs = width / wb;
      cs = 1;
    }
  }
  if ((cs ?? 1) > 1) d.add(widthNode ?? a, msg.cluster(name, cs ?? 1));
  return bs ?? 1;
}

function storage(d: Diags, c: RawComponent, a: PMap): StorageDraft {
  const wb = num(d, field(a, 'word_bits', 'word_width', 'datawidth'), `${c.name} word-bits`, 'positive integer') ?? 16;
  const blockSize = blockSizeOf(d, c.name, a, wb);
  let words: number | undefined;
  const entries = field(a, 'entries');
  const depth = field(a, 'depth', 'memory_depth', 'data_storage_depth');
  const sizeKB = field(a, 'sizeKB');
  if (entries) words = num(d, entries, `${c.name} entries`, 'non-negative integer');
  else if (depth) {
    const v = num(d, depth, `${c.name} depth`, 'non-negative integer');
    words = v === undefined ? undefined : v * blockSize;
  } else if (sizeKB) {
    const v = num(d, sizeKB, `${c.name} sizeKB`, 'non-negative number');
    words = v === undefined ? undefined : Math.floor((v * 1024 * 8) / wb);
  }
  const mb = num(d, field(a, 'multiple_buffering'), `${c.name} multiple-buffering`, 'positive number') ?? 1;
  const tech = field(a, 'technology');
  const offChip = isDramClass(c.cls) || (tech?.kind === 'scalar' && tech.value === 'DRAM');
  const bw = (names: string[], what: string): number | undefined =>
    num(d, field(a, ...names), `${c.name} ${what}`, 'positive number');
  const both = bw(['bandwidth'], 'bandwidth');
  const read = bw(['read_bandwidth'], 'read-bandwidth') ?? (both === undefined ? undefined : both / 2);
  const write = bw(['write_bandwidth'], 'write-bandwidth') ?? (both === undefined ? undefined : both / 2);
  const shared = bw(['shared_bandwidth'], 'shared-bandwidth');
  const vaeNode = field(a, 'vector_access_energy');
  const vae = num(d, vaeNode, `${c.name} vector-access-energy`, 'non-negative number');
  return {
    name: c.name,
    cls: c.cls,
    node: c.node,
    attrs: a,
    ...topology(d, c, a),
    capacityBits: words === undefined ? null : Math.floor(words / mb) * wb,
    wordBits: wb,
    blockSize,
    readBandwidth: read === undefined ? null : read * wb,
    writeBandwidth: write === undefined ? null : write * wb,
    sharedBandwidth: shared === undefined ? null : shared * wb,
    offChip,
    vectorAccessEnergy: vae !== undefined && vaeNode ? { value: vae, node: vaeNode } : undefined,
  };
}

function checkNesting(d: Diags, chain: readonly ComponentDraft[]): void {
  for (let i = 1; i < chain.length; i++) {
    const outer = chain[i - 1];
    const inner = chain[i];
    if (inner.instances % outer.instances !== 0) {
      d.add(inner.node, msg.instances(inner.name, inner.instances, outer.name, outer.instances));
    } else if (inner.meshX % outer.meshX !== 0 || inner.meshY % outer.meshY !== 0) {
      d.add(inner.node, msg.mesh(inner.name,
        `its ${inner.meshX} x ${inner.meshY} mesh is not a whole fan-out of the ${outer.meshX} x ${outer.meshY} mesh of ${outer.name}`));
    }
  }
}

/** `root` is the value of the top-level `architecture` key. */
export function readArchitecture(d: Diags, root: PNode): ArchDraft | undefined {
  const a = asMap(d, root, "'architecture'");
  if (!a) return undefined;
  if (field(a, 'nodes')) {
    d.add(field(a, 'nodes'), msg.unsupported("the v0.4 'nodes' architecture format", "write the v0.3 'subtree'/'local' format"));
    return undefined;
  }
  if (!field(a, 'subtree') && !field(a, 'local')) {
    d.add(a, msg.missingKey("'architecture'", 'subtree'));
    return undefined;
  }
  const before = d.errorCount;
  const raw: RawComponent[] = [];
  walk(d, a, 'architecture', 1, raw);
  if (d.errorCount > before) return undefined; // a broken tree: counting levels would only add noise
  const levels: StorageDraft[] = [];
  const computes: ComponentDraft[] = [];
  const seen = new Set<string>();
  for (const c of raw) {
    const attrs = asMap(d, field(c.node, 'attributes'), `the attributes of ${c.name}`) ?? c.node;
    const kind = classify(c.cls);
    if (kind === 'other') {
      const why = c.cls ? `class '${c.cls}' is neither storage nor compute` : 'it has no class';
      d.add(c.node, msg.ignored(`component '${c.name}'`, why));
      continue;
    }
    if (seen.has(c.name)) d.add(field(c.node, 'name'), msg.duplicateName('component', c.name));
    seen.add(c.name);
    if (kind === 'storage') levels.push(storage(d, c, attrs));
    else computes.push({ name: c.name, cls: c.cls, node: c.node, attrs, ...topology(d, c, attrs) });
  }
  if (levels.length === 0) d.add(a, msg.noStorage());
  if (computes.length !== 1) d.add(computes[1]?.node ?? a, msg.compute(computes.map((c) => c.name)));
  if (d.errorCount > before || computes.length !== 1) return undefined;
  checkNesting(d, [...levels, computes[0]]);
  if (d.errorCount > before) return undefined;
  return { name: archName(a), levels, compute: computes[0] };
}

/** The name of the top subtree (e.g. `system`), which names the whole architecture. */
function archName(a: PMap): string {
  const sub = field(a, 'subtree');
  const first = sub?.kind === 'seq' ? sub.items[0] : undefined;
  const n = first?.kind === 'map' ? field(first, 'name') : undefined;
  if (n?.kind !== 'scalar' || n.value === null) return 'timeloop-arch';
  const r = parseRangeName(String(n.value));
  return 'error' in r ? String(n.value) : r.base;
}
