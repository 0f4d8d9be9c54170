/**
 * The order of row operations a schedule runs: one op = one output row of one layer for one time batch.
 * Per block, time batches are outermost (t0 = 0, b, 2b, ...); inside a batch:
 *  - whole layer (tileRows null): each layer of the block in order, all its rows (STEMS LBL);
 *  - fused (tileRows k): depth-first: each step, the block's source layers (no producer inside the block) compute
 *    their next k rows, then every other layer computes every row its in-block producers now allow, in layer order
 *    (STEMS F with "deepest ready layer"; k = 1 is STEMS's one row/column per chunk).
 */
import type { Network, NetworkLayer } from '../workload/network.ts';
import type { NetworkSchedule } from './types.ts';

export interface Plan {
  /** Parallel arrays, one entry per op, in execution order. */
  readonly layer: Int32Array;
  readonly batch: Int32Array;
  readonly row: Int32Array;
  /** First op index of each chunk (a run of consecutive ops of one layer in one batch) for per-chunk timing. */
  readonly length: number;
}

/** Input rows [lo, hi] of producer row space that output row `r` of layer `l` reads. */
export function inputRows(l: NetworkLayer, r: number, producerRows: number): [number, number] {
  if (l.op === 'fc') return [0, producerRows - 1];
  if (l.op === 'add') return [r, r];
  const lo = r * l.stride[0] - l.padding[0];
  return [Math.max(0, lo), Math.min(producerRows - 1, lo + l.kernel[0] - 1)];
}

/** Rows of `l` computable when its producer has produced rows [0, avail) of `producerRows`. */
function computable(l: NetworkLayer, avail: number, producerRows: number): number {
  const P = l.outShape.h;
  if (avail >= producerRows) return P;
  if (l.op === 'fc') return 0;
  if (l.op === 'add') return Math.min(P, avail);
  // last row r with r*s - pad + R - 1 <= avail - 1
  const r = Math.floor((avail - 1 + l.padding[0] - (l.kernel[0] - 1)) / l.stride[0]);
  return Math.max(0, Math.min(P, r + 1));
}

export function buildPlan(net: Network, sched: NetworkSchedule, onlyBlock?: number): Plan {
  const L: number[] = [];
  const B: number[] = [];
  const R: number[] = [];
  const push = (l: number, b: number, r: number): void => {
    L.push(l);
    B.push(b);
    R.push(r);
  };
  net.blocks.forEach((block, bi) => {
    if (onlyBlock !== undefined && bi !== onlyBlock) return;
    const s = sched.blocks[bi];
    const nb = net.timesteps / s.timeBatch;
    const inBlock = new Set(block.layers);
    for (let tb = 0; tb < nb; tb++) {
      if (s.tileRows === null) {
        for (const li of block.layers) for (let r = 0; r < net.layers[li].outShape.h; r++) push(li, tb, r);
        continue;
      }
      const done = new Map<number, number>(block.layers.map((li) => [li, 0]));
      const all = (): boolean => block.layers.every((li) => done.get(li)! >= net.layers[li].outShape.h);
      while (!all()) {
        for (const li of block.layers) {
          const l = net.layers[li];
          const prods = l.inputs.filter((p) => p >= 0 && inBlock.has(p));
          let target: number;
          if (prods.length === 0) target = Math.min(l.outShape.h, done.get(li)! + s.tileRows);
          else target = Math.min(...prods.map((p) => computable(l, done.get(p)!, net.layers[p].outShape.h)));
          for (let r = done.get(li)!; r < target; r++) push(li, tb, r);
          if (target > done.get(li)!) done.set(li, target);
        }
      }
    }
  });
  return { layer: Int32Array.from(L), batch: Int32Array.from(B), row: Int32Array.from(R), length: L.length };
}
