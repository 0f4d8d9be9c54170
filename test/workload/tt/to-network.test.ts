import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTtNetwork } from '../../../src/spec/tt-network.ts';
import { buildResNet, networkCounts, type TtNetwork } from '../../../src/workload/tt/resnet.ts';
import { toNetwork } from '../../../src/workload/tt/to-network.ts';
import { totalOperations } from '../../../src/workload/types.ts';
import { ROOT } from '../../cli/harness.ts';

const load = (f: string): TtNetwork => {
  const r = parseTtNetwork(readFileSync(join(ROOT, 'workloads', f), 'utf8'), f);
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return r.value;
};

describe('TT network as the shared network graph', () => {
  const tt = load('resnet18-cifar10-tt.yaml');
  it('PTT: every TT conv is G1, G2, G3, avg, G4; blocks end in a residual add; G3 reads G1', () => {
    const r = toNetwork(tt);
    if (!r.ok) throw new Error(r.reason);
    const n = r.network;
    // stem + 16 TT convs x 5 + 3 shortcuts + 8 adds + avgpool + fc
    expect(n.layers).toHaveLength(1 + 16 * 5 + 3 + 8 + 2);
    const idx = (name: string) => n.layers.findIndex((l) => l.name === name);
    expect(n.layers[idx('layer1.0.conv1.G3')].inputs).toEqual([idx('layer1.0.conv1.G1')]);
    expect(n.layers[idx('layer1.0.conv1.avg')].inputs).toEqual([idx('layer1.0.conv1.G2'), idx('layer1.0.conv1.G3')]);
    expect(n.layers[idx('layer2.0.add')].inputs).toEqual([idx('layer2.0.conv2.G4'), idx('layer2.0.shortcut')]);
    for (const l of n.layers) for (const p of l.inputs) expect(p).toBeLessThan(l.index);
    expect(n.blocks.flatMap((b) => b.layers).sort((a, b) => a - b)).toEqual(n.layers.map((l) => l.index));
    expect(n.blocks).toHaveLength(1 + 8 + 1);
  });
  it('its synaptic workloads carry the network MACs x T', () => {
    const r = toNetwork(buildResNet({ ...tt.desc, ttMode: 'stt' }));
    if (!r.ok) throw new Error(r.reason);
    expect(r.network.layers).toHaveLength(1 + 16 * 4 + 3 + 8 + 2);
    const macs = r.network.layers.filter((l) => l.op === 'conv' || l.op === 'fc').reduce((a, l) => a + totalOperations(l.workload), 0);
    expect(macs).toBe(networkCounts(tt).macsPerTimestep * tt.desc.timesteps);
  });
  it('HTT is refused with a reason', () => {
    const r = toNetwork(buildResNet({ ...tt.desc, ttMode: 'htt' }));
    expect(r.ok).toBe(false);
  });
});
