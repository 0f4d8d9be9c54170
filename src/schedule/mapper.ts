/**
 * A default intra-layer mapping generator for chunks of network layers (used when no mapper from search/ is
 * injected): greedy, capacity-aware, deterministic.
 * 1. keep: the off-chip level keeps every tensor; a level that declares `holds` keeps only those roles; others
 *    keep everything.
 * 2. spatial: at each level with a fan-out, X takes the largest divisor of K (then C, P, Q) that fits, Y takes P
 *    (then C, Q, K); T is never split in space.
 * 3. temporal: every remaining prime factor starts at the off-chip level; from the innermost level outwards, each
 *    factor is moved down (reduction dims first, T last) when every tile it grows still fits its level.
 *    Loop order at each level: T, K, P, Q, C, R, S (outer to inner), so a reduction completes inside a level.
 */
import type { Arch } from '../arch/types.ts';
import { storedBits } from '../arch/types.ts';
import { physicalFanout } from '../arch/fanout.ts';
import type { LevelMapping, Loop, Mapping, SpatialLoop } from '../mapping/types.ts';
import type { Workload } from '../workload/types.ts';

const ORDER = ['T', 'N', 'K', 'P', 'Q', 'C', 'R', 'S'];
const MOVE_PREF = ['R', 'S', 'C', 'Q', 'P', 'K', 'N', 'T'];

function primeFactors(n: number): number[] {
  const out: number[] = [];
  for (let p = 2; p * p <= n; p++) while (n % p === 0) (out.push(p), (n /= p));
  if (n > 1) out.push(n);
  return out;
}

function largestDivisorAtMost(n: number, cap: number): number {
  for (let f = Math.min(n, cap); f >= 1; f--) if (n % f === 0) return f;
  return 1;
}

const rank = (w: Workload, d: number): number => {
  const i = ORDER.indexOf(w.dims[d]);
  return i < 0 ? ORDER.length : i;
};

export function defaultMapping(arch: Arch, w: Workload): Mapping {
  const L = arch.levels.length;
  const D = w.dims.length;
  const keep = arch.levels.map((lvl) => w.tensors.map((t) => lvl.offChip || !lvl.holds || lvl.holds.includes(t.role)));
  const remaining = [...w.sizes];
  const spatial: SpatialLoop[][] = arch.levels.map(() => []);
  const spatialF: number[][] = arch.levels.map(() => new Array<number>(D).fill(1));
  const timeDim = w.dims.indexOf('T');
  for (let e = 0; e < L; e++) {
    const f = physicalFanout(arch, e);
    const place = (axis: 'X' | 'Y', cap: number, prefs: readonly string[]): void => {
      let left = cap;
      for (const name of prefs) {
        const d = w.dims.indexOf(name);
        if (d < 0 || d === timeDim || left <= 1) continue;
        const g = largestDivisorAtMost(remaining[d], left);
        if (g <= 1) continue;
        spatial[e].push({ dim: d, factor: g, axis });
        spatialF[e][d] *= g;
        remaining[d] /= g;
        left = Math.floor(left / g);
      }
    };
    if (f.y > 1) place('Y', f.y, ['P', 'C', 'Q', 'K']);
    if (f.x > 1) place('X', f.x, ['K', 'C', 'P', 'Q']);
    spatial[e].sort((a, b) => (a.axis === b.axis ? 0 : a.axis === 'Y' ? -1 : 1));
  }
  // temporal factors per level
  const temporal: number[][] = arch.levels.map(() => new Array<number>(D).fill(1));
  const factors: { dim: number; p: number }[] = [];
  for (let d = 0; d < D; d++) for (const p of primeFactors(remaining[d])) factors.push({ dim: d, p });
  temporal[0] = [...remaining];
  const prefRank = (d: number): number => {
    const i = MOVE_PREF.indexOf(w.dims[d]);
    return i < 0 ? MOVE_PREF.length : i;
  };
  factors.sort((a, b) => prefRank(a.dim) - prefRank(b.dim) || a.p - b.p);
  const membrane = w.snn?.accumulation === 'membrane';
  const fits = (upTo: number): boolean => {
    for (let j = 1; j <= upTo; j++) {
      const cap = arch.levels[j].capacityBits;
      if (cap === null) continue;
      const tile = new Array<number>(D).fill(1);
      for (let i = j; i < L; i++) for (let d = 0; d < D; d++) tile[d] *= temporal[i][d] * spatialF[i][d];
      let bits = 0;
      w.tensors.forEach((t, ti) => {
        if (!keep[j][ti]) return;
        let size = 1;
        for (const r of t.projection) {
          let ext = 1;
          for (const term of r) ext += term.coeff * (tile[term.dim] - 1);
          size *= ext;
        }
        bits += size * storedBits(arch.levels[j], t.bits) * (arch.levels[j].doubleBuffered ? 2 : 1);
      });
      if (bits > cap) return false;
    }
    return true;
  };
  if (!fits(L - 1)) {
    // even the spatial tiles do not fit: leave everything outermost; the layer model reports the problem
  } else {
    for (let e = L - 1; e >= 1; e--) {
      for (const f of factors) {
        if (temporal[0][f.dim] % f.p !== 0) continue;
        if (membrane && f.dim === timeDim) continue; // T stays outermost: a timestep integrates fully first
        temporal[0][f.dim] /= f.p;
        temporal[e][f.dim] *= f.p;
        if (!fits(e)) {
          temporal[e][f.dim] /= f.p;
          temporal[0][f.dim] *= f.p;
        }
      }
    }
  }
  const dimsInOrder = [...Array(D).keys()].sort((a, b) => rank(w, a) - rank(w, b));
  const levels: LevelMapping[] = arch.levels.map((_, e) => {
    const loops: Loop[] = [];
    for (const d of dimsInOrder) if (temporal[e][d] > 1) loops.push({ dim: d, factor: temporal[e][d] });
    return { temporal: loops, spatial: spatial[e], keep: keep[e] };
  });
  return { levels };
}
