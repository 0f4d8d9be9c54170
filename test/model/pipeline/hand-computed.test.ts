// Hand-computed pipeline timelines (issue 3). Words are 16 bits unless said otherwise; bandwidths in bits/cycle.
import { describe, expect, it } from 'vitest';
import type { Arch } from '../../../src/arch/types.ts';
import { evaluate } from '../../../src/model/evaluate.ts';
import type { Evaluation } from '../../../src/model/types.ts';
import type { Mapping } from '../../../src/mapping/types.ts';
import type { Workload } from '../../../src/workload/types.ts';
import { arch, fc, mapping, ok, snnConv } from '../../helpers/build.ts';
import { withLevels } from './gen.ts';

const run = (a: Arch, w: Workload, m: Mapping): Evaluation => ok(evaluate(a, w, m, { timing: 'pipeline' }));
const roof = (a: Arch, w: Workload, m: Mapping): Evaluation => ok(evaluate(a, w, m));

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

describe('pipeline timing, hand-computed', () => {
  it('two-level layer: the first fill (prologue) and the last drain (epilogue) are visible', () => {
    // FC N=1 K=2 C=8; DRAM loop K2 (2 outer tiles), Buffer loop C8 (8 compute cycles per tile). DRAM latency 10.
    // Analysis: DRAM reads Weights 16 + Inputs 8, DRAM updates Outputs 2 (one per K tile).
    // Tile 0: fill Weights 8 + Inputs 8 words = 16 cycles on the DRAM read port, lands 10 later: [0, 26].
    //         compute [26, 34]                                             -> prologue 26
    // Tile 1: prefetch (double buffered) Weights 8 words: read port free at 16 -> [16, 24] + 10 = 34.
    //         write-back of tile 0's Outputs, 1 word: [34, 35] + 10 = 45.
    //         compute [34, 42].
    // End:    last write-back, 1 word: [42, 43] + 10 = 53                  -> epilogue 53 - 42 = 11
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
    // The compute waited 26 cycles, all for the first fill from DRAM (Weights and Inputs tie; Weights listed first).
    expect(e.timing.compute_activity!.stall_cycles).toBe(26);
    expect(e.timing.levels![0].stall_cycles).toBe(26);
    expect(e.timing.bottleneck).toBe('DRAM');
    // DRAM ports: 16 + 8 read cycles and 2 write cycles.
    expect(e.timing.levels![0].busy_cycles).toBe(26);
    // Without latency: fill [0,16], compute [16,24]; prefetch [16,24]; drain [24,25]; compute [24,32]; drain [32,33].
    expect(run(twoLevel(0, true), w, m).totals.cycles).toBe(33);
  });

  it('a missing double buffer serializes fill and compute', () => {
    // FC N=1 K=4 C=8, DRAM loop K4 (4 tiles), Buffer loop C8. Per tile: Weights 8 words (8 cycles), compute 8 cycles,
    // Outputs write-back 1 word (1 cycle, on the write port).
    // Single buffer: tile 0 fill 16 (Weights + Inputs) [0,16], compute [16,24]; each later tile: fill waits for the
    //   previous compute: [24,32], write-back [24,25], compute [32,40]; [40,48] [48,56]; [56,64] [64,72];
    //   last write-back [72,73]: 16 + 8 + 3 x (8 + 8) + 1 = 73.
    // Double buffer: each fill overlaps the previous compute: fills [0,16] [16,24] [24,32] [32,40], computes
    //   [16,24] [24,32] [32,40] [40,48], last write-back [48,49]: 16 + 4 x 8 + 1 = 49.
    // Roofline: max(compute 32, DRAM reads 32 + 8 = 40 words, writes 4) = 40.
    const w = fc(1, 4, 8);
    const m = mapping(w, ['K4', 'C8']);
    const single = run(twoLevel(0, false), w, m);
    const double = run(twoLevel(0, true), w, m);
    expect(single.totals.cycles).toBe(73);
    expect(double.totals.cycles).toBe(49);
    expect(roof(twoLevel(0, false), w, m).totals.cycles).toBe(40);
    // Single buffered, the compute waits for every fill: 16 + 3 x 8 = 40 stall cycles, all on DRAM, all Weights
    // except the first fill's (Weights and Inputs tie at 8 words; Weights is listed first).
    expect(single.timing.compute_activity!.stall_cycles).toBe(40);
    expect(single.timing.stall_share_by_tensor!.Weights).toBe(1);
    expect(double.timing.compute_activity!.stall_cycles).toBe(16);
    // The timeline shows the serialization: each fill ends when its compute starts, and starts after the previous.
    const computeLane = single.timing.timeline!.levels.find((l) => l.name === 'compute')!.spans;
    expect(computeLane.map((s) => [s.start, s.end])).toEqual([[16, 24], [32, 40], [48, 56], [64, 72]]);
    const bufferFills = single.timing.timeline!.levels.find((l) => l.name === 'Buffer')!.spans.filter((s) => s.state === 'fill');
    expect(bufferFills.map((s) => [s.start, s.end])).toEqual([[0, 16], [24, 32], [40, 48], [56, 64]]);
  });

  it('a state-spilling SNN layer: the membrane state round trip to DRAM is the bottleneck', () => {
    // SNN conv T=4 K=8 (N=C=P=Q=R=S=1): Weights 8 bit, Inputs 1 bit, Psum/State 16 bit, Outputs 1 bit.
    // DRAM: one shared port of 16 bits/cycle; Buffer: unlimited, single buffered; 1 PE. Mapping DRAM "T4 K2"
    // (T outermost: the State tile of each K half is evicted and re-read every timestep), Buffer "K4".
    // Analysis at DRAM: reads Weights 32 (x8 bit), Inputs 4 (x1), State 24 (x16: t=0 read elided);
    // updates State 24 (x16: final write elided), Outputs 32 (x1). Roofline: (256+4+384 + 384+32) / 16 = 66.25
    // -> 67; the State round trip is 768 of the 1060 bits.
    // Pipeline (8 outer tiles, shares per tile = count / tiles): fill = Weights 4x8 + State 3x16 = 80 bits = 5
    // cycles (+1 Inputs bit = 0.0625 when T advances, tiles 0, 2, 4, 6); write-back = State 3x16 + Outputs 4x1
    // = 52 bits = 3.25 cycles; compute 4 cycles. Single buffered, the compute waits for the write-back of the
    // previous tile (same DRAM port, after the fill) and the fill: tile 0 = 5.0625 + 4 = 9.0625; tiles 1..7 =
    // 7 x (5 + 3.25 + 4) + 3 x 0.0625 = 85.9375; last write-back 3.25: 98.25 -> 99 cycles.
    const w = snnConv({ T: 4, K: 8 });
    const a = arch([
      { name: 'DRAM', read: 1, write: 1, widthBits: 64, wordBits: null, sharedBw: 16 },
      { name: 'Buffer', capacity: null, read: 1, write: 1, widthBits: 64, wordBits: null, offChip: false },
    ], { energy: { ac: 1, neuron_update: 1 } });
    const spill = mapping(w, ['T4 K2', 'K4']);
    const e = run(a, w, spill);
    const dram = e.levels[0].tensors;
    expect([dram.State.reads, dram.State.updates, dram.Weights.reads, dram.Outputs.updates]).toEqual([24, 24, 32, 32]);
    expect(e.timing.roofline_cycles).toBe(67);
    expect(e.totals.cycles).toBe(99);
    expect(e.timing.prologue_cycles).toBeCloseTo(5.0625, 3);
    expect(e.timing.epilogue_cycles).toBeCloseTo(3.25, 3);
    expect(e.timing.bottleneck).toBe('DRAM');
    // Every compute stall is charged to State (the largest part of each fill and each write-back).
    expect(e.timing.stall_share_by_tensor!.State).toBe(1);
    expect(e.timing.compute_activity!.stall_cycles).toBeCloseTo(98.25 - 32 - 3.25, 3);
    // T innermost at DRAM ("K2 T4"): the state stays on chip, no round trip; the compute array sets the pace.
    const resident = run(a, w, mapping(w, ['K2 T4', 'K4']));
    expect(resident.levels[0].tensors.State.reads).toBe(0);
    expect(resident.totals.cycles).toBeLessThan(e.totals.cycles / 2);
    expect(resident.timing.bottleneck).toBe('compute');
    expect(resident.timing.stall_share_by_tensor!.State).toBe(0);
  });
});
