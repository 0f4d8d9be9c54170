/**
 * A ResNet (basic blocks) from a compact description: stem, stages (channels, blocks, stride, ranks), input,
 * timesteps, classes, dense or TT -> the list of layers. Only the 3x3 convs inside residual blocks are
 * TT-decomposed; the stem, the 1x1 shortcuts and the classifier stay dense (ttsnn.md).
 */
import type { SourcePos } from '../../core/diagnostics.ts';
import type { ConvSpec } from './conv-spec.ts';
import { denseLayer, layerCounts, ttLayer, type LayerCounts, type PttMerge, type TtLayer, type TtMode } from './layer.ts';

export interface ResNetStage {
  readonly channels: number;
  readonly blocks: number;
  /** Stride of the first conv of the stage (and of its shortcut). */
  readonly stride: number;
  /** One rank per 3x3 conv, in order (2 per block); required when decomposed. */
  readonly ranks?: readonly number[];
  /** Overrides the network's decomposition for this stage (e.g. keep stage 1 dense in a TT network). */
  readonly decomposition?: 'dense' | 'tt';
}

export interface ResNetDesc {
  readonly name: string;
  readonly input: { readonly height: number; readonly width: number; readonly channels: number; readonly encoding: 'spikes' | 'direct' };
  readonly timesteps: number;
  readonly batch: number;
  readonly classes: number;
  readonly stem: { readonly channels: number; readonly kernel: number; readonly stride: number };
  readonly stages: readonly ResNetStage[];
  readonly decomposition: 'dense' | 'tt';
  readonly ttMode: TtMode;
  /** HTT: timesteps that run the full PTT chain (default ceil(T/2)). */
  readonly httFullTimesteps?: number;
  /** How PTT/HTT merge G2 and G3 (default fused). */
  readonly pttMerge?: PttMerge;
  /** Fraction of zero spikes (s_spike) and of zero membrane-potential gradients (s_du). */
  readonly sparsity: { readonly spikes: number; readonly membraneGradient: number };
  readonly precision: { readonly weights: number; readonly activations: number };
}

export interface TtNetwork {
  readonly name: string;
  readonly desc: ResNetDesc;
  readonly layers: readonly TtLayer[];
  /** Where each layer is described in its file (its rank, stage, stem or classes entry), for diagnostics. */
  readonly positions?: Readonly<Record<string, SourcePos>>;
}

export function buildResNet(d: ResNetDesc): TtNetwork {
  const layers: TtLayer[] = [];
  const density = 1 - d.sparsity.spikes;
  const spec = (name: string, cin: number, cout: number, h: number, w: number, kernel: number, stride: number, extra: Partial<ConvSpec> = {}): ConvSpec => ({
    name, cin, cout, hOut: h, wOut: w, kernel, stride, T: d.timesteps, N: d.batch, inputDensity: density, spikingInput: true,
    realBits: d.precision.activations, weightBits: d.precision.weights, ...extra,
  });
  let h = Math.ceil(d.input.height / d.stem.stride);
  let w = Math.ceil(d.input.width / d.stem.stride);
  const direct = d.input.encoding === 'direct';
  layers.push(denseLayer(spec('conv1', d.input.channels, d.stem.channels, h, w, d.stem.kernel, d.stem.stride,
    { inputGrad: false, ...(direct ? { spikingInput: false, inputDensity: 1 } : {}) })));
  let cin = d.stem.channels;
  d.stages.forEach((st, si) => {
    for (let b = 0; b < st.blocks; b++) {
      const stride = b === 0 ? st.stride : 1;
      const bh = Math.ceil(h / stride);
      const bw = Math.ceil(w / stride);
      const prefix = `layer${si + 1}.${b}`;
      const convs = [spec(`${prefix}.conv1`, cin, st.channels, bh, bw, 3, stride), spec(`${prefix}.conv2`, st.channels, st.channels, bh, bw, 3, 1)];
      convs.forEach((c, ci) => {
        const rank = st.ranks?.[2 * b + ci];
        const tt = (st.decomposition ?? d.decomposition) === 'tt';
        layers.push(tt && rank !== undefined ? ttLayer(c, rank, d.ttMode, d.httFullTimesteps, d.pttMerge) : denseLayer(c));
      });
      if (stride !== 1 || cin !== st.channels) layers.push(denseLayer(spec(`${prefix}.shortcut`, cin, st.channels, bh, bw, 1, stride, { output: 'real', sharedInput: true })));
      cin = st.channels;
      h = bh;
      w = bw;
    }
  });
  // Global average pooling, then the classifier on real-valued averaged spikes; its outputs are the logits (no
  // neuron), so its output gradient is the loss gradient (dense).
  layers.push(denseLayer(spec('fc', cin, d.classes, 1, 1, 1, 1, { spikingInput: false, inputDensity: 1, output: 'real', outputGradient: 'dense' }), 'fc'));
  return { name: d.name, desc: d, layers };
}

export interface NetworkCounts {
  readonly layers: readonly (LayerCounts & { readonly name: string; readonly kind: TtLayer['kind']; readonly rank?: number })[];
  readonly params: number;
  readonly denseParams: number;
  readonly macsPerTimestep: number;
  readonly denseMacsPerTimestep: number;
  readonly addsPerTimestep: number;
}

export function networkCounts(n: TtNetwork): NetworkCounts {
  const layers = n.layers.map((l) => ({ name: l.name, kind: l.kind, ...(l.tt ? { rank: l.tt.rank } : {}), ...layerCounts(l) }));
  const sum = (f: (x: LayerCounts) => number): number => layers.reduce((a, x) => a + f(x), 0);
  return {
    layers,
    params: sum((x) => x.params),
    denseParams: sum((x) => x.denseParams),
    macsPerTimestep: sum((x) => x.macsPerTimestep),
    denseMacsPerTimestep: sum((x) => x.denseMacsPerTimestep),
    addsPerTimestep: sum((x) => x.addsPerTimestep),
  };
}
