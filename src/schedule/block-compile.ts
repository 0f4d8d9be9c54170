/**
 * Compiling one block run (block-sim.ts): everything that does not depend on where the boundary's lines are - the
 * item keys, the plan of chunk ops (oversized chunks split), every op's references and their next uses, per-key
 * facts and each op's chunk cost. Compiled once per (block, choice, axis, placements, boundary shape).
 */
import { weightBits } from '../workload/network.ts';
import type { Network } from '../workload/network.ts';
import { buildBlockPlan, inputLines, inputLinesOf, linesOf, type Plan } from './plan.ts';
import type { LayerCost, TileAxis } from './types.ts';
import { KIND, SLOT_IN, SLOT_OUT, SLOT_PSUM, SLOT_STATE, SLOT_W, type BlockInput, type Compiled, type SimContext, type TensorKeys } from './block-types.ts';

/** A text key of what `compileBlock` depends on. */
export function compileKey(inp: BlockInput, net: Network): string {
  const c = inp.choice;
  const shape = inp.entry.tensors.map((t) => `${t.layer}/${t.timeBatch}/${t.axis}/${t.lines}`).join(',');
  const place = net.blocks[inp.bi].layers.map((li) => inp.placement[li][0]).join('');
  return `${inp.bi}|${c.timeBatch}|${c.tileRows ?? 'W'}|${inp.axis}|${place}|${shape}`;
}

export function compileBlock(sim: SimContext, inp: BlockInput): Compiled | { readonly reason: string; readonly layer?: string } {
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

