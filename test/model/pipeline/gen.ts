// Generators for the pipeline property tests: random small SNN / generic conv layers, random 2- and 3-level archs
// with bandwidths, latencies, bursts and double buffering, and random valid mappings (same scheme as
// test/model/properties.test.ts, with the timing knobs added).
import fc from 'fast-check';
import type { Arch, StorageLevel } from '../../../src/arch/types.ts';
import type { Loop, Mapping, SpatialLoop } from '../../../src/mapping/types.ts';
import type { Workload } from '../../../src/workload/types.ts';
import { arch, conv, snnConv, type LevelSpec } from '../../helpers/build.ts';

export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const pick = <T,>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
const divisors = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1).filter((d) => n % d === 0);
function shuffle<T>(r: () => number, xs: T[]): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

const small = fc.constantFrom(1, 2, 3, 4);
export const snnArb = fc.record({
  N: fc.constantFrom(1, 2), T: fc.constantFrom(1, 2, 3, 4), K: fc.constantFrom(1, 2, 4, 6, 8), C: fc.constantFrom(1, 2, 3, 4),
  P: small, Q: small, R: fc.constantFrom(1, 2, 3), S: fc.constantFrom(1, 3),
  density: fc.constantFrom(1, 0.5), stateless: fc.integer({ min: 0, max: 4 }).map((x) => x === 0),
  keepFinalState: fc.boolean(), membrane: fc.integer({ min: 0, max: 4 }).map((x) => x === 0),
}).map((p): Workload => snnConv(
  { N: p.N, T: p.T, K: p.K, C: p.C, P: p.P, Q: p.Q, R: p.R, S: p.S },
  { density: p.density, stateless: p.stateless, keepFinalState: p.keepFinalState, accumulation: p.membrane ? 'membrane' : 'psum' },
));
export const genericArb = fc.record({
  N: fc.constantFrom(1, 2), K: fc.constantFrom(1, 2, 4, 6, 8), C: fc.constantFrom(1, 2, 3, 4),
  P: small, Q: small, R: fc.constantFrom(1, 2, 3), S: fc.constantFrom(1, 3),
}).map((s) => conv(s));
export const workloadArb = fc.oneof(snnArb, genericArb);

export interface ArchParams {
  readonly levels: 2 | 3;
  readonly meshX: number;
  readonly meshY: number;
  /** Bandwidths (bits/cycle, 0 = unlimited) of DRAM read, write, and of level 1 and 2 (shared). */
  readonly bw: readonly number[];
  readonly latency: readonly number[];
  readonly db: readonly boolean[];
  readonly burstBits: number;
}
export const archParamsArb: fc.Arbitrary<ArchParams> = fc.record({
  levels: fc.constantFrom(2 as const, 3 as const),
  meshX: fc.constantFrom(1, 2, 4),
  meshY: fc.constantFrom(1, 2),
  bw: fc.array(fc.constantFrom(0, 8, 16, 64), { minLength: 4, maxLength: 4 }),
  latency: fc.array(fc.constantFrom(0, 0, 3, 20), { minLength: 3, maxLength: 3 }),
  db: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
  burstBits: fc.constantFrom(0, 0, 64),
});

const bwOf = (x: number): number | undefined => (x > 0 ? x : undefined);

/** 2 levels: DRAM, Buffer -> PEs; 3 levels: DRAM, GlobalBuffer -> RF per PE. */
export function buildArch(p: ArchParams): Arch {
  const pes = p.meshX * p.meshY;
  const dram: LevelSpec = { name: 'DRAM', read: 64, write: 80, widthBits: 64, wordBits: null, readBw: bwOf(p.bw[0]), writeBw: bwOf(p.bw[1]) };
  const onChip = (name: string, bw: number, inst = 1, mx = 1): LevelSpec => ({
    name, read: 1, write: 1, widthBits: 64, wordBits: null, capacityBits: null, offChip: false, instances: inst, meshX: mx, sharedBw: bwOf(bw),
  });
  const specs = p.levels === 2 ? [dram, onChip('Buffer', p.bw[2])] : [dram, onChip('GlobalBuffer', p.bw[2]), onChip('RF', p.bw[3], pes, p.meshX)];
  const a = arch(specs, { instances: pes, meshX: p.meshX, energy: { mac: 1, ac: 0.5, neuron_update: 2 } });
  return withLevels(a, (l, e) => ({ ...l, latencyCycles: p.latency[e], doubleBuffered: p.db[e], burstBits: e === 0 ? p.burstBits : 0 }));
}

export function withLevels(a: Arch, f: (l: StorageLevel, e: number) => StorageLevel): Arch {
  return { ...a, levels: a.levels.map(f) };
}

/**
 * A random valid mapping: each dim factored over the temporal loops of every level and level 1's X/Y fan-out;
 * dims in `innerOnly` get no outer temporal loop (they may still be split spatially).
 */
export function randomMapping(w: Workload, a: Arch, seed: number, innerOnly: ReadonlySet<number> = new Set(), outerHeavy = false): Mapping {
  const r = rng(seed);
  const L = a.levels.length;
  const child = L > 2 ? a.levels[2] : a.compute;
  const fan = { X: child.meshX / a.levels[1].meshX, Y: child.meshY / a.levels[1].meshY };
  const used = { X: 1, Y: 1 };
  const temporal: Loop[][] = Array.from({ length: L }, () => []);
  const spatial: SpatialLoop[] = [];
  const noSpatial = w.snn ? w.snn.timeDim : -1;
  for (const d of shuffle(r, w.dims.map((_, i) => i))) {
    let rest = w.sizes[d];
    if (d !== noSpatial) {
      for (const axis of shuffle(r, ['X', 'Y'] as const)) {
        if (r() < 0.5) continue;
        const f = pick(r, divisors(rest).filter((x) => used[axis] * x <= fan[axis]));
        if (f > 1) {
          spatial.push({ dim: d, factor: f, axis });
          used[axis] *= f;
          rest /= f;
        }
      }
    }
    if (outerHeavy && !innerOnly.has(d)) {
      // Most of the dim in the outer loops (many tiles at every level): at most 2 per inner level.
      const keep = Array.from({ length: L - 1 }, () => pick(r, divisors(rest).filter((x) => x <= 2)));
      for (let l = L - 2; l >= 1; l--) rest /= keep[l];
      const inner = pick(r, divisors(rest).filter((x) => x <= 2));
      rest /= inner;
      if (rest > 1) temporal[0].push({ dim: d, factor: rest });
      for (let l = 1; l < L - 1; l++) if (keep[l] > 1) temporal[l].push({ dim: d, factor: keep[l] });
      if (inner > 1) temporal[L - 1].push({ dim: d, factor: inner });
      continue;
    }
    for (let l = 0; l < L - 1; l++) {
      if (innerOnly.has(d)) break;
      const f = pick(r, divisors(rest));
      if (f > 1) temporal[l].push({ dim: d, factor: f });
      rest /= f;
    }
    if (rest > 1) temporal[L - 1].push({ dim: d, factor: rest });
  }
  return {
    levels: temporal.map((t, l) => ({
      temporal: shuffle(r, t),
      spatial: l === 1 ? shuffle(r, spatial) : [],
      keep: w.tensors.map(() => l === 0 || l === L - 1 || r() < 0.7),
    })),
  };
}

export interface Case {
  readonly w: Workload;
  readonly p: ArchParams;
  readonly a: Arch;
  readonly m: Mapping;
}
export const caseArb: fc.Arbitrary<Case> = fc.tuple(workloadArb, archParamsArb, fc.integer()).map(([w, p, seed]) => {
  const a = buildArch(p);
  return { w, p, a, m: randomMapping(w, a, seed) };
});

/**
 * The regime of DESIGN.md §3 where pipeline and roofline agree: every level double buffered, zero latency, no
 * bursts, and every tile stream stationary: the same traffic for every tile after the first (no sliding-window
 * halos: R = S = 1; no read-write tile visited again in a later pass: the reduction dims C, R, S and the timestep
 * T only inside the innermost level, so no outer reduction loop, no State spill) and many tiles per stream (the
 * caller filters). Random archs (2 or 3 levels, separate or shared ports, limited or unlimited, PE meshes) and
 * random factorizations, orders and spatial splits of N, K, P, Q (and C spatially).
 */
export const stationaryArb: fc.Arbitrary<Case> = fc
  .record({
    snn: fc.boolean(),
    N: fc.constantFrom(1, 2, 4),
    K: fc.constantFrom(16, 32, 64, 128),
    C: fc.constantFrom(2, 4, 8),
    P: fc.constantFrom(4, 8, 16),
    Q: fc.constantFrom(4, 8, 16),
    T: fc.constantFrom(1, 2, 4),
    levels: fc.constantFrom(2 as const, 3 as const),
    meshX: fc.constantFrom(1, 2, 4),
    meshY: fc.constantFrom(1, 2),
    bw: fc.array(fc.constantFrom(0, 4, 8, 16, 32, 64, 256), { minLength: 4, maxLength: 4 }),
    seed: fc.integer(),
  })
  .map((x): Case => {
    const w = x.snn ? snnConv({ N: x.N, K: x.K, C: x.C, P: x.P, Q: x.Q, T: x.T }) : conv({ N: x.N, K: x.K, C: x.C, P: x.P, Q: x.Q });
    const p: ArchParams = { levels: x.levels, meshX: x.meshX, meshY: x.meshY, bw: x.bw, latency: [0, 0, 0], db: [true, true, true], burstBits: 0 };
    const a = buildArch(p);
    const inner = new Set(['C', 'R', 'S', 'T'].map((d) => w.dims.indexOf(d)).filter((d) => d >= 0));
    return { w, p, a, m: randomMapping(w, a, x.seed, inner, true) };
  });

/**
 * Small-factor nests: every dim split into its prime factors, each a loop of its own at a random level (factors
 * 2 and 3 only), so an outer loop rarely has more than one middle iteration: the repetition steady-state.ts must
 * find is across iterations of the loops outside (factor-2 nests of 2^10 .. 2^14 tiles).
 */
export const smallFactorArb: fc.Arbitrary<Case> = fc
  .record({
    snn: fc.boolean(),
    N: fc.constantFrom(1, 2, 4),
    K: fc.constantFrom(8, 16, 32),
    C: fc.constantFrom(2, 4, 6),
    P: fc.constantFrom(4, 8),
    Q: fc.constantFrom(2, 4, 8),
    T: fc.constantFrom(2, 4),
    p: archParamsArb,
    seed: fc.integer(),
  })
  .map((x): Case => {
    const w = x.snn ? snnConv({ N: x.N, K: x.K, C: x.C, P: x.P, Q: x.Q, T: x.T }) : conv({ N: x.N, K: x.K, C: x.C, P: x.P, Q: x.Q });
    const a = buildArch(x.p);
    const r = rng(x.seed);
    const L = a.levels.length;
    const temporal: Loop[][] = Array.from({ length: L }, () => []);
    w.dims.forEach((_, d) => {
      let rest = w.sizes[d];
      for (const prime of [2, 3]) {
        while (rest % prime === 0) {
          rest /= prime;
          temporal[Math.floor(r() * L)].push({ dim: d, factor: prime });
        }
      }
    });
    const m: Mapping = { levels: temporal.map((t, l) => ({ temporal: shuffle(r, t), spatial: [], keep: w.tensors.map(() => l === 0 || l === L - 1 || r() < 0.7) })) };
    return { w, p: x.p, a, m };
  });

/** The knobs that must not add cycles when turned the "better" way (up to rare scheduling anomalies). */
export const KNOBS = ['bandwidth', 'latency', 'double-buffer', 'burst', 'dram-latency'] as const;
export type Knob = (typeof KNOBS)[number];

/**
 * The arch with one knob turned the better way and the slower way, at the level `li` picks: bandwidth doubled,
 * latency halved, burst rounding removed, double buffering on (off for the slower one), DRAM latency +50 (slower).
 */
export function knobPair(a: Arch, knob: Knob, li: number): { better: Arch; slower: Arch; level: number } {
  const e = knob === 'double-buffer' ? 1 + (li % (a.levels.length - 1)) : knob === 'dram-latency' ? 0 : li % a.levels.length;
  const better = withLevels(a, (l, i) => {
    if (i !== e) return l;
    if (knob === 'bandwidth') {
      const x2 = (b: number | null) => (b === null ? null : 2 * b);
      return { ...l, readBandwidth: x2(l.readBandwidth), writeBandwidth: x2(l.writeBandwidth), sharedBandwidth: x2(l.sharedBandwidth) };
    }
    if (knob === 'latency') return { ...l, latencyCycles: Math.floor(l.latencyCycles / 2) };
    if (knob === 'burst') return { ...l, burstBits: 0 };
    if (knob === 'double-buffer') return { ...l, doubleBuffered: true };
    return l;
  });
  const slower = withLevels(a, (l, i) => {
    if (i !== e) return l;
    if (knob === 'double-buffer') return { ...l, doubleBuffered: false };
    if (knob === 'dram-latency') return { ...l, latencyCycles: l.latencyCycles + 50 };
    return l;
  });
  return { better, slower, level: e };
}
