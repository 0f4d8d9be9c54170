/**
 * Axis-aligned hyper-rectangles (AAHRs) over a tensor's coordinate space, with the delta ("new points") rule that
 * Timeloop v3.0.3 applies between consecutive tiles: a tile that moves along exactly one axis reuses its overlap;
 * any other change brings in the whole new tile; and a change of sliding direction (gradient) discards the
 * residual (RESET_ON_GRADIENT_CHANGE in Timeloop's point-set-aahr).
 */

export interface Box {
  /** Inclusive lower corner. */
  readonly min: Int32Array;
  /** Exclusive upper corner. */
  readonly max: Int32Array;
}

export interface Gradient {
  dim: number;
  value: number;
}

export const ZERO_GRADIENT: Readonly<Gradient> = Object.freeze({ dim: 0, value: 0 });

export function emptyBox(rank: number): Box {
  return { min: new Int32Array(rank), max: new Int32Array(rank) };
}

export function boxSize(b: Box): number {
  let s = 1;
  for (let i = 0; i < b.min.length; i++) s *= b.max[i] - b.min[i];
  return s;
}

export function boxEqual(a: Box, b: Box): boolean {
  for (let i = 0; i < a.min.length; i++) if (a.min[i] !== b.min[i] || a.max[i] !== b.max[i]) return false;
  return true;
}

export function copyBox(b: Box): Box {
  return { min: Int32Array.from(b.min), max: Int32Array.from(b.max) };
}

function sign(v: number): number {
  return v < 0 ? -1 : v > 0 ? 1 : 0;
}

/** Set difference `next - prev` as Timeloop's AAHR Subtract computes it, with the gradient it implies. */
function subtract(next: Box, prev: Box): { delta: Box; grad: Gradient } {
  const rank = next.min.length;
  if (boxSize(next) === 0 || boxSize(prev) === 0) return { delta: next, grad: { dim: 0, value: 0 } };
  if (boxEqual(next, prev)) return { delta: emptyBox(rank), grad: { dim: 0, value: 0 } };
  for (let d = 0; d < rank; d++) {
    if (prev.max[d] <= next.min[d] || prev.min[d] >= next.max[d]) return { delta: next, grad: { dim: 0, value: 0 } };
  }
  const min = Int32Array.from(next.min);
  const max = Int32Array.from(next.max);
  let found = false;
  const grad: Gradient = { dim: 0, value: 0 };
  for (let d = 0; d < rank; d++) {
    if (next.min[d] === prev.min[d] && next.max[d] === prev.max[d]) continue;
    // Moved along more than one axis: keep the whole new tile, no gradient.
    if (found) return { delta: next, grad: { dim: 0, value: 0 } };
    found = true;
    if (prev.min[d] <= next.min[d]) {
      if (prev.max[d] <= next.max[d]) {
        grad.dim = d;
        grad.value = prev.max[d] - next.min[d];
        min[d] = prev.max[d];
      } else {
        grad.dim = 0;
        grad.value = 0;
        max[d] = next.min[d];
      }
    } else if (prev.max[d] < next.max[d]) {
      // A fracture (prev strictly inside next along this axis): Timeloop asserts; keep the whole tile.
      return { delta: next, grad: { dim: 0, value: 0 } };
    } else {
      grad.dim = d;
      grad.value = prev.min[d] - next.max[d];
      max[d] = prev.min[d];
    }
    if (min[d] === max[d]) return { delta: emptyBox(rank), grad: { dim: 0, value: 0 } };
  }
  return { delta: { min, max }, grad };
}

/** A tile remembered at a loop level between invocations: its box and the gradient of its last move. */
export interface TrackedBox {
  box: Box;
  grad: Gradient;
}

/**
 * The delta of `next` against the remembered previous tile, updating the memory in place (Timeloop's
 * `delta = point_set - last_point_set; last_point_set = point_set`).
 */
export function deltaAndRemember(next: Box, memory: TrackedBox): Box {
  const { delta: raw, grad: g } = subtract(next, memory.box);
  let delta = raw;
  let newGrad: Gradient;
  const prevGrad = memory.grad;
  if (prevGrad.value === 0) newGrad = g;
  else if (g.value === 0 && boxSize(raw) === 0) newGrad = g;
  else if (prevGrad.dim === g.dim && sign(prevGrad.value) === sign(g.value)) newGrad = g;
  else {
    delta = next;
    newGrad = { dim: 0, value: 0 };
  }
  memory.box = next;
  memory.grad = newGrad;
  return delta;
}

/** Translation vector from a to b (both of the same shape; empty boxes translate by zero). */
export function translation(a: Box, b: Box): Int32Array {
  const t = new Int32Array(a.min.length);
  if (boxSize(a) === 0 || boxSize(b) === 0) return t;
  for (let i = 0; i < t.length; i++) t[i] = b.min[i] - a.min[i];
  return t;
}

export function translated(b: Box, t: Int32Array): Box {
  if (boxSize(b) === 0) return b;
  const min = Int32Array.from(b.min);
  const max = Int32Array.from(b.max);
  for (let i = 0; i < t.length; i++) {
    min[i] += t[i];
    max[i] += t[i];
  }
  return { min, max };
}
