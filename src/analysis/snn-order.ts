/**
 * Where SNN reductions complete in a mapping, and the loop-order rules SNN semantics impose (DESIGN.md §2).
 *
 * A synaptic current (Psum) accumulates at its innermost kept level. Partial sums may leave that level and come back
 * (a reduction loop above it spills them), but the last accumulation of each element always happens there, so the
 * completed current exists at the innermost kept level, unless a reduction dim is split spatially above it: then
 * partials from several instances meet only where they are reduced in the network. The neuron unit reads the
 * completed current where it first exists (the *completion level*), and the completed value is never written further
 * out. Levels outside the innermost level at which a whole reduction fits in one tile residency never see a partial
 * sum: Psum is not kept there at all.
 */
import type { Mapping } from '../mapping/types.ts';

export interface PsumCompletion {
  /** Innermost kept level (outermost-first index) where the completed current exists: the neuron unit reads it here. */
  readonly inner: number;
  /** Innermost kept level where the whole reduction fits in one tile residency (no partial sum goes further out). */
  readonly outer: number;
}

/**
 * Levels are outermost-first; Psum is kept at level e when keep[e * stride + offset] is non-zero; `relevant[d]` is
 * 1 for the dims the Psum depends on (the others are its reduction dims). Returns -1 levels when nothing keeps it.
 */
export function psumCompletion(mapping: Mapping, keep: ArrayLike<number>, stride: number, offset: number, relevant: ArrayLike<number>): PsumCompletion {
  const L = mapping.levels.length;
  const kept = (e: number): boolean => keep[e * stride + offset] !== 0;
  let outermostKept = -1;
  for (let e = 0; e < L; e++) {
    if (kept(e)) {
      outermostKept = e;
      break;
    }
  }
  let inner = outermostKept;
  let outer = outermostKept;
  for (let e = L - 1; e > outermostKept; e--) {
    if (!kept(e)) continue;
    const c = completesAt(mapping, e, relevant);
    if (c === 2 && outer === outermostKept) outer = e;
    if (c >= 1 && inner === outermostKept) inner = e;
    if (outer !== outermostKept) break;
  }
  return { inner, outer: Math.min(outer, inner) };
}

/**
 * Walk the loops of the levels outside `level` from the inside out (per level: X, then Y spatial, then temporal).
 * 0: a reduction dim is split spatially above the level (partials of several instances meet further out);
 * 1: the completed value exists at the level, but a reduction loop above it spills partials;
 * 2: every reduction loop comes before the first loop that changes the tile (one residency completes it).
 */
function completesAt(mapping: Mapping, level: number, relevant: ArrayLike<number>): 0 | 1 | 2 {
  let seenRelevant = false;
  let spills = false;
  for (let e = level - 1; e >= 0; e--) {
    const m = mapping.levels[e];
    for (let i = m.spatial.length - 1; i >= 0; i--) {
      const s = m.spatial[i];
      if (s.factor > 1 && !relevant[s.dim]) return 0;
    }
    for (let i = m.temporal.length - 1; i >= 0; i--) {
      const l = m.temporal[i];
      if (l.factor <= 1) continue;
      if (relevant[l.dim]) seenRelevant = true;
      else if (seenRelevant) spills = true;
    }
  }
  return spills ? 1 : 2;
}

interface OrderedLoop {
  readonly dim: number;
  readonly spatial: boolean;
  /** Outermost-first arch level index. */
  readonly level: number;
}

/** Every loop with factor > 1, outermost first (per level: temporal loops, then Y, then X spatial loops). */
export function loopsOuterToInner(mapping: Mapping): OrderedLoop[] {
  const out: OrderedLoop[] = [];
  mapping.levels.forEach((m, level) => {
    for (const t of m.temporal) if (t.factor > 1) out.push({ dim: t.dim, spatial: false, level });
    for (const axis of ['Y', 'X'] as const)
      for (const s of m.spatial) if (s.axis === axis && s.factor > 1) out.push({ dim: s.dim, spatial: true, level });
  });
  return out;
}

/** Membrane accumulation: every T loop must sit outside all reduction loops. Returns the offending pair if not. */
export function timeOutsideReductions(
  mapping: Mapping,
  timeDim: number,
  reductionDims: readonly number[],
): { ok: true } | { ok: false; reductionLevel: number; timeLevel: number; reductionDim: number } {
  const loops = loopsOuterToInner(mapping);
  let firstReduction: OrderedLoop | undefined;
  for (const l of loops) {
    if (reductionDims.includes(l.dim) && !firstReduction) firstReduction = l;
    if (l.dim === timeDim && firstReduction) {
      return { ok: false, reductionLevel: firstReduction.level, timeLevel: l.level, reductionDim: firstReduction.dim };
    }
  }
  return { ok: true };
}
