/**
 * Who observes a level's loop order, per tiling. The default observers (space.observers) hold for any tiling. At the
 * innermost level, when it fans out to the compute units, the children read raw operands: every advance of a loop
 * there brings a new operand, and only the neighbour (link) transfers of the fan-out depend on the order. A
 * sliding-window rank (P + R) whose dims are not split across that fan-out (its children all see the same offset
 * in that rank) and whose loops at that level cannot cancel each other (at most one of its dims loops there, or
 * two with different coefficients: a step of one never equals a step of the other, as stride 2 against dilation 1)
 * moves at every advance that touches it, out of reach of every neighbour: then its dims act as anchors
 * (mapspace/orders.ts) and the tensor's order summary collapses. The variant is a bit mask over tensors.
 */
import { type DimClass } from './orders.ts';
import type { MapSpace } from './space.ts';

interface SlideRank {
  readonly dims: readonly number[];
  readonly coeffs: readonly number[];
}

const CACHE = new WeakMap<MapSpace, { ranks: (readonly SlideRank[])[]; raw: number; spatial: number[]; lists: Map<number, DimClass[][]> }>();

function info(space: MapSpace) {
  let x = CACHE.get(space);
  if (!x) {
    const L = space.levels;
    const spatial = space.slots.map((s, i) => (s.kind !== 'temporal' && s.level === L - 1 ? i : -1)).filter((i) => i >= 0);
    const raw = spatial.length > 0 && space.observers[L - 1].length > 0 ? L - 1 : -1;
    const ranks = space.workload.tensors.map((t) =>
      t.projection
        .map((rank) => rank.filter((term) => term.coeff !== 0))
        .filter((terms) => terms.length > 1)
        .map((terms) => ({ dims: terms.map((term) => term.dim), coeffs: terms.map((term) => Math.abs(term.coeff)) })),
    );
    x = { ranks, raw, spatial, lists: new Map() };
    CACHE.set(space, x);
  }
  return x;
}

/** Bit t set: tensor t's sliding-window dims act as anchors at level l for this tiling ([d * S + s]). */
export function observerVariant(space: MapSpace, tiling: ArrayLike<number>, l: number): number {
  const x = info(space);
  if (l !== x.raw) return 0;
  const S = space.slots.length;
  let bits = 0;
  for (let t = 0; t < x.ranks.length; t++) {
    const ranks = x.ranks[t];
    if (ranks.length === 0) continue;
    let ok = true;
    for (const r of ranks) {
      let looping = 0;
      for (const d of r.dims) {
        for (const s of x.spatial) if (tiling[d * S + s] > 1) ok = false;
        if (tiling[d * S + l] > 1) looping++;
      }
      if (looping > 1 && !(r.dims.length === 2 && r.coeffs[0] !== r.coeffs[1])) ok = false;
      if (!ok) break;
    }
    if (ok) bits |= 1 << t;
  }
  return bits;
}

/** The observers of level l under a variant (memoized). */
export function observersFor(space: MapSpace, l: number, variant: number): readonly (readonly DimClass[])[] {
  if (variant === 0) return space.observers[l];
  const x = info(space);
  const key = l * 2 ** 31 + variant;
  let list = x.lists.get(key);
  if (!list) {
    list = space.observers[l].map((cls, t) => (variant & (1 << t) ? cls.map((c) => (c === 'slide' ? 'anchor' : c)) : [...cls]));
    x.lists.set(key, list);
  }
  return list;
}
