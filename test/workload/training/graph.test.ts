import { describe, expect, it } from 'vitest';
import { backwardGraph, forwardGraph, segments, type ChunkGraph } from '../../../src/workload/training/graph.ts';
import type { ConvSpec } from '../../../src/workload/tt/conv-spec.ts';
import { denseLayer, ttLayer } from '../../../src/workload/tt/layer.ts';

const conv: ConvSpec = { name: 'l', cin: 16, cout: 16, hOut: 8, wOut: 8, kernel: 3, stride: 1, T: 4, N: 1, inputDensity: 0.1, spikingInput: true, realBits: 16, weightBits: 8 };
const ch = { n: 1, t: 4, h: 8 };
const ids = (g: ChunkGraph) => g.ops.map((o) => o.id);
const link = (g: ChunkGraph, id: string) => g.links.find((k) => k.id === id)!;

describe('layer dataflow graphs', () => {
  it('BPTT STT forward: G1 -> G2 -> G3 -> G4, the core inputs stored for the weight gradients, membranes of every timestep', () => {
    const g = forwardGraph(ttLayer(conv, 4, 'stt'), 'bptt', ch);
    expect(ids(g)).toEqual(['G1', 'G2', 'G3', 'G4']);
    expect(g.links.map((k) => [k.id, k.from.op, k.to.map((e) => e.op).join(','), !!k.store])).toEqual([
      ['X1', 'G1', 'G2', true], ['X2', 'G2', 'G3', true], ['X3', 'G3', 'G4', true],
    ]);
    // 16 neurons per row x 8 rows x 16 channels x 16 bits x 4 timesteps.
    expect(g.stores).toEqual([{ op: 'G4', tensor: 'State', bits: 16 * 8 * 8 * 16 * 4 }]);
  });
  it('PTT: G2 || G3 on G1\'s output, G3 merged into G2\'s write by the adds, one link into G4', () => {
    const g = forwardGraph(ttLayer(conv, 4, 'ptt'), 'bptt', ch);
    expect(ids(g)).toEqual(['G1', 'G2', 'G3', 'G2.merge', 'G4']);
    expect(g.ops.find((o) => o.id === 'G3')).toMatchObject({ concurrentWith: 'G2', mergesInto: 'G2' });
    expect(g.ops.find((o) => o.id === 'G2.merge')).toMatchObject({ computeOnly: true, actions: { mac: 'add' } });
    expect(link(g, 'X1').to.map((e) => e.op)).toEqual(['G2', 'G3']);
    expect(link(g, 'X2').to.map((e) => e.op)).toEqual(['G4']);
    const sep = forwardGraph(ttLayer(conv, 4, 'ptt', 4, 'separate'), 'bptt', ch);
    expect(ids(sep)).toEqual(['G1', 'G2', 'G3', 'avg', 'G4']);
  });
  it('backward: the gradient flows G4 -> G1, each gradient used by its weight gradient and its input gradient', () => {
    const g = backwardGraph(ttLayer(conv, 4, 'stt'), 'bptt', ch, 0.3);
    expect(ids(g)).toEqual(['postgrad', 'G4.wgrad', 'G4.bwd', 'G3.wgrad', 'G3.bwd', 'G2.wgrad', 'G2.bwd', 'G1.wgrad', 'G1.bwd']);
    expect(link(g, 'dU').to.map((e) => e.op)).toEqual(['G4.wgrad', 'G4.bwd']);
    expect(link(g, 'dG3')).toMatchObject({ from: { op: 'G4.bwd', tensor: 'GradX' } });
    // dU is sparse only into G4; the gradients between cores are dense.
    const dens = (id: string) => g.ops.find((o) => o.id === id)!.workload.tensors.find((t) => t.name === 'GradU')!.density;
    expect([dens('G4.bwd'), dens('G3.bwd'), dens('G1.wgrad')]).toEqual([0.3, 1, 1]);
    // BPTT reads the stored inputs and membranes from DRAM: no links for them.
    expect(g.links.map((k) => k.id).sort()).toEqual(['dG1', 'dG2', 'dG3', 'dU']);
  });
  it('PTT backward: G3 and G2 gradients side by side, their input gradients merged into one dX1', () => {
    const g = backwardGraph(ttLayer(conv, 4, 'ptt'), 'bptt', ch, 0.3);
    expect(ids(g)).toEqual(['postgrad', 'G4.wgrad', 'G4.bwd', 'G3.wgrad', 'G2.wgrad', 'G3.bwd', 'G2.bwd', 'G1.wgrad', 'G1.bwd']);
    expect(g.ops.find((o) => o.id === 'G3.bwd')).toMatchObject({ concurrentWith: 'G2.bwd', mergesInto: 'G2.bwd' });
    expect(link(g, 'dG1').from).toEqual({ op: 'G2.bwd', tensor: 'GradX' });
  });
  it('the stem computes no input gradient; the classifier (logits) has no postgrad and a dense gradient', () => {
    expect(ids(backwardGraph(denseLayer({ ...conv, inputGrad: false }), 'bptt', ch, 0.3))).toEqual(['postgrad', 'fwd.wgrad']);
    const fcg = backwardGraph(denseLayer({ ...conv, kernel: 1, hOut: 1, wOut: 1, output: 'real', outputGradient: 'dense' }, 'fc'), 'bptt', { ...ch, h: 1 }, 0.3);
    expect(ids(fcg)).toEqual(['fwd.wgrad', 'fwd.bwd']);
    expect(fcg.ops[1].workload.tensors.find((t) => t.name === 'GradU')!.density).toBe(1);
    // A shortcut's current feeds the block neuron: its gradient is that neuron's sparse dU.
    const sc = backwardGraph(denseLayer({ ...conv, kernel: 1, output: 'real' }), 'bptt', ch, 0.3);
    expect(sc.ops.find((o) => o.id === 'fwd.bwd')!.workload.tensors.find((t) => t.name === 'GradU')!.density).toBe(0.3);
  });
  it('OTTT: the spike path, the running input trace, and the trace path (full MACs, result discarded)', () => {
    const g = forwardGraph(ttLayer(conv, 4, 'stt'), 'ottt', { ...ch, t: 1 });
    expect(ids(g)).toEqual(['G1', 'G2', 'G3', 'G4', 'trace0', 'G1.trace', 'G2.trace', 'G3.trace', 'G4.trace']);
    expect(g.ops.filter((o) => o.tag === 'trace-path').length).toBe(4);
    expect(g.ops.find((o) => o.id === 'G4.trace')!.discardsOutput).toBe(true);
    const g1t = g.ops.find((o) => o.id === 'G1.trace')!.workload;
    expect(g1t.tensors[g1t.snn!.inputTensor]).toMatchObject({ bits: 16, density: 1 });
    // The running trace and the traces of the core inputs are stored for this timestep's backward.
    expect(['A0', 'A1', 'A2', 'A3'].map((id) => link(g, id).store)).toEqual([true, true, true, true]);
    // The spike path's core outputs are not stored (no BPTT).
    expect(link(g, 'X1').store).toBeUndefined();
    // Weight gradients on the traces: full MACs.
    const b = backwardGraph(ttLayer(conv, 4, 'stt'), 'ottt', { ...ch, t: 1 }, 0.3);
    expect(b.ops.find((o) => o.id === 'G1.wgrad')!.actions).toEqual({ mac: 'wgrad_mac' });
  });
  it('SAF: the spike path only (half of OTTT\'s forward passes) plus elementwise trace updates of every core input', () => {
    const g = forwardGraph(ttLayer(conv, 4, 'stt'), 'saf', { ...ch, t: 1 });
    expect(g.ops.filter((o) => o.tag === 'trace-path')).toHaveLength(0);
    expect(g.ops.filter((o) => o.tag === 'trace-update').map((o) => o.id).sort()).toEqual(['trace0', 'trace1', 'trace2', 'trace3']);
    const otttSynaptic = forwardGraph(ttLayer(conv, 4, 'stt'), 'ottt', { ...ch, t: 1 }).ops.filter((o) => o.workload.snn).length;
    expect(g.ops.filter((o) => o.workload.snn).length * 2).toBe(otttSynaptic);
  });
  it('reversible: nothing stored per timestep; the backward recomputes the chain and feeds its outputs and membranes on chip', () => {
    const f = forwardGraph(ttLayer(conv, 4, 'stt'), 'reversible', ch);
    expect(f.stores[0].bits).toBe((16 * 8 * 8 * 16 * 4) / 4); // the final membrane only: a 1/T share per timestep
    expect(f.links.every((k) => !k.store)).toBe(true);
    const b = backwardGraph(ttLayer(conv, 4, 'stt'), 'reversible', ch, 0.3);
    expect(b.ops.filter((o) => o.tag === 'recompute').map((o) => o.id)).toEqual(['G1.re', 'G2.re', 'G3.re', 'G4.re']);
    expect(link(b, 'U')).toMatchObject({ from: { op: 'G4.re', tensor: 'State' }, to: [{ op: 'postgrad', tensor: 'Membrane' }] });
    expect(link(b, 'R1').to.map((e) => e.op)).toEqual(['G2.re', 'G2.wgrad']);
    expect(link(b, 'X0').to).toEqual([{ op: 'G1.wgrad', tensor: 'Inputs' }]);
  });
  it('HTT splits T: PTT for the early timesteps, G1 -> G4 for the late ones', () => {
    const l = ttLayer({ ...conv, T: 6 }, 4, 'htt', 2);
    expect(segments(l)).toEqual([{ seg: 'early', T: 2 }, { seg: 'late', T: 4 }]);
    expect(ids(forwardGraph(l, 'bptt', { ...ch, t: 2 }, 'late'))).toEqual(['G1', 'G4']);
    expect(ids(forwardGraph(l, 'bptt', { ...ch, t: 2 }, 'early'))).toEqual(['G1', 'G2', 'G3', 'G2.merge', 'G4']);
  });
});
