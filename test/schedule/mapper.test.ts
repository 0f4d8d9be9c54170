// The default chunk mapper produces mappings the layer model accepts for every layer of the shipped networks.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { layerCostFn } from '../../src/cli/network-wiring.ts';
import { defaultMapping } from '../../src/schedule/mapper.ts';
import { evaluate } from '../../src/model/evaluate.ts';
import { parseArch } from '../../src/spec/arch.ts';
import { parseNetwork } from '../../src/spec/network.ts';
import { chunkWorkload } from '../../src/workload/network.ts';

const root = join(import.meta.dirname, '..', '..');
const archR = parseArch(readFileSync(join(root, 'arch-specs/meta-prototype-like.yaml'), 'utf8'), 'meta.yaml');
if (!archR.ok) throw new Error('arch');
const arch = archR.value;

describe('default chunk mapper on the Meta-prototype-like arch', () => {
  for (const f of ['workloads/sew-resnet-7plif.yaml', 'workloads/red-lif.yaml']) {
    it(`maps every layer of ${f} (1-row step chunks, whole time-batched layers, membrane what-if)`, () => {
      const r = parseNetwork(readFileSync(join(root, f), 'utf8'), f);
      if (!r.ok) throw new Error(f);
      for (const l of r.value.layers) {
        for (const [b, rows, membrane] of [[1, 1, false], [r.value.timesteps, l.outShape.h, false], [r.value.timesteps, 1, true]] as const) {
          const w = chunkWorkload(l.workload, b, rows, { membrane });
          const m = defaultMapping(arch, w);
          const o = evaluate(arch, w, m);
          expect(o.status, `${l.name} b=${b} rows=${rows}: ${o.status === 'invalid' ? o.reason : ''}`).toBe('ok');
          // keep follows `holds`: the weight SRAM holds only weights
          const ws = arch.levels.findIndex((x) => x.name === 'WeightSRAM');
          w.tensors.forEach((t, ti) => expect(m.levels[ws].keep[ti]).toBe(t.role === 'weight'));
        }
      }
    });
  }

  it('the on-chip cost drops off-chip levels and the global buffer fills (the schedule charges them)', () => {
    const r = parseNetwork(readFileSync(join(root, 'workloads/sew-resnet-7plif.yaml'), 'utf8'), 'sew');
    if (!r.ok) throw new Error('sew');
    const w = chunkWorkload(r.value.layers[1].workload, 1, 1);
    const c = layerCostFn(arch)(w);
    if (!c.ok) throw new Error(c.reason);
    expect(Object.keys(c.cost.energyByLevel)).toEqual(['GlobalBuffer', 'WeightSRAM', 'InputSRAM', 'PERegisters']);
    const e = evaluate(arch, w, defaultMapping(arch, w));
    if (e.status !== 'ok') throw new Error(e.reason);
    const gb = e.evaluation.levels[1];
    let fills = 0;
    for (const s of Object.values(gb.tensors)) fills += s.fill_vectors * arch.levels[1].energy.fill * s.utilized_instances;
    expect(c.cost.energyByLevel.GlobalBuffer).toBeCloseTo(gb.energy_pJ - fills, 6);
    expect(c.cost.computes).toBe(e.evaluation.totals.computes);
  });
});
