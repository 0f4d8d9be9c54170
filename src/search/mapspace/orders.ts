/**
 * Loop orders that can differ in cost. At one level, swapping two adjacent temporal loops changes nothing for a
 * tensor when both loops are irrelevant to it (the tile sequence is identical), or both are relevant through
 * single-term ranks only (every step of either loop brings a disjoint, full new tile, so fills and reads are the
 * same). It can matter when a loop is relevant through a sliding-window rank (P+R: halos are reused only along the
 * innermost changing loop). Only tensors kept at a level below the loops observe their order (above a tensor's
 * innermost kept level the loops only repeat compute reads). So the order of one level is summarised per observing
 * tensor by its sequence of loops, with runs of irrelevant loops and runs of plain relevant loops taken as sets;
 * equal summaries = equal cost. The test suite checks this against the model on random mappings.
 */
import type { Workload } from '../../workload/types.ts';

/** How a dim's loops affect a tensor's tile sequence. `inv`: not on the tensor's nest at all (state, spikes). */
export type DimClass = 'inv' | 'irr' | 'rel' | 'slide';

/** Whether a tensor is analysed on the loop nest with the reduction loops removed (DESIGN.md §2). */
function onReducedNest(w: Workload, t: number): boolean {
  if (!w.snn) return false;
  const role = w.tensors[t].role;
  return role === 'spikes-out' || (role === 'state' && w.snn.accumulation === 'psum');
}

export function dimClasses(w: Workload, t: number): DimClass[] {
  const tensor = w.tensors[t];
  const cls: DimClass[] = w.dims.map(() => 'irr');
  for (const rank of tensor.projection) {
    const terms = rank.filter((x) => x.coeff !== 0);
    for (const x of terms) if (cls[x.dim] !== 'slide') cls[x.dim] = terms.length > 1 ? 'slide' : 'rel';
  }
  if (onReducedNest(w, t)) for (const d of w.snn!.reductionDims) cls[d] = 'inv';
  return cls;
}

/** Summary of one order (non-unit dims, outer to inner) for one observer; equal summaries = equal cost. */
function summarise(order: readonly number[], cls: readonly DimClass[]): string {
  if (!cls.includes('slide')) {
    // No sliding window: fills are the product of the loops down to the innermost relevant one, so only the
    // irrelevant loops below it matter (and whether there is a relevant loop at all).
    let lastRel = -1;
    for (let i = 0; i < order.length; i++) if (cls[order[i]] === 'rel') lastRel = i;
    const below = order.slice(lastRel + 1).filter((d) => cls[d] === 'irr').sort((a, b) => a - b);
    return `${lastRel >= 0 ? 'r' : '-'}${below.join('.')};`;
  }
  let out = '';
  let run: number[] = [];
  let runKind: DimClass | '' = '';
  const flush = (): void => {
    if (run.length > 0) out += `${runKind === 'irr' ? '*' : '+'}${run.sort((a, b) => a - b).join('.')};`;
    run = [];
    runKind = '';
  };
  for (const d of order) {
    const k = cls[d];
    if (k === 'inv') continue;
    if (k === 'slide') {
      flush();
      out += `s${d};`;
      continue;
    }
    if (k !== runKind) flush();
    runKind = k;
    run.push(d);
  }
  flush();
  return out;
}

/** Cost-equivalence key of a level's order, given the order observers (class vectors). */
export function orderKey(order: readonly number[], observers: readonly (readonly DimClass[])[]): string {
  let key = '';
  for (const cls of observers) key += summarise(order, cls) + '|';
  return key;
}

/** Whether `order` keeps the dims of `partial` in that relative order (dims missing from `order` are ignored). */
export function respectsPartialOrder(order: readonly number[], partial: readonly number[]): boolean {
  let last = -1;
  for (const d of partial) {
    const i = order.indexOf(d);
    if (i < 0) continue;
    if (i < last) return false;
    last = i;
  }
  return true;
}

/** Rearrange `order` so the dims of `partial` appear in that relative order, on the same positions. */
export function imposePartialOrder(order: readonly number[], partial: readonly number[]): number[] {
  const pos = order.map((d, i) => (partial.includes(d) ? i : -1)).filter((i) => i >= 0);
  const present = partial.filter((d) => order.includes(d));
  const out = [...order];
  pos.forEach((p, k) => (out[p] = present[k]));
  return out;
}

function* permutations(xs: readonly number[]): Generator<number[]> {
  if (xs.length <= 1) {
    yield [...xs];
    return;
  }
  for (let i = 0; i < xs.length; i++) {
    const rest = [...xs.slice(0, i), ...xs.slice(i + 1)];
    for (const p of permutations(rest)) yield [xs[i], ...p];
  }
}

/**
 * One representative per cost-equivalence class of the orders of `dims` (the non-unit loops of a level) that
 * respect `partial`; the first in lexicographic order of each class. Deterministic.
 */
export function orderRepresentatives(dims: readonly number[], observers: readonly (readonly DimClass[])[], partial: readonly number[]): number[][] {
  const seen = new Set<string>();
  const reps: number[][] = [];
  for (const p of permutations(dims)) {
    if (!respectsPartialOrder(p, partial)) continue;
    const k = orderKey(p, observers);
    if (seen.has(k)) continue;
    seen.add(k);
    reps.push(p);
  }
  return reps;
}
