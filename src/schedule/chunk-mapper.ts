/**
 * The default intra-layer mapper for chunks of network layers: deterministic, fast, respecting the arch's spatial
 * unrolling when it is given as bounds (e.g. K 32 x C 2 x OY 16 on the Meta-prototype-like core).
 *
 * The chunk is the unit the schedule simulation brings into the outermost on-chip level (the global buffer), so the
 * off-chip level carries no loop: the whole chunk runs from the buffer, as the simulation assumes (the execution
 * order of the schedule and the loop nest of the chunk agree).
 *  1. keep: the off-chip level keeps every tensor; a level that declares `holds` keeps only those roles; others keep
 *     everything; constraints may force keep or bypass.
 *  2. spatial: at each level with a fan-out, Y then X take the largest divisor of the dims the bounds allow (largest
 *     bound first; without bounds Y prefers P, C, Q, K and X prefers K, C, P, Q); T of a stateful layer never.
 *  3. temporal: every remaining factor starts at the outermost on-chip level; from the innermost level outwards each
 *     prime factor moves down (reduction dims first, T last) while every tile it grows still fits.
 *  4. local improvement: first-improvement descent over single moves (a prime factor to another on-chip level, a
 *     loop to the outermost or innermost place of its level, a keep bit flipped), scored by the injected evaluator,
 *     until no move helps or the budget of evaluations is spent. Deterministic: the moves are tried in a fixed order.
 */
import type { Arch } from '../arch/types.ts';
import { storedBits } from '../arch/types.ts';
import { physicalFanout } from '../arch/fanout.ts';
import type { LevelMapping, Loop, Mapping, SpatialLoop } from '../mapping/types.ts';
import type { Workload } from '../workload/types.ts';

/** A bound on one factor (by dim name, so one set of bounds serves every layer kind). */
export interface NamedBound {
  readonly fixed?: number;
  readonly min?: number;
  readonly max?: number;
}

/** Bounds of one level, by dim and tensor name; absent = free. */
export interface NamedLevelBounds {
  readonly temporal?: Readonly<Record<string, NamedBound>>;
  readonly spatialX?: Readonly<Record<string, NamedBound>>;
  readonly spatialY?: Readonly<Record<string, NamedBound>>;
  readonly keep?: Readonly<Record<string, boolean>>;
}

/** Mapper bounds for a whole arch (one entry per level, outermost first), e.g. translated from a constraints file. */
export interface ChunkBounds {
  readonly name: string;
  readonly levels: readonly NamedLevelBounds[];
}

export type ChunkScore = (m: Mapping) => { readonly energy: number; readonly cycles: number } | undefined;

export interface ChunkMapperOptions {
  readonly objective: 'energy' | 'cycles' | 'edp';
  readonly bounds?: ChunkBounds;
  /** Evaluations allowed to the local improvement (default 160). */
  readonly budget?: number;
}

export interface ChunkMapResult {
  readonly mapping: Mapping;
  readonly energy: number;
  readonly cycles: number;
  readonly evaluations: number;
}

const ORDER = ['T', 'N', 'K', 'P', 'Q', 'C', 'R', 'S'];
const MOVE_PREF = ['R', 'S', 'C', 'Q', 'P', 'K', 'N', 'T'];

function primeFactors(n: number): number[] {
  const out: number[] = [];
  for (let p = 2; p * p <= n; p++) while (n % p === 0) (out.push(p), (n /= p));
  if (n > 1) out.push(n);
  return out;
}

function largestDivisorAtMost(n: number, cap: number): number {
  for (let f = Math.min(n, Math.floor(cap)); f >= 1; f--) if (n % f === 0) return f;
  return 1;
}

const maxOf = (b: NamedBound | undefined): number => b?.fixed ?? b?.max ?? Infinity;

interface Cand {
  readonly tf: number[][];
  readonly order: number[][];
  readonly keep: boolean[][];
}

export class ChunkMapper {
  private readonly L: number;
  private readonly D: number;
  private readonly top: number;
  private readonly spatial: SpatialLoop[][];
  private readonly spatialF: number[][];
  private readonly keepFixed: (boolean | undefined)[][];
  private readonly tmax: number[][];
  private readonly timeDim: number;

  constructor(
    private readonly arch: Arch,
    private readonly w: Workload,
    private readonly o: ChunkMapperOptions,
  ) {
    this.L = arch.levels.length;
    this.D = w.dims.length;
    this.top = arch.levels.findIndex((l) => !l.offChip);
    this.timeDim = w.dims.indexOf('T');
    const b = o.bounds?.levels;
    this.keepFixed = arch.levels.map((lvl, e) =>
      w.tensors.map((t) => {
        if (lvl.offChip) return true;
        const forced = b?.[e]?.keep?.[t.name];
        if (forced !== undefined) return forced;
        if (lvl.holds) return lvl.holds.includes(t.role);
        return undefined;
      }),
    );
    this.tmax = arch.levels.map((lvl, e) => w.dims.map((name) => (lvl.offChip ? 1 : maxOf(b?.[e]?.temporal?.[name]))));
    const remaining = [...w.sizes];
    this.spatial = arch.levels.map(() => []);
    this.spatialF = arch.levels.map(() => new Array<number>(this.D).fill(1));
    const stateful = w.snn !== undefined && !w.snn.stateless;
    for (let e = 0; e < this.L; e++) {
      const f = physicalFanout(arch, e);
      const place = (axis: 'X' | 'Y', cap: number, dflt: readonly string[]): void => {
        const named = axis === 'X' ? b?.[e]?.spatialX : b?.[e]?.spatialY;
        const prefs = named
          ? Object.keys(named).filter((n) => maxOf(named[n]) > 1).sort((x, y) => maxOf(named[y]) - maxOf(named[x]))
          : dflt;
        let left = cap;
        for (const name of prefs) {
          const d = w.dims.indexOf(name);
          if (d < 0 || (d === this.timeDim && stateful) || left <= 1) continue;
          const g = largestDivisorAtMost(remaining[d], Math.min(left, named ? maxOf(named[name]) : Infinity));
          if (g <= 1) continue;
          this.spatial[e].push({ dim: d, factor: g, axis });
          this.spatialF[e][d] *= g;
          remaining[d] /= g;
          left = Math.floor(left / g);
        }
      };
      if (f.y > 1) place('Y', f.y, ['P', 'C', 'Q', 'K']);
      if (f.x > 1) place('X', f.x, ['K', 'C', 'P', 'Q']);
      this.spatial[e].sort((a, c) => (a.axis === c.axis ? 0 : a.axis === 'Y' ? -1 : 1));
    }
    this.remaining = remaining;
  }

  private readonly remaining: number[];

  private rank(d: number, list: readonly string[]): number {
    const i = list.indexOf(this.w.dims[d]);
    return i < 0 ? list.length : i;
  }

  /** Bits of the tiles kept at level j (per instance), for the capacity pre-check of the greedy start. */
  private fits(c: Cand, upTo: number): boolean {
    const { arch, w, L, D } = this;
    for (let j = this.top; j <= upTo; j++) {
      const cap = arch.levels[j].capacityBits;
      if (cap === null) continue;
      const tile = new Array<number>(D).fill(1);
      for (let i = j; i < L; i++) for (let d = 0; d < D; d++) tile[d] *= c.tf[i][d] * this.spatialF[i][d];
      let bits = 0;
      w.tensors.forEach((t, ti) => {
        // partial sums are dropped above the level where their reduction completes: not counted at the outermost
        // on-chip level, where they would only be when the reduction cannot complete below (the model decides)
        if (!c.keep[j][ti] || (t.role === 'psum' && j === this.top)) return;
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
  }

  /**
   * The greedy start (steps 1-3). `outputStationary`: the innermost level keeps only the read-write tensors (partial
   * sums, state, output spikes), so the reduction loops can complete there while weights and inputs stream past.
   */
  start(outputStationary = false): Cand {
    const { L, D, w } = this;
    const keep = this.keepFixed.map((row, e) => row.map((k, t) => k ?? (outputStationary && e === L - 1 ? w.tensors[t].readWrite : true)));
    const tf = this.arch.levels.map(() => new Array<number>(D).fill(1));
    tf[this.top] = [...this.remaining];
    const order = this.arch.levels.map(() => [...Array(D).keys()].sort((a, b) => this.rank(a, ORDER) - this.rank(b, ORDER)));
    const c: Cand = { tf, order, keep };
    const membrane = w.snn?.accumulation === 'membrane';
    if (!this.fits(c, L - 1)) return c; // even the spatial tiles do not fit: the layer model reports it
    const factors: { dim: number; p: number }[] = [];
    for (let d = 0; d < D; d++) for (const p of primeFactors(this.remaining[d])) factors.push({ dim: d, p });
    factors.sort((a, b) => this.rank(a.dim, MOVE_PREF) - this.rank(b.dim, MOVE_PREF) || a.p - b.p);
    for (let e = L - 1; e > this.top; e--) {
      for (const f of factors) {
        if (tf[this.top][f.dim] % f.p !== 0) continue;
        if (membrane && f.dim === this.timeDim) continue;
        if (tf[e][f.dim] * f.p > this.tmax[e][f.dim]) continue;
        tf[this.top][f.dim] /= f.p;
        tf[e][f.dim] *= f.p;
        if (!this.fits(c, e)) {
          tf[e][f.dim] /= f.p;
          tf[this.top][f.dim] *= f.p;
        }
      }
    }
    return c;
  }

  toMapping(c: Cand): Mapping {
    const levels: LevelMapping[] = this.arch.levels.map((_, e) => {
      const loops: Loop[] = [];
      for (const d of c.order[e]) if (c.tf[e][d] > 1) loops.push({ dim: d, factor: c.tf[e][d] });
      return { temporal: loops, spatial: this.spatial[e], keep: c.keep[e] };
    });
    return { levels };
  }

  private key(c: Cand): string {
    let s = '';
    for (let e = this.top; e < this.L; e++) {
      for (const d of c.order[e]) if (c.tf[e][d] > 1) s += `${d}:${c.tf[e][d]},`;
      s += '|';
      for (const k of c.keep[e]) s += k ? '1' : '0';
      s += ';';
    }
    return s;
  }

  private value(r: { energy: number; cycles: number }): number {
    const o = this.o.objective;
    return o === 'cycles' ? r.cycles * (1 + 1e-12 * r.energy) : o === 'edp' ? r.energy * r.cycles : r.energy * (1 + 1e-12 * r.cycles);
  }

  /** Neighbours of a candidate, in a fixed order. */
  private *moves(c: Cand): Generator<Cand> {
    const { L, D } = this;
    const clone = (): Cand => ({ tf: c.tf.map((r) => [...r]), order: c.order.map((r) => [...r]), keep: c.keep.map((r) => [...r]) });
    // a prime factor to another on-chip level
    for (let d = 0; d < D; d++) {
      for (let a = this.top; a < L; a++) {
        if (c.tf[a][d] <= 1) continue;
        const primes = [...new Set(primeFactors(c.tf[a][d]))];
        for (const p of primes) {
          for (let b = this.top; b < L; b++) {
            if (b === a || c.tf[b][d] * p > this.tmax[b][d]) continue;
            const n = clone();
            n.tf[a][d] /= p;
            n.tf[b][d] *= p;
            yield n;
          }
        }
      }
    }
    // a loop to the outermost or innermost place of its level
    for (let e = this.top; e < L; e++) {
      const nonUnit = c.order[e].filter((d) => c.tf[e][d] > 1);
      if (nonUnit.length < 2) continue;
      for (const d of nonUnit) {
        for (const where of ['outer', 'inner'] as const) {
          const rest = c.order[e].filter((x) => x !== d);
          const next = where === 'outer' ? [d, ...rest] : [...rest, d];
          const nu = next.filter((x) => c.tf[e][x] > 1);
          if (nu.every((x, i) => x === nonUnit[i])) continue;
          const n = clone();
          n.order[e] = next;
          yield n;
        }
      }
    }
    // a keep bit flipped (never at the outermost on-chip level: the chunk lives there)
    for (let e = this.top + 1; e < L; e++) {
      for (let t = 0; t < this.w.tensors.length; t++) {
        if (this.keepFixed[e][t] !== undefined) continue;
        const n = clone();
        n.keep[e][t] = !n.keep[e][t];
        yield n;
      }
    }
  }

  /** Steps 1-4: the best mapping found, or undefined when no candidate is valid. */
  run(score: ChunkScore): ChunkMapResult | undefined {
    const budget = this.o.budget ?? 160;
    const seen = new Map<string, number>();
    let evaluations = 0;
    const visit = (c: Cand): { v: number; energy: number; cycles: number } | undefined => {
      const k = this.key(c);
      if (seen.has(k)) return undefined;
      evaluations++;
      const r = score(this.toMapping(c));
      const v = r ? this.value(r) : Infinity;
      seen.set(k, v);
      return r ? { v, energy: r.energy, cycles: r.cycles } : undefined;
    };
    let winner: { c: Cand; r: { v: number; energy: number; cycles: number } } | undefined;
    // two starts (all tensors at the innermost level; output stationary), each descended with half the budget
    for (const [k, os] of [[1, false], [2, true]] as const) {
      const cap = Math.floor((budget * k) / 2);
      let cur = this.start(os);
      let best = visit(cur);
      if (!best) {
        // the greedy start is invalid (e.g. a loop order the semantics forbid): try its neighbours for a valid one
        for (const n of this.moves(cur)) {
          if (evaluations >= cap) break;
          const r = visit(n);
          if (r) {
            cur = n;
            best = r;
            break;
          }
        }
        if (!best) continue;
      }
      let improved = true;
      while (improved && evaluations < cap) {
        improved = false;
        for (const n of this.moves(cur)) {
          if (evaluations >= cap) break;
          const r = visit(n);
          if (r && r.v < best.v * (1 - 1e-9)) {
            cur = n;
            best = r;
            improved = true;
            break;
          }
        }
      }
      if (!winner || best.v < winner.r.v) winner = { c: cur, r: best };
    }
    if (!winner) return undefined;
    return { mapping: this.toMapping(winner.c), energy: winner.r.energy, cycles: winner.r.cycles, evaluations };
  }
}

/** Map one chunk: greedy start and local improvement (see the file comment). */
export function mapChunk(arch: Arch, w: Workload, score: ChunkScore, o: ChunkMapperOptions): ChunkMapResult | undefined {
  return new ChunkMapper(arch, w, o).run(score);
}

/**
 * The mapping of a chunk with `n` lines along `dim`, derived from a mapping of the same layer chunk with another line
 * count: each spatial and inner temporal factor of `dim` keeps the largest divisor of what is left that does not
 * exceed it (inner levels first), and the rest becomes the outermost loop of the outermost on-chip level. Every
 * other loop is unchanged. Chunks of one layer that differ only in their line count thus share one mapping shape.
 */
export function adaptMapping(arch: Arch, m0: Mapping, dim: number, n: number): Mapping {
  const top = arch.levels.findIndex((l) => !l.offChip);
  let left = n;
  const take = (f: number): number => {
    const g = largestDivisorAtMost(left, f);
    left /= g;
    return g;
  };
  const spatial = m0.levels.map((lv) => lv.spatial.map((s) => (s.dim === dim ? { ...s, factor: take(s.factor) } : s)).filter((s) => s.factor > 1));
  const temporal: Loop[][] = m0.levels.map((lv) => lv.temporal.map((l) => ({ ...l })));
  for (let e = m0.levels.length - 1; e > top; e--) {
    temporal[e] = temporal[e].map((l) => (l.dim === dim ? { ...l, factor: take(l.factor) } : l)).filter((l) => l.factor > 1);
  }
  const topLoops = temporal[top].filter((l) => l.dim !== dim);
  if (left > 1) topLoops.unshift({ dim, factor: left });
  temporal[top] = topLoops;
  return { levels: m0.levels.map((lv, e) => ({ temporal: temporal[e], spatial: spatial[e], keep: lv.keep })) };
}
