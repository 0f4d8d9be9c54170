/**
 * The cost of one evaluated op inside a chunk of a layer's training dataflow, after the schedule's decisions: a
 * tensor kept on chip between ops (a resident link) has no off-chip traffic and is not filled again into the
 * buffer that already holds it; a merged output (PTT's fused merge) is written once for both PE groups; a tensor
 * a later pass needs that no op writes to DRAM is stored explicitly. The evaluation's counts are exact per tensor
 * and level (energy = vectors x energy per access x instances, DESIGN.md §2), so removing a tensor's accesses is
 * exact too; the roofline cycles are recomputed from the remaining bits per level and its bandwidths.
 */
import type { Arch } from '../../arch/types.ts';
import { wordsPerVector } from '../../arch/types.ts';
import { totalOperations, type Workload } from '../../workload/types.ts';
import { emptyBreakdown, type Breakdown, type EvalSlice } from './types.ts';

export interface Adjust {
  /** Tensors whose off-chip traffic disappears (resident link endpoints, a discarded output). */
  readonly offchip: ReadonlySet<string>;
  /** Tensors not filled again into their outermost on-chip level (already there). */
  readonly noFill: ReadonlySet<string>;
  /** Output tensors merged into the concurrent op's write (fused PTT merge): their final write disappears. */
  readonly merged: ReadonlySet<string>;
  /** Explicit DRAM writes (stores) and reads (reloads) in bits, with the on-chip level that sends / receives them. */
  readonly stores: readonly Move[];
  readonly loads: readonly Move[];
}

/** `bits` of a tensor of `wordBits`-bit words between DRAM and on-chip level `level`. */
export interface Move {
  readonly bits: number;
  readonly level: number;
  readonly wordBits: number;
}

export const NO_ADJUST: Adjust = { offchip: new Set(), noFill: new Set(), merged: new Set(), stores: [], loads: [] };

export interface OpCost {
  readonly breakdown: Breakdown;
  /** Per level: bits one instance reads out and writes in, after the adjustments (shared-level timing). */
  readonly bits: readonly { read: number; write: number }[];
  /** Dense and sparse compute cycles. */
  readonly computeCycles: number;
  readonly sparseComputeCycles: number;
  /** Off-chip cost of the `Weights` tensor (for weights kept on chip across chunks). */
  readonly weightsOffchip: { readonly energy_pJ: number; readonly bytes: number; readonly words: number; readonly bits: number };
  /** Capacity used per level (bits per instance). */
  readonly used: readonly number[];
}

/** Cycles one instance of level `e` needs for `read` and `write` bits at its bandwidths (0 when unlimited). */
export function transferCycles(arch: Arch, e: number, read: number, write: number): number {
  const l = arch.levels[e];
  let c = 0;
  if (l.readBandwidth) c = Math.max(c, read / l.readBandwidth);
  if (l.writeBandwidth) c = Math.max(c, write / l.writeBandwidth);
  if (l.sharedBandwidth) c = Math.max(c, (read + write) / l.sharedBandwidth);
  return c;
}

/** The outermost on-chip level that keeps tensor `name` in this evaluation. */
function homeLevel(arch: Arch, ev: EvalSlice, name: string): number {
  return ev.levels.findIndex((l, e) => !arch.levels[e].offChip && l.tensors[name] !== undefined);
}

export function opCost(arch: Arch, w: Workload, ev: EvalSlice, actions: Readonly<Record<string, string>>, adj: Adjust): OpCost {
  const b = emptyBreakdown();
  const bits = ev.levels.map(() => ({ read: 0, write: 0 }));
  const weights = { energy_pJ: 0, bytes: 0, words: 0, bits: 0 };
  ev.levels.forEach((lv, e) => {
    const L = arch.levels[e];
    let energy = 0;
    for (const [name, s] of Object.entries(lv.tensors)) {
      let rv = s.read_vectors;
      let fv = s.fill_vectors;
      let uv = s.update_vectors;
      let r = s.reads;
      let f = s.fills;
      let u = s.updates;
      if (L.offChip && adj.offchip.has(name)) rv = fv = uv = r = f = u = 0;
      if (L.offChip && adj.merged.has(name)) uv = u = 0;
      if (!L.offChip && e === homeLevel(arch, ev, name)) {
        if (adj.noFill.has(name)) fv = f = 0;
        if (adj.merged.has(name) && adj.offchip.has(name)) {
          // Resident merged output: its distinct elements are written once, by the other group's op.
          const distinct = Math.min(u, distinctOf(w, name));
          u -= distinct;
          uv = Math.max(0, uv - Math.ceil(distinct / wordsPerVector(L, s.word_bits)));
        }
      }
      const en = (rv * L.energy.read + fv * L.energy.fill + uv * L.energy.update) * s.utilized_instances;
      energy += en;
      bits[e].read += r * s.word_bits;
      bits[e].write += (f + u) * s.word_bits;
      if (L.offChip) {
        b.offchip_bytes += ((r + f + u) * s.word_bits * s.utilized_instances) / 8;
        b.offchip_words += (r + f + u) * s.utilized_instances;
        if (name === 'Weights') {
          weights.energy_pJ += en;
          weights.bytes += ((r + f + u) * s.word_bits * s.utilized_instances) / 8;
          weights.words += (r + f + u) * s.utilized_instances;
          weights.bits += (r + f + u) * s.word_bits;
        }
      }
    }
    b.by_level[lv.name] = energy;
    b.energy_pJ += energy;
  });
  // Explicit stores and reloads: DRAM write/read plus the on-chip level's read/fill, in whole vectors.
  const dram = arch.levels.findIndex((l) => l.offChip);
  const move = (bitsMoved: number, level: number, wordBits: number, dir: 'store' | 'load'): void => {
    if (bitsMoved <= 0 || dram < 0) return;
    const D = arch.levels[dram];
    const dv = Math.ceil(bitsMoved / D.widthBits);
    const de = dv * (dir === 'store' ? D.energy.update : D.energy.read);
    const name = ev.levels[dram].name;
    b.by_level[name] = (b.by_level[name] ?? 0) + de;
    b.energy_pJ += de;
    b.offchip_bytes += bitsMoved / 8;
    b.offchip_words += bitsMoved / wordBits;
    if (dir === 'store') bits[dram].write += bitsMoved;
    else bits[dram].read += bitsMoved;
    if (level > 0 && level < arch.levels.length) {
      const L = arch.levels[level];
      const lv = Math.ceil(bitsMoved / L.widthBits);
      const le = lv * (dir === 'store' ? L.energy.read : L.energy.fill);
      b.by_level[ev.levels[level].name] = (b.by_level[ev.levels[level].name] ?? 0) + le;
      b.energy_pJ += le;
      if (dir === 'store') bits[level].read += bitsMoved;
      else bits[level].write += bitsMoved;
    }
  };
  for (const s of adj.stores) move(s.bits, s.level, s.wordBits, 'store');
  for (const s of adj.loads) move(s.bits, s.level, s.wordBits, 'load');
  for (const [a, v] of Object.entries(ev.compute)) {
    if (v.count === 0) continue;
    const x = (b.by_action[actions[a] ?? a] ??= { count: 0, energy_pJ: 0 });
    x.count += v.count;
    x.energy_pJ += v.energy_pJ;
    b.energy_pJ += v.energy_pJ;
  }
  const ops = totalOperations(w);
  const density = w.snn?.zeroSkipping && ops > 0 ? ev.totals.computes / ops : 1;
  const cc = ev.timing.compute_cycles;
  const scc = cc * density;
  let tc = 0;
  bits.forEach((x, e) => (tc = Math.max(tc, transferCycles(arch, e, x.read, x.write))));
  b.cycles = Math.ceil(Math.max(cc, tc));
  b.sparse_cycles = Math.ceil(Math.max(scc, tc));
  return { breakdown: b, bits, computeCycles: cc, sparseComputeCycles: scc, weightsOffchip: weights, used: ev.levels.map((l) => l.capacity_used_bits) };
}

/** Distinct elements of a tensor (its size). */
function distinctOf(w: Workload, name: string): number {
  const t = w.tensors.find((x) => x.name === name);
  if (!t) return 0;
  let size = 1;
  for (const rank of t.projection) size *= rank.reduce((a, term) => a + term.coeff * (w.sizes[term.dim] - 1), 1);
  return size;
}

/** A compute-only op (the fused merge's adds): operations x energy of its action, no memory, no cycles. */
export function computeOnlyCost(w: Workload, action: string, energy: number): Breakdown {
  const ops = totalOperations(w);
  const b = emptyBreakdown();
  b.by_action[action] = { count: ops, energy_pJ: ops * energy };
  b.energy_pJ = ops * energy;
  return b;
}
