// Hand-computed off-chip traffic of a two-layer network (fixtures.ts) under the schedule evaluator.
import { describe, expect, it } from 'vitest';
import { evaluateSchedule } from '../../src/schedule/simulate.ts';
import type { BlockSchedule, NetworkScheduleResult } from '../../src/schedule/types.ts';
import { arch, flatCost, net, TWO_LAYER } from './fixtures.ts';

function run(gbBits: number, block: BlockSchedule, stemsCompat = false): NetworkScheduleResult {
  const r = evaluateSchedule(net(TWO_LAYER), arch(gbBits), { blocks: [block] }, flatCost, { stemsCompat });
  if (!r.ok) throw new Error(r.reason);
  return r.result;
}

const BIG = 1_000_000;
// weights a 4 + b 16 bits; input 8 rows x 2 timesteps x 16 bits; b's outputs (network output) 8 x 4 x 16 x 2 bits
const WEIGHT_BYTES = 20 / 8;
const COMPULSORY_SPIKE_BYTES = (256 + 1024) / 8;

describe('two-layer network, hand-computed traffic', () => {
  it('with a large buffer every schedule moves only the compulsory bytes', () => {
    for (const block of [
      { timeBatch: 1, tileRows: null },
      { timeBatch: 2, tileRows: null },
      { timeBatch: 1, tileRows: 1 },
      { timeBatch: 2, tileRows: 1 },
      { timeBatch: 2, tileRows: 3 },
    ]) {
      const t = run(BIG, block).totals;
      expect(t.offchip_bytes_by_kind).toEqual({ weights: WEIGHT_BYTES, spikes: COMPULSORY_SPIKE_BYTES, activations: 0, psums: 0, state: 0 });
      expect(t.streamed_ops).toBe(0);
    }
  });

  it('time-batched whole-layer with an 800-bit buffer evicts 5 rows of a (written and read back), fused does not', () => {
    // Whole layer: a's rows 4..7 each evict one older output row (O0..O3), b's first op evicts O4: 5 rows of
    // 4 x 16 x 2 bits written back and reloaded.
    const whole = run(800, { timeBatch: 2, tileRows: null }).totals;
    expect(whole.offchip_bytes_by_kind.spikes).toBe(COMPULSORY_SPIKE_BYTES + (2 * 5 * 128) / 8);
    expect(whole.offchip_bytes_by_kind.weights).toBe(WEIGHT_BYTES);
    expect(whole.offchip_bytes_by_kind.state).toBe(0); // time-batched: a state row is dead after its only op
    expect(whole.peak_onchip_bytes * 8).toBeLessThanOrEqual(800);
    // Fused, one row at a time: a's row is consumed by b right away; nothing is evicted.
    const fused = run(800, { timeBatch: 2, tileRows: 1 }).totals;
    expect(fused.offchip_bytes_by_kind.spikes).toBe(COMPULSORY_SPIKE_BYTES);
    expect(fused.offchip_bytes).toBe(WEIGHT_BYTES + COMPULSORY_SPIKE_BYTES);
    expect(fused.peak_onchip_bytes * 8).toBe(404); // Wa 4 + Wb 16 + a's row 128 + psum 128 + b's output 128
  });

  it('spilled state moves 2 x rows x (T/b - 1) state rows: step by step pays, time-batched does not', () => {
    const spill = { 0: 'spill' } as const;
    const st = run(BIG, { timeBatch: 1, tileRows: null, state: spill }).totals;
    expect(st.offchip_bytes_by_kind.state).toBe((2 * 8 * 64 * 1) / 8);
    const tb = run(BIG, { timeBatch: 2, tileRows: null, state: spill }).totals;
    expect(tb.offchip_bytes_by_kind.state).toBe(0);
    const auto = run(BIG, { timeBatch: 1, tileRows: null }).totals;
    expect(auto.offchip_bytes_by_kind.state).toBe(0);
  });

  it('stateless what-if removes the state footprint', () => {
    const r = run(BIG, { timeBatch: 1, tileRows: null, state: { 0: 'stateless' } });
    expect(r.totals.state_bytes).toBe(0);
    expect(r.layers[0].state_placement).toBe('stateless');
    expect(run(BIG, { timeBatch: 1, tileRows: null }).totals.state_bytes).toBe((8 * 64) / 8);
  });

  it('STEMS compatibility reads the state from DRAM first and writes it back at the end', () => {
    for (const block of [{ timeBatch: 1, tileRows: null }, { timeBatch: 2, tileRows: 1 }]) {
      const t = run(BIG, block, true).totals;
      expect(t.offchip_bytes_by_kind.state).toBe((2 * 8 * 64) / 8);
    }
  });

  it('an on-chip state that cannot fit makes the schedule infeasible instead of exceeding the buffer', () => {
    const r = evaluateSchedule(net(TWO_LAYER), arch(300), { blocks: [{ timeBatch: 1, tileRows: null, state: { 0: 'onchip' } }] }, flatCost);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/state of a .*does not fit/);
  });

  it('a buffer smaller than an op streams through DRAM and never exceeds its capacity', () => {
    const t = run(200, { timeBatch: 2, tileRows: null }).totals;
    expect(t.streamed_ops).toBeGreaterThan(0);
    expect(t.peak_onchip_bytes * 8).toBeLessThanOrEqual(200);
    expect(t.offchip_bytes).toBeGreaterThan(WEIGHT_BYTES + COMPULSORY_SPIKE_BYTES);
  });

  it('rejects a time batch that does not divide T', () => {
    const r = evaluateSchedule(net(TWO_LAYER), arch(BIG), { blocks: [{ timeBatch: 3, tileRows: null }] }, flatCost);
    expect(r.ok).toBe(false);
  });
});
