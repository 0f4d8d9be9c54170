/**
 * Network spec (YAML, top-level key `network:`) -> Network. See workloads/sew-resnet-7plif.yaml for the commented
 * format. Every problem is a positioned diagnostic: unknown keys, a dangling input, a cycle, a shape that does not
 * match its producer, a layer in no block or in two.
 */
import { fail, ok, type Result } from '../core/result.ts';
import { layerWorkload } from '../workload/network-layers.ts';
import type { Block, FeatureShape, LayerOp, Network, NetworkInput, NetworkLayer } from '../workload/network.ts';
import { resolveGraph, type RawLayer } from './network-graph.ts';
import { Reader } from './reader.ts';
import { parseYaml, type PMap, type PNode } from './yaml-source.ts';

const OPS: readonly LayerOp[] = ['conv', 'fc', 'add', 'pool'];
const LAYER_KEYS = ['name', 'op', 'input', 'inputs', 'channels', 'in_channels', 'kernel', 'stride', 'padding', 'stateful', 'spiking',
  'spike_rate', 'precision', 'output', 'description'];
const PREC_KEYS = ['weights', 'state', 'psum', 'spikes', 'activations'];

interface Defaults {
  prec: Record<string, number>;
  spikeRate: number;
  accumulation: 'psum' | 'membrane';
}

const fmt = (s: FeatureShape): string => `${s.c} x ${s.h} x ${s.w}`;

function pair(r: Reader, node: PNode | undefined, what: string, dflt: number, min = 1): [number, number] {
  if (!node) return [dflt, dflt];
  if (node.kind === 'seq' && node.items.length === 2) {
    return [r.number(node.items[0], what, { min, integer: true }) ?? dflt, r.number(node.items[1], what, { min, integer: true }) ?? dflt];
  }
  const v = r.number(node, what, { min, integer: true }) ?? dflt;
  return [v, v];
}

function rate(r: Reader, node: PNode | undefined, what: string, dflt: number): number {
  const v = r.number(node, what, { min: 0 });
  if (v === undefined) return dflt;
  if (v > 1) {
    r.error(node, 'SL-SPEC-RANGE', `${what} is a fraction in [0, 1], found ${v}`, 'write e.g. 0.1 for a 10% firing rate');
    return dflt;
  }
  return v;
}

function shape3(r: Reader, node: PNode | undefined, what: string): FeatureShape | undefined {
  if (!node) return undefined;
  if (node.kind !== 'seq' || node.items.length !== 3) {
    r.error(node, 'SL-SPEC-TYPE', `${what} must be [channels, height, width]`);
    return undefined;
  }
  const [c, h, w] = node.items.map((x) => r.number(x, what, { positive: true, integer: true }));
  return c && h && w ? { c, h, w } : undefined;
}

function readDefaults(r: Reader, n: PMap): Defaults {
  const d: Defaults = { prec: { weights: 8, state: 16, psum: 16, spikes: 1, activations: 8 }, spikeRate: 1, accumulation: 'psum' };
  const dm = r.get(n, 'defaults') ? r.map(r.get(n, 'defaults'), 'defaults') : undefined;
  if (!dm) return d;
  r.keys(dm, ['precision', 'spike_rate', 'accumulation'], 'defaults');
  const pm = r.get(dm, 'precision') ? r.map(r.get(dm, 'precision'), 'defaults precision') : undefined;
  if (pm) {
    r.keys(pm, PREC_KEYS, 'defaults precision');
    for (const e of pm.entries) if (e.key in d.prec) d.prec[e.key] = r.number(e.value, `precision of ${e.key} (bits)`, { positive: true, integer: true }) ?? d.prec[e.key];
  }
  d.spikeRate = rate(r, r.get(dm, 'spike_rate'), 'spike_rate', 1);
  const acc = r.get(dm, 'accumulation');
  if (acc) {
    const a = r.string(acc, 'accumulation');
    if (a === 'psum' || a === 'membrane') d.accumulation = a;
    else r.error(acc, 'SL-SPEC-ENUM', `unknown accumulation '${a}'`, 'use psum or membrane');
  }
  return d;
}

function readInput(r: Reader, n: PMap, d: Defaults): NetworkInput | undefined {
  const im = r.map(r.required(n, 'input', 'network'), 'input');
  if (!im) return undefined;
  r.keys(im, ['name', 'shape', 'bits', 'density', 'spiking', 'description'], 'the network input');
  const shape = shape3(r, r.required(im, 'shape', 'the network input'), 'input shape');
  const spiking = r.bool(r.get(im, 'spiking'), 'spiking', true);
  return {
    name: r.string(r.get(im, 'name'), 'input name') ?? 'input',
    shape: shape ?? { c: 1, h: 1, w: 1 },
    bits: r.number(r.get(im, 'bits'), 'input bits', { positive: true, integer: true }) ?? (spiking ? d.prec.spikes : d.prec.activations),
    density: rate(r, r.get(im, 'density'), 'input density', 1),
    spiking,
  };
}

interface Producer {
  readonly shape: FeatureShape;
  readonly spiking: boolean;
  readonly bits: number;
  readonly density: number;
}

/** Build one layer from its spec entry, given its producers (already built). */
function buildLayer(r: Reader, m: PMap, name: string, producers: readonly Producer[], inputsNode: PNode, T: number, d: Defaults): Omit<NetworkLayer, 'index' | 'inputs' | 'block'> | undefined {
  const opNode = r.required(m, 'op', `layer ${name}`);
  const op = OPS[r.oneOf(opNode, OPS, 'layer op', 'SL-SPEC-ENUM')];
  if (!op || producers.length === 0) return undefined;
  const p0 = producers[0];
  if (op === 'add' ? producers.length < 2 : producers.length !== 1) {
    r.error(inputsNode, 'SL-NET-ARITY', op === 'add' ? `add layer '${name}' needs at least two inputs` : `${op} layer '${name}' takes one input, found ${producers.length}`,
      op === 'add' ? 'write inputs: [a, b]' : 'write input: NAME');
    return undefined;
  }
  const inCh = r.number(r.get(m, 'in_channels'), 'in_channels', { positive: true, integer: true });
  if (inCh !== undefined && inCh !== p0.shape.c) {
    r.error(r.get(m, 'in_channels'), 'SL-NET-SHAPE', `layer '${name}' declares in_channels ${inCh}, but its input has ${p0.shape.c} channels (${fmt(p0.shape)})`, `use in_channels: ${p0.shape.c} or fix the producer`);
  }
  const synaptic = op === 'conv' || op === 'fc';
  const chNode = synaptic ? r.required(m, 'channels', `${op} layer ${name}`) : r.get(m, 'channels');
  if (!synaptic && chNode) r.error(chNode, 'SL-SPEC-UNKNOWN-KEY', `${op} layer '${name}' keeps its input's channels`, 'remove channels:');
  const K = synaptic ? r.number(chNode, 'channels', { positive: true, integer: true }) ?? 1 : p0.shape.c;
  const kernel = op === 'fc' || op === 'add' ? ([1, 1] as [number, number]) : pair(r, r.get(m, op === 'pool' ? 'kernel' : 'kernel'), 'kernel', op === 'pool' ? 2 : 1);
  const stride = op === 'fc' || op === 'add' ? ([1, 1] as [number, number]) : pair(r, r.get(m, 'stride'), 'stride', op === 'pool' ? kernel[0] : 1);
  const padding = op === 'fc' || op === 'add' ? ([0, 0] as [number, number]) : pair(r, r.get(m, 'padding'), 'padding', 0, 0);
  let out: FeatureShape;
  if (op === 'fc') out = { c: K, h: 1, w: 1 };
  else if (op === 'add') {
    out = p0.shape;
    for (const p of producers.slice(1)) {
      if (p.shape.c !== out.c || p.shape.h !== out.h || p.shape.w !== out.w) {
        r.error(inputsNode, 'SL-NET-SHAPE', `add layer '${name}' sums inputs of different shapes: ${fmt(out)} and ${fmt(p.shape)}`, 'element-wise add needs equal shapes');
        return undefined;
      }
    }
  } else {
    const oh = Math.floor((p0.shape.h + 2 * padding[0] - kernel[0]) / stride[0]) + 1;
    const ow = Math.floor((p0.shape.w + 2 * padding[1] - kernel[1]) / stride[1]) + 1;
    if (oh < 1 || ow < 1) {
      r.error(r.get(m, 'kernel') ?? m, 'SL-NET-SHAPE', `layer '${name}': a ${kernel[0]} x ${kernel[1]} window does not fit its ${fmt(p0.shape)} input`, 'use a smaller kernel or add padding');
      return undefined;
    }
    out = { c: K, h: oh, w: ow };
  }
  const declared = shape3(r, r.get(m, 'output'), 'output shape');
  if (declared && (declared.c !== out.c || declared.h !== out.h || declared.w !== out.w)) {
    r.error(r.get(m, 'output'), 'SL-NET-SHAPE', `layer '${name}' declares output ${fmt(declared)}, but from its input ${fmt(p0.shape)} it computes ${fmt(out)}`,
      'fix channels, kernel, stride or padding, or the declared output');
  }
  const spikingInput = producers.every((p) => p.spiking);
  const spiking = synaptic ? r.bool(r.get(m, 'spiking'), 'spiking', true) : spikingInput;
  if (!synaptic && r.get(m, 'spiking')) r.error(r.get(m, 'spiking'), 'SL-SPEC-UNKNOWN-KEY', `${op} layer '${name}' passes its inputs' kind through`, 'remove spiking:');
  const stNode = r.get(m, 'stateful');
  const stateful = synaptic && spiking ? r.bool(stNode, 'stateful', true) : false;
  if (stNode && !(synaptic && spiking) && r.bool(stNode, 'stateful', false)) {
    r.error(stNode, 'SL-NET-STATE', `layer '${name}' cannot be stateful: only spiking conv/fc layers have a membrane state`, 'remove stateful: true');
  }
  const prec = { ...d.prec };
  const pm = r.get(m, 'precision') ? r.map(r.get(m, 'precision'), 'precision') : undefined;
  if (pm) {
    r.keys(pm, PREC_KEYS, 'precision');
    for (const e of pm.entries) if (e.key in prec) prec[e.key] = r.number(e.value, `precision of ${e.key} (bits)`, { positive: true, integer: true }) ?? prec[e.key];
  }
  const inBits = Math.max(...producers.map((p) => p.bits));
  const outBits = synaptic ? (spiking ? prec.spikes : prec.activations) : inBits;
  // Densities of element-wise layers under independence: an add of spikes is non-zero where any input is
  // (1 - prod(1 - p)); a max-pool of spikes where any of its R x S window is (1 - (1 - p)^(R S)). Multi-bit
  // inputs (density 1) stay dense. The add's input density (its `ac` count) is the mean over its inputs.
  const inputDensity = op === 'add' ? producers.reduce((a, p) => a + p.density, 0) / producers.length : p0.density;
  const passDensity = op === 'add' ? 1 - producers.reduce((a, p) => a * (1 - p.density), 1) : op === 'pool' ? 1 - (1 - p0.density) ** (kernel[0] * kernel[1]) : inputDensity;
  const dfltRate = synaptic ? (spiking ? d.spikeRate : 1) : passDensity;
  const outputDensity = rate(r, r.get(m, 'spike_rate'), 'spike_rate', dfltRate);
  const bits = { input: inBits, output: outBits, weight: prec.weights, state: prec.state, psum: prec.psum };
  const workload = layerWorkload({
    name, op, timesteps: T, inShape: p0.shape, arity: producers.length, outShape: out, kernel, stride, spikingInput, stateful,
    bits, inputDensity, outputDensity, accumulation: d.accumulation,
  });
  return { name, op, inShape: p0.shape, outShape: out, kernel, stride, padding, spiking, spikingInput, stateful, bits, inputDensity, outputDensity, workload };
}

function rawLayers(r: Reader, n: PMap): { raw: RawLayer[]; maps: PMap[] } {
  const ln = r.required(n, 'layers', 'network');
  const raw: RawLayer[] = [];
  const maps: PMap[] = [];
  if (ln && ln.kind !== 'seq') r.error(ln, 'SL-SPEC-TYPE', 'layers must be a list of layers');
  else if (ln && ln.items.length === 0) r.error(ln, 'SL-NET-EMPTY', 'the network has no layers', 'list at least one layer under layers:');
  else if (ln) ln.items.forEach((it, i) => {
    const m = r.map(it, `layer ${i + 1}`);
    if (!m) return;
    r.keys(m, LAYER_KEYS, 'a network layer');
    const name = r.string(r.required(m, 'name', `layer ${i + 1}`), 'layer name') ?? `layer${i}`;
    const one = r.get(m, 'input');
    const many = r.get(m, 'inputs');
    const inputs: { name: string; node: PNode }[] = [];
    if (one && many) r.error(many, 'SL-SPEC-UNKNOWN-KEY', `layer '${name}' has both input and inputs`, 'keep one');
    else if (many && many.kind === 'seq') for (const x of many.items) inputs.push({ name: r.string(x, 'input name') ?? '?', node: x });
    else if (many) r.error(many, 'SL-SPEC-TYPE', 'inputs must be a list of layer names');
    else if (one) inputs.push({ name: r.string(one, 'input name') ?? '?', node: one });
    else r.error(m, 'SL-SPEC-MISSING-KEY', `layer '${name}' needs 'input' (or 'inputs' for add)`, 'name the producing layer or the network input');
    raw.push({ name, node: m, inputs });
    maps.push(m);
  });
  return { raw, maps };
}

function readBlocks(r: Reader, n: PMap, layers: readonly NetworkLayer[], nameToIdx: Map<string, number>): { blockOf: number[]; blocks: Block[] } {
  const blockOf = layers.map(() => -1);
  const bn = r.get(n, 'blocks');
  if (!bn) return { blockOf: layers.map((_, i) => i), blocks: layers.map((l, i) => ({ name: l.name, layers: [i] })) };
  const blocks: Block[] = [];
  if (bn.kind !== 'seq') {
    r.error(bn, 'SL-SPEC-TYPE', 'blocks must be a list of {name, layers: [...]}');
    return { blockOf, blocks };
  }
  bn.items.forEach((it, bi) => {
    const m = r.map(it, `block ${bi + 1}`);
    if (!m) return;
    r.keys(m, ['name', 'layers'], 'a block');
    const ln = r.required(m, 'layers', `block ${bi + 1}`);
    const idx: number[] = [];
    if (ln && ln.kind === 'seq') for (const x of ln.items) {
      const li = r.oneOf(x, [...nameToIdx.keys()], 'layer', 'SL-NET-DANGLING');
      if (li < 0) continue;
      const L = nameToIdx.get(r.string(x, 'layer')!)!;
      if (blockOf[L] >= 0) r.error(x, 'SL-NET-BLOCK', `layer '${layers[L].name}' is in two blocks`, 'list every layer in exactly one block');
      else {
        blockOf[L] = bi;
        idx.push(L);
      }
    } else if (ln) r.error(ln, 'SL-SPEC-TYPE', 'block layers must be a list of layer names');
    blocks.push({ name: r.string(r.get(m, 'name'), 'block name') ?? `block${bi}`, layers: idx.sort((a, b) => a - b) });
  });
  const missing = layers.filter((_, i) => blockOf[i] < 0).map((l) => l.name);
  if (missing.length > 0 && blocks.length > 0) r.error(bn, 'SL-NET-BLOCK', `layers in no block: ${missing.join(', ')}`, 'add them to a block');
  for (const l of layers) for (const p of l.inputs) {
    if (p >= 0 && blockOf[p] > blockOf[l.index] && blockOf[l.index] >= 0) {
      r.error(bn, 'SL-NET-BLOCK', `layer '${l.name}' (block ${blockOf[l.index] + 1}) reads '${layers[p].name}' of a later block (${blockOf[p] + 1})`, 'list blocks in the order they run');
    }
  }
  return { blockOf, blocks };
}

export function parseNetwork(text: string, file: string): Result<Network> {
  const tree = parseYaml(text, file);
  if (!tree.ok) return tree;
  const r = new Reader();
  const root = r.map(tree.value, 'the network file');
  const n = root && r.map(r.required(root, 'network', 'the network file'), 'network');
  if (!root || !n) return fail(r.diags);
  r.keys(n, ['name', 'timesteps', 'defaults', 'input', 'layers', 'blocks', 'description', 'reference'], 'network');
  const name = r.string(r.required(n, 'name', 'network'), 'network name') ?? 'network';
  const T = r.number(r.required(n, 'timesteps', 'network'), 'timesteps', { positive: true, integer: true }) ?? 1;
  const d = readDefaults(r, n);
  const input = readInput(r, n, d);
  const { raw, maps } = rawLayers(r, n);
  if (!input || r.diags.length > 0) return fail(r.diags);
  const g = resolveGraph(r, raw, input.name);
  if (!g) return fail(r.diags);
  const newIndex = new Array<number>(raw.length);
  g.order.forEach((old, k) => (newIndex[old] = k));
  const built: (NetworkLayer | undefined)[] = [];
  const inProd: Producer = { shape: input.shape, spiking: input.spiking, bits: input.bits, density: input.density };
  for (const old of g.order) {
    const ins = g.inputs[old].map((j) => (j < 0 ? -1 : newIndex[j]));
    const producers = ins.map((j): Producer | undefined => {
      if (j < 0) return inProd;
      const l = built[j];
      return l && { shape: l.outShape, spiking: l.spiking, bits: l.bits.output, density: l.outputDensity };
    });
    if (producers.some((p) => !p)) {
      built.push(undefined); // a producer failed: its own error is reported
      continue;
    }
    const m = maps[old];
    const l = buildLayer(r, m, raw[old].name, producers as Producer[], r.get(m, 'inputs') ?? r.get(m, 'input') ?? m, T, d);
    built.push(l ? { ...l, index: built.length, inputs: ins, block: -1 } : undefined);
  }
  if (r.diags.length > 0 || built.some((l) => !l)) return fail(r.diags);
  const layers0 = built as NetworkLayer[];
  const nameToIdx = new Map(layers0.map((l) => [l.name, l.index] as const));
  const { blockOf, blocks } = readBlocks(r, n, layers0, nameToIdx);
  if (r.diags.length > 0) return fail(r.diags);
  const layers = layers0.map((l) => ({ ...l, block: blockOf[l.index] }));
  return ok({ name, timesteps: T, input, layers, blocks });
}
