/**
 * Compact network spec (YAML, top-level key `tt_network:`) -> TtNetwork (a ResNet of basic blocks, dense or
 * TT-decomposed). See workloads/resnet18-cifar10-tt.yaml for the commented format.
 */
import { fail, ok, type Result } from '../core/result.ts';
import { buildResNet, type ResNetDesc, type ResNetStage, type TtNetwork } from '../workload/tt/resnet.ts';
import { PTT_MERGES, TT_MODES, type TtMode } from '../workload/tt/layer.ts';
import { Reader } from './reader.ts';
import { parseYaml, type PMap } from './yaml-source.ts';

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
  const int = (m: PMap, key: string, what: string, dflt?: number): number => {
    const node = dflt === undefined ? r.required(m, key, what) : r.get(m, key);
    return r.number(node, `${what} ${key}`, { positive: true, integer: true }) ?? dflt ?? 1;
  };
  const name = r.string(r.required(n, 'name', TT_NETWORK_KEY), 'network name') ?? 'network';
  const archNode = r.get(n, 'architecture');
  if (archNode && r.string(archNode, 'architecture') !== 'resnet') {
    r.error(archNode, 'SL-SPEC-ENUM', `unknown architecture '${r.string(archNode, 'architecture')}'`, 'use resnet (basic blocks)');
  }
  const im = r.map(r.required(n, 'input', TT_NETWORK_KEY), 'input');
  let input: ResNetDesc['input'] = { height: 1, width: 1, channels: 1, encoding: 'spikes' };
  if (im) {
    r.keys(im, ['height', 'width', 'channels', 'encoding'], 'input');
    const encNode = r.get(im, 'encoding');
    const enc = encNode ? r.string(encNode, 'input encoding') : 'spikes';
    if (enc !== 'spikes' && enc !== 'direct') r.error(encNode, 'SL-SPEC-ENUM', `unknown input encoding '${enc}'`, 'use spikes (event data) or direct (real-valued pixels)');
    input = { height: int(im, 'height', 'input'), width: int(im, 'width', 'input'), channels: int(im, 'channels', 'input'), encoding: enc === 'direct' ? 'direct' : 'spikes' };
  }
  const sm = r.map(r.required(n, 'stem', TT_NETWORK_KEY), 'stem');
  let stem = { channels: 64, kernel: 3, stride: 1 };
  if (sm) {
    r.keys(sm, ['channels', 'kernel', 'stride'], 'stem');
    stem = { channels: int(sm, 'channels', 'stem'), kernel: int(sm, 'kernel', 'stem', 3), stride: int(sm, 'stride', 'stem', 1) };
  }
  const decNode = r.required(n, 'decomposition', TT_NETWORK_KEY);
  const dec = r.string(decNode, 'decomposition');
  if (dec !== undefined && dec !== 'dense' && dec !== 'tt') r.error(decNode, 'SL-SPEC-ENUM', `unknown decomposition '${dec}'`, 'use dense or tt');
  const modeNode = r.get(n, 'tt_mode');
  const mode = modeNode ? r.string(modeNode, 'tt_mode') : 'ptt';
  if (mode !== undefined && !(TT_MODES as readonly string[]).includes(mode)) r.error(modeNode, 'SL-SPEC-ENUM', `unknown tt_mode '${mode}'`, 'use stt, ptt or htt');
  const T = int(n, 'timesteps', TT_NETWORK_KEY);
  const httNode = r.get(n, 'htt_full_timesteps');
  const htt = r.number(httNode, 'htt_full_timesteps', { positive: true, integer: true });
  if (htt !== undefined && htt > T) r.error(httNode, 'SL-SPEC-RANGE', `htt_full_timesteps ${htt} exceeds timesteps ${T}`);
  const mergeNode = r.get(n, 'ptt_merge');
  const merge = mergeNode ? r.string(mergeNode, 'ptt_merge') : 'fused';
  if (merge !== undefined && !(PTT_MERGES as readonly string[]).includes(merge)) r.error(mergeNode, 'SL-SPEC-ENUM', `unknown ptt_merge '${merge}'`, 'use fused or separate');
  const stagesNode = r.required(n, 'stages', TT_NETWORK_KEY);
  const stages: ResNetStage[] = [];
  if (stagesNode && stagesNode.kind !== 'seq') r.error(stagesNode, 'SL-SPEC-TYPE', 'stages must be a list, one entry per stage');
  else if (stagesNode) stagesNode.items.forEach((item, i) => {
    const m = r.map(item, `stage ${i + 1}`);
    if (!m) return;
    r.keys(m, ['channels', 'blocks', 'stride', 'ranks'], `stage ${i + 1}`);
    const blocks = int(m, 'blocks', `stage ${i + 1}`);
    const rn = r.get(m, 'ranks');
    let ranks: number[] | undefined;
    if (rn && rn.kind !== 'seq') r.error(rn, 'SL-SPEC-TYPE', `ranks of stage ${i + 1} must be a list of numbers`);
    else if (rn) {
      ranks = rn.items.map((x) => r.number(x, `a rank of stage ${i + 1}`, { positive: true, integer: true }) ?? 1);
      if (ranks.length !== 2 * blocks) {
        r.error(rn, 'SL-SPEC-RANGE', `stage ${i + 1} has ${blocks} blocks, so 2 x ${blocks} = ${2 * blocks} ranks (one per 3x3 conv), found ${ranks.length}`,
          `list ${2 * blocks} ranks or change blocks`);
      }
    } else if (dec === 'tt') r.error(m, 'SL-SPEC-MISSING-KEY', `stage ${i + 1} needs 'ranks' (one per 3x3 conv) when decomposition is tt`, `add ranks: [...] with ${2 * blocks} entries`);
    stages.push({ channels: int(m, 'channels', `stage ${i + 1}`), blocks, stride: int(m, 'stride', `stage ${i + 1}`, i === 0 ? 1 : 2), ranks });
  });
  const spm = r.get(n, 'sparsity') ? r.map(r.get(n, 'sparsity'), 'sparsity') : undefined;
  if (spm) r.keys(spm, ['spikes', 'membrane_gradient'], 'sparsity');
  const pm = r.get(n, 'precision') ? r.map(r.get(n, 'precision'), 'precision') : undefined;
  if (pm) r.keys(pm, ['weights', 'activations'], 'precision');
  const desc: ResNetDesc = {
    name, input, timesteps: T, batch: int(n, 'batch', TT_NETWORK_KEY, 1), classes: int(n, 'classes', TT_NETWORK_KEY), stem, stages,
    decomposition: dec === 'tt' ? 'tt' : 'dense', ttMode: (mode as TtMode | undefined) ?? 'ptt', httFullTimesteps: htt,
    pttMerge: merge === 'separate' ? 'separate' : 'fused',
    sparsity: { spikes: fraction(r, spm, 'spikes', 'sparsity of spikes', 0.9), membraneGradient: fraction(r, spm, 'membrane_gradient', 'sparsity of membrane-potential gradients', 0.7) },
    precision: { weights: pm ? int(pm, 'weights', 'precision', 8) : 8, activations: pm ? int(pm, 'activations', 'precision', 16) : 16 },
  };
  if (r.diags.some((d) => d.severity === 'error')) return fail(r.diags);
  return ok(buildResNet(desc), r.diags);
}
