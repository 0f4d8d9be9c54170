/** Where SNN reductions complete in a mapping, and the loop-order rules SNN semantics impose. */
import type { Mapping } from '../mapping/types.ts';

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

/**
 * Whether a tensor's reduction (over the dims it does not depend on) completes within one residency of its tile at
 * arch level `level`: no spatial split of a reduction dim above the level, and, walking outward from the level,
 * every reduction loop comes before the first loop that changes the tile.
 */
export function reductionCompletesAt(mapping: Mapping, level: number, relevant: ReadonlySet<number>): boolean {
  const above = loopsOuterToInner(mapping).filter((l) => l.level < level).reverse();
  let seenRelevant = false;
  for (const l of above) {
    const isRelevant = relevant.has(l.dim);
    if (l.spatial && !isRelevant) return false;
    if (l.spatial) continue;
    if (isRelevant) seenRelevant = true;
    else if (seenRelevant) return false;
  }
  return true;
}

/** The innermost kept level where the reduction completes (the outermost kept level always qualifies). */
export function completionLevel(mapping: Mapping, keep: readonly boolean[], relevant: ReadonlySet<number>): number {
  let outermostKept = -1;
  for (let l = 0; l < keep.length; l++) if (keep[l]) {
    outermostKept = l;
    break;
  }
  for (let l = keep.length - 1; l >= 0; l--) {
    if (keep[l] && (l === outermostKept || reductionCompletesAt(mapping, l, relevant))) return l;
  }
  return outermostKept;
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
