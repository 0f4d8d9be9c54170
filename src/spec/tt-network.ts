/**
 * Compact network spec (YAML, top-level key `tt_network:`) -> TtNetwork (a ResNet of basic blocks, dense or
 * TT-decomposed, per network or per stage). See workloads/resnet18-cifar10-tt.yaml for the commented format.
 * A value that is wrong is reported once: checks that depend on it (htt_full_timesteps against timesteps, the rank
 * count against blocks) are skipped rather than run against a stand-in value. Ranks above min(Cin, Cout) and TT
 * layers with no fewer parameters than their dense conv are warnings at the rank.
 */
import type { SourcePos } from '../core/diagnostics.ts';
import { fail, ok, type Result } from '../core/result.ts';
import { ttParams } from '../workload/tt/cores.ts';
import { denseParams } from '../workload/tt/conv-spec.ts';
import { buildResNet, type ResNetDesc, type ResNetStage, type TtNetwork } from '../workload/tt/resnet.ts';
import { PTT_MERGES, TT_MODES, type TtMode } from '../workload/tt/layer.ts';
import { Reader } from './reader.ts';
import { parseYaml, type PMap, type PNode } from './yaml-source.ts';

export const TT_NETWORK_KEY = 'tt_network';

const TOP_KEYS = ['name', 'architecture', 'input', 'timesteps', 'batch', 'classes', 'stem', 'stages', 'decomposition', 'tt_mode',
  'htt_full_timesteps', 'ptt_merge', 'sparsity', 'precision', 'description'];

function fraction(r: Reader, m: PMap | undefined, key: string, what: string, dflt: number): number {
  const n = m ? r.get(m, key) : undefined;
  const v = r.number(n, what, { min: 0 });
  if (v === undefined) return dflt;
  if (v >= 1) {
    r.error(n, 'SL-SPEC-RANGE', `${what} is a fraction in [0, 1), found ${v}`, 'e.g. 0.9 for 90 % zeros');
    return dflt;
  }
  return v;
}

export function parseTtNetwork(text: string, file: string): Result<TtNetwork> {
  const tree = parseYaml(text, file);
  if (!tree.ok) return tree;
  const r = new Reader();
  const root = r.map(tree.value, 'the network file');
  const n = root && r.map(r.required(root, TT_NETWORK_KEY, 'the network file'), TT_NETWORK_KEY);
  if (!root || !n) return fail(r.diags);
  r.keys(n, TOP_KEYS, TT_NETWORK_KEY);
  /** A positive whole number, or undefined when missing/invalid (reported once; nothing depends on a stand-in). */
  const int = (m: PMap, key: string, what: string, required: boolean): number | undefined => {
    const node = required ? r.required(m, key, what) : r.get(m, key);
    return r.number(node, `${what} ${key}`, { positive: true, integer: true });
  };
  const name = r.string(r.required(n, 'name', TT_NETWORK_KEY), 'network name') ?? 'network';
  const archNode = r.get(n, 'architecture');
  if (archNode && r.string(archNode, 'architecture') !== 'resnet') {
    r.error(archNode, 'SL-SPEC-ENUM', `unknown architecture '${r.string(archNode, 'architecture')}'`, 'use resnet (basic blocks)');
  }
  const inputNode = r.required(n, 'input', TT_NETWORK_KEY);
  const im = r.map(inputNode, 'input');
  let input: ResNetDesc['input'] = { height: 1, width: 1, channels: 1, encoding: 'spikes' };
  if (im) {
    r.keys(im, ['height', 'width', 'channels', 'encoding'], 'input');
    const encNode = r.get(im, 'encoding');
    const enc = encNode ? r.string(encNode, 'input encoding') : 'spikes';
    if (enc !== 'spikes' && enc !== 'direct') r.error(encNode, 'SL-SPEC-ENUM', `unknown input encoding '${enc}'`, 'use spikes (event data) or direct (real-valued pixels)');
    input = { height: int(im, 'height', 'input', true) ?? 1, width: int(im, 'width', 'input', true) ?? 1, channels: int(im, 'channels', 'input', true) ?? 1, encoding: enc === 'direct' ? 'direct' : 'spikes' };
  }
  const stemNode = r.required(n, 'stem', TT_NETWORK_KEY);
  const sm = r.map(stemNode, 'stem');
  let stem = { channels: 64, kernel: 3, stride: 1 };
  if (sm) {
    r.keys(sm, ['channels', 'kernel', 'stride'], 'stem');
    stem = { channels: int(sm, 'channels', 'stem', true) ?? 64, kernel: int(sm, 'kernel', 'stem', false) ?? 3, stride: int(sm, 'stride', 'stem', false) ?? 1 };
  }
  const decNode = r.required(n, 'decomposition', TT_NETWORK_KEY);
  const dec = r.string(decNode, 'decomposition');
  if (dec !== undefined && dec !== 'dense' && dec !== 'tt') r.error(decNode, 'SL-SPEC-ENUM', `unknown decomposition '${dec}'`, 'use dense or tt');
  const modeNode = r.get(n, 'tt_mode');
  const mode = modeNode ? r.string(modeNode, 'tt_mode') : 'ptt';
  if (mode !== undefined && !(TT_MODES as readonly string[]).includes(mode)) r.error(modeNode, 'SL-SPEC-ENUM', `unknown tt_mode '${mode}'`, 'use stt, ptt or htt');
  const T = int(n, 'timesteps', TT_NETWORK_KEY, true);
  const httNode = r.get(n, 'htt_full_timesteps');
  const htt = r.number(httNode, 'htt_full_timesteps', { positive: true, integer: true });
  if (htt !== undefined && T !== undefined && htt > T) r.error(httNode, 'SL-SPEC-RANGE', `htt_full_timesteps ${htt} exceeds timesteps ${T}`, `use at most ${T}`);
  const mergeNode = r.get(n, 'ptt_merge');
  const merge = mergeNode ? r.string(mergeNode, 'ptt_merge') : 'fused';
  if (merge !== undefined && !(PTT_MERGES as readonly string[]).includes(merge)) r.error(mergeNode, 'SL-SPEC-ENUM', `unknown ptt_merge '${merge}'`, 'use fused or separate');
  const stagesNode = r.required(n, 'stages', TT_NETWORK_KEY);
  const stages: ResNetStage[] = [];
  const positions: Record<string, SourcePos> = {};
  const rankNodes: { layer: string; node: PNode }[] = [];
  // The feature map entering each stage, to check strides against it.
  let h = Math.ceil(input.height / stem.stride);
  let w = Math.ceil(input.width / stem.stride);
  if (stagesNode && stagesNode.kind !== 'seq') r.error(stagesNode, 'SL-SPEC-TYPE', 'stages must be a list, one entry per stage');
  else if (stagesNode) stagesNode.items.forEach((item, i) => {
    const m = r.map(item, `stage ${i + 1}`);
    if (!m) return;
    const what = `stage ${i + 1}`;
    r.keys(m, ['channels', 'blocks', 'stride', 'ranks', 'decomposition'], what);
    const blocks = int(m, 'blocks', what, true);
    const sdNode = r.get(m, 'decomposition');
    const sd = sdNode ? r.string(sdNode, `${what} decomposition`) : undefined;
    if (sd !== undefined && sd !== 'dense' && sd !== 'tt') r.error(sdNode, 'SL-SPEC-ENUM', `unknown decomposition '${sd}' for ${what}`, 'use dense or tt');
    const stageTt = (sd ?? dec) === 'tt';
    const rn = r.get(m, 'ranks');
    let ranks: number[] | undefined;
    if (rn && rn.kind !== 'seq') r.error(rn, 'SL-SPEC-TYPE', `ranks of ${what} must be a list of numbers`);
    else if (rn) {
      ranks = rn.items.map((x) => r.number(x, `a rank of ${what}`, { positive: true, integer: true }) ?? 1);
      if (blocks !== undefined && ranks.length !== 2 * blocks) {
        r.error(rn, 'SL-TT-RANKS', `${what} has ${blocks} blocks, so 2 x ${blocks} = ${2 * blocks} ranks (one per 3x3 conv), found ${ranks.length}`,
          `list ${2 * blocks} ranks or change blocks`);
      }
      rn.items.forEach((x, k) => rankNodes.push({ layer: `layer${i + 1}.${Math.floor(k / 2)}.conv${(k % 2) + 1}`, node: x }));
    } else if (stageTt) {
      r.error(m, 'SL-TT-RANKS', `${what} needs 'ranks' (one per 3x3 conv) when it is TT-decomposed`,
        blocks !== undefined ? `add ranks: [...] with ${2 * blocks} entries, or decomposition: dense for this stage` : 'add ranks: [...], or decomposition: dense for this stage');
    }
    const strideNode = r.get(m, 'stride');
    const stride = int(m, 'stride', what, false) ?? (i === 0 ? 1 : 2);
    if (strideNode && (stride > h || stride > w)) {
      r.error(strideNode, 'SL-SPEC-RANGE', `${what} stride ${stride} exceeds its input feature map (${h} x ${w})`, `use a stride of at most ${Math.min(h, w)}`);
    }
    h = Math.ceil(h / stride);
    w = Math.ceil(w / stride);
    for (let b = 0; b < (blocks ?? 0); b++) {
      for (const c of ['conv1', 'conv2', 'shortcut']) positions[`layer${i + 1}.${b}.${c}`] = m.pos;
    }
    stages.push({ channels: int(m, 'channels', what, true) ?? 64, blocks: blocks ?? 1, stride, ranks, ...(sd === 'dense' || sd === 'tt' ? { decomposition: sd } : {}) });
  });
  const spm = r.get(n, 'sparsity') ? r.map(r.get(n, 'sparsity'), 'sparsity') : undefined;
  if (spm) r.keys(spm, ['spikes', 'membrane_gradient'], 'sparsity');
  const pm = r.get(n, 'precision') ? r.map(r.get(n, 'precision'), 'precision') : undefined;
  if (pm) r.keys(pm, ['weights', 'activations'], 'precision');
  const classes = int(n, 'classes', TT_NETWORK_KEY, true);
  const desc: ResNetDesc = {
    name, input, timesteps: T ?? 1, batch: int(n, 'batch', TT_NETWORK_KEY, false) ?? 1, classes: classes ?? 1, stem, stages,
    decomposition: dec === 'tt' ? 'tt' : 'dense', ttMode: (mode as TtMode | undefined) ?? 'ptt', httFullTimesteps: htt,
    pttMerge: merge === 'separate' ? 'separate' : 'fused',
    sparsity: { spikes: fraction(r, spm, 'spikes', 'sparsity of spikes', 0.9), membraneGradient: fraction(r, spm, 'membrane_gradient', 'sparsity of membrane-potential gradients', 0.7) },
    precision: { weights: (pm && int(pm, 'weights', 'precision', false)) || 8, activations: (pm && int(pm, 'activations', 'precision', false)) || 16 },
  };
  if (r.failed) return fail(r.diags);
  const net = buildResNet(desc);
  positions.conv1 = (stemNode ?? n).pos;
  positions.fc = (r.get(n, 'classes') ?? n).pos;
  for (const { layer, node } of rankNodes) positions[layer] = node.pos;
  // Warnings: ranks wider than the layer, TT layers that do not compress.
  for (const l of net.layers) {
    if (!l.tt) continue;
    const at = rankNodes.find((x) => x.layer === l.name)?.node;
    const c = l.conv;
    const tp = ttParams(c, l.tt.rank);
    const dp = denseParams(c);
    // One warning per layer: no compression (which, for a 3x3 conv, implies a rank above min(Cin, Cout)) or else
    // a rank above min(Cin, Cout).
    if (tp >= dp) {
      r.error(at, 'SL-TT-NO-COMPRESSION', `${l.name}: rank ${l.tt.rank} gives ${tp.toLocaleString('en-US')} TT parameters, the dense conv has ${dp.toLocaleString('en-US')} (compression ${(dp / tp).toFixed(2)}x)`,
        `lower the rank below min(Cin, Cout) = ${Math.min(c.cin, c.cout)} or keep this stage dense (decomposition: dense)`);
    } else if (l.tt.rank > Math.min(c.cin, c.cout)) {
      r.error(at, 'SL-TT-RANK-HIGH', `${l.name}: rank ${l.tt.rank} exceeds min(Cin, Cout) = ${Math.min(c.cin, c.cout)} (${c.cin} -> ${c.cout})`, 'TT-SNN ranks are well below the channel count');
    }
  }
  return ok({ ...net, positions }, r.diags);
}
