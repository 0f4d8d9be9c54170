// Property tests of the model (DESIGN.md §5) on random small SNN and generic conv layers with random valid mappings:
// total computes are mapping-independent, compulsory traffic, energy linear in every ERT entry, moving T inward never
// raises state traffic, determinism, sane numbers, capacity, SNN per-neuron counts. PROP_RUNS=n overrides numRuns.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Arch } from '../../src/arch/types.ts';
import type { Loop, Mapping, SpatialLoop } from '../../src/mapping/types.ts';
import { opGate } from '../../src/analysis/counts.ts';
import { evaluate } from '../../src/model/evaluate.ts';
import type { EvalOutcome, Evaluation } from '../../src/model/types.ts';
import { relevantDims, tensorSize, totalOperations, type Workload } from '../../src/workload/types.ts';
import { arch, conv, snnConv, type LevelSpec } from '../helpers/build.ts';

const RUNS = Number(process.env.PROP_RUNS ?? 150);

// ---------------------------------------------------------------------------------------------------- generators

/** mulberry32: a tiny seeded RNG, so one generated integer drives a whole random mapping (reproducible from the seed). */
function rng(seed: number): () => number {
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
const snnArb = fc.record({
  N: fc.constantFrom(1, 2),
  T: fc.constantFrom(1, 2, 3, 4),
  K: fc.constantFrom(1, 2, 3, 4, 6, 8),
  C: fc.constantFrom(1, 2, 3, 4, 6),
  P: small,
  Q: small,
  R: fc.constantFrom(1, 2, 3),
  S: fc.constantFrom(1, 2, 3),
  density: fc.constantFrom(1, 0.5, 0.25),
  stateless: fc.integer({ min: 0, max: 4 }).map((x) => x === 0),
  keepFinalState: fc.boolean(),
  membrane: fc.integer({ min: 0, max: 4 }).map((x) => x === 0),
  spikingInput: fc.integer({ min: 0, max: 4 }).map((x) => x !== 0),
  zeroSkipping: fc.boolean(),
}).map((p): Workload => snnConv(
  { N: p.N, T: p.T, K: p.K, C: p.C, P: p.P, Q: p.Q, R: p.R, S: p.S },
  {
    density: p.density, stateless: p.stateless, keepFinalState: p.keepFinalState,
    accumulation: p.membrane ? 'membrane' : 'psum', spikingInput: p.spikingInput, zeroSkipping: p.zeroSkipping,
  },
));
const genericArb = fc.record({
  N: fc.constantFrom(1, 2), K: fc.constantFrom(1, 2, 3, 4, 6, 8), C: fc.constantFrom(1, 2, 3, 4, 6),
  P: small, Q: small, R: fc.constantFrom(1, 2, 3), S: fc.constantFrom(1, 2, 3), stride: fc.constantFrom(1, 1, 2),
}).map(({ stride, ...s }) => conv(s, stride));
const workloadArb = fc.oneof(snnArb, genericArb);

const energyArb = fc.constantFrom(0.25, 0.5, 1, 2, 3, 4);
interface ArchParams {
  readonly levels: 2 | 3;
  readonly meshX: number;
  readonly meshY: number;
  readonly e: readonly number[];
  readonly onChipWidth: number;
}
const archParamsArb = fc.record({
  levels: fc.constantFrom(2 as const, 3 as const),
  meshX: fc.constantFrom(1, 2, 4),
  meshY: fc.constantFrom(1, 2),
  e: fc.array(energyArb, { minLength: 9, maxLength: 9 }),
  onChipWidth: fc.constantFrom(16, 64),
});

/** 2 levels: DRAM, Buffer -> PEs; 3 levels: DRAM, GlobalBuffer -> RF per PE. Level 1 always fans out. */
function buildArch(p: ArchParams, capacities: readonly (number | null)[] = [null, null, null]): Arch {
  const pes = p.meshX * p.meshY;
  const dram: LevelSpec = { name: 'DRAM', read: 64 * p.e[0], fill: 80 * p.e[1], update: 80 * p.e[2], widthBits: 64, wordBits: null };
  const onChip = (name: string, i: number, cap: number | null, inst = 1, mx = 1): LevelSpec => ({
    name, read: p.e[3 * i], fill: p.e[3 * i + 1], update: p.e[3 * i + 2], widthBits: p.onChipWidth, wordBits: null,
    capacityBits: cap, offChip: false, instances: inst, meshX: mx,
  });
  const levels = p.levels === 2
    ? [dram, onChip('Buffer', 1, capacities[1])]
    : [dram, onChip('GlobalBuffer', 1, capacities[1]), onChip('RF', 2, capacities[2], pes, p.meshX)];
  return arch(levels, { instances: pes, meshX: p.meshX, energy: { mac: 1.5, ac: 0.5, neuron_update: 2.25 } });
}

interface MapOptions {
  /** Dims never put on a spatial loop. */
  readonly noSpatial?: ReadonlySet<number>;
  /** Dims left out of the mapping entirely (the caller places them). */
  readonly omit?: ReadonlySet<number>;
}

/** A random valid mapping: each dim factored over the temporal loops of every level and level 1's X/Y fan-out. */
function randomMapping(w: Workload, a: Arch, seed: number, o: MapOptions = {}): Mapping {
  const r = rng(seed);
  const L = a.levels.length;
  const child = L > 2 ? a.levels[2] : a.compute;
  const fan = { X: child.meshX / a.levels[1].meshX, Y: child.meshY / a.levels[1].meshY };
  const used = { X: 1, Y: 1 };
  const temporal: Loop[][] = Array.from({ length: L }, () => []);
  const spatial: SpatialLoop[] = [];
  for (const d of shuffle(r, w.dims.map((_, i) => i))) {
    if (o.omit?.has(d)) continue;
    let rest = w.sizes[d];
    if (!o.noSpatial?.has(d)) {
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
    for (let l = 0; l < L - 1; l++) {
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

const snnDims = (w: Workload): Set<number> => (w.snn ? new Set([w.snn.timeDim]) : new Set());

interface Case {
  readonly w: Workload;
  readonly p: ArchParams;
  readonly a: Arch;
  readonly m: Mapping;
}
const caseArb: fc.Arbitrary<Case> = fc.tuple(workloadArb, archParamsArb, fc.integer()).map(([w, p, seed]) => {
  const a = buildArch(p);
  // Timesteps of one neuron run in order: T is never spatial.
  return { w, p, a, m: randomMapping(w, a, seed, { noSpatial: snnDims(w) }) };
});

/** The only acceptable rejection of a generated mapping: membrane accumulation with T inside a reduction loop. */
function expectOkOrMembraneOrder(c: Case, r: EvalOutcome): r is { status: 'ok'; evaluation: Evaluation } {
  if (r.status === 'ok') return true;
  expect(c.w.snn?.accumulation).toBe('membrane');
  expect(r.stage).toBe('semantics');
  return false;
}

/**
 * Distinct tensor elements the operation space touches (tensorSize is the bounding box, which counts the holes of a
 * strided projection). Ranks are independent here (no dim appears in two ranks), so it is a product over ranks.
 */
function usedPoints(w: Workload, t: Workload['tensors'][number]): number {
  let n = 1;
  for (const rank of t.projection) {
    let values = new Set<number>([0]);
    for (const term of rank) {
      const next = new Set<number>();
      for (const v of values) for (let x = 0; x < w.sizes[term.dim]; x++) next.add(v + term.coeff * x);
      values = next;
    }
    n *= values.size;
  }
  return n;
}

function expectedComputes(w: Workload): number {
  const ops = totalOperations(w);
  if (!w.snn || !w.snn.zeroSkipping) return ops;
  return ops * w.tensors[w.snn.inputTensor].density;
}

// ---------------------------------------------------------------------------------------------------- properties

describe('model properties (fast-check)', () => {
  it('(a) total computes are the same for every mapping', () => {
    fc.assert(
      fc.property(workloadArb, archParamsArb, fc.integer(), fc.integer(), (w, p, s1, s2) => {
        const a = buildArch(p);
        const noSp = snnDims(w);
        const r1 = evaluate(a, w, randomMapping(w, a, s1, { noSpatial: noSp }));
        const r2 = evaluate(a, w, randomMapping(w, a, s2, { noSpatial: noSp }));
        const c = { w, p, a, m: { levels: [] } };
        if (!expectOkOrMembraneOrder(c, r1) || !expectOkOrMembraneOrder(c, r2)) return;
        expect(r1.evaluation.totals.computes).toBe(r2.evaluation.totals.computes);
        expect(r1.evaluation.totals.computes).toBeCloseTo(expectedComputes(w), 9);
        if (w.snn) {
          let neurons = 1;
          for (const d of relevantDims(w.tensors.find((t) => t.role === 'spikes-out')!)) neurons *= w.sizes[d];
          expect(r1.evaluation.compute.neuron_update.count).toBe(neurons);
          expect(r2.evaluation.compute.neuron_update.count).toBe(neurons);
        }
        // Every synaptic operation is scheduled once: compute cycles x used PEs covers the operation space.
        expect(r1.evaluation.timing.compute_cycles * a.compute.instances).toBeGreaterThanOrEqual(totalOperations(w));
      }),
      { numRuns: RUNS },
    );
  });

  it('(b) compulsory traffic: outermost reads of read-only tensors >= size; kept levels fill at least the partition', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const r = evaluate(c.a, c.w, c.m);
        if (!expectOkOrMembraneOrder(c, r)) return;
        const ev = r.evaluation;
        const L = ev.levels.length;
        c.w.tensors.forEach((t, ti) => {
          const size = tensorSize(c.w, t);
          // Zero-skipped ops touch a gated tensor's innermost level fewer times than it has elements.
          const innermost = L - 1 - [...ev.levels].reverse().findIndex((l) => l.tensors[t.name]);
          const used = usedPoints(c.w, t);
          // With a strided projection, tiles and partitions are bounding boxes with holes that are never moved
          // (as in Timeloop), so the per-level partition bound only holds for unit coefficients.
          const dense = t.projection.every((rank) => rank.every((term) => term.coeff === 1));
          // The outermost kept level of each tensor (the outermost level keeps every tensor, except a Psum that
          // completes on chip).
          const outer = ev.levels.findIndex((l) => l.tensors[t.name]);
          expect(outer).toBeGreaterThanOrEqual(0);
          if (t.role !== 'psum') expect(outer).toBe(0);
          for (let e = outer; e < L; e++) {
            const s = ev.levels[e].tensors[t.name];
            if (!s) continue;
            if (!t.readWrite) {
              if (e === outer) {
                expect(s.partition_size).toBe(size);
                // Every element the operations touch is read at least once (= size without stride holes).
                expect(s.reads).toBeGreaterThanOrEqual(used);
              } else {
                // fills + (outermost ? size : 0) >= partition
                if (dense) expect(s.fills).toBeGreaterThanOrEqual(s.partition_size);
                else expect(s.fills).toBeGreaterThan(0);
              }
            } else if ((t.role !== 'state' || c.w.snn?.keepFinalState) && !(e === innermost && opGate(c.w, ti) < 1)) {
              // Every element held at a level is written into it at least once. (A dead final state with
              // keepFinalState off may legitimately never be written: e.g. T = 1.)
              expect(s.updates).toBeGreaterThanOrEqual(s.partition_size);
            }
            expect(s.partition_size).toBeGreaterThanOrEqual(s.utilized_capacity);
          }
        });
      }),
      { numRuns: RUNS },
    );
  });

  it('(c) energy is linear in each ERT entry', () => {
    const actions = ['read', 'fill', 'update'] as const;
    fc.assert(
      fc.property(caseArb, fc.nat(), fc.constantFrom(...actions), (c, li, action) => {
        const r = evaluate(c.a, c.w, c.m);
        if (!expectOkOrMembraneOrder(c, r)) return;
        const ev = r.evaluation;
        const e = li % c.a.levels.length;
        const lv = c.a.levels[e];
        const scaled: Arch = {
          ...c.a,
          levels: c.a.levels.map((l, i) => (i === e ? { ...l, energy: { ...l.energy, [action]: 2 * l.energy[action] } } : l)),
        };
        const ev2 = (evaluate(scaled, c.w, c.m) as { evaluation: Evaluation }).evaluation;
        const part = ev.levels[e].energy_by_action[action];
        expect(ev2.levels[e].energy_by_action[action]).toBeCloseTo(2 * part, 6);
        for (const other of actions) if (other !== action) expect(ev2.levels[e].energy_by_action[other]).toBe(ev.levels[e].energy_by_action[other]);
        expect(ev2.totals.energy_pJ - ev.totals.energy_pJ).toBeCloseTo(part, 6);
        // And the part itself is sum(vectors x ERT x instances) of the reported vector counts.
        let expected = 0;
        for (const s of Object.values(ev.levels[e].tensors)) {
          const vectors = action === 'read' ? s.read_vectors : action === 'fill' ? s.fill_vectors : s.update_vectors;
          expected += vectors * lv.energy[action] * s.utilized_instances;
        }
        expect(part).toBeCloseTo(expected, 6);
        // Compute energies are linear too.
        const name = Object.keys(ev.compute)[0];
        const cScaled: Arch = { ...c.a, compute: { ...c.a.compute, energy: { ...c.a.compute.energy, [name]: 2 * c.a.compute.energy[name] } } };
        const ev3 = (evaluate(cScaled, c.w, c.m) as { evaluation: Evaluation }).evaluation;
        expect(ev3.totals.energy_pJ - ev.totals.energy_pJ).toBeCloseTo(ev.compute[name].energy_pJ, 6);
      }),
      { numRuns: RUNS },
    );
  });

  it('(d) moving T from outermost at DRAM to innermost at an on-chip level never raises State traffic', () => {
    const stateful = snnArb.filter((w) => w.tensors.some((t) => t.role === 'state') && w.snn!.accumulation === 'psum');
    fc.assert(
      fc.property(stateful, archParamsArb, fc.integer(), fc.nat(), (w, p, seed, lj) => {
        const a = buildArch(p);
        const T = w.snn!.timeDim;
        const base = randomMapping(w, a, seed, { noSpatial: new Set([T]), omit: new Set([T]) });
        const tLoop: Loop = { dim: T, factor: w.sizes[T] };
        const j = 1 + (lj % (a.levels.length - 1));
        const outer: Mapping = { levels: base.levels.map((l, i) => (i === 0 ? { ...l, temporal: [tLoop, ...l.temporal] } : l)) };
        const inner: Mapping = { levels: base.levels.map((l, i) => (i === j ? { ...l, temporal: [...l.temporal, tLoop] } : l)) };
        const eo = (evaluate(a, w, outer) as { evaluation: Evaluation }).evaluation;
        const ei = (evaluate(a, w, inner) as { evaluation: Evaluation }).evaluation;
        expect(eo).toBeDefined();
        expect(ei).toBeDefined();
        expect(ei.offchip_bytes_by_tensor.State).toBeLessThanOrEqual(eo.offchip_bytes_by_tensor.State);
        // Per level too: State moves between levels no more often.
        for (let e = 0; e < a.levels.length; e++) {
          const so = eo.levels[e].tensors.State;
          const si = ei.levels[e].tensors.State;
          if (!so || !si) continue;
          expect(si.fills * si.utilized_instances).toBeLessThanOrEqual(so.fills * so.utilized_instances);
          if (e < a.levels.length - 1) {
            expect(si.reads * si.utilized_instances).toBeLessThanOrEqual(so.reads * so.utilized_instances);
            expect(si.updates * si.utilized_instances).toBeLessThanOrEqual(so.updates * so.utilized_instances);
          }
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('(e) evaluation is deterministic', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const r1 = evaluate(c.a, c.w, c.m);
        const r2 = evaluate(c.a, c.w, c.m);
        const r3 = evaluate(structuredClone(c.a), structuredClone(c.w), structuredClone(c.m));
        expect(r2).toEqual(r1);
        expect(r3).toEqual(r1);
      }),
      { numRuns: RUNS },
    );
  });

  it('(f) every count and energy is finite and non-negative; cycles bound compute', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const r = evaluate(c.a, c.w, c.m);
        if (!expectOkOrMembraneOrder(c, r)) return;
        const ev = r.evaluation;
        const sane = (x: number) => {
          expect(Number.isFinite(x)).toBe(true);
          expect(x).toBeGreaterThanOrEqual(0);
        };
        for (const l of ev.levels) {
          sane(l.energy_pJ);
          sane(l.cycles);
          for (const s of Object.values(l.tensors)) for (const v of Object.values(s)) sane(v);
        }
        for (const a of Object.values(ev.compute)) {
          sane(a.count);
          sane(a.energy_pJ);
        }
        for (const v of Object.values(ev.totals)) sane(v);
        expect(ev.totals.cycles).toBeGreaterThanOrEqual(ev.timing.compute_cycles);
        expect(ev.totals.cycles).toBe(Math.max(ev.timing.compute_cycles, ...ev.levels.map((l) => l.cycles)));
      }),
      { numRuns: RUNS },
    );
  });

  it('(h) SNN: state touched N T K P Q times at its innermost level, spikes written once per neuron per timestep', () => {
    const psumSnn = caseArb.filter((c) => c.w.snn?.accumulation === 'psum');
    fc.assert(
      fc.property(psumSnn, (c) => {
        const ev = (evaluate(c.a, c.w, c.m) as { evaluation: Evaluation }).evaluation;
        expect(ev).toBeDefined();
        const sz = (n: string) => c.w.sizes[c.w.dims.indexOf(n)];
        const steps = sz('N') * sz('T') * sz('K') * sz('P') * sz('Q');
        const state = sz('N') * sz('K') * sz('P') * sz('Q');
        const innermost = (t: string) => [...ev.levels].reverse().find((l) => l.tensors[t])?.tensors[t];
        if (!c.w.snn!.stateless) {
          const s = innermost('State')!;
          // The read at t = 0 is elided (the state starts at rest); the neuron unit writes it every timestep.
          expect(s.reads * s.utilized_instances).toBe(steps - state);
          expect(s.updates * s.utilized_instances).toBe(steps);
        }
        const o = innermost('Outputs')!;
        expect(o.updates * o.utilized_instances).toBe(steps);
        expect(ev.levels[0].tensors.Outputs.updates).toBe(steps);
        expect(ev.levels[0].tensors.Outputs.reads).toBe(0);
      }),
      { numRuns: RUNS },
    );
  });

  it('(g) an evaluation is ok only if every level holds its tiles', () => {
    const capArb = fc.tuple(fc.integer({ min: 8, max: 4096 }), fc.integer({ min: 4, max: 512 }));
    fc.assert(
      fc.property(caseArb, capArb, (c, [cap1, cap2]) => {
        const limited = buildArch(c.p, [null, cap1, cap2]);
        const r = evaluate(limited, c.w, c.m);
        const free = evaluate(c.a, c.w, c.m);
        if (free.status !== 'ok') {
          expect(r.status).toBe('invalid');
          return;
        }
        const used = free.evaluation.levels.map((l) => l.capacity_used_bits);
        // Used bits are the kept tiles at each tensor's own width.
        free.evaluation.levels.forEach((l) => {
          let bits = 0;
          for (const s of Object.values(l.tensors)) bits += s.utilized_capacity * s.word_bits;
          expect(l.capacity_used_bits).toBe(bits);
        });
        const fits = limited.levels.every((l, e) => l.capacityBits === null || used[e] <= l.capacityBits);
        if (r.status === 'ok') {
          for (const l of r.evaluation.levels) if (l.capacity_bits !== null) expect(l.capacity_used_bits).toBeLessThanOrEqual(l.capacity_bits);
          expect(fits).toBe(true);
        } else {
          expect(r.stage).toBe('capacity');
          expect(fits).toBe(false);
          expect(r.needed).toBeGreaterThan(r.available!);
          const e = limited.levels.findIndex((l) => l.name === r.level);
          expect(used[e]).toBe(r.needed);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
