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
import { chunkWorkload, consumersOf, spikeBitsPerElement, type Network, type NetworkLayer } from '../workload/network.ts';
import { compileBlock, compileKey } from './block-compile.ts';
import {
  KIND, SLOT_IN, SLOT_OUT, SLOT_PSUM, SLOT_STATE,
  type BlockInput, type BlockOutcome, type Boundary, type Compiled, type LayerDetail, type LiveTensor, type OccupancySample, type SimContext, type SimOptions,
} from './block-types.ts';
import { BEYOND, GlobalBuffer } from './buffer.ts';
import type { LayerCost, LayerCostFn, TileAxis } from './types.ts';
import { N_SLOTS, N_STATS, STAT_ENERGY, STAT_FILLS, STAT_READS, STAT_UPDATES, TRAFFIC_KINDS } from './types.ts';

export { boundaryKey, EMPTY_BOUNDARY } from './block-types.ts';
export type { BlockInput, BlockOutcome, BlockRun, Boundary, LayerDetail, LiveTensor, OccupancySample, SimOptions } from './block-types.ts';
export { splitUnfit } from './block-compile.ts';

/** Shared, schedule-independent facts of a network on an arch, and the chunk-cost cache. */
export class ScheduleSim implements SimContext {
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

function addStats(into: Float64Array, s: Float64Array, k: number): void {
  for (let i = 0; i < s.length; i++) into[i] += k * s[i];
}
