/** Native arch spec (YAML) -> Arch. See arch-specs/*.yaml for the commented format. */
import { ENERGY_TABLES, type EnergyTable, energyTable, estimateLevel, scaledTable } from '../arch/energy-tables.ts';
import type { Arch, StorageLevel } from '../arch/types.ts';
import { didYouMean } from '../core/math.ts';
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

interface TableContext {
  readonly table: EnergyTable | undefined;
  readonly estimated: { what: string; how: string }[];
}

function level(r: Reader, node: PNode, index: number, ctx: TableContext): StorageLevel | undefined {
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
  const kindName = (kind ?? 'sram') as 'dram' | 'sram' | 'regfile';
  const estimate = (): { read: number; write: number; leakageMw?: number } | undefined => {
    if (!ctx.table) return undefined;
    const est = estimateLevel(ctx.table, kindName, capacityBits, width);
    if (typeof est === 'string') {
      r.error(e ?? m, 'SL-SPEC-MISSING-KEY', `level ${name}: ${est}`, 'give its energy: { read: pJ, write: pJ } per access');
      return undefined;
    }
    ctx.estimated.push({ what: name, how: est.how });
    return est;
  };
  const em = r.map(e ?? epb, `${name} energy`);
  let leakEstimate: number | undefined;
  if (em) {
    r.keys(em, ['read', 'write', 'fill', 'update'], `${name} energy`);
    const scale = e ? 1 : width;
    const given = (k: string): number | undefined => {
      const v = r.number(r.get(em, k), `${name} ${k} energy`, { min: 0 });
      return v === undefined ? undefined : v * scale;
    };
    const gr = given('read');
    const gw = given('write');
    const gf = given('fill') ?? gw;
    const gu = given('update') ?? gw;
    const complete = gr !== undefined && gf !== undefined && gu !== undefined;
    const est = complete || r.failed ? undefined : estimate();
    if (!complete && !ctx.table) {
      if (gr === undefined) r.required(em, 'read', `${name} energy`);
      if (gf === undefined || gu === undefined) r.error(em, 'SL-SPEC-MISSING-KEY', `${name} energy needs 'write' (or 'fill' and 'update')`, 'or name an energy_table that can estimate the rest');
    }
    read = gr ?? est?.read ?? 0;
    fill = gf ?? est?.write ?? 0;
    update = gu ?? est?.write ?? 0;
  } else if (!e && !epb) {
    if (!ctx.table) r.error(m, 'SL-SPEC-MISSING-KEY', `level ${name} needs 'energy' (pJ per access) or 'energy_per_bit'`, 'or name an energy_table: the energies are then estimated from it');
    else {
      const est = estimate();
      read = est?.read ?? 0;
      fill = est?.write ?? 0;
      update = est?.write ?? 0;
      leakEstimate = est?.leakageMw;
    }
  }
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
    leakageMw: r.number(r.get(m, 'leakage_mw'), `${name} leakage_mw`, { min: 0 }) ?? leakEstimate ?? 0,
    latencyCycles: r.number(r.get(m, 'latency'), `${name} latency`, { min: 0 }) ?? 0,
    offChip,
    burstBits: burstOf(r, r.get(m, 'burst_bytes'), name, offChip),
    ...holdsOf(r, r.get(m, 'holds'), name),
  };
}

/** Burst size in bits: whole bytes; only off-chip memories round their transfers to bursts (a warning otherwise). */
function burstOf(r: Reader, node: PNode | undefined, name: string, offChip: boolean): number {
  const b = r.number(node, `${name} burst_bytes`, { min: 0, integer: true });
  if (b !== undefined && b > 0 && !offChip) {
    r.error(node, 'SL-ARCH-BURST', `${name} is on chip: burst_bytes rounds transfers of off-chip memories only, so it is ignored here`, 'remove burst_bytes, or give the level kind: dram');
    return 0;
  }
  return (b ?? 0) * 8;
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
  r.keys(a, ['name', 'clock_mhz', 'energy_table', 'energy_source', 'levels', 'compute', 'description'], 'arch');
  const name = r.string(r.required(a, 'name', 'arch'), 'arch name') ?? 'arch';
  const clock = r.number(r.required(a, 'clock_mhz', 'arch'), 'clock_mhz', { positive: true }) ?? 1;
  const table = tableOf(r, r.get(a, 'energy_table'));
  r.scope = table?.constants;
  const ctx: TableContext = { table, estimated: [] };
  const source = r.string(r.get(a, 'energy_source'), 'energy_source');
  const energySource = [table ? `${table.name}: ${table.source}` : undefined, source].filter(Boolean).join('; ') || 'per-level values in this file';
  const ln = r.required(a, 'levels', 'arch');
  const levels: StorageLevel[] = [];
  if (ln && ln.kind !== 'seq') r.error(ln, 'SL-SPEC-TYPE', 'levels must be a list, outermost (DRAM) first');
  else if (ln) ln.items.forEach((it, i) => {
    const l = level(r, it, i, ctx);
    if (l) levels.push(l);
  });
  levels.forEach((l, i) => {
    if (ln && ln.kind === 'seq' && levels.findIndex((o) => o.name === l.name) < i) {
      r.error(ln.items[i], 'SL-ARCH-DUPLICATE-LEVEL', `two storage levels are named '${l.name}'`, 'give every level its own name: mappings refer to levels by name');
    }
  });
  if (ln && ln.kind === 'seq' && ln.items.length === 0) r.error(ln, 'SL-ARCH-OUTER', 'an arch needs at least one storage level, the off-chip memory first', "add a level with 'kind: dram'");
  if (levels.length > 0 && !levels[0].offChip && ln) r.error(ln, 'SL-ARCH-OUTER', `the outermost level ${levels[0].name} must be off-chip`, "add 'kind: dram' to the first level");
  for (let i = 1; i < levels.length; i++) {
    if (levels[i].instances % levels[i - 1].instances !== 0 && ln && ln.kind === 'seq') {
      r.error(ln.items[i], 'SL-ARCH-INSTANCES', `${levels[i].name} has ${levels[i].instances} instances, not a multiple of ${levels[i - 1].name}'s ${levels[i - 1].instances}`);
    } else if (ln && ln.kind === 'seq' && (levels[i].meshX % levels[i - 1].meshX !== 0 || levels[i].meshY % levels[i - 1].meshY !== 0)) {
      r.error(ln.items[i], 'SL-ARCH-INSTANCES', `${levels[i].name}'s mesh ${levels[i].meshX} x ${levels[i].meshY} does not split evenly under ${levels[i - 1].name}'s ${levels[i - 1].meshX} x ${levels[i - 1].meshY}`, 'each mesh axis must be a multiple of the same axis of the level above');
    }
  }
  const cm = r.map(r.required(a, 'compute', 'arch'), 'compute');
  let compute: Arch['compute'] = { name: 'PE', instances: 1, meshX: 1, meshY: 1, energy: {}, idleMw: 0 };
  if (cm) {
    r.keys(cm, ['name', 'instances', 'mesh', 'energy', 'idle_mw', 'neuron_latency', 'neuron_throughput'], 'compute');
    const { x, y } = mesh(r, cm, 'compute');
    const energy: Record<string, number> = {};
    const em = r.map(table ? r.get(cm, 'energy') : r.required(cm, 'energy', 'compute'), 'compute energy');
    for (const [action, v] of Object.entries(table?.compute ?? {})) {
      if (em && em.entries.some((x) => x.key === action)) continue;
      energy[action] = v;
      ctx.estimated.push({ what: `compute ${action}`, how: `${table!.name} default` });
    }
    if (em) {
      for (const x of em.entries) {
        if (!KNOWN_ACTIONS.includes(x.key)) {
          const g = didYouMean(x.key, KNOWN_ACTIONS);
          r.diags.push({
            code: 'SL-ARCH-ACTION', severity: 'warning', message: `compute action '${x.key}' is not one the model counts`, pos: x.keyPos,
            path: [...em.path, x.key], hint: g ? `did you mean '${g}'?` : `actions: ${KNOWN_ACTIONS.join(', ')}`,
          });
        }
        energy[x.key] = r.number(x.value, `compute energy ${x.key}`, { min: 0 }) ?? 0;
      }
    }
    compute = { name: r.string(r.get(cm, 'name'), 'compute name') ?? 'PE', instances: x * y, meshX: x, meshY: y, energy,
      idleMw: r.number(r.get(cm, 'idle_mw'), 'idle_mw', { min: 0 }) ?? 0,
      neuronLatencyCycles: r.number(r.get(cm, 'neuron_latency'), 'neuron_latency (cycles)', { min: 0 }) ?? 0,
      neuronThroughput: r.number(r.get(cm, 'neuron_throughput'), 'neuron_throughput (updates per cycle per PE)', { positive: true }) ?? null };
    const inner = levels[levels.length - 1];
    if (inner && compute.instances % inner.instances !== 0) r.error(cm, 'SL-ARCH-INSTANCES', `compute has ${compute.instances} units, not a multiple of ${inner.name}'s ${inner.instances} instances`);
    else if (inner && (x % inner.meshX !== 0 || y % inner.meshY !== 0)) {
      r.error(cm, 'SL-ARCH-INSTANCES', `the compute mesh ${x} x ${y} does not split evenly under ${inner.name}'s ${inner.meshX} x ${inner.meshY}`, 'each mesh axis must be a multiple of the same axis of the innermost level');
    }
  }
  if (r.failed) return fail(r.diags);
  const energyTableInfo = table && { name: table.name, source: table.source, notes: table.notes, estimated: ctx.estimated };
  return ok({ name, levels, compute, clockMhz: clock, energySource, ...(energyTableInfo ? { energyTable: energyTableInfo } : {}) }, r.diags);
}

/** Compute actions the model counts (inference and the training phases). */
export const KNOWN_ACTIONS = ['mac', 'ac', 'neuron_update', 'add', 'bwd_mac', 'wgrad_mac', 'weight_gradient', 'post_grad', 'trace_update'];

/** `energy_table: NAME` or `{ name: NAME, mac_pJ: X }` (X scales a table normalized to one MAC). */
function tableOf(r: Reader, node: PNode | undefined): EnergyTable | undefined {
  if (!node) return undefined;
  const names = ENERGY_TABLES.map((t) => t.name);
  let nameNode: PNode | undefined = node;
  let scale = 1;
  if (node.kind === 'map') {
    r.keys(node, ['name', 'mac_pJ'], 'energy_table');
    nameNode = r.required(node, 'name', 'energy_table');
    scale = r.number(r.get(node, 'mac_pJ'), 'energy_table mac_pJ', { positive: true }) ?? 1;
  }
  const i = r.oneOf(nameNode, names, 'energy table', 'SL-SPEC-ENUM');
  if (i < 0) {
    const last = r.diags[r.diags.length - 1];
    if (last && last.code === 'SL-SPEC-ENUM' && !last.hint?.startsWith('did you mean')) {
      r.diags[r.diags.length - 1] = { ...last, hint: `known tables: ${names.join(', ')}; describe hand-written numbers with energy_source: instead` };
    }
    return undefined;
  }
  const t = energyTable(names[i])!;
  return scaledTable(t, scale);
}
