/**
 * Wires the layer model into the network schedule evaluator (schedule/ may not import model/): a chunk workload
 * is mapped (schedule/chunk-mapper.ts by default, optionally refined by the intra-layer mapper of search/, see
 * chunk-search.ts) and evaluated; its on-chip part becomes a `LayerCost`. Off-chip levels are dropped and the fills
 * of the outermost on-chip level removed: the schedule evaluator charges the DRAM <-> global-buffer traffic itself
 * from its buffer simulation.
 *
 * The state of a chunk that is not the first time batch is not at rest and must be read in; the state of a chunk
 * that is not the last must be written out. The layer model elides exactly these accesses (DESIGN.md §2: the read
 * at t = 0 at every level that keeps the state, and the write-back of the final state at every keeping level outside
 * the innermost one, where the neuron unit writes it every timestep); `stateIn` and `stateOut` put them back (reads
 * at each keeping level, fills at each keeping level below the outermost one; updates at each keeping level but the
 * innermost), so the simulation charges them per chunk.
 */
import type { Arch } from '../arch/types.ts';
import { wordsPerVector } from '../arch/types.ts';
import type { Mapping } from '../mapping/types.ts';
import { evaluate } from '../model/evaluate.ts';
import type { Evaluation } from '../model/types.ts';
import { adaptMapping, mapChunk, type ChunkBounds } from '../schedule/chunk-mapper.ts';
import {
  N_SLOTS, N_STATS, newLevelStats, STAT_ENERGY, STAT_FILLS, STAT_READS, STAT_UPDATES, statsEnergy,
  type LayerCost, type LayerCostFn, type LayerCostOutcome, type LevelStats, type TensorSlot, TENSOR_SLOTS,
} from '../schedule/types.ts';
import type { TensorRole, Workload } from '../workload/types.ts';

export type MapLayer = (w: Workload) => Mapping;

export const SLOT_OF_ROLE: Readonly<Record<TensorRole, TensorSlot>> = {
  weight: 'Weights', input: 'Inputs', psum: 'Psum', state: 'State', output: 'Outputs', 'spikes-out': 'Outputs',
};

const slotIndex = (role: TensorRole): number => TENSOR_SLOTS.indexOf(SLOT_OF_ROLE[role]);
const at = (level: number, slot: number, stat: number): number => (level * N_SLOTS + slot) * N_STATS + stat;

const vec = (scalars: number, wpv: number): number => (scalars <= 0 ? 0 : Math.ceil(scalars / wpv - 1e-9));

/** A mapping in one line: per on-chip level its temporal loops (outer to inner) and spatial loops. */
export function describeMapping(arch: Arch, w: Workload, m: Mapping): string {
  return m.levels
    .map((lv, e) => {
      if (arch.levels[e].offChip) return '';
      const t = lv.temporal.map((l) => `${w.dims[l.dim]}${l.factor}`).join(' ');
      const s = lv.spatial.map((l) => `${w.dims[l.dim]}${l.factor}${l.axis}`).join(' ');
      const body = [t, s ? `[${s}]` : ''].filter((x) => x).join(' ');
      return body ? `${arch.levels[e].name}: ${body}` : '';
    })
    .filter((x) => x)
    .join(' | ');
}

/** The on-chip cost of one evaluated chunk (see the file comment). */
export function layerCostOf(arch: Arch, w: Workload, e: Evaluation, opts: { zeroSkipCycles?: boolean } = {}): LayerCost {
  const L = arch.levels.length;
  const top = arch.levels.findIndex((l) => !l.offChip);
  const base = newLevelStats(L);
  const stateIn = newLevelStats(L);
  const stateOut = newLevelStats(L);
  const weightLoad = newLevelStats(L);
  let hasState = false;
  let psumBits = 0;
  let weightsHeld = -1;
  const wi = w.tensors.findIndex((t) => t.role === 'weight');
  let weightWords = 0;
  if (wi >= 0) {
    weightWords = 1;
    for (const r of w.tensors[wi].projection) {
      let ext = 1;
      for (const term of r) ext += term.coeff * (w.sizes[term.dim] - 1);
      weightWords *= ext;
    }
  }
  const stateTensor = w.tensors.find((t) => t.role === 'state');
  let innermostState = -1;
  if (stateTensor) for (let i = top; i < L; i++) if (e.levels[i].tensors[stateTensor.name]) innermostState = i;
  let cycles = e.timing.compute_cycles;
  if (opts.zeroSkipCycles && w.snn) cycles *= w.tensors[w.snn.inputTensor].density;
  for (let i = top; i < L; i++) {
    const spec = arch.levels[i];
    const lv = e.levels[i];
    cycles = Math.max(cycles, lv.transfer_cycles);
    w.tensors.forEach((t) => {
      const s = lv.tensors[t.name];
      if (!s) return;
      const slot = slotIndex(t.role);
      const inst = s.utilized_instances;
      const fillE = s.fill_vectors * spec.energy.fill * inst;
      base[at(i, slot, STAT_READS)] += s.reads * inst;
      base[at(i, slot, STAT_FILLS)] += i === top ? 0 : s.fills * inst;
      base[at(i, slot, STAT_UPDATES)] += s.updates * inst;
      base[at(i, slot, STAT_ENERGY)] += s.energy_pJ - (i === top ? fillE : 0);
      if (t.role === 'psum' && i === top) psumBits = s.utilized_capacity * t.bits * inst;
      if (t.role === 'state') {
        hasState = true;
        const wpv = wordsPerVector(spec, t.bits);
        const words = s.partition_size;
        stateIn[at(i, slot, STAT_READS)] += words * inst;
        stateIn[at(i, slot, STAT_ENERGY)] += vec(words, wpv) * spec.energy.read * inst;
        const outerKept = e.levels.slice(top, i).some((u) => u.tensors[t.name] !== undefined);
        if (outerKept) {
          stateIn[at(i, slot, STAT_FILLS)] += words * inst;
          stateIn[at(i, slot, STAT_ENERGY)] += vec(words, wpv) * spec.energy.fill * inst;
        }
        if (i !== innermostState) {
          stateOut[at(i, slot, STAT_UPDATES)] += words * inst;
          stateOut[at(i, slot, STAT_ENERGY)] += vec(words, wpv) * spec.energy.update * inst;
        }
      }
      if (t.role === 'weight' && i > top && inst === 1 && s.utilized_capacity >= weightWords) weightsHeld = i;
    });
  }
  let hasWeightLoad = false;
  if (wi >= 0 && weightsHeld > top) {
    // One full load of the weights: read from the outermost on-chip level, filled into each level down to the one
    // that holds them all (capped by what the chunk really moves).
    const t = w.tensors[wi];
    const slot = slotIndex(t.role);
    for (let i = top; i <= weightsHeld; i++) {
      const s = e.levels[i].tensors[t.name];
      if (!s) continue;
      const spec = arch.levels[i];
      const wpv = wordsPerVector(spec, t.bits);
      const child = e.levels.slice(i + 1, weightsHeld + 1).some((u) => u.tensors[t.name] !== undefined);
      if (child) {
        const r = Math.min(s.reads, weightWords);
        weightLoad[at(i, slot, STAT_READS)] = r;
        weightLoad[at(i, slot, STAT_ENERGY)] += Math.min(vec(r, wpv), s.read_vectors) * spec.energy.read;
      }
      if (i > top) {
        const f = Math.min(s.fills, weightWords);
        weightLoad[at(i, slot, STAT_FILLS)] = f;
        weightLoad[at(i, slot, STAT_ENERGY)] += Math.min(vec(f, wpv), s.fill_vectors) * spec.energy.fill;
      }
      hasWeightLoad = true;
    }
  }
  // A layer without weights (add, pool) runs no neuron: its element-wise ops are its computes.
  const compute: Record<string, { count: number; energy_pJ: number }> = {};
  let computeEnergy = 0;
  for (const [k, v] of Object.entries(e.compute)) {
    if (k === 'neuron_update' && wi < 0) continue;
    compute[k] = { count: v.count, energy_pJ: v.energy_pJ };
    computeEnergy += v.energy_pJ;
  }
  return {
    base,
    stateIn: hasState ? stateIn : null,
    stateOut: hasState ? stateOut : null,
    weightLoad: hasWeightLoad ? weightLoad : null,
    energy: { base: statsEnergy(base), stateIn: hasState ? statsEnergy(stateIn) : 0, stateOut: hasState ? statsEnergy(stateOut) : 0, weightLoad: hasWeightLoad ? statsEnergy(weightLoad) : 0 },
    compute,
    computeEnergy,
    computes: e.totals.computes,
    cycles,
    psumBits,
  };
}

export interface ChunkCostOptions {
  /** What the chunk mapper minimises (the schedule objective; off-chip bytes do not depend on the chunk mapping). */
  readonly objective?: 'energy' | 'cycles' | 'edp';
  /** Spatial unrolling and other bounds (a constraints file translated by name). */
  readonly bounds?: ChunkBounds;
  /** Evaluations of the chunk mapper's local improvement per chunk shape. */
  readonly budget?: number;
  /** Event-driven compute: cycles scale with the input spike density (the compressed spike formats). */
  readonly zeroSkipCycles?: boolean;
  /** Replace the default mapper (tests, or a fixed mapping). */
  readonly mapLayer?: MapLayer;
  /** Refine each chunk mapping with the intra-layer mapper of search/ (chunk-search.ts). */
  readonly refine?: (arch: Arch, w: Workload, start: Mapping, score: (m: Mapping) => number | undefined) => Mapping;
}

/** A structural key of a chunk workload: two layers of the same shape share their mapping and cost. */
export function chunkKey(w: Workload, carry: boolean): string {
  const t = w.tensors.map((x) => `${x.role}:${x.bits}:${x.density}:${x.readWrite ? 1 : 0}:${x.projection.map((r) => r.map((p) => `${p.dim}*${p.coeff}`).join('+')).join(',')}`).join(';');
  const s = w.snn ? `${w.snn.accumulation}:${w.snn.stateless}:${w.snn.keepFinalState}:${w.snn.spikingInput}:${w.snn.zeroSkipping}:${w.snn.reductionDims.join('.')}:${w.snn.inputTensor}` : '-';
  return `${w.dims.join('')}|${w.sizes.join(',')}|${t}|${s}|${carry ? 1 : 0}`;
}

/**
 * The LayerCostFn of an arch: map each chunk and evaluate it, cached by chunk structure. Chunks of one layer that
 * differ only in their line count share the mapping found for `refLines` lines (adaptMapping), each evaluated
 * exactly; a chunk whose adapted mapping is invalid is mapped on its own.
 */
export function layerCostFn(arch: Arch, o: ChunkCostOptions = {}): LayerCostFn {
  const cache = new Map<string, LayerCostOutcome>();
  const mappings = new Map<string, Mapping | string>();
  const mapOf = (w: Workload, carry: boolean, lineDim: number): Mapping | string => {
    const key = chunkKey(w, carry);
    let m = mappings.get(key);
    if (m === undefined) {
      // A chunk of n lines may always run as n one-line chunks back to back: that mapping (the one-line chunk's,
      // adapted) is a candidate too, so the cost per line never exceeds the one-line chunk's by the mapper's doing.
      const n = w.sizes[lineDim];
      let alt: Mapping | undefined;
      if (n > 1) {
        const one = mapOf({ ...w, sizes: w.sizes.map((x, i) => (i === lineDim ? 1 : x)) }, carry, lineDim);
        if (typeof one !== 'string') alt = adaptMapping(arch, one, lineDim, n);
      }
      m = mapChunkFor(arch, w, carry, o, alt);
      mappings.set(key, m);
    }
    return m;
  };
  return (chunk, req) => {
    const key = chunkKey(chunk, req.carry);
    const hit = cache.get(key);
    if (hit) return hit;
    let out: LayerCostOutcome | undefined;
    const n = chunk.sizes[req.lineDim];
    if (!o.mapLayer && n !== req.refLines && req.refLines >= 1) {
      const ref: Workload = { ...chunk, sizes: chunk.sizes.map((s, i) => (i === req.lineDim ? req.refLines : s)) };
      const m0 = mapOf(ref, req.carry, req.lineDim);
      if (typeof m0 !== 'string') {
        const c = costOfMapping(arch, chunk, adaptMapping(arch, m0, req.lineDim, n), o);
        if (typeof c !== 'string') out = { ok: true, cost: c };
      }
    }
    if (!out) {
      const m = o.mapLayer ? o.mapLayer(chunk) : mapOf(chunk, req.carry, req.lineDim);
      const c = typeof m === 'string' ? m : costOfMapping(arch, chunk, m, o);
      out = typeof c === 'string' ? { ok: false, reason: `${chunk.name}: ${c}` } : { ok: true, cost: c };
    }
    cache.set(key, out);
    return out;
  };
}

function costOfMapping(arch: Arch, chunk: Workload, m: Mapping, o: ChunkCostOptions): LayerCost | string {
  const r = evaluate(arch, chunk, m, { timing: 'roofline' });
  if (r.status !== 'ok') return r.reason;
  return { ...layerCostOf(arch, chunk, r.evaluation, { zeroSkipCycles: o.zeroSkipCycles }), mapping: describeMapping(arch, chunk, m) };
}

/** The chunk mapper's choice for one chunk, or why none is valid. */
function mapChunkFor(arch: Arch, chunk: Workload, carry: boolean, o: ChunkCostOptions, alt?: Mapping): Mapping | string {
  const parts = (m: Mapping): LayerCost | string => {
    const r = evaluate(arch, chunk, m, { timing: 'roofline' });
    if (r.status !== 'ok') return r.reason;
    return layerCostOf(arch, chunk, r.evaluation, { zeroSkipCycles: o.zeroSkipCycles });
  };
  const energyOf = (c: LayerCost): number => c.energy.base + c.computeEnergy + (carry ? c.energy.stateIn + c.energy.stateOut : 0);
  let lastReason = 'no candidate mapping of the chunk is valid';
  const res = mapChunk(
    arch,
    chunk,
    (m) => {
      const c = parts(m);
      if (typeof c === 'string') {
        lastReason = c;
        return undefined;
      }
      return { energy: energyOf(c), cycles: c.cycles };
    },
    { objective: o.objective ?? 'energy', bounds: o.bounds, budget: o.budget },
  );
  const obj = o.objective ?? 'energy';
  const value = (m: Mapping): number | undefined => {
    const c = parts(m);
    if (typeof c === 'string') return undefined;
    const en = energyOf(c);
    return obj === 'cycles' ? c.cycles * (1 + 1e-12 * en) : obj === 'edp' ? en * c.cycles : en * (1 + 1e-12 * c.cycles);
  };
  let best = res?.mapping;
  if (alt) {
    const va = value(alt);
    const vb = best ? value(best) : undefined;
    if (va !== undefined && (vb === undefined || va < vb)) best = alt;
  }
  if (!best) return lastReason;
  return o.refine ? o.refine(arch, chunk, best, value) : best;
}
