// The chunk mapper (schedule/chunk-mapper.ts) and its wiring to the layer model (cli/network-wiring.ts) on the
// Meta-prototype-like arch with its PE unrolling (mappings/constraints/meta-prototype-like.yaml).
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { searchRefiner } from '../../src/cli/chunk-search.ts';
import { namedBounds } from '../../src/cli/network-options.ts';
import { layerCostFn, layerCostOf } from '../../src/cli/network-wiring.ts';
import { evaluate } from '../../src/model/evaluate.ts';
import { adaptMapping, mapChunk, type ChunkBounds } from '../../src/schedule/chunk-mapper.ts';
import { N_SLOTS, N_STATS, STAT_ENERGY, STAT_FILLS, STAT_UPDATES, TENSOR_SLOTS } from '../../src/schedule/types.ts';
import { parseArch } from '../../src/spec/arch.ts';
import { parseConstraints } from '../../src/spec/constraints.ts';
import { parseNetwork } from '../../src/spec/network.ts';
import type { Mapping } from '../../src/mapping/types.ts';
import { chunkWorkload, type Network } from '../../src/workload/network.ts';
import type { Workload } from '../../src/workload/types.ts';

const root = join(import.meta.dirname, '..', '..');
const archR = parseArch(readFileSync(join(root, 'arch-specs/meta-prototype-like.yaml'), 'utf8'), 'meta.yaml');
if (!archR.ok) throw new Error('arch');
const arch = archR.value;
const load = (f: string): Network => {
  const r = parseNetwork(readFileSync(join(root, f), 'utf8'), f);
  if (!r.ok) throw new Error(f);
  return r.value;
};
const SEW = load('workloads/sew-resnet-7plif.yaml');
const RED = load('workloads/red-lif.yaml');
const cr = parseConstraints(readFileSync(join(root, 'mappings/constraints/meta-prototype-like.yaml'), 'utf8'), 'c.yaml', arch, SEW.layers[1].workload);
if (!cr.ok) throw new Error(JSON.stringify(cr.diagnostics));
const bounds: ChunkBounds = namedBounds(cr.value, SEW.layers[1].workload);
const IN = arch.levels.findIndex((l) => l.name === 'InputSRAM');
const PE = arch.levels.findIndex((l) => l.name === 'PERegisters');

const score = (w: Workload) => (m: Mapping) => {
  const r = evaluate(arch, w, m, { timing: 'roofline' });
  if (r.status !== 'ok') return undefined;
  const c = layerCostOf(arch, w, r.evaluation);
  return { energy: c.energy.base + c.computeEnergy, cycles: c.cycles };
};

function checkMapping(w: Workload, m: Mapping): void {
  const dim = (d: number): string => w.dims[d];
  // the chunk runs from the global buffer: no loop at the off-chip level
  expect(m.levels[0].temporal.every((l) => l.factor === 1)).toBe(true);
  for (const [e, lv] of m.levels.entries()) {
    for (const s of lv.spatial) {
      const ok = (e === IN && ((s.axis === 'X' && dim(s.dim) === 'K' && s.factor <= 32) || (s.axis === 'Y' && dim(s.dim) === 'P' && s.factor <= 16))) ||
        (e === PE && s.axis === 'Y' && dim(s.dim) === 'C' && s.factor <= 2);
      expect(ok, `${w.name}: spatial ${dim(s.dim)}${s.factor}${s.axis} at ${arch.levels[e].name}`).toBe(true);
    }
  }
  // keep follows `holds`: the weight SRAM holds only weights, the input SRAM only inputs
  const ws = arch.levels.findIndex((x) => x.name === 'WeightSRAM');
  w.tensors.forEach((t, ti) => {
    expect(m.levels[ws].keep[ti]).toBe(t.role === 'weight');
    expect(m.levels[IN].keep[ti]).toBe(t.role === 'input');
  });
}

describe('chunk mapper on the Meta-prototype-like arch', () => {
  for (const net of [SEW, RED]) {
    it(`maps every layer shape of ${net.name} within the K32 x C2 x OY16 unrolling (step chunks, time-batched tiles, membrane what-if)`, () => {
      const seen = new Set<string>();
      for (const l of net.layers) {
        const key = `${l.op}|${l.inShape.c}|${l.outShape.c}|${l.outShape.h}|${l.kernel[0]}|${l.stride[0]}`;
        if (seen.has(key)) continue;
        seen.add(key);
        for (const [b, n0, axis, membrane] of [[1, 1, 'cols', false], [net.timesteps, Math.min(16, l.outShape.h), 'rows', false], [net.timesteps, 1, 'cols', true]] as const) {
          // as the simulation does for whole-layer chunks: halve a tile that does not fit the buffer
          for (let n: number = n0; ; n = Math.ceil(n / 2)) {
            const w = chunkWorkload(l.workload, b, n, { axis, membrane });
            const r = mapChunk(arch, w, score(w), { objective: 'energy', bounds, budget: 60 });
            if (r) {
              checkMapping(w, r.mapping);
              break;
            }
            expect(n, `${w.name} has no valid mapping`).toBeGreaterThan(1);
          }
        }
      }
    });
  }

  it('energy and cycles per line do not blow up as the tile grows (rows or columns, any time batch)', () => {
    const cost = layerCostFn(arch, { bounds });
    const convs = SEW.layers.filter((l) => l.op === 'conv' && l.outShape.h >= 16);
    fc.assert(
      fc.property(fc.constantFrom(...convs), fc.constantFrom(1, 4, 16), fc.constantFrom('rows' as const, 'cols' as const), fc.constantFrom(2, 4, 8, 16), (l, b, axis, k) => {
        const lineDim = l.workload.dims.indexOf(axis === 'rows' ? 'P' : 'Q');
        const per = (n: number): { e: number; c: number } => {
          const c = cost(chunkWorkload(l.workload, b, n, { axis }), { carry: b < 16, lineDim, refLines: n });
          if (!c.ok) throw new Error(c.reason);
          return { e: (c.cost.energy.base + c.cost.computeEnergy) / n, c: c.cost.cycles / n };
        };
        const one = per(1);
        const many = per(k);
        expect(many.e).toBeLessThanOrEqual(one.e * 1.02);
        expect(many.c).toBeLessThanOrEqual(one.c * 1.02);
      }),
      { numRuns: 25 },
    );
  });

  it('the on-chip cost leaves out the off-chip level and the global-buffer fills (the schedule charges them)', () => {
    const w = chunkWorkload(SEW.layers[1].workload, 1, 1, { axis: 'cols' });
    const r = mapChunk(arch, w, score(w), { objective: 'energy', bounds });
    const e = evaluate(arch, w, r!.mapping);
    if (e.status !== 'ok') throw new Error(e.reason);
    const c = layerCostOf(arch, w, e.evaluation);
    for (let s = 0; s < N_SLOTS; s++) for (let k = 0; k < N_STATS; k++) expect(c.base[s * N_STATS + k]).toBe(0); // DRAM
    let gb = 0;
    for (let s = 0; s < N_SLOTS; s++) {
      expect(c.base[(1 * N_SLOTS + s) * N_STATS + STAT_FILLS]).toBe(0);
      gb += c.base[(1 * N_SLOTS + s) * N_STATS + STAT_ENERGY];
    }
    const lv = e.evaluation.levels[1];
    let fills = 0;
    for (const s of Object.values(lv.tensors)) fills += s.fill_vectors * arch.levels[1].energy.fill * s.utilized_instances;
    expect(gb).toBeCloseTo(lv.energy_pJ - fills, 6);
    expect(c.computes).toBe(e.evaluation.totals.computes);
  });

  it("a carried state's final write is exactly what the layer model elides (keep_final_state), level by level", () => {
    const base = chunkWorkload(SEW.layers[9].workload, 2, 4, { axis: 'cols' });
    const keep = { ...base, snn: { ...base.snn!, keepFinalState: true } };
    const m = mapChunk(arch, base, score(base), { objective: 'energy', bounds })!.mapping;
    const a = evaluate(arch, base, m);
    const b = evaluate(arch, keep, m);
    if (a.status !== 'ok' || b.status !== 'ok') throw new Error('eval');
    const c = layerCostOf(arch, base, a.evaluation);
    const st = TENSOR_SLOTS.indexOf('State');
    let checked = 0;
    arch.levels.forEach((lvl, e) => {
      if (lvl.offChip) return;
      const sa = a.evaluation.levels[e].tensors.State;
      const sb = b.evaluation.levels[e].tensors.State;
      if (!sa || !sb) return;
      expect(c.stateOut![(e * N_SLOTS + st) * N_STATS + STAT_UPDATES]).toBeCloseTo((sb.updates - sa.updates) * sa.utilized_instances, 6);
      checked++;
    });
    expect(checked).toBeGreaterThan(0);
  });

  it('--chunk-mapper search: the intra-layer mapper refines a chunk without making it worse, the same for a seed', () => {
    const w = chunkWorkload(SEW.layers[9].workload, 4, 2, { axis: 'cols' });
    const sc = score(w);
    const start = mapChunk(arch, w, sc, { objective: 'energy', bounds, budget: 20 })!.mapping;
    const s = (m: Mapping): number | undefined => sc(m)?.energy;
    const a = searchRefiner(bounds, 300, 7)(arch, w, start, s);
    const b = searchRefiner(bounds, 300, 7)(arch, w, start, s);
    expect(s(a)!).toBeLessThanOrEqual(s(start)!);
    expect(a).toEqual(b);
    checkMapping(w, a);
  });

  it('chunks of one layer with another line count share the mapping shape (adaptMapping covers the new size)', () => {
    const w16 = chunkWorkload(SEW.layers[5].workload, 4, 16, { axis: 'rows' });
    const m16 = mapChunk(arch, w16, score(w16), { objective: 'energy', bounds })!.mapping;
    const P = w16.dims.indexOf('P');
    for (const n of [1, 3, 5, 16, 32, 64]) {
      const w = chunkWorkload(SEW.layers[5].workload, 4, n, { axis: 'rows' });
      const m = adaptMapping(arch, m16, P, n);
      let prod = 1;
      for (const lv of m.levels) for (const l of [...lv.temporal, ...lv.spatial]) if (l.dim === P) prod *= l.factor;
      expect(prod).toBe(n);
      expect(evaluate(arch, w, m).status).toBe('ok');
    }
  });
});
