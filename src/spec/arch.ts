/** Native arch spec (YAML) -> Arch. See arch-specs/*.yaml for the commented format. */
import type { Arch, StorageLevel } from '../arch/types.ts';
import { fail, ok, type Result } from '../core/result.ts';
import { Reader } from './reader.ts';
import { parseYaml, type PMap, type PNode } from './yaml-source.ts';

const LEVEL_KEYS = ['name', 'kind', 'instances', 'mesh', 'capacity_bytes', 'capacity_bits', 'depth', 'width', 'word_bits',
  'energy', 'energy_per_bit', 'bandwidth', 'latency', 'double_buffered', 'leakage_mw', 'holds', 'burst_bytes'];

function mesh(r: Reader, m: PMap, what: string): { x: number; y: number } {
  const meshNode = r.get(m, 'mesh');
  const inst = r.number(r.get(m, 'instances'), `${what} instances`, { positive: true, integer: true });
  if (meshNode && meshNode.kind === 'seq' && meshNode.items.length === 2) {
    const x = r.number(meshNode.items[0], `${what} mesh X`, { positive: true, integer: true }) ?? 1;
    const y = r.number(meshNode.items[1], `${what} mesh Y`, { positive: true, integer: true }) ?? 1;
    if (inst !== undefined && inst !== x * y) r.error(meshNode, 'SL-SPEC-MESH', `${what}: instances ${inst} differ from mesh ${x} x ${y}`, 'drop instances or make it meshX*meshY');
    return { x, y };
  }
  if (meshNode) r.error(meshNode, 'SL-SPEC-TYPE', `${what} mesh must be a list [meshX, meshY]`);
  return { x: inst ?? 1, y: 1 };
}

function level(r: Reader, node: PNode, index: number): StorageLevel | undefined {
  const m = r.map(node, `level ${index + 1}`);
  if (!m) return undefined;
  r.keys(m, LEVEL_KEYS, 'a storage level');
  const name = r.string(r.required(m, 'name', `level ${index + 1}`), 'level name') ?? `level${index}`;
  const kindNode = r.get(m, 'kind');
  const kind = kindNode ? r.string(kindNode, `${name} kind`) : 'sram';
  if (kind && !['dram', 'sram', 'regfile'].includes(kind)) r.error(kindNode, 'SL-SPEC-ENUM', `${name}: unknown kind '${kind}'`, 'use dram, sram or regfile');
  const offChip = kind === 'dram';
  const width = r.number(r.required(m, 'width', name), `${name} width (bits per access)`, { positive: true, integer: true }) ?? 16;
  const wordBits = r.number(r.get(m, 'word_bits'), `${name} word_bits`, { positive: true, integer: true }) ?? null;
  let capacityBits: number | null = null;
  const cb = r.get(m, 'capacity_bytes');
  const cbits = r.get(m, 'capacity_bits');
  const depth = r.get(m, 'depth');
  if (cb) capacityBits = (r.number(cb, `${name} capacity_bytes`, { positive: true }) ?? 0) * 8;
  else if (cbits) capacityBits = r.number(cbits, `${name} capacity_bits`, { positive: true, integer: true }) ?? 0;
  else if (depth) capacityBits = (r.number(depth, `${name} depth`, { positive: true, integer: true }) ?? 0) * width;
  else if (!offChip) r.error(m, 'SL-SPEC-MISSING-KEY', `on-chip level ${name} needs a capacity`, 'add capacity_bytes:, capacity_bits: or depth:');
  const e = r.get(m, 'energy');
  const epb = r.get(m, 'energy_per_bit');
  let read = 0;
  let fill = 0;
  let update = 0;
  const em = r.map(e ?? epb, `${name} energy`);
  if (em) {
    r.keys(em, ['read', 'write', 'fill', 'update'], `${name} energy`);
    const scale = e ? 1 : width;
    read = (r.number(r.required(em, 'read', `${name} energy`), `${name} read energy`, { min: 0 }) ?? 0) * scale;
    const write = r.number(r.get(em, 'write'), `${name} write energy`, { min: 0 });
    fill = (r.number(r.get(em, 'fill'), `${name} fill energy`, { min: 0 }) ?? write ?? 0) * scale;
    update = (r.number(r.get(em, 'update'), `${name} update energy`, { min: 0 }) ?? write ?? 0) * scale;
    if (write === undefined && !r.get(em, 'fill')) r.error(em, 'SL-SPEC-MISSING-KEY', `${name} energy needs 'write' (or 'fill' and 'update')`);
  } else if (!e && !epb) r.error(m, 'SL-SPEC-MISSING-KEY', `level ${name} needs 'energy' (pJ per access) or 'energy_per_bit'`);
  let readBw: number | null = null;
  let writeBw: number | null = null;
  let sharedBw: number | null = null;
  const bw = r.get(m, 'bandwidth');
  if (bw) {
    const bm = r.map(bw, `${name} bandwidth`);
    if (bm) {
      r.keys(bm, ['read', 'write', 'shared'], `${name} bandwidth`);
      readBw = r.number(r.get(bm, 'read'), `${name} read bandwidth (bits/cycle)`, { positive: true }) ?? null;
      writeBw = r.number(r.get(bm, 'write'), `${name} write bandwidth (bits/cycle)`, { positive: true }) ?? null;
      sharedBw = r.number(r.get(bm, 'shared'), `${name} shared bandwidth (bits/cycle)`, { positive: true }) ?? null;
    }
  }
  const { x, y } = mesh(r, m, name);
  return {
    name, instances: x * y, meshX: x, meshY: y, capacityBits, widthBits: width, wordBits,
    readBandwidth: readBw, writeBandwidth: writeBw, sharedBandwidth: sharedBw, energy: { read, fill, update },
    doubleBuffered: r.bool(r.get(m, 'double_buffered'), `${name} double_buffered`, false),
    leakageMw: r.number(r.get(m, 'leakage_mw'), `${name} leakage_mw`, { min: 0 }) ?? 0,
    latencyCycles: r.number(r.get(m, 'latency'), `${name} latency`, { min: 0 }) ?? 0,
    offChip,
    burstBits: (r.number(r.get(m, 'burst_bytes'), `${name} burst_bytes`, { min: 0 }) ?? 0) * 8,
    ...holdsOf(r, r.get(m, 'holds'), name),
  };
}

const ROLES = ['input', 'weight', 'output', 'psum', 'state', 'spikes-out'];

/** `holds: [weight]`: the tensor roles a level is built for (used by mapping generators). */
function holdsOf(r: Reader, node: PNode | undefined, name: string): { holds?: string[] } {
  if (!node) return {};
  if (node.kind !== 'seq') {
    r.error(node, 'SL-SPEC-TYPE', `${name} holds must be a list of tensor roles, e.g. [weight]`);
    return {};
  }
  const out: string[] = [];
  for (const it of node.items) if (r.oneOf(it, ROLES, `tensor role in ${name} holds`, 'SL-SPEC-ENUM') >= 0) out.push(String((it as { value: unknown }).value));
  return { holds: out };
}

export function parseArch(text: string, file: string): Result<Arch> {
  const tree = parseYaml(text, file);
  if (!tree.ok) return tree;
  const r = new Reader();
  const root = r.map(tree.value, 'the arch file');
  const a = root && r.map(r.required(root, 'arch', 'the arch file'), 'arch');
  if (!root || !a) return fail(r.diags);
  r.keys(a, ['name', 'clock_mhz', 'energy_table', 'levels', 'compute', 'description'], 'arch');
  const name = r.string(r.required(a, 'name', 'arch'), 'arch name') ?? 'arch';
  const clock = r.number(r.required(a, 'clock_mhz', 'arch'), 'clock_mhz', { positive: true }) ?? 1;
  const table = r.string(r.get(a, 'energy_table'), 'energy_table') ?? 'per-level values in this file';
  const ln = r.required(a, 'levels', 'arch');
  const levels: StorageLevel[] = [];
  if (ln && ln.kind !== 'seq') r.error(ln, 'SL-SPEC-TYPE', 'levels must be a list, outermost (DRAM) first');
  else if (ln) ln.items.forEach((it, i) => {
    const l = level(r, it, i);
    if (l) levels.push(l);
  });
  levels.forEach((l, i) => {
    if (ln && ln.kind === 'seq' && levels.findIndex((o) => o.name === l.name) < i) {
      r.error(ln.items[i], 'SL-ARCH-DUPLICATE-LEVEL', `two storage levels are named '${l.name}'`, 'give every level its own name: mappings refer to levels by name');
    }
  });
  if (levels.length > 0 && !levels[0].offChip && ln) r.error(ln, 'SL-ARCH-OUTER', `the outermost level ${levels[0].name} must be off-chip`, "add 'kind: dram' to the first level");
  for (let i = 1; i < levels.length; i++) {
    if (levels[i].instances % levels[i - 1].instances !== 0 && ln && ln.kind === 'seq') {
      r.error(ln.items[i], 'SL-ARCH-INSTANCES', `${levels[i].name} has ${levels[i].instances} instances, not a multiple of ${levels[i - 1].name}'s ${levels[i - 1].instances}`);
    }
  }
  const cm = r.map(r.required(a, 'compute', 'arch'), 'compute');
  let compute: Arch['compute'] = { name: 'PE', instances: 1, meshX: 1, meshY: 1, energy: {}, idleMw: 0 };
  if (cm) {
    r.keys(cm, ['name', 'instances', 'mesh', 'energy', 'idle_mw', 'neuron_latency', 'neuron_throughput'], 'compute');
    const { x, y } = mesh(r, cm, 'compute');
    const energy: Record<string, number> = {};
    const em = r.map(r.required(cm, 'energy', 'compute'), 'compute energy');
    if (em) for (const e of em.entries) energy[e.key] = r.number(e.value, `compute energy ${e.key}`, { min: 0 }) ?? 0;
    compute = { name: r.string(r.get(cm, 'name'), 'compute name') ?? 'PE', instances: x * y, meshX: x, meshY: y, energy,
      idleMw: r.number(r.get(cm, 'idle_mw'), 'idle_mw', { min: 0 }) ?? 0,
      neuronLatencyCycles: r.number(r.get(cm, 'neuron_latency'), 'neuron_latency (cycles)', { min: 0 }) ?? 0,
      neuronThroughput: r.number(r.get(cm, 'neuron_throughput'), 'neuron_throughput (updates per cycle per PE)', { positive: true }) ?? null };
    const inner = levels[levels.length - 1];
    if (inner && compute.instances % inner.instances !== 0) r.error(cm, 'SL-ARCH-INSTANCES', `compute has ${compute.instances} units, not a multiple of ${inner.name}'s ${inner.instances} instances`);
  }
  if (r.failed) return fail(r.diags);
  return ok({ name, levels, compute, clockMhz: clock, energySource: table }, r.diags);
}
