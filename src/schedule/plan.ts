/**
 * The order of chunk operations a schedule runs: one op = a run of consecutive output lines (rows or columns) of
 * one layer for one time batch, evaluated as one chunk by the layer model. Blocks run in order; per block, time
 * batches are outermost (t0 = 0, b, 2b, ...); inside a batch:
 *  - whole layer (tileRows null): each layer of the block in turn, all its lines, in chunks of up to `wholeLines`
 *    lines (STEMS LBL; the chunk size only sets how the layer streams through the buffer);
 *  - fused (tileRows k): depth-first: each step, the block's source layers (no producer inside the block) compute
 *    their next k lines, then every other layer computes, as one chunk, every line its in-block producers now allow,
 *    in layer order (STEMS F with "deepest ready layer"; k = 1 along columns is STEMS's one column per chunk).
 */
import type { Network, NetworkLayer } from '../workload/network.ts';
import type { BlockSchedule, TileAxis } from './types.ts';

export interface Plan {
  /** Parallel arrays, one entry per op, in execution order: layer, time batch, first and last line. */
  readonly layer: Int32Array;
  readonly batch: Int32Array;
  readonly lo: Int32Array;
  readonly hi: Int32Array;
  readonly length: number;
}

/** Lines of a layer's output along an axis. */
export const linesOf = (l: NetworkLayer, axis: TileAxis): number => (axis === 'cols' ? l.outShape.w : l.outShape.h);

/** Lines of the network input along an axis. */
export const inputLinesOf = (net: Network, axis: TileAxis): number => (axis === 'cols' ? net.input.shape.w : net.input.shape.h);

/**
 * The axis of a block: its own, or for a whole-layer block without one the axis of the tensor (produced before the
 * block, described by the boundary it starts from) that feeds its first layer with an outside producer, so its
 * chunks line up with the producer's lines; else rows.
 */
export function blockAxis(net: Network, bi: number, s: BlockSchedule, entry: { readonly tensors: readonly { readonly layer: number; readonly axis: TileAxis }[] }): TileAxis {
  if (s.tileAxis) return s.tileAxis;
  if (s.tileRows !== null) return 'rows';
  for (const li of net.blocks[bi].layers) {
    const p = net.layers[li].inputs.find((x) => x >= 0 && net.layers[x].block !== bi);
    if (p !== undefined) return entry.tensors.find((t) => t.layer === p)?.axis ?? 'rows';
  }
  return 'rows';
}

/** Window of a layer along an axis: kernel, stride, padding. FC layers read every line. */
function window(l: NetworkLayer, axis: TileAxis): [number, number, number] {
  const i = axis === 'cols' ? 1 : 0;
  return [l.kernel[i], l.stride[i], l.padding[i]];
}

/**
 * Producer lines [lo, hi] that output lines [a, b] of layer `l` read; every line when the producer is cut along the
 * other axis (or `l` is an FC layer).
 */
export function inputLines(l: NetworkLayer, a: number, b: number, producerLines: number, sameAxis: boolean, axis: TileAxis): [number, number] {
  if (l.op === 'fc' || !sameAxis) return [0, producerLines - 1];
  if (l.op === 'add') return [a, b];
  const [k, s, pad] = window(l, axis);
  return [Math.max(0, a * s - pad), Math.min(producerLines - 1, b * s - pad + k - 1)];
}

/** Lines of `l` computable when its producer has produced lines [0, avail) of `producerLines`. */
function computable(l: NetworkLayer, avail: number, producerLines: number, axis: TileAxis): number {
  const P = linesOf(l, axis);
  if (avail >= producerLines) return P;
  if (l.op === 'fc') return 0;
  if (l.op === 'add') return Math.min(P, avail);
  const [k, s, pad] = window(l, axis);
  const r = Math.floor((avail - 1 + pad - (k - 1)) / s);
  return Math.max(0, Math.min(P, r + 1));
}

/** The ops of one block (see the file comment). `wholeLines[layer]` is the chunk size of whole-layer blocks. */
export function buildBlockPlan(net: Network, bi: number, s: BlockSchedule, axis: TileAxis, wholeLines: readonly number[]): Plan {
  const L: number[] = [];
  const B: number[] = [];
  const LO: number[] = [];
  const HI: number[] = [];
  const push = (l: number, b: number, lo: number, hi: number): void => {
    L.push(l);
    B.push(b);
    LO.push(lo);
    HI.push(hi);
  };
  const block = net.blocks[bi];
  const nb = net.timesteps / s.timeBatch;
  for (let tb = 0; tb < nb; tb++) {
    if (s.tileRows === null) {
      for (const li of block.layers) {
        const n = linesOf(net.layers[li], axis);
        const u = Math.max(1, Math.min(n, wholeLines[li] ?? n));
        for (let lo = 0; lo < n; lo += u) push(li, tb, lo, Math.min(n, lo + u) - 1);
      }
      continue;
    }
    const done = new Map<number, number>(block.layers.map((li) => [li, 0]));
    const total = (li: number): number => linesOf(net.layers[li], axis);
    const all = (): boolean => block.layers.every((li) => done.get(li)! >= total(li));
    while (!all()) {
      for (const li of block.layers) {
        const l = net.layers[li];
        const prods = l.inputs.filter((p) => p >= 0 && net.layers[p].block === bi);
        const d = done.get(li)!;
        const target = prods.length === 0 ? Math.min(total(li), d + s.tileRows) : Math.min(...prods.map((p) => computable(l, done.get(p)!, total(p), axis)));
        if (target > d) {
          push(li, tb, d, target - 1);
          done.set(li, target);
        }
      }
    }
  }
  return { layer: Int32Array.from(L), batch: Int32Array.from(B), lo: Int32Array.from(LO), hi: Int32Array.from(HI), length: L.length };
}
