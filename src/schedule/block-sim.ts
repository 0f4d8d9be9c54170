/**
 * Simulation of one block of a schedule: its chunk ops (plan.ts) run through the global buffer (buffer.ts), every
 * DRAM <-> buffer transfer is charged, and each op adds the on-chip cost of its chunk from the layer model. A block
 * starts from a `Boundary` (which lines of the tensors produced before it are on chip, clean or dirty; everything
 * else live is in DRAM) and ends in one, so a whole schedule is the fold of its blocks, and a search can memoize
 * block runs by (block, choice, boundary) without changing any number (schedule/explore.ts).
 *
 * Conventions (README "Networks and schedules"):
 *  - an op needs resident: the layer's weights, the input lines it reads (all producers, all timesteps of its
 *    batch), its state lines (stateful layers), its partial sums (when the chunk keeps them in the buffer) and its
 *    output lines;
 *  - network inputs and weights start in DRAM; a produced line stays on chip until its last consumer has run (then
 *    it is dead and freed) or it is evicted (written back, reloaded when needed); dead weights are freed;
 *  - state starts at rest on chip (STEMS-compatible: in DRAM, its first read charged) and is dead after the last
 *    timestep (written back only with `finalStateWriteback`); `spill` writes it back after every op; the on-chip
 *    accesses of a carried state (a later time batch) are charged per chunk (LayerCost.stateIn / stateOut);
 *  - network outputs are written to DRAM as they are produced;
 *  - an item that cannot fit even after evicting everything evictable is streamed: read from / written to DRAM for
 *    that op only (partial sums: written and read back once), and counted;
 *  - loads cost one DRAM read and one buffer fill per vector, write-backs one buffer read and one DRAM update per
 *    vector; load traffic is attributed to the layer whose op runs, write-backs to the item's producer;
 *  - weights stay in the inner level that holds them between consecutive ops of the same layer (LayerCost.weightLoad
 *    is charged only when the previous op ran another layer).
 */
import type { Arch } from '../arch/types.ts';
import { chunkWorkload, consumersOf, spikeBitsPerElement, weightBits, type Network, type NetworkLayer, type SpikeFormat } from '../workload/network.ts';
import { BEYOND, GlobalBuffer } from './buffer.ts';
import { buildBlockPlan, inputLines, inputLinesOf, linesOf, type Plan } from './plan.ts';
import type { BlockSchedule, LayerCost, LayerCostFn, StatePlacement, TileAxis, TrafficKind } from './types.ts';
import { N_SLOTS, N_STATS, STAT_ENERGY, STAT_FILLS, STAT_READS, STAT_UPDATES, TRAFFIC_KINDS } from './types.ts';

/** The lines of one tensor produced before a block: granularity and where each item is. */
export interface LiveTensor {
  /** Producer layer (-1: the network input). */
  readonly layer: number;
  readonly timeBatch: number;
  readonly axis: TileAxis;
  readonly lines: number;
  /** Per item (batch * lines + line): 0 = only in DRAM, 1 = on chip and clean, 2 = on chip and dirty (no DRAM copy). */
  readonly status: Uint8Array;
}

export interface Boundary {
  readonly tensors: readonly LiveTensor[];
}

export const EMPTY_BOUNDARY: Boundary = { tensors: [] };

const KEYS = new WeakMap<Boundary, string>();

/** A stable text key of a boundary (for memoizing block runs); computed once per boundary object. */
export function boundaryKey(b: Boundary): string {
  const hit = KEYS.get(b);
  if (hit !== undefined) return hit;
  const k = computeKey(b);
  KEYS.set(b, k);
  return k;
}

function computeKey(b: Boundary): string {
  let s = '';
  for (const t of b.tensors) {
    s += `${t.layer}/${t.timeBatch}/${t.axis}/${t.lines}:`;
    let run = 0;
    let prev = -1;
    for (let i = 0; i < t.status.length; i++) {
      if (t.status[i] === prev) run++;
      else {
        if (prev >= 0) s += `${prev}x${run},`;
        prev = t.status[i];
        run = 1;
      }
    }
    if (prev >= 0) s += `${prev}x${run}`;
    s += ';';
  }
  return s;
}

export interface SimOptions {
  readonly stemsCompat: boolean;
  readonly finalStateWriteback: boolean;
  readonly spikeFormat: SpikeFormat;
  /** Largest chunk (lines) of a whole-layer block. */
  readonly wholeTileLines: number;
}

/** Per-layer results of a block run (only with `detail`). */
export interface LayerDetail {
  energy: number;
  cycles: number;
  computes: number;
  chunks: number;
  offchip: Record<TrafficKind, number>;
  /** Level statistics (types.ts LevelStats layout), on-chip work and the layer's share of the DRAM traffic. */
  stats: Float64Array;
  compute: Record<string, { count: number; energy_pJ: number }>;
  mapping?: string;
  mappingOps: number;
}

export interface OccupancySample {
  readonly op: number;
  readonly label: string;
  readonly byKind: readonly number[];
}

export interface BlockRun {
  readonly ok: true;
  readonly energy: number;
  readonly cycles: number;
  readonly dramBoundCycles: number;
  readonly offchipBits: number;
  readonly offchipBitsByKind: readonly number[];
  readonly streamed: number;
  readonly peakBits: number;
  readonly ops: number;
  readonly exit: Boundary;
  readonly layers?: ReadonlyMap<number, LayerDetail>;
  readonly occupancy?: readonly OccupancySample[];
}

export type BlockOutcome = BlockRun | { readonly ok: false; readonly reason: string; readonly layer?: string };

export interface BlockInput {
  readonly bi: number;
  readonly choice: BlockSchedule;
  readonly axis: TileAxis;
  readonly entry: Boundary;
  /** Per layer of the network (only this block's entries matter). */
  readonly placement: readonly StatePlacement[];
  readonly detail?: boolean;
  /** Occupancy sampling: global index of the block's first op and ops per sample. */
  readonly occupancy?: { readonly firstOp: number; readonly every: number };
}

const KIND = { weights: 0, spikes: 1, activations: 2, psums: 3, state: 4 } as const;
const SLOT_W = 0;
const SLOT_IN = 1;
const SLOT_PSUM = 2;
const SLOT_STATE = 3;
const SLOT_OUT = 4;

interface TensorKeys {
  readonly layer: number;
  readonly base: number;
  readonly nb: number;
  readonly b: number;
  readonly lines: number;
  readonly axis: TileAxis;
  readonly itemBits: number;
  readonly elemBits: number;
  readonly kind: number;
  readonly liveAfter: boolean;
}

/** Shared, schedule-independent facts of a network on an arch, and the chunk-cost cache. */
export class ScheduleSim {
  readonly consumers: number[][];
  readonly top: number;
  private readonly costCache = new Map<string, LayerCost | string>();
  /** Compiled block runs (compileBlock), by what they depend on. */
  readonly compiled = new Map<string, Compiled | { readonly reason: string; readonly layer?: string }>();

  constructor(
    readonly net: Network,
    readonly arch: Arch,
    readonly costFn: LayerCostFn,
    readonly o: SimOptions,
  ) {
    this.consumers = consumersOf(net);
    this.top = arch.levels.findIndex((l) => !l.offChip);
  }

  /** Elements of one line (one timestep) of a layer's output along an axis: channels x the other extent. */
  lineElems(l: NetworkLayer, axis: TileAxis): number {
    return l.outShape.c * (axis === 'cols' ? l.outShape.h : l.outShape.w);
  }

  /** Bits per element of a layer's output as stored between layers. */
  outElemBits(l: NetworkLayer, axis: TileAxis): number {
    if (!l.spiking || l.bits.output !== 1 || this.o.stemsCompat) return l.bits.output;
    return spikeBitsPerElement(this.o.spikeFormat, l.outputDensity, this.lineElems(l, axis));
  }

  inputElemBits(axis: TileAxis): number {
    const i = this.net.input;
    if (!i.spiking || i.bits !== 1 || this.o.stemsCompat) return i.bits;
    return spikeBitsPerElement(this.o.spikeFormat, i.density, i.shape.c * (axis === 'cols' ? i.shape.h : i.shape.w));
  }

  /** The on-chip cost of a chunk of `n` lines of layer `li` (cached), or why it cannot run. */
  /**
   * The on-chip cost of a chunk of `n` lines of layer `li` (cached), or why it cannot run. `ref` is the layer's
   * nominal chunk size in the block (its most frequent one): chunks of other sizes reuse that chunk's mapping shape.
   */
  chunkCost(li: number, b: number, n: number, ref: number, axis: TileAxis, stateless: boolean, inputBits: number | undefined): LayerCost | string {
    const key = `${li}|${b}|${n}|${ref}|${axis}|${stateless ? 1 : 0}|${inputBits ?? '-'}`;
    const hit = this.costCache.get(key);
    if (hit !== undefined) return hit;
    const l = this.net.layers[li];
    const compat = this.o.stemsCompat;
    const ob = this.outElemBits(l, axis);
    const w = chunkWorkload(l.workload, b, n, {
      axis, stateless, dense: compat, membrane: compat, keepFinalState: false,
      inputBits, outputBits: ob !== l.bits.output ? ob : undefined,
    });
    const carry = l.stateful && !stateless && (b < this.net.timesteps || compat);
    const lineDim = w.dims.indexOf(axis === 'cols' ? 'Q' : 'P');
    const r = this.costFn(w, { carry, lineDim: lineDim < 0 ? 0 : lineDim, refLines: lineDim < 0 ? w.sizes[0] : ref });
    const v = r.ok ? r.cost : r.reason;
    this.costCache.set(key, v);
    return v;
  }

  runBlock(inp: BlockInput): BlockOutcome {
    return runBlock(this, inp);
  }
}

/** What a block run needs that does not depend on where the boundary's lines are: keys, plan, references, costs. */
interface Compiled {
  readonly tensors: ReadonlyMap<number, TensorKeys>;
  readonly nKeys: number;
  readonly psumKey: number;
  readonly plan: Plan;
  readonly opStart: Int32Array;
  readonly refs: Int32Array;
  readonly roles: Uint8Array;
  readonly nextUse: Int32Array;
  /** First op that references each key (-1: none in this block). */
  readonly first: Int32Array;
  readonly bitsOf: Float64Array;
  readonly kindOf: Uint8Array;
  readonly ownerOf: Int32Array;
  readonly elemBitsOf: Float64Array;
  readonly slotOf: Uint8Array;
  readonly liveLater: Uint8Array;
  readonly inDram0: Uint8Array;
  readonly opCost: readonly LayerCost[];
  readonly sKeyOf: Int32Array;
  readonly wholeLines: readonly number[];
}

/** A text key of what `compileBlock` depends on. */
function compileKey(inp: BlockInput, net: Network): string {
  const c = inp.choice;
  const shape = inp.entry.tensors.map((t) => `${t.layer}/${t.timeBatch}/${t.axis}/${t.lines}`).join(',');
  const place = net.blocks[inp.bi].layers.map((li) => inp.placement[li][0]).join('');
  return `${inp.bi}|${c.timeBatch}|${c.tileRows ?? 'W'}|${inp.axis}|${place}|${shape}`;
}

function runBlock(sim: ScheduleSim, inp: BlockInput): BlockOutcome {
  const key = compileKey(inp, sim.net);
  let c = sim.compiled.get(key);
  if (c === undefined) {
    c = compileBlock(sim, inp);
    if (sim.compiled.size > 4096) sim.compiled.clear();
    sim.compiled.set(key, c);
  }
  if (typeof c === 'string' || 'reason' in c) return typeof c === 'string' ? { ok: false, reason: c } : { ok: false, reason: c.reason, layer: c.layer };
  return simulate(sim, inp, c);
}

function compileBlock(sim: ScheduleSim, inp: BlockInput): Compiled | { readonly reason: string; readonly layer?: string } {
  const { net, o } = sim;
  const { bi, choice, axis } = inp;
  const T = net.timesteps;
  const block = net.blocks[bi];
  const b = choice.timeBatch;
  const compat = o.stemsCompat;
  const liveAfter = (li: number): boolean => (li < 0 ? net.layers.some((l) => l.block > bi && l.inputs.includes(-1)) : sim.consumers[li].some((c) => net.layers[c].block > bi));
  const hasState = new Map<number, boolean>();
  for (const li of block.layers) hasState.set(li, net.layers[li].stateful && inp.placement[li] !== 'stateless');
  // ---- keys: entry tensors, the network input, this block's outputs, weights, state lines, one psum key
  const tensors = new Map<number, TensorKeys>();
  let nKeys = 0;
  const addTensor = (layer: number, tb: number, ax: TileAxis, lines: number): TensorKeys => {
    const spiking = layer < 0 ? net.input.spiking : net.layers[layer].spiking;
    const elemBits = layer < 0 ? sim.inputElemBits(ax) : sim.outElemBits(net.layers[layer], ax);
    const elems = layer < 0 ? net.input.shape.c * (ax === 'cols' ? net.input.shape.h : net.input.shape.w) : sim.lineElems(net.layers[layer], ax);
    const t: TensorKeys = { layer, base: nKeys, nb: T / tb, b: tb, lines, axis: ax, itemBits: elems * tb * elemBits, elemBits, kind: spiking ? KIND.spikes : KIND.activations, liveAfter: liveAfter(layer) };
    nKeys += t.nb * lines;
    tensors.set(layer, t);
    return t;
  };
  for (const t of inp.entry.tensors) addTensor(t.layer, t.timeBatch, t.axis, t.lines);
  if (block.layers.some((li) => net.layers[li].inputs.includes(-1)) && !tensors.has(-1)) addTensor(-1, 1, axis, inputLinesOf(net, axis));
  for (const li of block.layers) addTensor(li, b, axis, linesOf(net.layers[li], axis));
  const wKey = new Map<number, number>();
  const sKey = new Map<number, number>();
  for (const li of block.layers) {
    if (weightBits(net.layers[li]) > 0) wKey.set(li, nKeys++);
    if (hasState.get(li)) {
      sKey.set(li, nKeys);
      nKeys += linesOf(net.layers[li], axis);
    }
  }
  const psumKey = nKeys++;
  // ---- chunk sizes of whole-layer blocks, costs
  const wholeLines: number[] = [];
  const inBitsOf = (li: number): number | undefined => {
    const l = net.layers[li];
    if (!l.spikingInput || compat || o.spikeFormat === 'dense') return undefined;
    const bits = l.inputs.map((p) => (p < 0 ? sim.inputElemBits(tensors.get(-1)!.axis) : tensors.get(p)!.elemBits));
    const v = bits.reduce((a, x) => a + x, 0) / bits.length;
    return v === 1 ? undefined : v;
  };
  const costs: (LayerCost | undefined)[][] = [];
  const costOf = (li: number, n: number, ref = n): LayerCost | string => {
    const row = (costs[li] ??= []);
    const hit = ref === n ? row[n] : undefined;
    if (hit) return hit;
    const c = sim.chunkCost(li, b, n, ref, axis, net.layers[li].stateful && !hasState.get(li), inBitsOf(li));
    if (typeof c !== 'string' && ref === n) row[n] = c;
    return c;
  };
  if (choice.tileRows === null) {
    for (const li of block.layers) {
      const n = linesOf(net.layers[li], axis);
      let u = Math.max(1, Math.min(n, o.wholeTileLines));
      let c = costOf(li, u);
      while (typeof c === 'string' && u > 1) {
        u = Math.ceil(u / 2);
        c = costOf(li, u);
      }
      if (typeof c === 'string') return { reason: c, layer: net.layers[li].name };
      wholeLines[li] = u;
    }
  }
  const plan: Plan = splitUnfit(buildBlockPlan(net, bi, choice, axis, wholeLines), (li, n) => typeof costOf(li, n) !== 'string');
  // ---- references per op (CSR): weights, inputs, state lines, outputs; next use of each reference
  const opStart = new Int32Array(plan.length + 1);
  const refs: number[] = [];
  const roles: number[] = [];
  const seenAt = new Int32Array(nKeys).fill(-1);
  let cur = 0;
  const add = (key: number, role: number): void => {
    if (seenAt[key] === cur) return;
    seenAt[key] = cur;
    refs.push(key);
    roles.push(role);
  };
  // per layer of the block: its producers' key tables, weight key, first state key, output keys
  const nL = net.layers.length;
  const prodT: TensorKeys[][] = [];
  const wKeyOf = new Int32Array(nL).fill(-1);
  const sKeyOf = new Int32Array(nL).fill(-1);
  const outT: TensorKeys[] = [];
  for (const li of block.layers) {
    prodT[li] = net.layers[li].inputs.map((p) => tensors.get(p)!);
    wKeyOf[li] = wKey.get(li) ?? -1;
    sKeyOf[li] = sKey.get(li) ?? -1;
    outT[li] = tensors.get(li)!;
  }
  for (let i = 0; i < plan.length; i++) {
    opStart[i] = refs.length;
    cur = i;
    const li = plan.layer[i];
    const l = net.layers[li];
    const tb = plan.batch[i];
    const a = plan.lo[i];
    const z = plan.hi[i];
    if (wKeyOf[li] >= 0) add(wKeyOf[li], SLOT_W);
    for (const t of prodT[li]) {
      const [lo, hi] = inputLines(l, a, z, t.lines, t.axis === axis, axis);
      const t0 = Math.floor((tb * b) / t.b);
      const t1 = Math.floor(((tb + 1) * b - 1) / t.b);
      for (let tt = t0; tt <= t1; tt++) for (let r = lo; r <= hi; r++) add(t.base + tt * t.lines + r, SLOT_IN);
    }
    const sk = sKeyOf[li];
    if (sk >= 0) for (let r = a; r <= z; r++) add(sk + r, SLOT_STATE);
    const ot = outT[li];
    for (let r = a; r <= z; r++) add(ot.base + tb * ot.lines + r, SLOT_OUT);
  }
  opStart[plan.length] = refs.length;
  const nextUse = new Int32Array(refs.length);
  const first = new Int32Array(nKeys).fill(-1);
  for (let i = plan.length - 1; i >= 0; i--) {
    for (let j = opStart[i]; j < opStart[i + 1]; j++) {
      nextUse[j] = first[refs[j]];
      first[refs[j]] = i;
    }
  }
  // each layer's nominal chunk size: its most frequent one in this block (ties: the larger)
  const freq = new Map<number, Map<number, number>>();
  for (let i = 0; i < plan.length; i++) {
    const m = freq.get(plan.layer[i]) ?? new Map<number, number>();
    const n = plan.hi[i] - plan.lo[i] + 1;
    m.set(n, (m.get(n) ?? 0) + 1);
    freq.set(plan.layer[i], m);
  }
  const refOf: number[] = [];
  for (const [li, m] of freq) refOf[li] = [...m].sort((x, y) => y[1] - x[1] || y[0] - x[0])[0][0];
  const opCost: LayerCost[] = [];
  for (let i = 0; i < plan.length; i++) {
    const li = plan.layer[i];
    const cst = costOf(li, plan.hi[i] - plan.lo[i] + 1, refOf[li]);
    if (typeof cst === 'string') return { reason: cst, layer: net.layers[li].name };
    opCost.push(cst);
  }
  // ---- per-key facts
  const bitsOf = new Float64Array(nKeys);
  const kindOf = new Uint8Array(nKeys);
  const ownerOf = new Int32Array(nKeys);
  const elemBitsOf = new Float64Array(nKeys);
  const slotOf = new Uint8Array(nKeys);
  const liveLater = new Uint8Array(nKeys);
  const inDram = new Uint8Array(nKeys);
  for (const t of tensors.values()) {
    for (let k = t.base; k < t.base + t.nb * t.lines; k++) {
      bitsOf[k] = t.itemBits;
      kindOf[k] = t.kind;
      ownerOf[k] = t.layer;
      elemBitsOf[k] = t.elemBits;
      slotOf[k] = SLOT_OUT;
      liveLater[k] = t.liveAfter ? 1 : 0;
    }
    if (t.layer < 0) inDram.fill(1, t.base, t.base + t.nb * t.lines);
  }
  for (const [li, k] of wKey) {
    bitsOf[k] = weightBits(net.layers[li]);
    kindOf[k] = KIND.weights;
    ownerOf[k] = li;
    elemBitsOf[k] = net.layers[li].bits.weight;
    slotOf[k] = SLOT_W;
    inDram[k] = 1;
  }
  for (const [li, k0] of sKey) {
    const l = net.layers[li];
    for (let r = 0; r < linesOf(l, axis); r++) {
      bitsOf[k0 + r] = sim.lineElems(l, axis) * l.bits.state;
      kindOf[k0 + r] = KIND.state;
      ownerOf[k0 + r] = li;
      elemBitsOf[k0 + r] = l.bits.state;
      slotOf[k0 + r] = SLOT_STATE;
      if (compat) inDram[k0 + r] = 1;
    }
  }
  kindOf[psumKey] = KIND.psums;
  slotOf[psumKey] = SLOT_PSUM;
  return {
    tensors, nKeys, psumKey, plan, opStart, refs: Int32Array.from(refs), roles: Uint8Array.from(roles), nextUse, first,
    bitsOf, kindOf, ownerOf, elemBitsOf, slotOf, liveLater, inDram0: inDram, opCost, sKeyOf, wholeLines,
  };
}

/** One run of a compiled block from the boundary of `inp`. */
function simulate(sim: ScheduleSim, inp: BlockInput, cp: Compiled): BlockOutcome {
  const { net, arch, o } = sim;
  const { choice } = inp;
  const T = net.timesteps;
  const g = sim.top;
  const dram = arch.levels[g - 1];
  const gb = arch.levels[g];
  const b = choice.timeBatch;
  const nb = T / b;
  const compat = o.stemsCompat;
  const { tensors, nKeys, psumKey, plan, opStart, refs, roles, nextUse, first: last, kindOf, ownerOf, elemBitsOf, slotOf, liveLater, opCost, sKeyOf, wholeLines } = cp;
  const bitsOf = Float64Array.from(cp.bitsOf);
  const inDram = Uint8Array.from(cp.inDram0);
  // ---- accounting
  const L = arch.levels.length;
  const detail = inp.detail === true;
  const layerDetail = new Map<number, LayerDetail>();
  const ld = (li: number): LayerDetail => {
    let d = layerDetail.get(li);
    if (!d) {
      d = { energy: 0, cycles: 0, computes: 0, chunks: 0, offchip: { weights: 0, spikes: 0, activations: 0, psums: 0, state: 0 }, stats: new Float64Array(L * N_SLOTS * N_STATS), compute: {}, mappingOps: 0 };
      layerDetail.set(li, d);
    }
    return d;
  };
  let energy = 0;
  let cycles = 0;
  let dramBound = 0;
  let offchipBits = 0;
  const offByKind = [0, 0, 0, 0, 0];
  let opDramBits = 0;
  let opLayer = 0;
  const dramBw = dram.sharedBandwidth ?? dram.readBandwidth ?? dram.widthBits;
  const st = (lvl: number, slot: number, stat: number): number => (lvl * N_SLOTS + slot) * N_STATS + stat;
  const traffic = (bits: number, kind: number, load: boolean, owner: number, slot: number, elemBits: number): void => {
    if (bits <= 0) return;
    const ed = Math.ceil(bits / dram.widthBits - 1e-9) * (load ? dram.energy.read : dram.energy.update);
    const eg = Math.ceil(bits / gb.widthBits - 1e-9) * (load ? gb.energy.fill : gb.energy.read);
    energy += ed + eg;
    offchipBits += bits;
    offByKind[kind] += bits;
    opDramBits += bits;
    if (detail) {
      const who = load ? opLayer : owner >= 0 ? owner : opLayer;
      const d = ld(who);
      d.energy += ed + eg;
      d.offchip[TRAFFIC_KINDS[kind]] += bits / 8;
      const s = slot === SLOT_OUT ? (load ? SLOT_IN : SLOT_OUT) : slot;
      const words = bits / elemBits;
      d.stats[st(g - 1, s, load ? STAT_READS : STAT_UPDATES)] += words;
      d.stats[st(g - 1, s, STAT_ENERGY)] += ed;
      d.stats[st(g, s, load ? STAT_FILLS : STAT_READS)] += words;
      d.stats[st(g, s, STAT_ENERGY)] += eg;
    }
  };
  const buf = new GlobalBuffer(gb.capacityBits!, nKeys, 5, (key) => {
    inDram[key] = 1;
    traffic(bitsOf[key], kindOf[key], false, ownerOf[key], slotOf[key], elemBitsOf[key]);
  });
  const prioAfter = (key: number, next: number): number => (next >= 0 ? next : BEYOND * (inDram[key] ? 2 : 1) + key);
  // entry residency
  for (const t of inp.entry.tensors) {
    const tk = tensors.get(t.layer)!;
    for (let i = 0; i < t.status.length; i++) {
      const key = tk.base + i;
      const s = t.status[i];
      if (s === 0) inDram[key] = 1;
      else {
        inDram[key] = s === 1 ? 1 : 0;
        buf.beginOp(-2);
        if (!buf.insert(key, bitsOf[key], s === 2, kindOf[key])) return { ok: false, reason: 'internal: the boundary does not fit the buffer' };
      }
    }
  }
  buf.beginOp(-3);
  for (const t of inp.entry.tensors) {
    const tk = tensors.get(t.layer)!;
    for (let i = 0; i < t.status.length; i++) {
      const key = tk.base + i;
      if (buf.resident[key]) buf.setPrio(key, prioAfter(key, last[key]));
    }
  }
  let streamed = 0;
  let prevLayer = -1;
  const occ: OccupancySample[] = [];
  let occBest = -1;
  // ---- run
  for (let i = 0; i < plan.length; i++) {
    const li = plan.layer[i];
    const l = net.layers[li];
    const tb = plan.batch[i];
    const n = plan.hi[i] - plan.lo[i] + 1;
    opLayer = li;
    opDramBits = 0;
    buf.beginOp(i);
    const c = opCost[i];
    let ok = true;
    const stateful = sKeyOf[li] >= 0;
    const sticky = stateful && inp.placement[li] === 'onchip';
    for (let j = opStart[i]; j < opStart[i + 1]; j++) {
      const key = refs[j];
      const role = roles[j];
      if (role === SLOT_OUT) continue;
      if (buf.resident[key]) {
        buf.pin(key);
        continue;
      }
      if (role === SLOT_IN && !inDram[key]) return { ok: false, reason: `internal: ${l.name} reads a line that was never produced`, layer: l.name };
      if (inDram[key]) traffic(bitsOf[key], kindOf[key], true, ownerOf[key], slotOf[key], elemBitsOf[key]);
      const stick = role === SLOT_STATE && sticky;
      if (!buf.insert(key, bitsOf[key], !inDram[key], kindOf[key], stick)) {
        if (stick) return { ok: false, reason: `the state of ${l.name} is placed on chip but does not fit in ${gb.name} (${gb.capacityBits} bits) beside the data its ops need`, layer: l.name };
        ok = false;
        if (role === SLOT_STATE && (nextUse[j] >= 0 || o.finalStateWriteback)) {
          // streamed state: read (above, when it has a DRAM copy), updated, written straight back unless dead
          traffic(bitsOf[key], kindOf[key], false, li, SLOT_STATE, elemBitsOf[key]);
          inDram[key] = 1;
        }
      }
    }
    if (c.psumBits > 0) {
      bitsOf[psumKey] = c.psumBits;
      if (!buf.insert(psumKey, c.psumBits, false, KIND.psums)) {
        traffic(c.psumBits, KIND.psums, false, li, SLOT_PSUM, l.bits.psum);
        traffic(c.psumBits, KIND.psums, true, li, SLOT_PSUM, l.bits.psum);
        ok = false;
      }
    }
    const isNetOutput = sim.consumers[li].length === 0;
    for (let j = opStart[i]; j < opStart[i + 1]; j++) {
      if (roles[j] !== SLOT_OUT) continue;
      const key = refs[j];
      if (!buf.insert(key, bitsOf[key], true, kindOf[key])) {
        ok = false;
        traffic(bitsOf[key], kindOf[key], false, li, SLOT_OUT, elemBitsOf[key]);
        inDram[key] = 1;
      } else if (isNetOutput) {
        traffic(bitsOf[key], kindOf[key], false, li, SLOT_OUT, elemBitsOf[key]);
        inDram[key] = 1;
        buf.dirty[key] = 0;
      }
    }
    if (!ok) streamed++;
    // on-chip work of this op
    const carryIn = stateful && (tb > 0 || compat);
    const carryOut = stateful && (tb < nb - 1 || o.finalStateWriteback);
    const warm = prevLayer === li && c.weightLoad !== null;
    prevLayer = li;
    const e = c.energy.base + c.computeEnergy + (carryIn ? c.energy.stateIn : 0) + (carryOut ? c.energy.stateOut : 0) - (warm ? c.energy.weightLoad : 0);
    energy += e;
    if (detail) {
      const d = ld(li);
      d.energy += e;
      d.computes += c.computes;
      d.chunks++;
      addStats(d.stats, c.base, 1);
      if (carryIn && c.stateIn) addStats(d.stats, c.stateIn, 1);
      if (carryOut && c.stateOut) addStats(d.stats, c.stateOut, 1);
      if (warm && c.weightLoad) addStats(d.stats, c.weightLoad, -1);
      for (const [k, v] of Object.entries(c.compute)) {
        const a = (d.compute[k] ??= { count: 0, energy_pJ: 0 });
        a.count += v.count;
        a.energy_pJ += v.energy_pJ;
      }
      if (n === (choice.tileRows ?? wholeLines[li]) || d.mapping === undefined) d.mapping = c.mapping;
    }
    // after the op: state, outputs, dead data, priorities
    buf.drop(psumKey);
    for (let j = opStart[i]; j < opStart[i + 1]; j++) {
      const key = refs[j];
      const role = roles[j];
      const nx = nextUse[j];
      if (role === SLOT_STATE && buf.resident[key]) {
        buf.dirty[key] = 1;
        inDram[key] = 0;
        if (nx < 0) {
          if (o.finalStateWriteback) traffic(bitsOf[key], KIND.state, false, li, SLOT_STATE, elemBitsOf[key]);
          buf.drop(key);
          continue;
        }
        if (inp.placement[li] === 'spill') {
          traffic(bitsOf[key], KIND.state, false, li, SLOT_STATE, elemBitsOf[key]);
          inDram[key] = 1;
          buf.drop(key);
          continue;
        }
      }
      if (!buf.resident[key]) continue;
      if (nx < 0 && !liveLater[key]) {
        buf.drop(key);
        continue;
      }
      buf.setPrio(key, prioAfter(key, nx));
    }
    const onchip = c.cycles;
    const dc = opDramBits / dramBw;
    const oc = onchip > dc ? onchip : dc;
    if (dc > onchip) dramBound += oc;
    cycles += oc;
    if (detail) ld(li).cycles += oc;
    if (inp.occupancy) {
      const gi = inp.occupancy.firstOp + i;
      const slot = Math.floor(gi / inp.occupancy.every);
      const total = buf.used;
      const prev = occ.length > 0 ? occ[occ.length - 1] : undefined;
      const sample = { op: slot, label: `${l.name}@t${tb * b}`, byKind: Array.from(buf.usedByTag) };
      if (!prev || prev.op !== slot) {
        occ.push(sample);
        occBest = total;
      } else if (total > occBest) {
        occ[occ.length - 1] = sample;
        occBest = total;
      }
    }
  }
  // ---- exit boundary: tensors consumed by later blocks
  const exit: LiveTensor[] = [];
  for (const t of tensors.values()) {
    if (!t.liveAfter) continue;
    const status = new Uint8Array(t.nb * t.lines);
    for (let i = 0; i < status.length; i++) {
      const key = t.base + i;
      status[i] = buf.resident[key] ? (buf.dirty[key] ? 2 : 1) : inDram[key] ? 0 : 3;
      if (status[i] === 3) return { ok: false, reason: `internal: a line of ${t.layer < 0 ? net.input.name : net.layers[t.layer].name} was never produced` };
    }
    exit.push({ layer: t.layer, timeBatch: t.b, axis: t.axis, lines: t.lines, status });
  }
  exit.sort((x, y) => x.layer - y.layer);
  return {
    ok: true, energy, cycles, dramBoundCycles: dramBound, offchipBits, offchipBitsByKind: offByKind, streamed, peakBits: buf.peak, ops: plan.length,
    exit: { tensors: exit }, layers: detail ? layerDetail : undefined, occupancy: inp.occupancy ? occ : undefined,
  };
}

/**
 * A chunk that does not fit the buffer on its own (e.g. the larger last step of a fused block) runs as smaller
 * chunks: halves, recursively, down to single lines (which then fail if even they do not fit).
 */
export function splitUnfit(plan: Plan, fits: (layer: number, lines: number) => boolean): Plan {
  const L: number[] = [];
  const B: number[] = [];
  const LO: number[] = [];
  const HI: number[] = [];
  let split = false;
  const put = (li: number, tb: number, lo: number, hi: number): void => {
    const n = hi - lo + 1;
    if (n > 1 && !fits(li, n)) {
      split = true;
      const mid = lo + Math.ceil(n / 2);
      put(li, tb, lo, mid - 1);
      put(li, tb, mid, hi);
      return;
    }
    L.push(li);
    B.push(tb);
    LO.push(lo);
    HI.push(hi);
  };
  for (let i = 0; i < plan.length; i++) put(plan.layer[i], plan.batch[i], plan.lo[i], plan.hi[i]);
  return split ? { layer: Int32Array.from(L), batch: Int32Array.from(B), lo: Int32Array.from(LO), hi: Int32Array.from(HI), length: L.length } : plan;
}

function addStats(into: Float64Array, s: Float64Array, k: number): void {
  for (let i = 0; i < s.length; i++) into[i] += k * s[i];
}
