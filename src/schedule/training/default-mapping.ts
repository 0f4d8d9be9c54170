/**
 * The heuristic mapping generator for one layer workload (the training orchestration injects a `MapLayer`, so the
 * mapper of `src/search/` can replace it, see search-mapping.ts). For every fan-out it enumerates spatial choices
 * of up to two dims per axis whose factors divide the remaining sizes (so utilization reflects real divisibility:
 * `K13` on 16 columns is 81 %, `K13 x Q...` or `C5 x K3` may do better), then, level by level from the innermost
 * outward, moves prime factors inward while the kept tiles fit the level's capacity; what is left stays at DRAM.
 * A level that declares `holds` keeps those tensor roles only; for the other middle buffers it tries a few keep
 * policies. Over the spatial choices, two DRAM loop orders, three orders of moving factors inward and two loop
 * orders inside the chip it returns the candidate with the lowest energy x cycles under the injected evaluator.
 */
import { storedBits, type Arch } from '../../arch/types.ts';
import { physicalFanout } from '../../arch/fanout.ts';
import type { LevelMapping, Loop, Mapping, SpatialLoop } from '../../mapping/types.ts';
import { relevantDims, type Workload } from '../../workload/types.ts';

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

function divisors(n: number, cap: number): number[] {
  const out: number[] = [];
  for (let f = 2; f <= Math.min(n, cap); f++) if (n % f === 0) out.push(f);
  return out;
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

type AxisChoice = readonly { readonly dim: number; readonly factor: number }[];

/** Up to two dims (not in `avoid`) whose factors divide `remaining` and multiply to at most `cap`; best first. */
export function axisChoices(remaining: readonly number[], allowed: readonly number[], cap: number, keepTop: number): AxisChoice[] {
  const out: { c: AxisChoice; p: number }[] = [{ c: [], p: 1 }];
  for (const d of allowed) for (const f of divisors(remaining[d], cap)) {
    out.push({ c: [{ dim: d, factor: f }], p: f });
    for (const d2 of allowed) {
      if (d2 <= d) continue;
      for (const f2 of divisors(remaining[d2], Math.floor(cap / f))) out.push({ c: [{ dim: d, factor: f }, { dim: d2, factor: f2 }], p: f * f2 });
    }
  }
  // Best utilization first; among equals, fewer dims, then the preference order of `allowed`.
  const pref = (c: AxisChoice): number => c.reduce((a, x) => a * 16 + allowed.indexOf(x.dim), c.length);
  out.sort((a, b) => b.p - a.p || a.c.length - b.c.length || pref(a.c) - pref(b.c));
  const seen = new Map<number, number>();
  const top: AxisChoice[] = [];
  for (const o of out) {
    const n = seen.get(o.p) ?? 0;
    if (n >= 2) continue; // at most two choices per utilization level, so the candidates differ in what matters
    seen.set(o.p, n + 1);
    top.push(o.c);
    if (top.length >= keepTop) break;
  }
  return top;
}

/** Spatial candidates for every fan-out level: combinations of Y and X choices, best total utilization first. */
function spatialCandidates(arch: Arch, w: Workload, count: number): SpatialLoop[][][] {
  const idx = (n: string): number => w.dims.indexOf(n);
  const allowedOf = (names: readonly string[]): number[] => names.map(idx).filter((d) => d >= 0);
  // T stays temporal (timesteps of a neuron run in order). Y prefers output rows and channels, X output channels.
  const yDims = allowedOf(['P', 'K', 'C', 'Q', 'N']);
  const xDims = allowedOf(['K', 'Q', 'C', 'P', 'N']);
  let cands: { levels: SpatialLoop[][]; remaining: number[]; used: number }[] = [{ levels: arch.levels.map(() => []), remaining: [...w.sizes], used: 1 }];
  arch.levels.forEach((_, e) => {
    const f = physicalFanout(arch, e);
    if (f.x <= 1 && f.y <= 1) return;
    const next: typeof cands = [];
    for (const c of cands) {
      for (const yc of f.y > 1 ? axisChoices(c.remaining, yDims, f.y, 4) : [[]]) {
        const rem = [...c.remaining];
        for (const s of yc) rem[s.dim] /= s.factor;
        for (const xc of f.x > 1 ? axisChoices(rem, xDims, f.x, 3) : [[]]) {
          const rem2 = [...rem];
          for (const s of xc) rem2[s.dim] /= s.factor;
          const levels = c.levels.map((l) => [...l]);
          levels[e] = [...yc.map((s) => ({ ...s, axis: 'Y' as const })), ...xc.map((s) => ({ ...s, axis: 'X' as const }))];
          next.push({ levels, remaining: rem2, used: c.used * [...yc, ...xc].reduce((a, s) => a * s.factor, 1) });
        }
      }
    }
    // The busiest few, then the best of each other set of spatial dims (which tensors are multicast and which are
    // reduced spatially differs between them) among those at least half as busy as the best.
    next.sort((a, b) => b.used - a.used);
    const best = next[0]?.used ?? 1;
    const keyOf = (c: (typeof next)[number]): string => c.levels.map((l) => l.map((x) => `${x.dim}${x.axis}`).sort().join(',')).join('|');
    const top = next.slice(0, Math.ceil(count / 2));
    const seen = new Set(top.map(keyOf));
    for (const c of next) {
      if (top.length >= count) break;
      if (seen.has(keyOf(c)) || c.used < best / 2) continue;
      seen.add(keyOf(c));
      top.push(c);
    }
    cands = top;
  });
  return cands.map((c) => c.levels);
}

interface Candidate {
  readonly keep: readonly KeepClass[];
  readonly spatial: readonly (readonly SpatialLoop[])[];
  /** DRAM loop order, outermost first (dim names; unknown names are skipped). */
  readonly dramOrder: readonly string[];
  /** Loop order at the on-chip levels, outermost first. */
  readonly innerOrder: readonly string[];
  /** Order in which dims are moved inward. */
  readonly moveOrder: readonly string[];
  /** Whether T and N may move into the per-PE levels. */
  readonly timeInPe: boolean;
}

/** Why the smallest tiles of a candidate do not fit a level: its name, the bits needed and held, the largest tensor. */
export interface Violation {
  readonly level: string;
  readonly neededBits: number;
  readonly capacityBits: number;
  readonly tensor: string;
  readonly tensorBits: number;
}

export function describeViolation(v: Violation): string {
  const B = (bits: number): string => `${Math.ceil(bits / 8).toLocaleString('en-US')} B`;
  return `${v.level} holds ${B(v.capacityBits)} but the smallest tiles a mapping can keep there need ${B(v.neededBits)} (${v.tensor}: ${B(v.tensorBits)})`;
}

function violation(arch: Arch, w: Workload, e: number, inner: readonly number[], keep: readonly boolean[]): Violation {
  let worst = { name: '', bits: -1 };
  w.tensors.forEach((t, ti) => {
    if (!keep[ti]) return;
    const one = tileBits(arch, w, e, inner, keep.map((_, j) => j === ti));
    if (one > worst.bits) worst = { name: t.name, bits: one };
  });
  return { level: arch.levels[e].name, neededBits: tileBits(arch, w, e, inner, keep), capacityBits: arch.levels[e].capacityBits ?? 0, tensor: worst.name, tensorBits: worst.bits };
}

function build(arch: Arch, w: Workload, cand: Candidate): Mapping | Violation {
  const L = arch.levels.length;
  const D = w.dims.length;
  const idx = (n: string): number => w.dims.indexOf(n);
  const remaining = [...w.sizes];
  const spatial = cand.spatial;
  for (const lv of spatial) for (const s of lv) remaining[s.dim] /= s.factor;
  const isWeight = w.tensors.map((t) => t.role === 'weight');
  const keep: boolean[][] = arch.levels.map((lvl, e) =>
    w.tensors.map((t, ti) => {
      if (e === 0) return true;
      if (lvl.holds) return levelHolds(lvl.holds, t.role);
      if (e === L - 1) return true;
      return cand.keep[e] === 'all' ? true : cand.keep[e] === 'weights' ? isWeight[ti] : !isWeight[ti];
    }),
  );
  // Temporal: everything starts at DRAM; move prime factors inward level by level while the tiles fit.
  const temporal: number[][] = arch.levels.map(() => new Array<number>(D).fill(1));
  const inner = new Array<number>(D).fill(1); // product of factors at levels >= e (temporal and spatial)
  const order = [...cand.moveOrder.map(idx), ...w.dims.map((_, i) => i)].filter((d, i, a) => d >= 0 && a.indexOf(d) === i);
  const perPe = (e: number): boolean => arch.levels[e].instances === arch.compute.instances && arch.compute.instances > 1;
  const frozen = (e: number, d: number): boolean => !cand.timeInPe && perPe(e) && (w.dims[d] === 'T' || w.dims[d] === 'N');
  // A factor moved into level e grows the tiles of every level outside it too (they hold supersets): check them
  // all, with the spatial factors already placed between them and e.
  let failed: Violation | undefined;
  const fitsFrom = (e: number, record = false): boolean => {
    const ext = [...inner];
    for (let j = e; j >= 1; j--) {
      if (j < e) for (const s of spatial[j]) ext[s.dim] *= s.factor;
      const cap = arch.levels[j].capacityBits;
      if (cap !== null && tileBits(arch, w, j, ext, keep[j]) > cap) {
        if (record) failed = violation(arch, w, j, ext, keep[j]);
        return false;
      }
    }
    return true;
  };
  for (let e = L - 1; e >= 1; e--) {
    for (const s of spatial[e]) inner[s.dim] *= s.factor;
    if (!fitsFrom(e, true)) return failed!;
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
  for (let d = 0; d < D; d++) temporal[0][d] = remaining[d];
  const loopsAt = (e: number, orderNames: readonly string[]): Loop[] => {
    const ord = [...orderNames.map(idx), ...w.dims.map((_, i) => i)].filter((d, i, a) => d >= 0 && a.indexOf(d) === i);
    return ord.filter((d) => temporal[e][d] > 1).map((d) => ({ dim: d, factor: temporal[e][d] }));
  };
  const levels: LevelMapping[] = arch.levels.map((_, e) => ({
    temporal: loopsAt(e, e === 0 ? cand.dramOrder : cand.innerOrder),
    spatial: [...spatial[e]].sort((a, b) => (a.axis === b.axis ? 0 : a.axis === 'Y' ? -1 : 1)),
    keep: keep[e],
  }));
  return { levels };
}

/** The default mapper: heuristic candidates, the valid one with the lowest energy x cycles under `score`. */
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
    // Orders from the declared structure: the dims a partial sum is reduced over (C R S forward, K R S for the input
    // gradient, N T P Q for the weight gradient) against the others.
    const red = (w.snn?.reductionDims ?? []).map((d) => w.dims[d]);
    const reduction = red.length > 0 ? [...['R', 'S'].filter((n) => red.includes(n)), ...red.filter((n) => n !== 'R' && n !== 'S')] : ['C', 'R', 'S'];
    const others = ['N', 'K', 'C', 'P', 'Q'].filter((n) => !reduction.includes(n));
    const lastT = (xs: readonly string[]): string[] => [...xs.filter((n) => n !== 'T'), 'T'];
    const dramOrders = [
      [...others, 'T', ...reduction].filter((n, i, a) => a.indexOf(n) === i),
      ['N', 'K', 'C', 'R', 'S', 'P', 'Q', 'T'],
    ];
    // Reduction innermost (a partial sum completes before the next one starts), or timesteps innermost (a tile of
    // weights or inputs reused over T before it is replaced).
    // A third order keeps the streamed input (the spikes, or the gradient of the input-gradient pass) in place: the
    // dims it does not depend on innermost.
    const input = w.snn ? w.tensors[w.snn.inputTensor] : undefined;
    const rel = input ? [...relevantDims(input)].map((d) => w.dims[d]) : [];
    const order = ['N', 'K', 'C', 'P', 'Q', 'R', 'S'];
    const innerOrders = [
      [...others, 'T', ...reduction].filter((n, i, a) => a.indexOf(n) === i),
      lastT([...others, ...reduction]),
      ...(input ? [[...order.filter((n) => rel.includes(n)), 'T', ...order.filter((n) => !rel.includes(n))]] : []),
    ];
    const moveFirst = [...reduction, ...others.slice().reverse()].filter((n) => n !== 'T');
    const moves = [
      { moveOrder: [...moveFirst, 'T', 'N'], timeInPe: true },
      { moveOrder: [...moveFirst, 'T', 'N'], timeInPe: false },
      { moveOrder: ['T', ...moveFirst, 'N'], timeInPe: false },
    ];
    let best: { mapping: Mapping; edp: number } | undefined;
    let lastReason: string | undefined;
    let smallest: Violation | undefined;
    for (const spatial of spatialCandidates(arch, w, 7)) for (const ks of classes) {
      const keep: KeepClass[] = (['all', ...ks, 'all'] as KeepClass[]).slice(0, L);
      for (const dramOrder of dramOrders) for (const innerOrder of innerOrders) for (const mv of moves) {
        const m = build(arch, w, { keep, spatial, dramOrder, innerOrder, ...mv });
        if (!('levels' in m)) {
          if (!smallest || m.neededBits - m.capacityBits < smallest.neededBits - smallest.capacityBits) smallest = m;
          continue;
        }
        const s = score(arch, w, m);
        if (!s.ok) {
          lastReason = s.reason;
          continue;
        }
        const edp = s.energy * s.cycles;
        if (!best || edp < best.edp) best = { mapping: m, edp };
      }
    }
    if (best) return { ok: true, mapping: best.mapping };
    return { ok: false, reason: lastReason ?? (smallest ? describeViolation(smallest) : 'no candidate mapping') };
  };
}

/** A stable key of what a workload computes (not its name), for caching mappings across identical shapes. */
export function workloadKey(arch: Arch, w: Workload): string {
  return JSON.stringify([arch.name, arch.levels.map((l) => l.capacityBits), arch.compute.instances, w.dims, w.sizes,
    w.tensors.map((t) => [t.role, t.bits, t.density, t.readWrite, t.projection]), w.snn ?? null]);
}

/** A mapper that remembers its answer per workload shape (many layers of a network share a shape). */
export function cachedMapper(inner: MapLayer, cache: Map<string, ReturnType<MapLayer>> = new Map()): MapLayer {
  return (arch, w) => {
    const k = workloadKey(arch, w);
    let r = cache.get(k);
    if (!r) {
      r = inner(arch, w);
      cache.set(k, r);
    }
    return r;
  };
}
