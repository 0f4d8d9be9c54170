/**
 * A TT network (or its dense form) as the shared network graph (`workload/network.ts`), so the network schedules
 * of `schedule/` (fusion, time order, on-chip residency) apply to TT-SNN too: every TT core is a layer of its own
 * (G1 -> G2 -> G3 -> G4, or G1 -> {G2, G3} -> add -> G4 for PTT), each residual block ends in an `add`, and the
 * classifier is preceded by global average pooling. One block per residual block (plus the stem and the head).
 * HTT (G2 and G3 for only some timesteps) has no single-T graph form and is refused.
 */
import { layerWorkload } from '../network-layers.ts';
import { NETWORK_INPUT, type Block, type FeatureShape, type Network, type NetworkLayer } from '../network.ts';
import type { Workload } from '../types.ts';
import { denseConvWorkload, type ConvSpec } from './conv-spec.ts';
import { averageWorkload, ttCoreWorkloads } from './cores.ts';
import type { TtLayer } from './layer.ts';
import type { TtNetwork } from './resnet.ts';

type Draft = Omit<NetworkLayer, 'index' | 'block'>;

export function toNetwork(n: TtNetwork): { ok: true; network: Network } | { ok: false; reason: string } {
  if (n.layers.some((l) => l.tt?.mode === 'htt')) return { ok: false, reason: 'HTT runs G2 and G3 for only some timesteps: it has no single-T graph form (use stt or ptt)' };
  const d = n.desc;
  const T = d.timesteps;
  const rate = 1 - d.sparsity.spikes;
  const real = d.precision.activations;
  const layers: NetworkLayer[] = [];
  const blocks: Block[] = [];
  let block: number[] = [];
  const push = (x: Draft): number => {
    const index = layers.length;
    layers.push({ ...x, index, block: blocks.length });
    block.push(index);
    return index;
  };
  const close = (name: string): void => {
    blocks.push({ name, layers: block });
    block = [];
  };
  const shape = (c: number, h: number, w: number): FeatureShape => ({ c, h, w });
  const synaptic = (name: string, w: Workload, input: number, inShape: FeatureShape, c: ConvSpec, kernel: [number, number], stride: number,
    o: { spiking: boolean; spikingInput: boolean; inBits: number; outBits: number; inDensity: number }): number =>
    push({
      name, op: c.hOut === 1 && c.wOut === 1 && kernel[0] === 1 && inShape.h === 1 ? 'fc' : 'conv', inputs: [input], inShape,
      outShape: shape(w.sizes[2], c.hOut, c.wOut), kernel, stride: [stride, stride], padding: [(kernel[0] - 1) / 2, (kernel[1] - 1) / 2],
      spiking: o.spiking, spikingInput: o.spikingInput, stateful: o.spiking,
      bits: { input: o.inBits, output: o.outBits, weight: c.weightBits, state: real, psum: real },
      inputDensity: o.inDensity, outputDensity: o.spiking ? rate : 1, workload: w,
    });
  /** One conv layer of the TT network from `input` (of shape `inShape`); returns its output layer. */
  const convLayer = (l: TtLayer, input: number, inShape: FeatureShape): number => {
    const c = l.conv;
    const inBits = c.spikingInput ? 1 : real;
    const spiking = c.output !== 'real';
    if (!l.tt) {
      return synaptic(c.name, denseConvWorkload(c), input, inShape, c, [c.kernel, c.kernel], c.stride,
        { spiking, spikingInput: c.spikingInput, inBits, outBits: spiking ? 1 : real, inDensity: c.inputDensity });
    }
    const r = l.tt.rank;
    const g = ttCoreWorkloads(c, r);
    const mid = shape(r, c.hOut, c.wOut);
    const realIn = { spiking: false, spikingInput: false, inBits: real, outBits: real, inDensity: 1 };
    const g1 = synaptic(`${c.name}.G1`, g.G1, input, inShape, c, [1, 1], c.stride, { ...realIn, spikingInput: c.spikingInput, inBits, inDensity: c.inputDensity });
    const g2 = synaptic(`${c.name}.G2`, g.G2, g1, mid, c, [3, 1], 1, realIn);
    let toG4: number;
    if (l.tt.mode === 'stt') toG4 = synaptic(`${c.name}.G3`, g.G3, g2, mid, c, [1, 3], 1, realIn);
    else {
      const g3 = synaptic(`${c.name}.G3`, g.G3, g1, mid, c, [1, 3], 1, realIn);
      toG4 = push({
        name: `${c.name}.avg`, op: 'add', inputs: [g2, g3], inShape: mid, outShape: mid, kernel: [1, 1], stride: [1, 1], padding: [0, 0],
        spiking: false, spikingInput: false, stateful: false, bits: { input: real, output: real, weight: 0, state: real, psum: real },
        inputDensity: 1, outputDensity: 1, workload: averageWorkload(c, r),
      });
    }
    return synaptic(`${c.name}.G4`, g.G4, toG4, mid, c, [1, 1], 1, { ...realIn, spiking: true, outBits: 1 });
  };

  const byName = new Map(n.layers.map((l) => [l.name, l]));
  const inShape = shape(d.input.channels, d.input.height, d.input.width);
  let x = convLayer(n.layers[0], NETWORK_INPUT, inShape);
  close('stem');
  let xs = layers[x].outShape;
  for (let s = 0; s < d.stages.length; s++) {
    for (let b = 0; b < d.stages[s].blocks; b++) {
      const p = `layer${s + 1}.${b}`;
      const c1 = convLayer(byName.get(`${p}.conv1`)!, x, xs);
      const c2 = convLayer(byName.get(`${p}.conv2`)!, c1, layers[c1].outShape);
      const sc = byName.get(`${p}.shortcut`);
      const skip = sc ? convLayer(sc, x, xs) : x;
      const out = layers[c2].outShape;
      x = push({
        name: `${p}.add`, op: 'add', inputs: [c2, skip], inShape: out, outShape: out, kernel: [1, 1], stride: [1, 1], padding: [0, 0],
        spiking: true, spikingInput: true, stateful: false, bits: { input: 1, output: 1, weight: 0, state: real, psum: real },
        inputDensity: rate, outputDensity: rate,
        workload: layerWorkload({
          name: `${p}.add`, op: 'add', timesteps: T, inShape: out, arity: 2, outShape: out, kernel: [1, 1], stride: [1, 1], spikingInput: true,
          stateful: false, bits: { input: 1, output: 1, weight: 0, state: real, psum: real }, inputDensity: rate, outputDensity: rate, accumulation: 'psum',
        }),
      });
      xs = out;
      close(p);
    }
  }
  const pooled = shape(xs.c, 1, 1);
  const poolBits = { input: 1, output: real, weight: 0, state: real, psum: real };
  const pool = push({
    name: 'avgpool', op: 'pool', inputs: [x], inShape: xs, outShape: pooled, kernel: [xs.h, xs.w], stride: [xs.h, xs.w], padding: [0, 0],
    spiking: false, spikingInput: true, stateful: false, bits: poolBits, inputDensity: rate, outputDensity: 1,
    workload: layerWorkload({
      name: 'avgpool', op: 'pool', timesteps: T, inShape: xs, arity: 1, outShape: pooled, kernel: [xs.h, xs.w], stride: [xs.h, xs.w], spikingInput: true,
      stateful: false, bits: poolBits, inputDensity: rate, outputDensity: 1, accumulation: 'psum',
    }),
  });
  convLayer(byName.get('fc')!, pool, pooled);
  close('head');
  return {
    ok: true,
    network: { name: n.name, timesteps: T, input: { name: 'input', shape: inShape, bits: d.input.encoding === 'direct' ? real : 1, density: d.input.encoding === 'direct' ? 1 : rate, spiking: d.input.encoding !== 'direct' }, layers, blocks },
  };
}
