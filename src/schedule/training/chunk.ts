/**
 * One chunk of a layer's training dataflow (workload/training/graph.ts) on the arch: every op mapped (injected
 * `MapLayer`) and evaluated (injected `Evaluator`), with the schedule's decisions applied (cost.ts).
 * - A resident link lives in the buffer that holds its role for the op using it (a producer's output buffer, a
 *   consumer's input buffer: the two 32 KB feature-map buffers swap roles between ops, so a link is written once
 *   and read where it lies). While it is live (from its producer to its last consumer) its whole chunk is reserved
 *   in that buffer: every op is mapped on the arch with the live links' bits taken out of the capacity, so the
 *   links and the op's own tiles never double-book a buffer (conservative: a resident operand's own tile is
 *   counted again inside the reservation).
 * - Concurrent ops (PTT's G2 || G3) run on the two PE groups (pe-groups.ts); the second is mapped with the first's
 *   tiles also taken out of the shared buffers (checked jointly), and the pair takes the cycles of the slower group
 *   or of the shared levels moving both groups' bits, if longer.
 * - The fused merge's adds are operations on the output path: energy, no memory pass, no cycles.
 */
import type { Arch } from '../../arch/types.ts';
import type { ChunkGraph, GraphLink, GraphOp, OpTag } from '../../workload/training/graph.ts';
import { tensorBits } from '../../workload/training/graph.ts';
import type { Phase } from '../../workload/training/phases.ts';
import type { Workload } from '../../workload/types.ts';
import { computeOnlyCost, opCost, transferCycles, type Adjust, type Move, type OpCost } from './cost.ts';
import { levelHolds, type MapLayer } from './default-mapping.ts';
import { sharedLevels } from './pe-groups.ts';
import { addInto, emptyBreakdown, type Breakdown, type Evaluator } from './types.ts';

export interface TrainingContext {
  readonly arch: Arch;
  /** A PE group of the arch (half the PEs) for concurrent ops; undefined: they run one after the other. */
  readonly group?: Arch;
  readonly evaluate: Evaluator;
  readonly mapLayer: MapLayer;
  /** Density of membrane-potential gradients, `1 - s_du`. */
  readonly duDensity: number;
  /** Actions the arch does not define, priced as another of its actions (filled in: action -> stand-in). */
  readonly priced: Map<string, string>;
}

/** Stand-ins (same arch, same units) for training actions an arch does not define. */
export const ACTION_STAND_INS: Readonly<Record<string, string>> = {
  bwd_mac: 'mac', wgrad_mac: 'mac', trace_update: 'mac', weight_gradient: 'ac', add: 'ac', post_grad: 'neuron_update',
};

const MODEL_ACTIONS = ['ac', 'mac', 'neuron_update'];

/** Energy of a named action on the arch: its own entry, else its stand-in's (recorded), else 0. */
export function actionEnergy(ctx: TrainingContext, arch: Arch, name: string): number {
  const e = arch.compute.energy[name];
  if (e !== undefined) return e;
  const alt = ACTION_STAND_INS[name];
  if (alt !== undefined && arch.compute.energy[alt] !== undefined) {
    ctx.priced.set(name, alt);
    return arch.compute.energy[alt];
  }
  return 0;
}

/** The arch with the model's actions (`ac`, `mac`, `neuron_update`) priced as the op's named actions. */
export function pricedArch(ctx: TrainingContext, arch: Arch, actions: Readonly<Record<string, string>>): Arch {
  const energy: Record<string, number> = { ...arch.compute.energy };
  for (const a of MODEL_ACTIONS) energy[a] = actionEnergy(ctx, arch, actions[a] ?? a);
  return { ...arch, compute: { ...arch.compute, energy } };
}

/** The outermost on-chip level built to hold a tensor of `role` (any level without `holds` qualifies). */
export function roleLevel(arch: Arch, role: string): number {
  return arch.levels.findIndex((l) => !l.offChip && (!l.holds || levelHolds(l.holds, role)));
}

const roleOf = (w: Workload, name: string): string => w.tensors.find((t) => t.name === name)?.role ?? 'input';

export interface LinkInfo {
  readonly link: GraphLink;
  readonly first: number;
  readonly last: number;
  readonly bits: number;
  /** Bits of the producer's tensor alone (no halo of a consumer's sliding window): the data the link keeps. */
  readonly dataBits: number;
  /** The producer endpoint fetches an input from DRAM (the link keeps it for later ops). */
  readonly fetch: boolean;
  /** The producer endpoint is a neuron's State (the membrane per timestep). */
  readonly state: boolean;
}

export function linkInfo(g: ChunkGraph): LinkInfo[] {
  const at = new Map(g.ops.map((o, i) => [o.id, i]));
  return g.links.map((k) => {
    const from = g.ops[at.get(k.from.op)!];
    const role = roleOf(from.workload, k.from.tensor);
    const dataBits = tensorBits(from.workload, k.from.tensor);
    let bits = dataBits;
    let last = at.get(k.from.op)!;
    for (const e of k.to) {
      bits = Math.max(bits, tensorBits(g.ops[at.get(e.op)!].workload, e.tensor));
      last = Math.max(last, at.get(e.op)!);
    }
    return { link: k, first: at.get(k.from.op)!, last, bits, dataBits, fetch: role === 'input', state: role === 'state' };
  });
}

/** Bits per level that the resident links live during op `i` take (at the level of their role in that op). */
export function liveReserve(arch: Arch, g: ChunkGraph, links: readonly LinkInfo[], resident: ReadonlySet<string>, i: number): number[] {
  const r = arch.levels.map(() => 0);
  const op = g.ops[i];
  for (const k of links) {
    if (!resident.has(k.link.id) || i < k.first || i > k.last) continue;
    const own = k.link.from.op === op.id ? k.link.from.tensor : k.link.to.find((e) => e.op === op.id)?.tensor;
    const w = own ? op.workload : g.ops[k.first].workload;
    const e = roleLevel(arch, roleOf(w, own ?? k.link.from.tensor));
    if (e >= 0) r[e] += k.bits;
  }
  return r;
}

function reduced(arch: Arch, reserve: readonly number[]): Arch | string {
  for (let e = 0; e < arch.levels.length; e++) {
    const cap = arch.levels[e].capacityBits;
    if (reserve[e] > 0 && cap !== null && cap - reserve[e] < arch.levels[e].widthBits) {
      return `${arch.levels[e].name} has no room left: ${Math.ceil(reserve[e] / 8)} of ${Math.floor(cap / 8)} bytes hold tensors kept on chip`;
    }
  }
  if (reserve.every((x) => x === 0)) return arch;
  return { ...arch, levels: arch.levels.map((l, e) => (reserve[e] > 0 && l.capacityBits !== null ? { ...l, capacityBits: l.capacityBits - reserve[e] } : l)) };
}

/** How a chunk's ops treat weights across chunks and partial weight gradients. */
export interface ChunkVariant {
  /** Weights are already on chip (fetched by an earlier chunk): no off-chip weight traffic. */
  readonly weightsOnChip: boolean;
  /** The weight gradients accumulate onto partial sums of earlier chunks, read back from DRAM. */
  readonly reloadGradW: boolean;
}

export interface OpRecord {
  readonly id: string;
  readonly phase: Phase;
  readonly workload: string;
  readonly cycles: number;
  readonly energy_pJ: number;
}

/** A chunk's cost by phase, and the part of it that is a scheme's extra work (by op tag). */
export interface ChunkCost {
  readonly byPhase: Partial<Record<Phase, Breakdown>>;
  readonly byTag: Partial<Record<OpTag, Breakdown>>;
  readonly ops: readonly OpRecord[];
}

export type ChunkOutcome =
  | {
      readonly ok: true;
      /** Per variant key `${weightsOnChip}|${reloadGradW}`. */
      readonly variants: ReadonlyMap<string, ChunkCost>;
      /** Bits of distinct weights (8-bit) the pass reads, and of weight gradients it writes. */
      readonly weightBits: number;
      readonly gradWBits: number;
      /** The neuron's state per chunk band (carried across time batches) and the phase it belongs to. */
      readonly stateBits: number;
      readonly statePhase: Phase;
    }
  | { readonly ok: false; readonly op: string; readonly workload: string; readonly reason: string; readonly level?: string; readonly tensor?: string };

interface Prepared {
  readonly op: GraphOp;
  readonly arch: Arch;
  readonly ev: import('./types.ts').EvalSlice;
}

export const variantKey = (v: ChunkVariant): string => `${v.weightsOnChip}|${v.reloadGradW}`;

/** Evaluate one chunk with `resident` links kept on chip, for each requested variant. */
export function evaluateChunk(ctx: TrainingContext, g: ChunkGraph, resident: ReadonlySet<string>, variants: readonly ChunkVariant[]): ChunkOutcome {
  const links = linkInfo(g);
  const arch = ctx.arch;
  const prepared = new Map<string, Prepared>();
  const usedBy = new Map<string, readonly number[]>();
  // Map and evaluate every op once (the variants differ only in which accesses are charged).
  for (let i = 0; i < g.ops.length; i++) {
    const op = g.ops[i];
    if (op.computeOnly || prepared.has(op.id)) continue;
    const partner = op.concurrentWith ? g.ops.find((o) => o.id === op.concurrentWith) : undefined;
    const pair = partner && ctx.group && !prepared.has(partner.id) ? [op, partner] : [op];
    const onGroup = pair.length === 2 || (partner !== undefined && ctx.group !== undefined);
    const base = onGroup ? ctx.group! : arch;
    const shared = onGroup ? sharedLevels(arch, ctx.group!) : [];
    let extra = arch.levels.map(() => 0);
    for (const o of pair) {
      const oi = g.ops.indexOf(o);
      const res = liveReserve(arch, g, links, resident, oi).map((x, e) => x + extra[e]);
      const a = reduced(pricedArch(ctx, base, o.actions), res);
      if (typeof a === 'string') return { ok: false, op: o.id, workload: o.workload.name, reason: a };
      const m = ctx.mapLayer(a, o.workload);
      if (!m.ok) return { ok: false, op: o.id, workload: o.workload.name, reason: m.reason };
      const out = ctx.evaluate(a, o.workload, m.mapping);
      if (out.status !== 'ok') return { ok: false, op: o.id, workload: o.workload.name, reason: out.reason, level: out.level, tensor: out.tensor };
      prepared.set(o.id, { op: o, arch: a, ev: out.evaluation });
      const used = out.evaluation.levels.map((l) => l.capacity_used_bits);
      usedBy.set(o.id, used);
      // The partner shares the buffers: its tiles come out of what this op left.
      extra = extra.map((x, e) => (shared.includes(e) ? x + used[e] : x));
    }
  }
  const weightKeys = new Map<string, number>();
  let gradWBits = 0;
  let stateBits = 0;
  let statePhase: Phase = 'forward';
  for (const op of g.ops) {
    const wb = tensorBits(op.workload, 'Weights');
    if (wb > 0) weightKeys.set(op.id.split('.')[0], wb);
    gradWBits += tensorBits(op.workload, 'GradW');
    const sb = tensorBits(op.workload, 'State');
    if (sb > 0) {
      stateBits = sb;
      statePhase = op.phase;
    }
  }
  const out = new Map<string, ChunkCost>();
  for (const v of variants) {
    const byPhase: Partial<Record<Phase, Breakdown>> = {};
    const byTag: Partial<Record<OpTag, Breakdown>> = {};
    const tagged = (op: GraphOp, b: Breakdown): void => {
      if (op.tag) addInto((byTag[op.tag] ??= emptyBreakdown()), b);
    };
    const records: OpRecord[] = [];
    const costs = new Map<string, OpCost>();
    for (let i = 0; i < g.ops.length; i++) {
      const op = g.ops[i];
      if (op.computeOnly) {
        const action = op.actions.mac ?? 'mac';
        const b = computeOnlyCost(op.workload, action, actionEnergy(ctx, arch, action));
        addInto((byPhase[op.phase] ??= emptyBreakdown()), b);
        tagged(op, b);
        records.push({ id: op.id, phase: op.phase, workload: op.workload.name, cycles: 0, energy_pJ: b.energy_pJ });
        continue;
      }
      const p = prepared.get(op.id)!;
      const c = opCost(arch, op.workload, p.ev, op.actions, adjustFor(arch, g, links, resident, i, v));
      costs.set(op.id, c);
    }
    // Cycles: ops one after the other; a concurrent pair takes its slower group or its shared levels' time.
    const done = new Set<string>();
    for (const op of g.ops) {
      const c = costs.get(op.id);
      if (!c || done.has(op.id)) continue;
      done.add(op.id);
      const partner = op.concurrentWith ? costs.get(op.concurrentWith) : undefined;
      const bp = (byPhase[op.phase] ??= emptyBreakdown());
      if (partner && ctx.group && !done.has(op.concurrentWith!)) {
        done.add(op.concurrentWith!);
        const shared = sharedLevels(arch, ctx.group);
        const sum = c.bits.map((b, e) => ({ read: b.read + partner.bits[e].read, write: b.write + partner.bits[e].write }));
        let sc = 0;
        for (const e of shared) sc = Math.max(sc, transferCycles(arch, e, sum[e].read, sum[e].write));
        const pairB = emptyBreakdown();
        addInto(pairB, c.breakdown, 'skip');
        addInto(pairB, partner.breakdown, 'skip');
        pairB.cycles = Math.ceil(Math.max(c.breakdown.cycles, partner.breakdown.cycles, sc));
        pairB.sparse_cycles = Math.ceil(Math.max(c.breakdown.sparse_cycles, partner.breakdown.sparse_cycles, sc));
        addInto(bp, pairB);
        tagged(op, pairB);
        const po = g.ops.find((o) => o.id === op.concurrentWith)!;
        records.push({ id: `${op.id}||${po.id}`, phase: op.phase, workload: `${op.workload.name} || ${po.workload.name}`, cycles: pairB.cycles, energy_pJ: pairB.energy_pJ });
        continue;
      }
      addInto(bp, c.breakdown);
      tagged(op, c.breakdown);
      records.push({ id: op.id, phase: op.phase, workload: op.workload.name, cycles: c.breakdown.cycles, energy_pJ: c.breakdown.energy_pJ });
    }
    out.set(variantKey(v), { byPhase, byTag, ops: records });
  }
  return { ok: true, variants: out, weightBits: [...weightKeys.values()].reduce((a, x) => a + x, 0), gradWBits, stateBits, statePhase };
}

/** What the schedule changes in op `i`'s accesses (see cost.ts). */
function adjustFor(arch: Arch, g: ChunkGraph, links: readonly LinkInfo[], resident: ReadonlySet<string>, i: number, v: ChunkVariant): Adjust {
  const op = g.ops[i];
  const offchip = new Set<string>();
  const noFill = new Set<string>();
  const merged = new Set<string>();
  const stores: Move[] = [];
  const loads: Move[] = [];
  const wordBits = (name: string): number => op.workload.tensors.find((t) => t.name === name)?.bits ?? 16;
  for (const k of links) {
    const isFrom = k.link.from.op === op.id;
    const to = k.link.to.filter((e) => e.op === op.id);
    if (resident.has(k.link.id)) {
      if (isFrom && !k.fetch && !k.state) offchip.add(k.link.from.tensor);
      for (const e of to) {
        offchip.add(e.tensor);
        noFill.add(e.tensor);
      }
      // Kept on chip, but a later pass needs it: stored once from its buffer.
      if (isFrom && k.link.store) stores.push({ bits: k.bits, level: roleLevel(arch, roleOf(op.workload, k.link.from.tensor)), wordBits: wordBits(k.link.from.tensor) });
    } else if (isFrom && k.state) {
      // A membrane a later op reads from DRAM: nothing writes it there but this store.
      stores.push({ bits: k.bits, level: roleLevel(arch, 'state'), wordBits: wordBits(k.link.from.tensor) });
    }
  }
  if (op.discardsOutput) for (const t of op.workload.tensors) if (t.role === 'output') offchip.add(t.name);
  if (op.mergesInto) {
    // Summed into the partner's output on the way out: if that output stays on chip, so does this one.
    const partnerResident = links.some((k) => k.link.from.op === op.mergesInto && resident.has(k.link.id));
    for (const t of op.workload.tensors) {
      if (t.role !== 'output') continue;
      merged.add(t.name);
      if (partnerResident) offchip.add(t.name);
    }
  }
  for (const s of g.stores) if (s.op === op.id) stores.push({ bits: s.bits, level: roleLevel(arch, 'state'), wordBits: wordBits(s.tensor) });
  if (v.weightsOnChip && op.workload.tensors.some((t) => t.name === 'Weights')) {
    offchip.add('Weights');
    noFill.add('Weights');
  }
  if (v.reloadGradW) {
    const bits = tensorBits(op.workload, 'GradW');
    if (bits > 0) loads.push({ bits, level: roleLevel(arch, 'output'), wordBits: wordBits('GradW') });
  }
  return { offchip, noFill, merged, stores, loads };
}
