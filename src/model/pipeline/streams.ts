/**
 * Tile streams: one per (level e > 0, tensor t) where t is kept at e; its parent p is the nearest kept level
 * above (none for a psum kept only where its reduction completes: its tiles are made by the compute and consumed
 * by the neuron unit). The stream's tile changes at some ticks; each change is a *visit* of a new tile, filled
 * from p, and (read-write tensors) written back to p when the next visit evicts it.
 *
 * Per-tile traffic is physical: a visit's fill is the part of the new tile that was not in the previous one (the
 * whole tile, or a slab when the tile slides along one rank by less than its extent, as Timeloop's deltas), the
 * first visit of a read-write tile needs no fill (the first accumulation reads nothing; for State, the state at
 * t=0 is at rest), and the last visit of a State tile is not written back when the final state is dead. The
 * analysis's totals are then spread over the visits in proportion to these sizes (`fillRatio` etc.), so the
 * timeline moves exactly the analysis's words; where the two agree (the common case) the ratio is 1 word per word
 * and every tile moves its physical size. (They can differ where Timeloop's counting rules go beyond the tile
 * geometry: a delta reset on a change of direction, link transfers between PEs.)
 *
 * Visit flags, from the digits of the stream's loops at the tick that starts the visit:
 * - first: every irrelevant loop at 0 (no earlier visit of the same tile);
 * - final: every *separating* irrelevant loop (one with a relevant loop inside it) at its last iteration.
 */
import { onReducedNest, type LayerCounts } from '../../analysis/counts.ts';
import type { Arch } from '../../arch/types.ts';
import type { Mapping } from '../../mapping/types.ts';
import type { Workload } from '../../workload/types.ts';
import { completingStepOf, type TileSchedule } from './schedule.ts';

export interface StreamSpec {
  readonly id: number;
  readonly level: number;
  readonly tensor: number;
  /** The nearest kept level above (-1: none); its stream (-1 when none or the parent is the outermost level). */
  readonly parent: number;
  readonly parentStream: number;
  /** The stream of the next kept level below (-1: this is the tensor's innermost kept level). */
  readonly childStream: number;
  /** Ticks only at completing steps (the neuron unit's tensors: State in psum accumulation, output spikes). */
  readonly reduced: boolean;
  readonly rw: boolean;
  /** Buffers per tile: 2 when the level is double buffered. */
  readonly slots: number;
  /** 0: the compute needs it (fills gate the compute); 1: the neuron unit needs it. */
  readonly phase: number;
  /** Innermost and read or written by the compute array. */
  readonly computeGate: boolean;
  /** Innermost and written by the neuron unit (State, spikes): in use until the neuron's result has landed. */
  readonly neuronWrites: boolean;
  /** A psum at its completion level: in use until the neuron unit has read it. */
  readonly neuronReads: boolean;
  /** The final write-back of each element is dead (State without keep_final_state). */
  readonly elideFinal: boolean;
  /** Tile size (words per instance). */
  readonly tile: number;
  /** Per outer loop: one of the stream's loops (above e; for reduced streams not a reduction loop). */
  readonly inStream: Uint8Array;
  readonly rel: Uint8Array;
  readonly sep: Uint8Array;
  /** Per class k: the tile changes when loop k advances, and the fraction of the tile that is new. */
  readonly changes: Uint8Array;
  readonly delta: Float64Array;
  /** Innermost relevant stream loop (-1: the tile never changes). */
  readonly kr: number;
  readonly visits: number;
  /** Words per unit of physical size (or per visit when `uniform`): fills at e, reads at p, updates at p. */
  readonly fillRatio: number;
  readonly readRatio: number;
  readonly drainRatio: number;
  readonly uniformFill: boolean;
  readonly uniformDrain: boolean;
}

export function buildStreams(arch: Arch, w: Workload, mapping: Mapping, counts: LayerCounts, s: TileSchedule): StreamSpec[] {
  const L = arch.levels.length;
  const T = w.tensors.length;
  const out: StreamSpec[] = [];
  const idOf: number[][] = Array.from({ length: L }, () => new Array<number>(T).fill(-1));
  // Stream ids in order of level (outer first), so parents come before children.
  const plan: { e: number; t: number; p: number }[] = [];
  for (let t = 0; t < T; t++) {
    let prev = -1;
    for (let e = 0; e < L; e++) {
      if (!counts.levels[e][t].kept) continue;
      if (e > 0) plan.push({ e, t, p: prev });
      prev = e;
    }
  }
  plan.sort((a, b) => a.e - b.e || a.t - b.t);
  plan.forEach((x, i) => (idOf[x.e][x.t] = i));
  for (const { e, t, p } of plan) {
    let child = -1;
    for (let c = e + 1; c < L; c++) {
      if (counts.levels[c][t].kept) {
        child = idOf[c][t];
        break;
      }
    }
    out.push(buildStream(arch, w, mapping, counts, s, idOf[e][t], e, t, p, p > 0 ? idOf[p][t] : -1, child));
  }
  return out;
}

function buildStream(
  arch: Arch, w: Workload, mapping: Mapping, counts: LayerCounts, s: TileSchedule,
  id: number, e: number, t: number, p: number, parentStream: number, childStream: number,
): StreamSpec {
  const tensor = w.tensors[t];
  const M = s.M;
  const reduced = onReducedNest(w, t);
  const role = tensor.role;
  const innermost = childStream < 0;
  const computeTouched = !reduced;
  const neuronTouchedWrite = w.snn !== undefined && (role === 'state' || role === 'spikes-out');
  const B = s.boundary[e];
  const inStream = new Uint8Array(M);
  const rel = new Uint8Array(M);
  const sep = new Uint8Array(M);
  const changes = new Uint8Array(M);
  const delta = new Float64Array(M);
  const dims = new Uint8Array(w.dims.length);
  for (const rank of tensor.projection) for (const term of rank) if (term.coeff !== 0) dims[term.dim] = 1;
  for (let k = 0; k < B; k++) {
    inStream[k] = reduced && s.reduction[k] ? 0 : 1;
    rel[k] = inStream[k] && dims[s.loops[k].dim] ? 1 : 0;
  }
  let kr = -1;
  for (let k = 0; k < B; k++) if (rel[k]) kr = k;
  for (let k = 0; k < B; k++) sep[k] = inStream[k] && !rel[k] && kr > k ? 1 : 0;
  // Geometry: dim extents of e's tile, the stride of each outer loop's dim, the tile's rank extents.
  const D = w.dims.map((_, d) => {
    let x = 1;
    for (let l = e; l < arch.levels.length; l++) {
      for (const lp of mapping.levels[l].temporal) if (lp.dim === d) x *= lp.factor;
      for (const sp of mapping.levels[l].spatial) if (sp.dim === d) x *= sp.factor;
    }
    return x;
  });
  const vstride = new Float64Array(M);
  const cur = [...D];
  for (let l = e - 1; l >= 0; l--) {
    for (const sp of mapping.levels[l].spatial) cur[sp.dim] *= sp.factor;
    let k = s.boundary[l + 1] - 1;
    const tl = mapping.levels[l].temporal;
    for (let i = tl.length - 1; i >= 0; i--) {
      if (tl[i].factor <= 1) continue;
      vstride[k] = cur[tl[i].dim];
      cur[tl[i].dim] *= tl[i].factor;
      k--;
    }
  }
  const ext = tensor.projection.map((rank) => 1 + rank.reduce((a, term) => a + term.coeff * (D[term.dim] - 1), 0));
  const move = new Float64Array(w.dims.length);
  for (let k = 0; k < B; k++) {
    if (!inStream[k] || kr < k) continue;
    move.fill(0);
    move[s.loops[k].dim] += vstride[k];
    for (let j = k + 1; j < B; j++) if (inStream[j]) move[s.loops[j].dim] -= (s.loops[j].factor - 1) * vstride[j];
    let moved = 0;
    let frac = 0;
    let disjoint = false;
    tensor.projection.forEach((rank, r) => {
      const tr = rank.reduce((a, term) => a + term.coeff * move[term.dim], 0);
      if (tr === 0) return;
      moved++;
      if (Math.abs(tr) >= ext[r]) disjoint = true;
      else frac = Math.abs(tr) / ext[r];
    });
    // Timeloop's deltas: nothing, a slab along one rank, or (disjoint or several ranks moved) the whole tile.
    delta[k] = moved === 0 ? 0 : disjoint || moved > 1 ? 1 : frac;
    changes[k] = delta[k] > 0 ? 1 : 0;
  }
  const c = counts.levels[e][t];
  const pc = p >= 0 ? counts.levels[p][t] : { reads: 0, updates: 0, partitionSize: 0 };
  const rw = tensor.readWrite;
  const elideFinal = role === 'state' && w.snn !== undefined && !w.snn.keepFinalState;
  // Closed-form sums over the visits of the physical fill and write-back sizes.
  const tile = c.size;
  let visits = 1;
  let wFill = rw ? 0 : tile;
  let noSep = true;
  for (let k = 0; k < B; k++) if (sep[k]) noSep = false;
  let wDrain = rw ? (elideFinal && noSep ? 0 : tile) : 0;
  for (let k = 0; k < B; k++) {
    if (!changes[k]) continue;
    let all = s.loops[k].factor - 1;
    let first = rel[k] ? s.loops[k].factor - 1 : 0;
    let fin = sep[k] ? 1 : s.loops[k].factor - 1;
    for (let j = 0; j < k; j++) {
      if (!inStream[j]) continue;
      const f = s.loops[j].factor;
      all *= f;
      first *= rel[j] ? f : 1;
      fin *= sep[j] ? 1 : f;
    }
    for (let j = k + 1; j < B; j++) if (sep[j]) fin = 0;
    visits += all;
    wFill += delta[k] * tile * (rw ? all - first : all);
    if (rw) wDrain += tile * (elideFinal ? all - fin : all);
  }
  const completion = counts.completionLevel[t];
  const readsFromChild = Math.max(0, pc.reads - (completion === p ? pc.partitionSize : 0));
  const uniformFill = wFill <= 0;
  const uniformDrain = wDrain <= 0;
  const fillRatio = p < 0 ? 0 : uniformFill ? c.fills / visits : c.fills / wFill;
  const readRatio = uniformFill ? readsFromChild / visits : readsFromChild / wFill;
  const drainRatio = uniformDrain ? pc.updates / visits : pc.updates / wDrain;
  return {
    id, level: e, tensor: t, parent: p, parentStream, childStream, reduced, rw,
    slots: arch.levels[e].doubleBuffered ? 2 : 1,
    phase: reduced ? 1 : 0,
    computeGate: innermost && computeTouched,
    neuronWrites: innermost && neuronTouchedWrite,
    neuronReads: role === 'psum' && completion === e,
    elideFinal, tile, inStream, rel, sep, changes, delta, kr, visits,
    fillRatio, readRatio, drainRatio, uniformFill, uniformDrain,
  };
}


/** Words of a visit starting at class k (-1 = the first) with the given first flag: fills at e and reads at p. */
export function fillWeight(st: StreamSpec, k: number, first: boolean): number {
  if (st.uniformFill) return 1;
  if (st.rw && first) return 0;
  return (k < 0 ? 1 : st.delta[k]) * st.tile;
}

/** Physical write-back size of a visit with the given final flag (0 for read-only tensors). */
export function drainWeight(st: StreamSpec, final: boolean): number {
  if (!st.rw) return 0;
  if (st.uniformDrain) return 1;
  return st.elideFinal && final ? 0 : st.tile;
}

/** Flags of the visit whose digits are `dig` (loop digits, outermost first): bit 0 first, bit 1 final. */
export function visitFlags(st: StreamSpec, s: TileSchedule, dig: Int32Array): number {
  let first = 1;
  let final = 2;
  for (let k = 0; k < s.M; k++) {
    if (!st.inStream[k] || st.rel[k]) continue;
    if (dig[k] !== 0) first = 0;
    if (st.sep[k] && dig[k] !== s.loops[k].factor - 1) final = 0;
  }
  return first | final;
}

export interface NextChange {
  /** Step index of the stream's next change (Infinity: none). */
  need: number;
  cls: number;
  first: boolean;
  final: boolean;
}

/** The stream's next change after the tick whose digits are `idx` (`scratch` has room for the digits). */
export function nextChange(st: StreamSpec, s: TileSchedule, idx: Int32Array, scratch: Int32Array, out: NextChange): NextChange {
  out.need = Infinity;
  if (st.kr < 0) return out;
  const dig = scratch;
  for (let k = 0; k < s.M; k++) dig[k] = idx[k];
  for (;;) {
    let cls = -1;
    for (let j = st.kr; j >= 0; j--) {
      if (st.reduced && s.reduction[j]) continue;
      if (dig[j] < s.loops[j].factor - 1) {
        cls = j;
        break;
      }
    }
    if (cls < 0) return out;
    dig[cls]++;
    for (let j = cls + 1; j < s.M; j++) if (!(st.reduced && s.reduction[j])) dig[j] = 0;
    if (!st.changes[cls]) continue;
    let need = 0;
    if (st.reduced) need = completingStepOf(s, dig);
    else for (let j = 0; j <= cls; j++) need += dig[j] * s.stride[j];
    const f = visitFlags(st, s, dig);
    out.need = need;
    out.cls = cls;
    out.first = (f & 1) === 1;
    out.final = (f & 2) === 2;
    return out;
  }
}
