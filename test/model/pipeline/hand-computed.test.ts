// Hand-computed pipeline timelines (issue 3). Words are 16 bits unless said otherwise; bandwidths in bits/cycle.
// Conventions of the model (README "Timing models"): a fill's data flows `latency` cycles after its request; a
// write-back leaves at port speed (its buffer is free then) and lands `latency` later; jobs due at the same step
// go compute-side first (phase), write-backs before fills, then by level and by tensor order.
import { describe, expect, it } from 'vitest';
import type { Arch } from '../../../src/arch/types.ts';
import { evaluate } from '../../../src/model/evaluate.ts';
import type { Evaluation } from '../../../src/model/types.ts';
import type { Mapping } from '../../../src/mapping/types.ts';
import type { Workload } from '../../../src/workload/types.ts';
import { arch, conv, fc, mapping, ok, snnConv } from '../../helpers/build.ts';
import { withLevels } from './gen.ts';

const run = (a: Arch, w: Workload, m: Mapping): Evaluation => ok(evaluate(a, w, m, { timing: 'pipeline' }));
const roof = (a: Arch, w: Workload, m: Mapping): Evaluation => ok(evaluate(a, w, m));
const lane = (e: Evaluation, name: string) => e.timing.timeline!.levels.find((l) => l.name === name)!.spans;
const level = (e: Evaluation, name: string) => e.timing.levels!.find((l) => l.name === name)!;

/** DRAM (read/write ports of 16 bits/cycle = 1 word/cycle, latency) -> Buffer (unlimited ports) -> 1 PE. */
function twoLevel(latency: number, doubleBuffered: boolean): Arch {
  return withLevels(
    arch([
      { name: 'DRAM', read: 1, write: 1, readBw: 16, writeBw: 16 },
      { name: 'Buffer', capacity: null, read: 1, write: 1, offChip: false },
    ], { energy: { mac: 1 } }),
    (l, e) => ({ ...l, latencyCycles: e === 0 ? latency : 0, doubleBuffered: e === 1 && doubleBuffered }),
  );
}

/** DRAM -> Buffer -> 1 PE for SNN layers, each tensor at its own width; `dram` sets DRAM's ports. */
function snnTwoLevel(dram: { readBw?: number; writeBw?: number; sharedBw?: number }, doubleBuffered: boolean, neuron: { latency?: number; throughput?: number } = {}): Arch {
  const a = arch([
    { name: 'DRAM', read: 1, write: 1, widthBits: 64, wordBits: null, ...dram },
    { name: 'Buffer', capacity: null, read: 1, write: 1, widthBits: 64, wordBits: null, offChip: false },
  ], { energy: { ac: 1, neuron_update: 1 } });
  const b = withLevels(a, (l) => ({ ...l, doubleBuffered }));
  return { ...b, compute: { ...b.compute, neuronLatencyCycles: neuron.latency ?? 0, neuronThroughput: neuron.throughput ?? null } };
}

describe('pipeline timing, hand-computed', () => {
  it('two-level layer: the first fill (prologue) and the last drain (epilogue) are visible', () => {
    // FC N=1 K=2 C=8; DRAM loop K2 (2 outer tiles), Buffer loop C8 (8 compute cycles per tile). DRAM latency 10,
    // Buffer double buffered. Tiles at Buffer: Weights C8 (8 words, new every tile), Inputs C8 (one tile), Outputs
    // 1 word (new every tile, written back).
    // Tile 0: Weights and Inputs requested at 0, data from 10: read port [10,18] Weights, [18,26] Inputs.
    //         compute [26,34]                                                      -> prologue 26
    // Tile 1's Weights (the second buffer is free from 0) take the read port's idle time [26,34]: land at 34.
    //         compute [34,42]; tile 0's Outputs leave [34,35], land 45.
    // End:    tile 1's Outputs [42,43] + 10 = 53                                  -> epilogue 53 - 42 = 11
    // Roofline: max(compute 16, DRAM reads 24 words, writes 2 words) = 24.
    const w = fc(1, 2, 8);
    const m = mapping(w, ['K2', 'C8']);
    const e = run(twoLevel(10, true), w, m);
    expect(e.totals.cycles).toBe(53);
    expect(e.timing.prologue_cycles).toBe(26);
    expect(e.timing.epilogue_cycles).toBe(11);
    expect(e.timing.roofline_cycles).toBe(24);
    expect(roof(twoLevel(10, true), w, m).totals.cycles).toBe(24);
    expect(e.timing.outer_tiles).toBe(2);
    expect(lane(e, 'compute').map((s) => [s.start, s.end])).toEqual([[26, 34], [34, 42]]);
    // The compute waited 26 cycles, all for DRAM: the latency of the fill it waited for last (Inputs, 10) and the
    // read port's time, split by what it carried meanwhile (Weights 8, Inputs 8).
    expect(e.timing.compute_activity!.stall_cycles).toBe(26);
    expect(level(e, 'DRAM').stall_cycles).toBe(26);
    expect(e.timing.stall_share_by_tensor!.Inputs).toBeCloseTo(18 / 26, 3);
    expect(e.timing.stall_share_by_tensor!.Weights).toBeCloseTo(8 / 26, 3);
    expect(e.timing.bottleneck).toBe('DRAM');
    // DRAM busy: union of its ports' busy time = 8 + 8 + 8 reads + 2 writes.
    expect(level(e, 'DRAM').busy_cycles).toBe(26);
    // Without latency: fills [0,8] [8,16], compute [16,24]; tile 1's Weights [16,24]; compute [24,32]; last
    // write-back [32,33].
    expect(run(twoLevel(0, true), w, m).totals.cycles).toBe(33);
  });

  it('a missing double buffer serializes fill and compute', () => {
    // FC N=1 K=4 C=8, DRAM loop K4 (4 tiles), Buffer loop C8. Per tile: Weights 8 words (8 cycles), compute 8,
    // Outputs write-back 1 word (1 cycle on the write port).
    // Single buffer: tile 0 fills [0,8] [8,16], compute [16,24]; each later tile's Weights can only come once the
    //   previous compute freed the buffer: [24,32] compute [32,40]; [40,48] [48,56]; [56,64] [64,72]; last
    //   write-back [72,73]: 16 + 8 + 3 x (8 + 8) + 1 = 73.
    // Double buffer: the next tile's Weights come during the previous compute: computes [16,24] [24,32] [32,40]
    //   [40,48], last write-back [48,49]: 16 + 4 x 8 + 1 = 49.
    // Roofline: max(compute 32, DRAM reads 32 + 8 = 40 words, writes 4) = 40.
    const w = fc(1, 4, 8);
    const m = mapping(w, ['K4', 'C8']);
    const single = run(twoLevel(0, false), w, m);
    const double = run(twoLevel(0, true), w, m);
    expect(single.totals.cycles).toBe(73);
    expect(double.totals.cycles).toBe(49);
    expect(roof(twoLevel(0, false), w, m).totals.cycles).toBe(40);
    // Single buffered, the compute waits for every fill: 16 + 3 x 8 = 40 stall cycles, all on DRAM: Weights 8 of
    // the first 16 (the read port carried Weights [0,8] and Inputs [8,16]) and all 24 later ones.
    expect(single.timing.compute_activity!.stall_cycles).toBe(40);
    expect(single.timing.stall_share_by_tensor!.Weights).toBeCloseTo(32 / 40, 6);
    expect(double.timing.compute_activity!.stall_cycles).toBe(16);
    // The timeline shows the serialization: each later fill starts when the previous compute ends.
    expect(lane(single, 'compute').map((s) => [s.start, s.end])).toEqual([[16, 24], [32, 40], [48, 56], [64, 72]]);
    const fills = lane(single, 'Buffer').filter((s) => s.state === 'fill').map((s) => [s.start, s.end]);
    expect(fills).toEqual([[0, 8], [0, 16], [24, 32], [40, 48], [56, 64]]);
  });

  it('a state-spilling SNN layer: the membrane state round trip to DRAM is the bottleneck', () => {
    // SNN conv T=4 K=8 (N=C=P=Q=R=S=1): Weights 8 bit, Inputs 1 bit, Psum/State 16 bit, Outputs 1 bit. DRAM: one
    // shared port of 16 bits/cycle; Buffer unlimited, single buffered; 1 PE; the neuron unit is free (no latency
    // or throughput set). Mapping DRAM "T4 K2" (T outermost: each K half's State tile is written back and read
    // again every timestep), Buffer "K4": 8 tiles of 4 compute cycles.
    // Per tile on the DRAM port: Weights 4 x 8 = 32 bits (2 cycles); Inputs 1 bit (0.0625) when T advances; State
    // 4 x 16 = 64 bits in (4 cycles) except at t=0 (the state starts at rest) and out (4 cycles) except at t=3
    // (the final state is dead); spikes 4 x 1 bit out (0.25).
    // Tile 0: Weights [0,2] Inputs [2,2.0625], compute [2.0625,6.0625]          -> prologue 2.0625 (= 33 bits)
    // Tile 1: Weights [6.0625,8.0625] (single buffer: after tile 0's compute), compute [8.0625,12.0625]; the
    //   neuron unit's buffers: tile 0's State out [8.0625,12.0625], spikes out [12.0625,12.3125].
    // From then on the port never idles: per tile Weights, (Inputs), State out, State in, spikes out.
    //   Total port time = (256 + 4 + 384 + 384 + 32) / 16 = 66.25 cycles, idle only during tile 0's compute (4):
    //   end = 70.25 -> 71 cycles. The last compute ends at 69.75; then tile 6's spikes and the final spikes
    //   (0.25 each) -> epilogue 0.5 (no final State write).
    // Roofline: 1060 / 16 = 66.25 -> 67.
    const w = snnConv({ T: 4, K: 8 });
    const a = snnTwoLevel({ sharedBw: 16 }, false);
    const spill = mapping(w, ['T4 K2', 'K4']);
    const e = run(a, w, spill);
    const dram = e.levels[0].tensors;
    expect([dram.State.reads, dram.State.updates, dram.Weights.reads, dram.Outputs.updates]).toEqual([24, 24, 32, 32]);
    expect(e.timing.roofline_cycles).toBe(67);
    expect(e.totals.cycles).toBe(71);
    expect(e.timing.prologue_cycles).toBeCloseTo(2.0625, 2);
    expect(e.timing.epilogue_cycles).toBeCloseTo(0.5, 3);
    expect(lane(e, 'compute').slice(0, 4).map((s) => [s.start, s.end])).toEqual([[2.063, 6.063], [8.063, 12.063], [14.375, 18.375], [24.625, 28.625]]);
    expect(level(e, 'DRAM').busy_cycles).toBe(66.25);
    expect(e.timing.bottleneck).toBe('DRAM');
    // The compute waits 70.25 - 32 - 0.5 cycles, mostly behind the State traffic on the DRAM port.
    expect(e.timing.compute_activity!.stall_cycles).toBeCloseTo(37.75, 3);
    const share = e.timing.stall_share_by_tensor!;
    expect(share.State).toBeGreaterThan(share.Weights);
    expect(share.State).toBeGreaterThan(0.5);
    // T innermost at DRAM ("K2 T4"): the state stays on chip, no round trip; the compute array sets the pace.
    const resident = run(a, w, mapping(w, ['K2 T4', 'K4']));
    expect(resident.levels[0].tensors.State.reads).toBe(0);
    expect(resident.totals.cycles).toBeLessThan(e.totals.cycles / 1.5);
    expect(resident.timing.bottleneck).toBe('compute');
    expect(resident.timing.stall_share_by_tensor!.State).toBe(0);
  });

  it('a sliding window: the first tile is a full halo, later tiles only the new row', () => {
    // conv P=16 R=3 (K=C=1), DRAM loop P16, Buffer loop R3, Buffer double buffered, DRAM 1 word/cycle each way.
    // Inputs tile h in [p, p+2]: 3 words for the first tile, then 1 new word per tile (the window slides by 1).
    // Tile 0: Weights 3 words [0,3], Inputs 3 words [3,6]; compute [6,9]                -> prologue 6
    // Tile j: its 1 new Inputs word comes during tile j-1's compute; computes back to back, 3 cycles each.
    // End: last compute 6 + 16 x 3 = 54, last Outputs word [54,55]                     -> 55, epilogue 1
    // Roofline: max(compute 48, reads 3 + 18 = 21, writes 16) = 48.
    const w = conv({ P: 16, R: 3 });
    const e = run(twoLevel(0, true), w, mapping(w, ['P16', 'R3']));
    expect(e.levels[1].tensors.Inputs.fills).toBe(18);
    expect(e.timing.prologue_cycles).toBe(6);
    expect(e.totals.cycles).toBe(55);
    expect(e.timing.epilogue_cycles).toBe(1);
    expect(e.timing.roofline_cycles).toBe(48);
    expect(e.timing.compute_activity!.stall_cycles).toBe(6);
  });

  it('a saturated DRAM port is the bottleneck, and the compute waits for it', () => {
    // FC N=256 K=1 C=8, DRAM "N256", Buffer "C8" double buffered; DRAM read 8 bits/cycle: each tile's Inputs
    // (8 x 16 bits) take 16 cycles for 8 compute cycles (2x). Roofline: reads (8 + 2048) x 16 / 8 = 4112 > 2048.
    // Pipeline: the read port never idles after the start (4112 cycles of reads), then the last tile's compute
    // (8, after its Inputs land at 4112) and its Outputs word (1): 4121.
    const w = fc(256, 1, 8);
    const a = withLevels(arch([
      { name: 'DRAM', read: 1, write: 1, readBw: 8, writeBw: 16 },
      { name: 'Buffer', capacity: null, read: 1, write: 1, offChip: false },
    ], { energy: { mac: 1 } }), (l) => ({ ...l, doubleBuffered: true }));
    const m = mapping(w, ['N256', 'C8']);
    const e = run(a, w, m);
    expect(e.timing.roofline_cycles).toBe(4112);
    expect(roof(a, w, m).timing.bottleneck).toBe('DRAM');
    expect(e.totals.cycles).toBe(4121);
    expect(e.timing.bottleneck).toBe('DRAM');
    expect(level(e, 'DRAM').busy_cycles).toBe(4113);
    // Compute busy 2048 + stall 2072 + the final write-back 1 = 4121.
    expect(e.timing.compute_activity!.stall_cycles).toBe(2072);
    expect(level(e, 'DRAM').stall_cycles).toBe(2072);
    expect(e.timing.stall_share_by_tensor!.Inputs).toBeGreaterThan(0.99);
    // At 1.2x (read 13 bits/cycle) DRAM still sets the pace: the bottleneck does not flip to the compute array.
    const faster = withLevels(a, (l, i) => (i === 0 ? { ...l, readBandwidth: 13 } : l));
    expect(run(faster, w, m).timing.bottleneck).toBe('DRAM');
  });

  it('a compute stretched by its operand traffic is a stall of that port', () => {
    // FC N=K=1 C=64 all in one tile, Buffer one shared port of 16 bits/cycle, DRAM unlimited. Fills into the
    // Buffer: Weights 64 + Inputs 64 words = 128 cycles (prologue). The compute's own traffic at the Buffer:
    // Weights 64 + Inputs 64 reads, Outputs 64 updates + 63 reads (the first accumulation reads nothing) =
    // 255 words = 255 cycles for 64 compute cycles: the compute runs [128, 383], 191 cycles longer than it would.
    // Roofline: (2048 + 4080) / 16 = 383.
    const w = fc(1, 1, 64);
    const a = arch([
      { name: 'DRAM', read: 1, write: 1 },
      { name: 'Buffer', capacity: null, read: 1, write: 1, offChip: false, sharedBw: 16 },
    ], { energy: { mac: 1 } });
    const e = run(a, w, mapping(w, ['', 'C64']));
    expect(e.totals.cycles).toBe(383);
    expect(e.timing.roofline_cycles).toBe(383);
    expect(e.timing.prologue_cycles).toBe(128);
    expect(lane(e, 'compute').map((s) => [s.start, s.end])).toEqual([[128, 383]]);
    expect(e.timing.compute_activity!.stall_cycles).toBe(128 + 191);
    expect(level(e, 'Buffer').stall_cycles).toBe(128 + 191);
    expect(e.timing.bottleneck).toBe('Buffer');
  });

  it('a write-back frees its buffer when it has left, not when it has landed (posted write)', () => {
    // FC N=2 K=1 C=8, DRAM "N2" (2 tiles), Buffer "C8" single buffered, keeps Weights and Outputs (Inputs are read
    // from DRAM directly, unlimited read port); DRAM write port 16 bits/cycle, latency 20.
    // Tile 0: Weights requested at 0, land at 20; compute [20,28].
    // Tile 1: tile 0's Outputs leave [28,29] (land 49); the buffer is free at 29: compute [29,37].
    // End: tile 1's Outputs [37,38] + 20 = 58.
    const w = fc(2, 1, 8);
    const a = withLevels(arch([
      { name: 'DRAM', read: 1, write: 1, writeBw: 16 },
      { name: 'Buffer', capacity: null, read: 1, write: 1, offChip: false },
    ], { energy: { mac: 1 } }), (l, e) => ({ ...l, latencyCycles: e === 0 ? 20 : 0 }));
    const e = run(a, w, mapping(w, ['N2', { t: 'C8', bypass: ['Inputs'] }]));
    expect(lane(e, 'compute').map((s) => [s.start, s.end])).toEqual([[20, 28], [29, 37]]);
    expect(e.totals.cycles).toBe(58);
    expect(e.timing.epilogue_cycles).toBe(21);
  });
});

describe('pipeline timing, neuron unit (hand-computed)', () => {
  // snnConv K C T, DRAM and Buffer unlimited, zero memory latency, everything double buffered, 1 PE. The neuron
  // unit starts its updates in the order their reductions complete; one update of a neuron (timestep t+1) starts
  // after the previous one of the same neuron (t) has its result: the membrane potential is carried over.

  it('latency is exposed once when other neurons fill the gap between timesteps of one neuron', () => {
    // K=16 C=4 T=2, DRAM "T2 K16" (T outermost), Buffer "C4": 32 tiles of 4 cycles, back to back (128). Each
    // update starts at its compute's end; neuron k's t=1 update (at 64 + 4k + 4) comes long after its t=0 result
    // (4k + 4 + 50). The last result lands at 128 + 50 = 178.
    const w = snnConv({ K: 16, C: 4, T: 2 });
    const e = run(snnTwoLevel({}, true, { latency: 50 }), w, mapping(w, ['T2 K16', 'C4']));
    expect(e.totals.cycles).toBe(178);
    expect(e.timing.epilogue_cycles).toBe(50);
    expect(e.timing.compute_activity!.stall_cycles).toBe(0);
    expect(e.timing.bottleneck).toBe('compute');
  });

  it('latency serializes the timesteps of one neuron when they are adjacent', () => {
    // K=4 C=4 T=2, DRAM "K4 T2" (T innermost): updates u0..u7 alternate t=0 and t=1 of one neuron. u0 at 4 ->
    // 54; u1 waits for u0's result: 54 -> 104; u2 (in order) starts with u1: 54 -> 104; u3 waits for u2: 104 ->
    // 154; ...; u7: 204 -> 254. The psum buffers (two) fill up: tile 3's compute waits until u1 has read tile 1's
    // psum (54), tile 5's until 104, tile 7's until 154: 3 x 42 stall cycles, caused by the neuron unit and, at
    // their root, by the State dependency.
    const w = snnConv({ K: 4, C: 4, T: 2 });
    const e = run(snnTwoLevel({}, true, { latency: 50 }), w, mapping(w, ['K4 T2', 'C4']));
    expect(e.totals.cycles).toBe(254);
    expect(lane(e, 'compute').map((s) => s.start)).toEqual([0, 4, 8, 54, 58, 104, 108, 154]);
    expect(lane(e, 'neuron').map((s) => s.start)).toEqual([4, 54, 54, 104, 104, 154, 154, 204]);
    expect(e.timing.compute_activity!.stall_cycles).toBe(126);
    expect(e.timing.compute_activity!.neuron_stall_cycles).toBe(126);
    expect(e.timing.stall_share_by_tensor!.State).toBe(1);
    expect(e.timing.bottleneck).toBe('neuron');
    // T outermost ("T2 K4"): only the last result's latency shows: 32 + 50.
    expect(run(snnTwoLevel({}, true, { latency: 50 }), w, mapping(w, ['T2 K4', 'C4'])).totals.cycles).toBe(82);
  });

  it('a slow neuron unit is the bottleneck and holds the psum buffers', () => {
    // K=4 C=4 T=2, "K4 T2", throughput 0.05 updates/cycle/PE, no latency: one update per tile, 20 cycles each,
    // back to back from 4: u_n in [4 + 20n, 24 + 20n]; the last ends at 164. Tile n's compute (n >= 2) needs
    // the psum buffer of tile n-2, free when u_{n-2} has read it (24 + 20(n-2)): tiles 2..7 each wait 16 cycles.
    const w = snnConv({ K: 4, C: 4, T: 2 });
    const e = run(snnTwoLevel({}, true, { throughput: 0.05 }), w, mapping(w, ['K4 T2', 'C4']));
    expect(e.totals.cycles).toBe(164);
    expect(e.timing.compute_activity!.neuron_busy_cycles).toBe(160);
    expect(e.timing.compute_activity!.stall_cycles).toBe(96);
    expect(e.timing.bottleneck).toBe('neuron');
    expect(e.timing.stall_share_by_tensor!.Psum).toBe(1);
  });
});
