/**
 * The training dataflow of one layer for one chunk (a few samples, a few timesteps, a band of output rows), as a
 * graph of operations: each op is a workload the layer model evaluates; a link names a tensor one op produces (or
 * fetches) and later ops of the same chunk consume. Whether a link stays on chip is decided by the schedule
 * (schedule/training/): a resident link is written once into a buffer and read from it, never through DRAM.
 *
 * Per layer there are two passes, run at different times: `forward` (ops of the forward phase) and `backward`
 * (ops of the backward and weight-gradient phases, interleaved as the gradient flows, so each gradient is used by
 * its weight gradient and its input gradient right after it is produced). Per scheme:
 * - bptt: forward keeps every timestep's core inputs (links marked `store`) and membranes (a `store` of State);
 *   backward reads them from DRAM (postgrad: Membrane; weight gradients: Inputs).
 * - ottt: forward = the spike path + the trace path (OTTT runs the layer a second time on the presynaptic trace,
 *   real-valued, so full MACs; its result only carries the gradient, so it is not stored), and the running trace of
 *   the layer input (`a = lambda a + x`, read and written every timestep); the trace path's intermediate values are
 *   the traces of the TT core inputs (the cores are linear), stored for this timestep's backward. One timestep per
 *   pass (online); membranes of this timestep stored for this timestep's backward.
 * - saf: the spike path only (SAF halves OTTT's forward passes); the running traces of every weighted op's input
 *   (the layer input and the TT core inputs) updated elementwise.
 * - ottt, saf backward: as bptt's with the weight gradients on the stored 16-bit traces (full MACs).
 * - reversible: forward stores only the final membrane; backward first recomputes the forward chain (its core
 *   inputs and membranes feed the weight gradients and postgrad through links) and stores nothing.
 */
import { denseConvWorkload, type ConvSpec } from '../tt/conv-spec.ts';
import { averageWorkload, ttCoreWorkloads, type CoreName } from '../tt/cores.ts';
import type { TtLayer } from '../tt/layer.ts';
import { tensorSize, type Workload } from '../types.ts';
import { backwardWorkload, onTrace, postGradWorkload, traceUpdateWorkload, wgradWorkload, type Phase, type WgradSkip } from './phases.ts';
import type { Scheme } from './schemes.ts';

/** A chunk: `n` samples x `t` timesteps x `h` output rows (whole width). */
export interface Chunk {
  readonly n: number;
  readonly t: number;
  readonly h: number;
}

export interface GraphOp {
  readonly id: string;
  readonly phase: Phase;
  readonly workload: Workload;
  /** Model action -> reported action. */
  readonly actions: Readonly<Record<string, string>>;
  /** Runs at the same time as op `concurrentWith` on the other PE group (PTT's G2 || G3). */
  readonly concurrentWith?: string;
  /** Its output is summed into the concurrent op's output by an adder on the way out (one write; fused merge). */
  readonly mergesInto?: string;
  /** Operations only, on the output path of the previous ops (the fused merge's adds): no memory pass, no cycles. */
  readonly computeOnly?: boolean;
  /** Its output is not kept (OTTT's trace path: only its input matters to the gradient). */
  readonly discardsOutput?: boolean;
  /** Extra work of a scheme, reported apart: reversible's recomputation, OTTT's trace path, the trace updates. */
  readonly tag?: OpTag;
}

export type OpTag = 'recompute' | 'trace-path' | 'trace-update';

export interface Endpoint {
  readonly op: string;
  readonly tensor: string;
}

export interface GraphLink {
  readonly id: string;
  /** The producer (an output, or a `State` = the membrane per timestep), or the first op that fetches an input. */
  readonly from: Endpoint;
  readonly to: readonly Endpoint[];
  /** A later pass needs it too (bptt: core inputs for the weight gradients): it must also reach DRAM. */
  readonly store?: boolean;
}

/** A tensor written to DRAM for a later pass that no op writes there by itself (membranes per timestep). */
export interface GraphStore {
  readonly op: string;
  readonly tensor: string;
  readonly bits: number;
}

export interface ChunkGraph {
  readonly ops: readonly GraphOp[];
  readonly links: readonly GraphLink[];
  readonly stores: readonly GraphStore[];
}

/** Which part of T a graph covers: HTT runs G2, G3 only in its early timesteps. */
export type Segment = 'all' | 'early' | 'late';

export function chunkConv(c: ConvSpec, ch: Chunk): ConvSpec {
  return { ...c, N: ch.n, T: ch.t, hOut: ch.h };
}

/** Bits of a tensor of an op's workload. */
export function tensorBits(w: Workload, name: string): number {
  const t = w.tensors.find((x) => x.name === name);
  return t ? tensorSize(w, t) * t.bits : 0;
}

const FWD = { ac: 'ac', mac: 'mac', neuron_update: 'neuron_update' } as const;

/** The synaptic chain of a layer for one chunk: the dense conv, or the TT cores of the segment. */
interface Chain {
  /** Ops in order. */
  readonly ops: readonly { readonly id: string; readonly w: Workload; readonly concurrentWith?: string; readonly mergesInto?: string; readonly actions?: Readonly<Record<string, string>> }[];
  /** Links between the ops: producer endpoint -> consumers. The first op reads the layer input, the last is the neuron. */
  readonly links: readonly { readonly from: Endpoint; readonly to: readonly Endpoint[] }[];
  /** Adds of the fused merge, as an elementwise workload (PTT), placed after the concurrent pair. */
  readonly merge?: Workload;
}

const out = (op: string): Endpoint => ({ op, tensor: 'Outputs' });
const inp = (op: string): Endpoint => ({ op, tensor: 'Inputs' });

/**
 * The forward chain. `fusedMerge` false (PTT's `separate` merge, forward only) runs the average as an elementwise
 * pass between the pair and G4; the backward always folds it (the gradient of the average is dA / 2 to both).
 */
function chain(l: TtLayer, c: ConvSpec, seg: Segment, tag = '', fusedMerge = true): Chain {
  if (!l.tt) return { ops: [{ id: `fwd${tag}`, w: denseConvWorkload(c) }], links: [] };
  const g = ttCoreWorkloads(c, l.tt.rank);
  const id = (k: CoreName): string => `${k}${tag}`;
  const op = (k: CoreName, extra: { concurrentWith?: string; mergesInto?: string } = {}) => ({ id: id(k), w: g[k], ...extra });
  const mode = seg === 'late' ? 'late' : l.tt.mode === 'htt' ? 'ptt' : l.tt.mode;
  if (mode === 'late') return { ops: [op('G1'), op('G4')], links: [{ from: out(id('G1')), to: [inp(id('G4'))] }] };
  if (mode === 'stt') {
    return {
      ops: [op('G1'), op('G2'), op('G3'), op('G4')],
      links: [{ from: out(id('G1')), to: [inp(id('G2'))] }, { from: out(id('G2')), to: [inp(id('G3'))] }, { from: out(id('G3')), to: [inp(id('G4'))] }],
    };
  }
  if (!fusedMerge) {
    const avg = `avg${tag}`;
    return {
      ops: [op('G1'), op('G2', { concurrentWith: id('G3') }), op('G3', { concurrentWith: id('G2') }), { id: avg, w: averageWorkload(c, l.tt.rank, c.T), actions: { mac: 'add' } }, op('G4')],
      links: [
        { from: out(id('G1')), to: [inp(id('G2')), inp(id('G3'))] },
        { from: out(id('G2')), to: [{ op: avg, tensor: 'G2out' }] },
        { from: out(id('G3')), to: [{ op: avg, tensor: 'G3out' }] },
        { from: { op: avg, tensor: 'Avg' }, to: [inp(id('G4'))] },
      ],
    };
  }
  return {
    ops: [op('G1'), op('G2', { concurrentWith: id('G3') }), op('G3', { concurrentWith: id('G2'), mergesInto: id('G2') }), op('G4')],
    links: [{ from: out(id('G1')), to: [inp(id('G2')), inp(id('G3'))] }, { from: out(id('G2')), to: [inp(id('G4'))] }],
    merge: averageWorkload(c, l.tt.rank, c.T),
  };
}

function withOutput(c: ConvSpec, output: 'neuron' | 'real'): ConvSpec {
  return { ...c, output };
}

const isOnline = (s: Scheme): boolean => s === 'ottt' || s === 'saf';

/** The forward pass of a layer for one chunk under a scheme. */
export function forwardGraph(l: TtLayer, scheme: Scheme, ch: Chunk, seg: Segment = 'all'): ChunkGraph {
  const c = chunkConv(l.conv, ch);
  const sp = chain(l, c, seg, '', l.tt?.merge !== 'separate');
  const ops: GraphOp[] = [];
  const links: GraphLink[] = [];
  const stores: GraphStore[] = [];
  const realBits = l.conv.realBits;
  const push = (o: Chain, tag?: OpTag): void => pushChain(ops, o, 'forward', tag);
  push(sp);
  // BPTT keeps the inputs of G2..G4 for the weight gradients (not the two halves of a separate merge).
  sp.links.forEach((k, i) => links.push({ id: `X${i + 1}`, from: k.from, to: k.to, ...(scheme === 'bptt' && k.to.some((e) => e.tensor === 'Inputs') ? { store: true } : {}) }));
  const last = sp.ops[sp.ops.length - 1];
  const state = last.w.tensors.find((t) => t.role === 'state');
  const membraneBits = state ? tensorSize(last.w, state) * state.bits : 0;
  // Membranes: every timestep for BPTT and the online schemes (each timestep's backward needs its own); reversible
  // keeps only the last one (stored once per chunk row band, i.e. a 1/T share per timestep of the chunk).
  if (state && scheme !== 'reversible') stores.push({ op: last.id, tensor: 'State', bits: membraneBits * ch.t });
  if (state && scheme === 'reversible') stores.push({ op: last.id, tensor: 'State', bits: (membraneBits * ch.t) / l.conv.T });
  if (isOnline(scheme)) {
    // Running trace of the layer input (both schemes).
    const first = sp.ops[0];
    const tr = traceUpdateWorkload(first.w, realBits);
    // It reads the layer input the first op fetched (kept on chip when it fits): right after that op (SAF), or
    // right before the trace path it feeds (OTTT: the 1-bit input waits on chip, not the 16-bit trace).
    const at = scheme === 'ottt' ? ops.length : ops.findIndex((o) => o.id === first.id) + 1;
    ops.splice(at, 0, { id: 'trace0', phase: 'forward', workload: tr.workload, actions: tr.actions, tag: 'trace-update' });
    links.push({ id: 'X0', from: { op: first.id, tensor: 'Inputs' }, to: [{ op: 'trace0', tensor: 'X' }] });
    if (scheme === 'ottt') {
      // The trace path: the chain again on the trace, full MACs, result not kept; its intermediates are the traces
      // of the core inputs, stored for this timestep's backward.
      const tp = chain(l, withOutput(c, 'real'), seg, '.trace');
      const traced: Chain = { ...tp, ops: tp.ops.map((x, i) => ({ ...x, w: i === 0 ? onTrace(x.w, realBits) : x.w })) };
      push(traced, 'trace-path');
      const lastTrace = ops.findIndex((o) => o.id === traced.ops[traced.ops.length - 1].id);
      ops[lastTrace] = { ...ops[lastTrace], discardsOutput: true };
      // The running trace is read again by the next timestep and by this timestep's weight gradient: stored.
      links.push({ id: 'A0', from: { op: 'trace0', tensor: 'Trace' }, to: [{ op: traced.ops[0].id, tensor: 'Inputs' }], store: true });
      traced.links.forEach((k, i) => links.push({ id: `A${i + 1}`, from: k.from, to: k.to, store: true }));
    } else {
      // SAF: the core inputs' traces are updated elementwise from the (on-chip) core outputs.
      sp.links.forEach((k, i) => {
        if (!k.to.some((e) => e.tensor === 'Inputs')) return;
        const consumer = sp.ops.find((x) => x.id === k.to[0].op)!;
        const tu = traceUpdateWorkload(consumer.w, realBits);
        // Right after the op (pair, merge) that produces it, so its input is not held on chip longer than needed.
        const group = ops.map((o, j) => (o.id === k.from.op || o.concurrentWith === k.from.op || o.mergesInto === k.from.op || o.id === `${k.from.op}.merge` ? j : -1));
        ops.splice(Math.max(...group) + 1, 0, { id: `trace${i + 1}`, phase: 'forward', workload: tu.workload, actions: tu.actions, tag: 'trace-update' });
        const lk = links.find((x) => x.id === `X${i + 1}`)!;
        links[links.indexOf(lk)] = { ...lk, to: [...lk.to, { op: `trace${i + 1}`, tensor: 'X' }] };
      });
    }
  }
  return { ops: order(ops, links), links, stores };
}

/** Appends a chain's ops (the fused merge's adds right after the pair they merge). */
function pushChain(ops: GraphOp[], o: Chain, phase: Phase, tag?: OpTag): void {
  const t = tag ? { tag } : {};
  for (const x of o.ops) {
    ops.push({ id: x.id, phase, workload: x.w, actions: x.actions ?? FWD, ...(x.concurrentWith ? { concurrentWith: x.concurrentWith } : {}), ...(x.mergesInto ? { mergesInto: x.mergesInto } : {}), ...t });
    if (x.mergesInto && o.merge) ops.push({ id: `${x.mergesInto}.merge`, phase, workload: o.merge, actions: { mac: 'add' }, computeOnly: true, ...t });
  }
}

/** Ops in an order where every consumer follows its producers (the trace updates join after their inputs). */
function order(ops: GraphOp[], links: readonly GraphLink[]): GraphOp[] {
  const done = new Set<string>();
  const out: GraphOp[] = [];
  const producers = (id: string): string[] => links.filter((k) => k.to.some((e) => e.op === id)).map((k) => k.from.op);
  let guard = 0;
  while (out.length < ops.length && guard++ < 1000) {
    for (const o of ops) {
      if (done.has(o.id)) continue;
      if (producers(o.id).every((p) => done.has(p) || p === o.concurrentWith)) {
        out.push(o);
        done.add(o.id);
      }
    }
  }
  return out;
}

/** The density of a core's or layer's output gradient: dU after a neuron (or feeding one), dense otherwise. */
function gradDensity(l: TtLayer, core: string | undefined, duDensity: number): number {
  if (l.conv.outputGradient === 'dense') return 1;
  if (!l.tt) return duDensity;
  return core === 'G4' ? duDensity : 1;
}

/** The weight gradient skips the input's zeros if it is spikes, else the output gradient's if it is a dU. */
function wgradSkip(w: Workload, gd: number): WgradSkip {
  if (w.snn!.spikingInput) return 'input';
  return gd < 1 ? 'grad' : 'none';
}

/** The backward pass (input gradients and weight gradients) of a layer for one chunk under a scheme. */
export function backwardGraph(l: TtLayer, scheme: Scheme, ch: Chunk, duDensity: number, seg: Segment = 'all'): ChunkGraph {
  const c = chunkConv(l.conv, ch);
  const sp = chain(l, c, seg);
  const ops: GraphOp[] = [];
  const links: GraphLink[] = [];
  const realBits = l.conv.realBits;
  const reversible = scheme === 'reversible';
  if (reversible) {
    // Recompute the forward chain; its core inputs and membranes feed the gradients on chip when they fit.
    const rc = chain(l, c, seg, '.re');
    pushChain(ops, rc, 'backward', 'recompute');
    rc.links.forEach((k, i) => links.push({ id: `R${i + 1}`, from: k.from, to: k.to }));
  }
  const last = sp.ops[sp.ops.length - 1];
  const pg = postGradWorkload(last.w);
  let gradLink: string | undefined;
  if (pg) {
    ops.push({ id: 'postgrad', phase: 'backward', workload: pg.workload, actions: pg.actions });
    gradLink = 'dU';
    if (reversible) links.push({ id: 'U', from: { op: `${last.id}.re`, tensor: 'State' }, to: [{ op: 'postgrad', tensor: 'Membrane' }] });
  }
  // Walk the chain backwards: for each op, its weight gradient, then its input gradient.
  const gradOf = new Map<string, string>(); // op id -> link carrying the gradient at its output
  if (gradLink) gradOf.set(last.id, gradLink);
  const linkTo = new Map<string, { id: string; to: Endpoint[]; from: Endpoint }>();
  const addTo = (id: string, from: Endpoint, e: Endpoint): void => {
    const k = linkTo.get(id) ?? { id, from, to: [] };
    k.to.push(e);
    linkTo.set(id, k);
  };
  if (gradLink) linkTo.set(gradLink, { id: gradLink, from: { op: 'postgrad', tensor: 'GradU' }, to: [] });
  const inputLinkOf = (i: number): number => sp.links.findIndex((k) => k.to.some((e) => e.op === sp.ops[i].id));
  const reversed = [...sp.ops].reverse();
  for (const x of reversed) {
    const i = sp.ops.indexOf(x);
    const core = l.tt ? x.id.slice(0, 2) : undefined;
    const gd = gradDensity(l, core, duDensity);
    const online = isOnline(scheme);
    const base = online ? onTrace(x.w, realBits) : x.w;
    const wg = wgradWorkload(base, online ? (gd < 1 ? 'grad' : 'none') : wgradSkip(x.w, gd), gd);
    const wid = `${x.id}.wgrad`;
    const grad = gradOf.get(x.id) ?? gradOf.get(sp.ops.find((o) => o.mergesInto === x.id || o.id === x.mergesInto)?.id ?? '');
    ops.push({ id: wid, phase: 'wgrad', workload: wg.workload, actions: wg.actions, ...(x.concurrentWith ? { concurrentWith: `${x.concurrentWith}.wgrad` } : {}) });
    if (grad) addTo(grad, linkTo.get(grad)!.from, { op: wid, tensor: 'GradU' });
    // The op's input for its weight gradient: stored (bptt: DRAM), the trace (online: DRAM) or recomputed (link).
    const li = inputLinkOf(i);
    if (reversible && li >= 0) {
      const rl = links.find((k) => k.id === `R${li + 1}`)!;
      links[links.indexOf(rl)] = { ...rl, to: [...rl.to, { op: wid, tensor: 'Inputs' }] };
    }
    if (reversible && i === 0) links.push({ id: 'X0', from: { op: `${x.id}.re`, tensor: 'Inputs' }, to: [{ op: wid, tensor: 'Inputs' }] });
    const needInputGrad = i > 0 || l.conv.inputGrad !== false;
    if (!needInputGrad) continue;
    const bw = backwardWorkload(x.w, gd);
    const bid = `${x.id}.bwd`;
    ops.push({ id: bid, phase: 'backward', workload: bw.workload, actions: bw.actions, ...(x.concurrentWith ? { concurrentWith: `${x.concurrentWith}.bwd` } : {}), ...(x.mergesInto ? { mergesInto: `${x.mergesInto}.bwd` } : {}) });
    if (grad) addTo(grad, linkTo.get(grad)!.from, { op: bid, tensor: 'GradU' });
    if (li >= 0) {
      // The gradient at the producer's output (PTT: G2 and G3 both write dX1, merged into G2's write; one link).
      const id = `d${sp.links[li].from.op}`;
      const producer = x.mergesInto ? `${x.mergesInto}.bwd` : bid;
      if (!linkTo.has(id)) linkTo.set(id, { id, from: { op: producer, tensor: 'GradX' }, to: [] });
      gradOf.set(sp.links[li].from.op, id);
    }
  }
  for (const k of linkTo.values()) if (k.to.length > 0) links.push({ id: k.id, from: k.from, to: k.to });
  return { ops: pairUp(ops), links, stores: [] };
}

/** Concurrent partners next to each other (the first of a pair where the earlier one stood). */
function pairUp(ops: readonly GraphOp[]): GraphOp[] {
  const out: GraphOp[] = [];
  const placed = new Set<string>();
  for (const o of ops) {
    if (placed.has(o.id)) continue;
    out.push(o);
    placed.add(o.id);
    const p = o.concurrentWith ? ops.find((x) => x.id === o.concurrentWith) : undefined;
    if (p && !placed.has(p.id)) {
      out.push(p);
      placed.add(p.id);
    }
  }
  return out;
}

/** The segments a layer's timesteps split into, with their timestep counts. */
export function segments(l: TtLayer): readonly { readonly seg: Segment; readonly T: number }[] {
  if (l.tt?.mode === 'htt' && l.tt.fullTimesteps < l.conv.T) return [{ seg: 'early', T: l.tt.fullTimesteps }, { seg: 'late', T: l.conv.T - l.tt.fullTimesteps }];
  return [{ seg: 'all', T: l.conv.T }];
}

export type { CoreName };
