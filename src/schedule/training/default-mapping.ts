/**
 * A simple heuristic mapping generator for one layer workload (the training orchestration injects a `MapLayer`
 * so the real mapper can replace it). It fills the PE array spatially with the largest divisors of the output
 * dims, then, level by level from the innermost outward, moves prime factors inward while the kept tiles fit the
 * level's capacity; what is left stays at DRAM. A level that declares `holds` keeps those tensor roles only;
 * for the other middle buffers it tries a few keep policies (all tensors, weights only, everything but the
 * weights). With two DRAM loop orders (T inside or outside the reduction) it returns the candidate with the lowest
 * energy under the injected evaluator.
 */
import { storedBits, type Arch } from '../../arch/types.ts';
import { physicalFanout } from '../../arch/fanout.ts';
import type { LevelMapping, Loop, Mapping, SpatialLoop } from '../../mapping/types.ts';
import type { Workload } from '../../workload/types.ts';

/** The evaluator the orchestration injects: energy of a valid mapping, or a reason why it cannot run. */
export type ScoreMapping = (arch: Arch, w: Workload, m: Mapping) => { ok: true; energy: number; cycles: number } | { ok: false; reason: string };

export type MapLayer = (arch: Arch, w: Workload) => { ok: true; mapping: Mapping } | { ok: false; reason: string };

function primeFactors(n: number): number[] {
  const out: number[] = [];
  let x = n;
  for (let p = 2; p * p <= x; p++) while (x % p === 0) {
    out.push(p);
    x /= p;
  }
  if (x > 1) out.push(x);
  return out;
}

function largestDivisorAtMost(n: number, cap: number): number {
  for (let f = Math.min(n, cap); f >= 1; f--) if (n % f === 0) return f;
  return 1;
}

/** Bits of the kept tiles at level `e` when the factors at levels >= e are `inner` (per dim). */
function tileBits(arch: Arch, w: Workload, e: number, inner: readonly number[], keep: readonly boolean[]): number {
  let bits = 0;
  w.tensors.forEach((t, ti) => {
    if (!keep[ti]) return;
    let size = 1;
    for (const rank of t.projection) {
      let ext = 1;
      for (const term of rank) ext += term.coeff * (inner[term.dim] - 1);
      size *= ext;
    }
    bits += size * storedBits(arch.levels[e], t.bits);
  });
  return bits * (arch.levels[e].doubleBuffered ? 2 : 1);
}

type KeepClass = 'all' | 'weights' | 'others';

/**
 * Whether a level built for `holds` keeps a tensor of `role`. An accumulation is a partial sum while it
 * accumulates and an output once complete, so `psum` and `output` stand for each other: a psum scratchpad holds a
 * real-valued output (TT cores, gradients) and an output buffer holds partial sums that spill from the PEs.
 */
export function levelHolds(holds: readonly string[], role: string): boolean {
  return holds.includes(role) || (role === 'output' && holds.includes('psum')) || (role === 'psum' && holds.includes('output'));
}

interface Candidate {
  readonly keep: readonly KeepClass[];
  /** DRAM loop order, outermost first (dim names; unknown names are skipped). */
  readonly dramOrder: readonly string[];
  /** Order in which dims are moved inward; `perPe: false` dims stay out of the per-PE levels. */
  readonly moveOrder: readonly string[];
  readonly timeInPe: boolean;
}

function build(arch: Arch, w: Workload, cand: Candidate): Mapping | undefined {
  const L = arch.levels.length;
  const D = w.dims.length;
  const idx = (n: string): number => w.dims.indexOf(n);
  const remaining = [...w.sizes];
  const spatial: SpatialLoop[][] = arch.levels.map(() => []);
  const isWeight = w.tensors.map((t) => t.role === 'weight');
  const keep: boolean[][] = arch.levels.map((lvl, e) =>
    w.tensors.map((t, ti) => {
      if (e === 0) return true;
      if (lvl.holds) return levelHolds(lvl.holds, t.role);
      if (e === L - 1) return true;
      return cand.keep[e] === 'all' ? true : cand.keep[e] === 'weights' ? isWeight[ti] : !isWeight[ti];
    }),
  );
  // Spatial: X prefers Q, P, N; Y prefers K, C, P. T stays temporal (timesteps of a neuron run in order).
  const xPref = ['Q', 'P', 'N', 'K', 'C'];
  const yPref = ['K', 'C', 'P', 'Q', 'N'];
  for (let e = 0; e < L; e++) {
    const f = physicalFanout(arch, e);
    const pick = (cap: number, pref: string[], axis: 'X' | 'Y', avoid: number): number => {
      let best = { dim: -1, f: 1 };
      for (const n of pref) {
        const d = idx(n);
        if (d < 0 || d === avoid) continue;
        const g = largestDivisorAtMost(remaining[d], cap);
        if (g > best.f) best = { dim: d, f: g };
      }
      if (best.dim >= 0) {
        spatial[e].push({ dim: best.dim, factor: best.f, axis });
        remaining[best.dim] /= best.f;
      }
      return best.dim;
    };
    if (f.y > 1 || f.x > 1) {
      const yd = f.y > 1 ? pick(f.y, yPref, 'Y', -1) : -1;
      if (f.x > 1) pick(f.x, xPref, 'X', yd);
    }
  }
  // Temporal: everything starts at DRAM; move prime factors inward level by level while the tiles fit.
  const temporal: number[][] = arch.levels.map(() => new Array<number>(D).fill(1));
  const inner = new Array<number>(D).fill(1); // product of factors at levels >= e (temporal and spatial)
  const order = [...cand.moveOrder.map(idx), ...w.dims.map((_, i) => i)].filter((d, i, a) => d >= 0 && a.indexOf(d) === i);
  const perPe = (e: number): boolean => arch.levels[e].instances === arch.compute.instances && arch.compute.instances > 1;
  const frozen = (e: number, d: number): boolean => !cand.timeInPe && perPe(e) && (w.dims[d] === 'T' || w.dims[d] === 'N');
  // A factor moved into level e grows the tiles of every level outside it too (they hold supersets): check them
  // all, with the spatial factors already placed between them and e.
  const fitsFrom = (e: number): boolean => {
    const ext = [...inner];
    for (let j = e; j >= 1; j--) {
      if (j < e) for (const s of spatial[j]) ext[s.dim] *= s.factor;
      const cap = arch.levels[j].capacityBits;
      if (cap !== null && tileBits(arch, w, j, ext, keep[j]) > cap) return false;
    }
    return true;
  };
  for (let e = L - 1; e >= 1; e--) {
    for (const s of spatial[e]) inner[s.dim] *= s.factor;
    if (!fitsFrom(e)) return undefined;
    for (const d of order) {
      if (frozen(e, d)) continue;
      for (const p of primeFactors(remaining[d])) {
        inner[d] *= p;
        if (fitsFrom(e)) {
          temporal[e][d] *= p;
          remaining[d] /= p;
        } else {
          inner[d] /= p;
          break;
        }
      }
    }
  }
  for (const s of spatial[0]) inner[s.dim] *= s.factor;
  for (let d = 0; d < D; d++) temporal[0][d] = remaining[d];
  const loopsAt = (e: number, orderNames: readonly string[]): Loop[] => {
    const ord = [...orderNames.map(idx), ...w.dims.map((_, i) => i)].filter((d, i, a) => d >= 0 && a.indexOf(d) === i);
    return ord.filter((d) => temporal[e][d] > 1).map((d) => ({ dim: d, factor: temporal[e][d] }));
  };
  const levels: LevelMapping[] = arch.levels.map((_, e) => ({
    temporal: loopsAt(e, e === 0 ? cand.dramOrder : ['N', 'K', 'C', 'P', 'Q', 'T', 'R', 'S']),
    spatial: spatial[e],
    keep: keep[e],
  }));
  return { levels };
}

/** The default mapper: a few heuristic candidates, the valid one with the lowest energy x cycles under `score`. */
export function defaultMapper(score: ScoreMapping): MapLayer {
  return (arch, w) => {
    const L = arch.levels.length;
    const middle = Math.max(0, L - 2);
    const classes: KeepClass[][] = [[]];
    for (let i = 0; i < middle; i++) {
      if (arch.levels[i + 1].holds) {
        classes.forEach((c) => c.push('all')); // fixed by the level's holds
        continue;
      }
      const next: KeepClass[][] = [];
      for (const c of classes) for (const k of ['all', 'weights', 'others'] as const) next.push([...c, k]);
      classes.splice(0, classes.length, ...next);
    }
    const orders = [
      ['N', 'K', 'P', 'Q', 'T', 'C', 'R', 'S'],
      ['N', 'K', 'C', 'R', 'S', 'P', 'Q', 'T'],
    ];
    const moves = [
      { moveOrder: ['R', 'S', 'C', 'K', 'Q', 'P', 'T', 'N'], timeInPe: true },
      { moveOrder: ['R', 'S', 'C', 'K', 'Q', 'P', 'T', 'N'], timeInPe: false },
      { moveOrder: ['R', 'S', 'K', 'C', 'P', 'Q', 'T', 'N'], timeInPe: false },
    ];
    let best: { mapping: Mapping; edp: number } | undefined;
    let lastReason = 'no candidate mapping fits the capacities';
    for (const ks of classes) {
      const keep: KeepClass[] = (['all', ...ks, 'all'] as KeepClass[]).slice(0, L);
      for (const dramOrder of orders) for (const mv of moves) {
        const m = build(arch, w, { keep, dramOrder, ...mv });
        if (!m) continue;
        const s = score(arch, w, m);
        if (!s.ok) {
          lastReason = s.reason;
          continue;
        }
        const edp = s.energy * s.cycles;
        if (!best || edp < best.edp) best = { mapping: m, edp };
      }
    }
    return best ? { ok: true, mapping: best.mapping } : { ok: false, reason: lastReason };
  };
}
