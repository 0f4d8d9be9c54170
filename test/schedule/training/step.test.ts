import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Arch } from '../../../src/arch/types.ts';
import { evaluate } from '../../../src/model/evaluate.ts';
import { parseArch } from '../../../src/spec/arch.ts';
import type { TrainingContext } from '../../../src/schedule/training/chunk.ts';
import { opCost, NO_ADJUST } from '../../../src/schedule/training/cost.ts';
import { cachedMapper, defaultMapper, levelHolds } from '../../../src/schedule/training/default-mapping.ts';
import { evaluatePass } from '../../../src/schedule/training/pass.ts';
import { peGroup, sharedLevels } from '../../../src/schedule/training/pe-groups.ts';
import { energyTerms, staticEnergyPj, staticPowerMw, trainingStep } from '../../../src/schedule/training/step.ts';
import type { EvalSlice, Evaluator } from '../../../src/schedule/training/types.ts';
import type { ConvSpec } from '../../../src/workload/tt/conv-spec.ts';
import { denseConvWorkload } from '../../../src/workload/tt/conv-spec.ts';
import { denseLayer, ttLayer } from '../../../src/workload/tt/layer.ts';
import { totalOperations } from '../../../src/workload/types.ts';
import { ROOT } from '../../cli/harness.ts';

const parsed = parseArch(readFileSync(join(ROOT, 'arch-specs/ttsnn-accelerator.yaml'), 'utf8'), 'ttsnn-accelerator.yaml');
if (!parsed.ok) throw new Error('arch');
const ARCH: Arch = parsed.value;

const mapLayer = cachedMapper(defaultMapper((a, w, m) => {
  const o = evaluate(a, w, m);
  return o.status === 'ok' ? { ok: true, energy: o.evaluation.totals.energy_pJ, cycles: o.evaluation.totals.cycles } : { ok: false, reason: o.reason };
}));
const ctx = (over: Partial<TrainingContext> = {}): TrainingContext => ({
  arch: ARCH, group: peGroup(ARCH, 2), evaluate, mapLayer, duDensity: 0.3, priced: new Map(), ...over,
});
const conv = (o: Partial<ConvSpec> = {}): ConvSpec => ({
  name: 'l', cin: 64, cout: 64, hOut: 8, wOut: 8, kernel: 3, stride: 1, T: 4, N: 1, inputDensity: 0.1, spikingInput: true, realBits: 16, weightBits: 8, ...o,
});
const pass = (c: TrainingContext, kind: 'forward' | 'backward', l: ReturnType<typeof ttLayer>, scheme: 'bptt' | 'ottt' | 'saf' | 'reversible' = 'bptt') => {
  const r = evaluatePass(c, kind, l, scheme);
  if (!r.ok) throw new Error(`${r.op}: ${r.reason}`);
  return r;
};
const actionCounts = (b: { by_action: Record<string, { count: number }> }) => Object.fromEntries(Object.entries(b.by_action).map(([k, v]) => [k, Math.round(v.count)]));

describe('the SATA-style arch', () => {
  it('PE groups halve the 16 x 8 PE array and the per-PE scratchpads; the buffers stay shared', () => {
    const g = peGroup(ARCH, 2)!;
    expect([g.compute.meshX, g.compute.meshY, g.compute.instances]).toEqual([8, 8, 64]);
    expect(g.levels.map((l) => l.instances)).toEqual([1, 1, 1, 1, 64, 64, 64]);
    expect(sharedLevels(ARCH, g)).toEqual([0, 1, 2, 3]);
    expect(peGroup(ARCH, 3)).toBeUndefined();
  });
  it('static power: buffer leakage 24.91 + 6.26 + 6.26 mW plus the PE array idle power 39.867 mW = 77.297 mW', () => {
    expect(staticPowerMw(ARCH)).toBeCloseTo(77.297, 6);
    expect(staticEnergyPj(77.297, 400, 400)).toBeCloseTo(77297, 6); // 77.297 mW * 1 us
  });
  it('energy per byte: DRAM 468.8 pJ per 128 B = 3.66 pJ/B, about 10.6x a 32 KB buffer (11.03 pJ per 32-byte block)', () => {
    const perByte = (name: string) => {
      const l = ARCH.levels.find((x) => x.name === name)!;
      return l.energy.read / (l.widthBits / 8);
    };
    expect(perByte('DRAM')).toBeCloseTo(3.6625, 6);
    expect(perByte('InputBuffer')).toBeCloseTo(0.3447, 4);
    expect(perByte('DRAM') / perByte('InputBuffer')).toBeCloseTo(10.63, 2);
  });
  it('levels built to hold a role keep it (psum and output stand for each other)', () => {
    expect(levelHolds(['psum'], 'output')).toBe(true);
    expect(levelHolds(['state', 'output'], 'psum')).toBe(true);
    expect(levelHolds(['weight'], 'input')).toBe(false);
  });
});

describe('op cost after the schedule (cost.ts)', () => {
  const w = denseConvWorkload(conv());
  const m = mapLayer(ARCH, w);
  if (!m.ok) throw new Error(m.reason);
  const out = evaluate(ARCH, w, m.mapping);
  if (out.status !== 'ok') throw new Error(out.reason);
  const ev: EvalSlice = out.evaluation;
  it('without adjustments it is the evaluation: dynamic energy, roofline cycles, off-chip bytes', () => {
    const c = opCost(ARCH, w, ev, {}, NO_ADJUST);
    expect(c.breakdown.energy_pJ).toBeCloseTo(ev.totals.energy_pJ - (ev.energy_static_pJ ?? 0), 3);
    expect(c.breakdown.cycles).toBe(ev.totals.cycles);
    expect(c.breakdown.offchip_bytes).toBeCloseTo(ev.totals.offchip_bytes, 6);
  });
  it('a tensor kept on chip loses exactly its off-chip bytes and DRAM energy', () => {
    const c = opCost(ARCH, w, ev, {}, { ...NO_ADJUST, offchip: new Set(['Inputs']) });
    const dram = ev.levels[0].tensors.Inputs;
    expect(c.breakdown.offchip_bytes).toBeCloseTo(ev.totals.offchip_bytes - out.evaluation.offchip_bytes_by_tensor.Inputs, 6);
    expect(c.breakdown.by_level.DRAM).toBeCloseTo(out.evaluation.levels[0].energy_pJ - dram.energy_pJ, 6);
  });
  it('a store adds whole 128-byte DRAM bursts: 1000 bits are 1 burst of 468.8 pJ', () => {
    const c = opCost(ARCH, w, ev, {}, { ...NO_ADJUST, stores: [{ bits: 1000, level: 3, wordBits: 16 }] });
    const base = opCost(ARCH, w, ev, {}, NO_ADJUST);
    // DRAM 468.8 pJ + ceil(1000 / 256) = 4 OutputBuffer reads of 11.03 pJ.
    expect(c.breakdown.energy_pJ - base.breakdown.energy_pJ).toBeCloseTo(468.8 + 4 * 11.03, 6);
    expect(c.breakdown.offchip_bytes - base.breakdown.offchip_bytes).toBe(125);
  });
});

describe('PE groups for PTT (injected evaluator)', () => {
  // A fake evaluator: compute cycles = operations / PEs, no memory traffic, so only the schedule's arithmetic shows.
  const fake: Evaluator = (a, w) => {
    const ops = totalOperations(w);
    const cycles = ops / a.compute.instances;
    const levels = a.levels.map((l) => ({ name: l.name, energy_pJ: 0, capacity_used_bits: 0, tensors: {} }));
    const e: EvalSlice = { totals: { energy_pJ: 1, cycles, offchip_bytes: 0, computes: ops }, timing: { compute_cycles: cycles }, levels, compute: {} };
    return { status: 'ok', evaluation: e };
  };
  it('PTT: G2 || G3 on 64 PEs each take max(G2, G3); STT runs them one after the other on 128: with full use they tie', () => {
    const c = conv({ hOut: 4, wOut: 4 });
    const r = 16;
    // Per timestep per pixel: G1 64*16, G2 = G3 = 3*16*16, G4 16*64 MACs; 16 pixels, 4 timesteps.
    const ops = { g1: 64 * r * 64, g2: 3 * r * r * 64, g4: r * 64 * 64 };
    const s = pass(ctx({ evaluate: fake }), 'forward', ttLayer(c, r, 'stt'));
    const p = pass(ctx({ evaluate: fake }), 'forward', ttLayer(c, r, 'ptt'));
    expect(s.byPhase.forward!.cycles).toBe((ops.g1 + 2 * ops.g2 + ops.g4) / 128);
    // The merge's adds run on the groups' output path: energy, no cycles.
    expect(p.byPhase.forward!.cycles).toBe(ops.g1 / 128 + ops.g2 / 64 + ops.g4 / 128);
    expect(p.byPhase.forward!.by_action.add.count).toBe(r * 16 * 4);
  });
});

describe('fusion: TT core chains and gradient chains stay on chip when they fit', () => {
  const l = ttLayer(conv(), 16, 'stt');
  it('the fused forward moves fewer bytes off chip than layer by layer, with the same operations', () => {
    const c = ctx();
    const r = pass(c, 'forward', l);
    expect(r.choices[0].schedule).toBe('fused');
    expect(r.choices[0].resident).toEqual(['X1', 'X2', 'X3']);
    const layer = r.choices[0].considered.find((x) => x.schedule === 'layer')!;
    expect(r.choices[0].considered.find((x) => x.schedule === 'fused')!.energy_pJ).toBeLessThan(layer.energy_pJ);
  });
  it('operations do not depend on the schedule (property over small TT layers)', () => {
    fc.assert(fc.property(fc.constantFrom(8, 12, 16), fc.constantFrom(4, 8), fc.constantFrom(1, 2, 4), fc.constantFrom('stt', 'ptt') as fc.Arbitrary<'stt' | 'ptt'>, (r, hw, T, mode) => {
      const layer = ttLayer(conv({ hOut: hw, wOut: hw, T }), r, mode);
      const a = pass(ctx(), 'forward', layer);
      const b = pass(ctx(), 'backward', layer);
      // Forward MACs = params x pixels x T, whatever the chunking; the weight gradients skip G1's zero spikes.
      const macs = (3 * r * r * 2 + r * 64) * hw * hw * T;
      return Math.round(a.byPhase.forward!.by_action.mac.count) === macs &&
        Math.round(b.byPhase.wgrad!.by_action.weight_gradient.count) === Math.round(0.1 * 64 * r * hw * hw * T);
    }), { numRuns: 6 });
  });
});

describe('scheme-specific passes', () => {
  const dense = denseLayer(conv({ hOut: 8, wOut: 8 }));
  it('BPTT stores every timestep\'s membranes; reversible only the last: the difference is (T-1)/T of them', () => {
    const b = pass(ctx(), 'forward', dense, 'bptt').byPhase.forward!;
    const r = pass(ctx(), 'forward', dense, 'reversible').byPhase.forward!;
    // 64 x 8 x 8 neurons x 2 B = 8192 B per timestep: BPTT stores 4 timesteps, reversible the last one only.
    expect(b.offchip_bytes - r.offchip_bytes).toBeCloseTo(3 * 8192, 6);
  });
  it('OTTT runs the trace path (full MACs on the 16-bit trace); SAF does not: half of OTTT\'s forward passes', () => {
    const o = pass(ctx(), 'forward', dense, 'ottt');
    const s = pass(ctx(), 'forward', dense, 'saf');
    const macs = 64 * 64 * 9 * 64 * 4;
    expect(Math.round(o.byTag['trace-path']!.by_action.mac.count)).toBe(macs);
    expect(s.byTag['trace-path']).toBeUndefined();
    expect(Math.round(o.byPhase.forward!.by_action.ac.count)).toBe(Math.round(s.byPhase.forward!.by_action.ac.count));
  });
  it('reversible recomputes one forward pass in its backward; BPTT does not', () => {
    const r = pass(ctx(), 'backward', dense, 'reversible');
    const f = pass(ctx(), 'forward', dense, 'bptt');
    expect(actionCounts(r.byTag.recompute!)).toEqual(actionCounts(f.byPhase.forward!));
    expect(pass(ctx(), 'backward', dense, 'bptt').byTag.recompute).toBeUndefined();
  });
});

describe('training step', () => {
  it('sums the phases, adds static power x cycles, reports sparse cycles beside dense ones and the energy terms', () => {
    const layers = [denseLayer(conv({ hOut: 8, wOut: 8, cin: 64, cout: 64 })), ttLayer(conv(), 16, 'ptt')];
    const r = trainingStep(ctx(), layers, { schemes: ['bptt', 'saf'], phases: ['forward', 'backward', 'wgrad'], memoryBatches: [1, 128] });
    if (!r.ok) throw new Error(r.reason);
    const s = r.step.schemes[0];
    const sum = (['forward', 'backward', 'wgrad'] as const).reduce((a, p) => a + s.phases[p]!.energy_pJ, 0);
    expect(s.dynamic.energy_pJ).toBeCloseTo(sum, 3);
    expect(s.energy_pJ).toBeCloseTo(sum + staticEnergyPj(77.297, s.cycles, 400), 0);
    expect(s.sparse_cycles).toBeLessThan(s.cycles);
    const t = energyTerms(ARCH, s);
    expect(Object.values(t).reduce((a, x) => a + x, 0)).toBeCloseTo(s.energy_pJ, 0);
    expect(s.memory[1].activation_bytes).toBe(128 * s.memory[0].activation_bytes);
    // Every training action is defined by the arch: nothing priced as a stand-in.
    expect(r.step.priced).toEqual({});
  });
  it('a capacity failure names the op, the level and the bytes', () => {
    const tiny: Arch = { ...ARCH, levels: ARCH.levels.map((l) => (l.name === 'PsumSpad' ? { ...l, capacityBits: 8 } : l)) };
    const r = trainingStep(ctx({ arch: tiny, group: peGroup(tiny, 2) }), [denseLayer(conv())], { schemes: ['bptt'], phases: ['forward'], memoryBatches: [] });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.reason).toMatch(/PsumSpad holds 1 B but the smallest tiles a mapping can keep there need 2 B \(Psum: 2 B\)/);
  });
});
