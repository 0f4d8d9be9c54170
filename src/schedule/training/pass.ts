/**
 * One pass (forward, or backward with the weight gradients) of one layer under a training scheme: the layer's
 * dataflow graph (workload/training/graph.ts) cut into chunks, each chunk evaluated (chunk.ts), the chunks summed,
 * plus what crosses chunks. Two schedules are evaluated and the cheaper (dynamic + static energy) is kept:
 * - `layer`: the whole batch and all timesteps of the pass as one chunk, every link through DRAM (layer by layer,
 *   core by core);
 * - `fused`: chunks of n samples x t timesteps x h output rows small enough that the links (TT core outputs,
 *   gradients) stay on chip; among the chunk shapes, the one keeping the most link bits on chip, then the largest.
 * Online schemes (OTTT, SAF) run one timestep at a time through the whole network, so their chunks are one
 * timestep, weights are fetched again every timestep and the neuron state leaves the chip between timesteps.
 * Across chunks: weights fetched by the first chunk stay on chip when the pass's weights fit the weight buffer;
 * weight gradients of later chunks accumulate onto partial sums read back from DRAM; the neuron state of a band
 * of rows is carried between time batches (on chip when it fits beside the resident links, else via DRAM).
 */
import type { Arch } from '../../arch/types.ts';
import { backwardGraph, forwardGraph, segments, type Chunk, type ChunkGraph, type OpTag, type Segment } from '../../workload/training/graph.ts';
import type { Phase } from '../../workload/training/phases.ts';
import type { Scheme } from '../../workload/training/schemes.ts';
import type { TtLayer } from '../../workload/tt/layer.ts';
import { evaluateChunk, linkInfo, liveReserve, roleLevel, variantKey, type ChunkCost, type ChunkVariant, type OpRecord, type TrainingContext } from './chunk.ts';
import { addInto, emptyBreakdown, type Breakdown } from './types.ts';

export type PassKind = 'forward' | 'backward';

export interface PassChoice {
  readonly schedule: 'layer' | 'fused';
  readonly segment: Segment;
  readonly chunk: Chunk;
  readonly chunks: number;
  /** Links kept on chip. */
  readonly resident: readonly string[];
  readonly weightsOnChip: boolean;
  /** Dynamic + static energy of the two schedules evaluated (the cheaper is kept). */
  readonly considered: readonly { readonly schedule: 'layer' | 'fused'; readonly chunk: Chunk; readonly energy_pJ: number }[];
  readonly ops: readonly OpRecord[];
}

export type PassOutcome =
  | { readonly ok: true; readonly byPhase: Partial<Record<Phase, Breakdown>>; readonly byTag: Partial<Record<OpTag, Breakdown>>; readonly choices: readonly PassChoice[] }
  | { readonly ok: false; readonly op: string; readonly workload: string; readonly reason: string; readonly level?: string; readonly tensor?: string };

const divisorsDesc = (n: number): number[] => {
  const out: number[] = [];
  for (let f = n; f >= 1; f--) if (n % f === 0) out.push(f);
  return out;
};

/** Fused chunk shapes evaluated per pass (the best by kept link bits, then by size). */
const FUSED_TRIED = 3;

/** Fraction of a buffer the links may take (the rest is left for the ops' own tiles). */
const LINK_SHARE = 0.5;

/** Links that fit on chip for every op of the chunk: all of them, dropping the largest offender until they fit. */
export function residentLinks(arch: Arch, g: ChunkGraph): Set<string> {
  const links = linkInfo(g);
  const resident = new Set(links.map((k) => k.link.id));
  for (let guard = 0; guard < links.length + 1; guard++) {
    let worst: { id: string; bits: number } | undefined;
    for (let i = 0; i < g.ops.length && !worst; i++) {
      const r = liveReserve(arch, g, links, resident, i);
      r.forEach((bits, e) => {
        const cap = arch.levels[e].capacityBits;
        if (cap === null || bits <= cap * LINK_SHARE || worst) return;
        for (const k of links) if (resident.has(k.link.id) && i >= k.first && i <= k.last && (!worst || k.bits > worst.bits)) worst = { id: k.link.id, bits: k.bits };
      });
    }
    if (!worst) break;
    resident.delete(worst.id);
  }
  return resident;
}

function graphOf(kind: PassKind, l: TtLayer, scheme: Scheme, ch: Chunk, du: number, seg: Segment): ChunkGraph {
  return kind === 'forward' ? forwardGraph(l, scheme, ch, seg) : backwardGraph(l, scheme, ch, du, seg);
}

/** Energy of moving `bits` between DRAM and on-chip level `level` both ways (a state spilled and reloaded). */
function spillCost(ctx: TrainingContext, bits: number, level: number, viaDram: boolean): Breakdown {
  const arch = ctx.arch;
  const b = emptyBreakdown();
  if (bits <= 0) return b;
  const L = arch.levels[level];
  if (L) {
    const v = Math.ceil(bits / L.widthBits);
    const e = v * (L.energy.update + L.energy.read);
    b.by_level[L.name] = e;
    b.energy_pJ += e;
  }
  if (viaDram) {
    const d = arch.levels.findIndex((x) => x.offChip);
    const D = arch.levels[d];
    const v = Math.ceil(bits / D.widthBits);
    const e = v * (D.energy.update + D.energy.read);
    b.by_level[D.name] = (b.by_level[D.name] ?? 0) + e;
    b.energy_pJ += e;
    b.offchip_bytes += (2 * bits) / 8;
    b.offchip_words += (2 * bits) / 16;
    const bw = D.sharedBandwidth ?? Math.min(D.readBandwidth ?? Infinity, D.writeBandwidth ?? Infinity);
    const c = Number.isFinite(bw) ? Math.ceil((2 * bits) / bw) : 0;
    b.cycles = c;
    b.sparse_cycles = c;
  }
  return b;
}

interface Evaluated {
  readonly byPhase: Partial<Record<Phase, Breakdown>>;
  readonly byTag: Partial<Record<OpTag, Breakdown>>;
  readonly energy: number;
  readonly choice: Omit<PassChoice, 'considered'>;
}

export function staticMw(arch: Arch): number {
  return arch.levels.reduce((a, l) => a + l.leakageMw * l.instances, 0) + arch.compute.idleMw;
}

function evaluateOption(ctx: TrainingContext, kind: PassKind, l: TtLayer, scheme: Scheme, seg: { seg: Segment; T: number }, ch: Chunk, fused: boolean, carryIn: boolean): Evaluated | { fail: Extract<PassOutcome, { ok: false }> } {
  const online = scheme === 'ottt' || scheme === 'saf';
  const g = graphOf(kind, l, scheme, ch, ctx.duDensity, seg.seg);
  const resident = fused ? residentLinks(ctx.arch, g) : new Set<string>();
  const N = l.conv.N;
  const H = l.conv.hOut;
  const bands = (N / ch.n) * (H / ch.h);
  const batches = seg.T / ch.t;
  const chunks = bands * batches;
  // Chunks that may share weights fetched once: all of them, or one timestep's for online schemes.
  const groups = online ? batches : 1;
  const variants: ChunkVariant[] = [
    { weightsOnChip: false, reloadGradW: false },
    { weightsOnChip: false, reloadGradW: true },
    { weightsOnChip: true, reloadGradW: true },
  ];
  const r = evaluateChunk(ctx, g, resident, variants);
  if (!r.ok) return { fail: { ok: false, op: r.op, workload: r.workload, reason: r.reason, level: r.level, tensor: r.tensor } };
  const wLevel = roleLevel(ctx.arch, 'weight');
  const wCap = wLevel >= 0 ? ctx.arch.levels[wLevel].capacityBits : null;
  const weightsOnChip = chunks > 1 && r.weightBits > 0 && (wCap === null || r.weightBits <= wCap);
  const get = (v: ChunkVariant) => r.variants.get(variantKey(v))!;
  const byPhase: Partial<Record<Phase, Breakdown>> = {};
  const byTag: Partial<Record<OpTag, Breakdown>> = {};
  const add = (src: ChunkCost, k: number): void => {
    if (k <= 0) return;
    for (const [p, b] of Object.entries(src.byPhase) as [Phase, Breakdown][]) addInto((byPhase[p] ??= emptyBreakdown()), b, 'add', k);
    for (const [p, b] of Object.entries(src.byTag) as [OpTag, Breakdown][]) addInto((byTag[p] ??= emptyBreakdown()), b, 'add', k);
  };
  // The very first chunk fetches the weights and starts the weight gradients; every later chunk accumulates onto
  // partial sums read back; with the weights on chip only the first chunk of each group fetches them.
  const first = get(variants[0]);
  add(first, 1);
  add(get(variants[1]), weightsOnChip ? groups - 1 : chunks - 1);
  if (weightsOnChip) add(get(variants[2]), chunks - groups);
  // The neuron state carried between time batches of a band (and into HTT's late segment).
  const boundaries = bands * (batches - 1 + (carryIn ? 1 : 0));
  if (r.stateBits > 0 && boundaries > 0) {
    const sLevel = roleLevel(ctx.arch, 'state');
    const cap = ctx.arch.levels[sLevel]?.capacityBits ?? null;
    let live = 0;
    for (let i = 0; i < g.ops.length; i++) live = Math.max(live, liveReserve(ctx.arch, g, linkInfo(g), resident, i)[sLevel] ?? 0);
    const onChip = !online && (cap === null || r.stateBits + live <= cap * LINK_SHARE);
    addInto((byPhase[r.statePhase] ??= emptyBreakdown()), spillCost(ctx, r.stateBits, sLevel, !onChip), 'add', boundaries);
  }
  let energy = 0;
  let cycles = 0;
  for (const b of Object.values(byPhase)) {
    energy += b.energy_pJ;
    cycles += b.cycles;
  }
  energy += (staticMw(ctx.arch) * cycles * 1e3) / ctx.arch.clockMhz;
  return {
    byPhase,
    byTag,
    energy,
    choice: { schedule: fused ? 'fused' : 'layer', segment: seg.seg, chunk: ch, chunks, resident: [...resident].sort(), weightsOnChip, ops: first.ops },
  };
}

/** Chunk shapes for the fused schedule, best first: most link bits on chip, then the largest chunk. */
function fusedCandidates(ctx: TrainingContext, kind: PassKind, l: TtLayer, scheme: Scheme, seg: { seg: Segment; T: number }): Chunk[] {
  const online = scheme === 'ottt' || scheme === 'saf';
  const cands: { ch: Chunk; kept: number; volume: number }[] = [];
  for (const n of divisorsDesc(l.conv.N)) for (const t of online ? [1] : divisorsDesc(seg.T)) for (const h of divisorsDesc(l.conv.hOut)) {
    const ch = { n, t, h };
    const g = graphOf(kind, l, scheme, ch, ctx.duDensity, seg.seg);
    if (g.links.length === 0) return [];
    const info = linkInfo(g);
    const res = residentLinks(ctx.arch, g);
    const chunks = (l.conv.N / n) * (l.conv.hOut / h) * (seg.T / t);
    const kept = info.filter((k) => res.has(k.link.id)).reduce((a, k) => a + k.dataBits, 0) * chunks;
    if (kept > 0) cands.push({ ch, kept, volume: n * t * h });
  }
  cands.sort((a, b) => b.kept - a.kept || b.volume - a.volume || b.ch.h - a.ch.h);
  return cands.map((c) => c.ch);
}

export function evaluatePass(ctx: TrainingContext, kind: PassKind, l: TtLayer, scheme: Scheme): PassOutcome {
  const online = scheme === 'ottt' || scheme === 'saf';
  const byPhase: Partial<Record<Phase, Breakdown>> = {};
  const byTag: Partial<Record<OpTag, Breakdown>> = {};
  const choices: PassChoice[] = [];
  const segs = segments(l);
  for (let si = 0; si < segs.length; si++) {
    const seg = segs[si];
    const whole: Chunk = { n: l.conv.N, t: online ? 1 : seg.T, h: l.conv.hOut };
    const options: Evaluated[] = [];
    const layer = evaluateOption(ctx, kind, l, scheme, seg, whole, false, si > 0);
    let failure: Extract<PassOutcome, { ok: false }> | undefined;
    if ('fail' in layer) failure = layer.fail;
    else options.push(layer);
    // The two best fused chunk shapes that map (more time per chunk carries less state, more rows use the PEs
    // better: the energy decides).
    let tries = 0;
    let found = 0;
    for (const ch of fusedCandidates(ctx, kind, l, scheme, seg)) {
      if (tries++ >= 4 || found >= FUSED_TRIED) break;
      const f = evaluateOption(ctx, kind, l, scheme, seg, ch, true, si > 0);
      if ('fail' in f) {
        failure ??= f.fail;
        continue;
      }
      options.push(f);
      found++;
    }
    if (options.length === 0) return failure!;
    options.sort((a, b) => a.energy - b.energy);
    const best = options[0];
    for (const [p, b] of Object.entries(best.byPhase) as [Phase, Breakdown][]) addInto((byPhase[p] ??= emptyBreakdown()), b);
    for (const [p, b] of Object.entries(best.byTag) as [OpTag, Breakdown][]) addInto((byTag[p] ??= emptyBreakdown()), b);
    choices.push({ ...best.choice, considered: options.map((o) => ({ schedule: o.choice.schedule, chunk: o.choice.chunk, energy_pJ: o.energy })) });
  }
  return { ok: true, byPhase, byTag, choices };
}
