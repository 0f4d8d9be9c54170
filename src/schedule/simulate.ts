/**
 * The schedule evaluator: runs a plan of row operations through a simulated global buffer (buffer.ts), charges
 * every DRAM <-> buffer transfer, and adds the on-chip cost of each op from the layer model (per chunk shape).
 * Conventions (README "Networks and schedules"):
 *  - an op needs resident: the layer's weights, the input rows it reads (all producers, all timesteps of its
 *    batch), its state row (stateful layers), its output row and its partial sums (psum accumulation);
 *  - inputs of the network and weights start in DRAM; a produced row stays on chip until its last consumer op has
 *    run (then it is dead and freed) or it is evicted (written back, reloaded when needed);
 *  - state starts at rest on chip (STEMS-compatible: in DRAM, its first read charged), is dead after the last
 *    timestep (STEMS-compatible: written back); `spill` writes it back after every op;
 *  - network outputs are written to DRAM as they are produced;
 *  - an item that cannot fit even after evicting everything evictable is streamed: read from / written to DRAM
 *    for that op only (partial sums: written and read back once);
 *  - loads are charged one DRAM read and one buffer fill per vector, write-backs one buffer read and one DRAM
 *    update per vector; load traffic is attributed to the layer whose op runs, write-backs to the item's producer.
 */
import type { Arch } from '../arch/types.ts';
import { chunkWorkload, consumersOf, denseOps, outputBits, stateBits, weightBits, type Network } from '../workload/network.ts';
import { GlobalBuffer } from './buffer.ts';
import { buildPlan, inputRows } from './plan.ts';
import { Tally } from './tally.ts';
import type { LayerCost, LayerCostFn, NetworkSchedule, ScheduleOptions, ScheduleOutcome, StatePlacement, TrafficKind } from './types.ts';
import { TRAFFIC_KINDS } from './types.ts';

export type CostCache = Map<string, ReturnType<LayerCostFn>>;

export function checkSchedule(net: Network, s: NetworkSchedule): string | undefined {
  if (s.blocks.length !== net.blocks.length) return `the schedule has ${s.blocks.length} block entries, the network ${net.blocks.length} blocks`;
  for (let i = 0; i < s.blocks.length; i++) {
    const b = s.blocks[i];
    if (!Number.isInteger(b.timeBatch) || b.timeBatch < 1 || net.timesteps % b.timeBatch !== 0) return `block ${net.blocks[i].name}: time batch ${b.timeBatch} does not divide T = ${net.timesteps}`;
    if (b.tileRows !== null && (!Number.isInteger(b.tileRows) || b.tileRows < 1)) return `block ${net.blocks[i].name}: tile rows must be a positive whole number`;
  }
  return undefined;
}

/**
 * Evaluate a schedule. With `onlyBlock`, only that block runs (for a search that decomposes over blocks): rows
 * it reads from earlier blocks start in DRAM, and rows it produces for later blocks are written to DRAM.
 */
export function evaluateSchedule(net: Network, arch: Arch, sched: NetworkSchedule, costFn: LayerCostFn, opts: ScheduleOptions = {}, cache: CostCache = new Map(), onlyBlock?: number): ScheduleOutcome {
  const bad = checkSchedule(net, sched);
  if (bad) return { ok: false, reason: bad };
  const compat = opts.stemsCompat === true;
  const g = arch.levels.findIndex((l) => !l.offChip);
  if (g <= 0 || arch.levels[g].capacityBits === null) return { ok: false, reason: 'the arch needs an off-chip level above a bounded on-chip buffer' };
  const dram = arch.levels[g - 1];
  const gb = arch.levels[g];
  const T = net.timesteps;
  const nL = net.layers.length;
  const consumers = consumersOf(net);
  const bOf = net.layers.map((l) => sched.blocks[l.block].timeBatch);
  const placement: StatePlacement[] = net.layers.map((l) => (l.stateful ? sched.blocks[l.block].state?.[l.index] ?? 'auto' : 'stateless'));
  const hasState = placement.map((p) => p !== 'stateless');
  // ---- on-chip cost per op (per chunk shape), from the layer model
  const perRow: LayerCost[] = [];
  const rowsEval: number[] = [];
  for (const l of net.layers) {
    const s = sched.blocks[l.block];
    if (onlyBlock !== undefined && l.block !== onlyBlock) {
      perRow.push({ energyByLevel: {}, energyByTensor: {}, compute: {}, computes: 0, cycles: 0 });
      rowsEval.push(1);
      continue;
    }
    const rows = s.tileRows === null ? l.outShape.h : Math.min(l.outShape.h, s.tileRows);
    const makeStateless = l.stateful && !hasState[l.index];
    const key = `${l.index}|${s.timeBatch}|${rows}|${makeStateless}|${compat}`;
    let c = cache.get(key);
    if (!c) {
      c = costFn(chunkWorkload(l.workload, s.timeBatch, rows, { stateless: makeStateless, dense: compat, membrane: compat, keepFinalState: compat }));
      cache.set(key, c);
    }
    if (!c.ok) return { ok: false, reason: c.reason, layer: l.name };
    perRow.push(c.cost);
    rowsEval.push(rows);
  }
  // ---- item keys: outputs (layer, batch, row), network input (timestep, row), weights, state rows
  const outBase: number[] = [];
  let k = 0;
  for (const l of net.layers) {
    outBase.push(k);
    k += (T / bOf[l.index]) * l.outShape.h;
  }
  const inBase = k;
  k += T * net.input.shape.h;
  const wBase = k;
  k += nL;
  const sBase: number[] = [];
  for (const l of net.layers) {
    sBase.push(k);
    k += l.outShape.h;
  }
  const nKeys = k;
  const uses = new Int32Array(nKeys);
  const inDram = new Uint8Array(nKeys);
  for (let i = inBase; i < inBase + T * net.input.shape.h; i++) inDram[i] = 1;
  for (let i = wBase; i < wBase + nL; i++) inDram[i] = 1;
  if (compat) for (let i = sBase[0] ?? nKeys; i < nKeys; i++) inDram[i] = 1;
  if (onlyBlock !== undefined) {
    for (const l of net.layers) if (l.block !== onlyBlock) inDram.fill(1, outBase[l.index], outBase[l.index] + (T / bOf[l.index]) * l.outShape.h);
  }
  const plan = buildPlan(net, sched, onlyBlock);
  // Items an op reads, appended to `out`.
  const inputsOf = (li: number, tb: number, r: number, out: number[]): void => {
    const l = net.layers[li];
    const b = bOf[li];
    for (const p of l.inputs) {
      const H = p < 0 ? net.input.shape.h : net.layers[p].outShape.h;
      const [lo, hi] = inputRows(l, r, H);
      const bp = p < 0 ? 1 : bOf[p];
      const t0 = Math.floor((tb * b) / bp);
      const t1 = Math.floor(((tb + 1) * b - 1) / bp);
      const base = p < 0 ? inBase : outBase[p];
      for (let t = t0; t <= t1; t++) for (let row = lo; row <= hi; row++) out.push(base + t * H + row);
    }
  };
  const scratch: number[] = [];
  for (let i = 0; i < plan.length; i++) {
    scratch.length = 0;
    inputsOf(plan.layer[i], plan.batch[i], plan.row[i], scratch);
    for (const key of new Set(scratch)) uses[key]++;
  }
  // ---- bits of items
  const outRowBits = net.layers.map((l) => l.outShape.c * l.outShape.w * bOf[l.index] * l.bits.output);
  const inRowBits = net.input.shape.c * net.input.shape.w * net.input.bits;
  const wBits = net.layers.map((l) => weightBits(l));
  const sRowBits = net.layers.map((l) => l.outShape.c * l.outShape.w * l.bits.state);
  const psumRowBits = net.layers.map((l) => {
    const hasPsum = l.workload.tensors.some((t) => t.role === 'psum') && !(compat && hasState[l.index]);
    return hasPsum ? l.outShape.c * l.outShape.w * bOf[l.index] * l.bits.psum : 0;
  });
  const ioKind = (spiking: boolean): TrafficKind => (spiking ? 'spikes' : 'activations');
  const kindIdx = (kd: TrafficKind): number => TRAFFIC_KINDS.indexOf(kd);
  const tag = (owner: number, kd: TrafficKind): number => (owner + 1) * 8 + kindIdx(kd);
  const tally = new Tally(net, arch, g);
  let opLayer = 0;
  const move = (bits: number, kd: TrafficKind, dir: 'load' | 'store', owner: number): void => {
    tally.traffic(bits, kd, dir, dir === 'load' ? opLayer : owner);
  };
  const buf = new GlobalBuffer(gb.capacityBits!, (key, e) => {
    inDram[key] = 1;
    move(e.bits, TRAFFIC_KINDS[e.tag % 8], 'store', Math.floor(e.tag / 8) - 1);
  });
  let streamed = 0;
  const pinned: number[] = [];
  /** Make an item resident and pinned; load it from DRAM when it has a copy there. False = streamed. */
  const need = (key: number, bits: number, kd: TrafficKind, owner: number, sticky = false): boolean => {
    if (buf.has(key)) {
      buf.touchPin(key);
      pinned.push(key);
      return true;
    }
    const fromDram = inDram[key] === 1;
    if (fromDram) move(bits, kd, 'load', owner);
    if (!buf.insert(key, bits, !fromDram, tag(owner, kd), sticky)) return false;
    pinned.push(key);
    return true;
  };
  const lastBatch = net.layers.map((l) => T / bOf[l.index] - 1);
  for (let i = 0; i < plan.length; i++) {
    const li = plan.layer[i];
    const tb = plan.batch[i];
    const r = plan.row[i];
    const l = net.layers[li];
    opLayer = li;
    const before = tally.dramBits;
    pinned.length = 0;
    let ok = true;
    if (wBits[li] > 0 && !need(wBase + li, wBits[li], 'weights', li)) ok = false;
    scratch.length = 0;
    inputsOf(li, tb, r, scratch);
    const reads = [...new Set(scratch)];
    for (const key of reads) {
      const p = key >= inBase ? -1 : producerOf(outBase, key);
      const bits = p < 0 ? inRowBits : outRowBits[p];
      const kd = ioKind(p < 0 ? net.input.spiking : net.layers[p].spiking);
      if (!buf.has(key) && inDram[key] !== 1) return { ok: false, reason: `internal: ${l.name} reads a row that was never produced`, layer: l.name };
      if (!need(key, bits, kd, p)) ok = false;
    }
    let stateStreamed = false;
    if (hasState[li]) {
      const key = sBase[li] + r;
      const sticky = placement[li] === 'onchip';
      if (!need(key, sRowBits[li], 'state', li, sticky)) {
        if (sticky) return { ok: false, reason: `the state of ${l.name} is placed on chip but does not fit in ${gb.name} (${gb.capacityBits} bits) beside the data its ops need`, layer: l.name };
        stateStreamed = true;
        ok = false;
      }
    }
    const psumKey = nKeys; // transient
    if (psumRowBits[li] > 0) {
      if (buf.insert(psumKey, psumRowBits[li], false, tag(li, 'psums'))) pinned.push(psumKey);
      else {
        move(psumRowBits[li], 'psums', 'store', li);
        move(psumRowBits[li], 'psums', 'load', li);
        ok = false;
      }
    }
    const outKey = outBase[li] + tb * l.outShape.h + r;
    const isOutput = consumers[li].length === 0 || (onlyBlock !== undefined && consumers[li].some((c) => net.layers[c].block !== onlyBlock));
    let outStreamed = false;
    if (buf.insert(outKey, outRowBits[li], true, tag(li, ioKind(l.spiking)))) pinned.push(outKey);
    else outStreamed = true;
    if (!ok || outStreamed) streamed++;
    // on-chip work of this op
    tally.onchip(li, perRow[li], 1 / rowsEval[li]);
    // after the op
    for (const key of pinned) buf.unpin(key);
    buf.remove(psumKey);
    for (const key of reads) {
      if (--uses[key] === 0) buf.remove(key);
    }
    if (hasState[li]) {
      const key = sBase[li] + r;
      const e = buf.get(key);
      const dead = tb === lastBatch[li];
      if (e) e.dirty = true;
      if (dead) {
        if (compat) move(sRowBits[li], 'state', 'store', li);
        buf.remove(key);
      } else if (placement[li] === 'spill' || stateStreamed) {
        move(sRowBits[li], 'state', 'store', li);
        inDram[key] = 1;
        buf.remove(key);
      }
    }
    if (isOutput || outStreamed) {
      move(outRowBits[li], ioKind(l.spiking), 'store', li);
      inDram[outKey] = 1;
      if (uses[outKey] === 0 || outStreamed) buf.remove(outKey);
      else {
        const e = buf.get(outKey);
        if (e) e.dirty = false; // written out for a later block; kept for the consumers inside this one
      }
    }
    tally.cycles(li, perRow[li].cycles / rowsEval[li], tally.dramBits - before);
  }
  for (let key = 0; key < nKeys; key++) {
    if (uses[key] !== 0) return { ok: false, reason: `internal: a produced row was not consumed by every consumer (item ${key})` };
  }
  const layerStatic = net.layers.map((l) => ({
    state_bytes: hasState[l.index] ? stateBits(l) / 8 : 0,
    weight_bytes: wBits[l.index] / 8,
    output_bytes: outputBits(l, T) / 8,
    ops_dense: denseOps(l),
    placement: placement[l.index],
  }));
  return { ok: true, result: tally.result(sched, compat, layerStatic, buf.peak, streamed) };
}

/** The layer whose output item space holds `key` (binary search over the bases). */
function producerOf(outBase: readonly number[], key: number): number {
  let lo = 0;
  let hi = outBase.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (outBase[mid] <= key) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
