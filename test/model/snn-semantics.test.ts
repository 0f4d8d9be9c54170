// SNN tensor semantics of DESIGN.md §2 on one conv layer with T = 2: state carried across timesteps (and spilled
// when T sits above the level that holds it), final-state write-back elision, stateless layers, compute actions,
// psum completion on chip vs spill, membrane accumulation order, 1-bit spike vectors. Expected numbers are derived
// by hand in the comments.
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/model/evaluate.ts';
import { arch, at, levelOf, mapping, ok, rfu, snnConv, type SnnOptions } from '../helpers/build.ts';

// DRAM and Buffer move 64-bit vectors and store each tensor at its own width (1-bit spikes, 8-bit weights, 16-bit
// Psum/State): 64 spikes or 4 state words per vector.
const A = arch([
  { name: 'DRAM', read: 100, write: 120, widthBits: 64, wordBits: null },
  { name: 'Buffer', capacityBits: 1 << 20, read: 2, write: 3, widthBits: 64, wordBits: null },
], { energy: { mac: 1, ac: 0.25, neuron_update: 2 } });

// N1 T2 K4 C2 P4 Q4 R3 S3: MACs 2 x 4 x 2 x 16 x 9 = 2304; |State| = N K P Q = 64; |Psum| = |Outputs| = N T K P Q = 128;
// |Inputs| = 1 x 2 x 2 x 6 x 6 = 144; |Weights| = 72.
const DIMS = { N: 1, T: 2, K: 4, C: 2, P: 4, Q: 4, R: 3, S: 3 };
const MACS = 2304;
const STATE = 64;
const NEURON_STEPS = 128;

// T inner: T innermost at the Buffer, below the reduction loops. T outer: T outermost at DRAM, above a K loop.
const T_INNER = ['K2', 'K2 C2 P4 Q4 R3 S3 T2'];
const T_OUTER = ['T2 K2', 'K2 C2 P4 Q4 R3 S3'];

const run = (maps: string[], o: SnnOptions = {}) => {
  const w = snnConv(DIMS, o);
  return ok(evaluate(A, w, mapping(w, maps)));
};

describe('membrane state across timesteps (psum accumulation)', () => {
  it('T inner: no State traffic off chip (each tile is resident for all timesteps; the final write is elided)', () => {
    // State on the nest without C, R, S: DRAM K2 | Buffer K2 P4 Q4 T2. Each 32-value tile is visited once:
    // DRAM updates 64 - final-write elision 64 = 0, reads 64 - |State| = 0.
    const ev = run(T_INNER);
    expect(rfu(ev, 'DRAM', 'State')).toEqual([0, 0, 0]);
    expect(ev.offchip_bytes_by_tensor.State).toBe(0);
  });

  it('T outer: (T-1)|State| reads and (T-1)|State| updates at DRAM, the final write elided', () => {
    // DRAM T2 > K2: tiles k0, k1, k0, k1 -> 4 x 32 = 128 write-backs, 128 - 64 = 64 re-reads (t = 1).
    // The write-back after the last timestep is dead: 128 - 64 = 64 = (T-1)|State| updates.
    const ev = run(T_OUTER);
    expect(rfu(ev, 'DRAM', 'State')).toEqual([(2 - 1) * STATE, 0, (2 - 1) * STATE]);
    // The Buffer is refilled with the state for t = 1: 64 fills.
    expect(at(ev, 'Buffer', 'State').fills).toBe(STATE);
    // 16-bit words, 4 per 64-bit vector: (16 + 16) vectors x 8 bytes = 256 off-chip bytes.
    expect(ev.offchip_bytes_by_tensor.State).toBe(256);
  });

  it('the neuron unit reads the previous state once per neuron per timestep after t = 0, wherever T sits', () => {
    // N T K P Q = 128 touches at the Buffer, the t = 0 read elided: 128 - 64 = 64 reads.
    expect(at(run(T_INNER), 'Buffer', 'State').reads).toBe(NEURON_STEPS - STATE);
    expect(at(run(T_OUTER), 'Buffer', 'State').reads).toBe(NEURON_STEPS - STATE);
  });

  it('keepFinalState adds |State| updates at DRAM', () => {
    expect(rfu(run(T_INNER, { keepFinalState: true }), 'DRAM', 'State')).toEqual([0, 0, STATE]);
    expect(rfu(run(T_OUTER, { keepFinalState: true }), 'DRAM', 'State')).toEqual([STATE, 0, 2 * STATE]);
  });

  it('T inner is cheaper than T outer: State and Weights stay on chip', () => {
    const inner = run(T_INNER);
    const outer = run(T_OUTER);
    expect(inner.totals.offchip_bytes).toBeLessThan(outer.totals.offchip_bytes);
    // Weights: fetched once (72) vs once per timestep (144).
    expect(at(inner, 'DRAM', 'Weights').reads).toBe(72);
    expect(at(outer, 'DRAM', 'Weights').reads).toBe(144);
  });
});

describe('stateless layers', () => {
  it('a stateless layer has no State tensor and no state traffic', () => {
    for (const m of [T_INNER, T_OUTER]) {
      const ev = run(m, { stateless: true });
      for (const l of ev.levels) expect(l.tensors.State).toBeUndefined();
      expect(ev.offchip_bytes_by_tensor.State ?? 0).toBe(0);
      expect(ev.energy_by_tensor.State ?? 0).toBe(0);
    }
  });

  it('removing the state changes nothing else: the energy drops by exactly the state energy', () => {
    for (const m of [T_INNER, T_OUTER]) {
      const full = run(m);
      const less = run(m, { stateless: true });
      for (const l of ['DRAM', 'Buffer']) {
        for (const t of ['Weights', 'Inputs', 'Psum', 'Outputs']) {
          if (!levelOf(full, l).tensors[t]) continue;
          expect(rfu(less, l, t)).toEqual(rfu(full, l, t));
        }
      }
      expect(full.totals.energy_pJ - less.totals.energy_pJ).toBeCloseTo(full.energy_by_tensor.State, 9);
    }
  });
});

describe('compute actions', () => {
  it('neuron_update runs once per (n, t, k, p, q): N T K P Q = 128', () => {
    for (const m of [T_INNER, T_OUTER]) {
      const ev = run(m);
      expect(ev.compute.neuron_update).toEqual({ count: NEURON_STEPS, energy_pJ: NEURON_STEPS * 2 });
    }
    expect(run(T_INNER, { stateless: true }).compute.neuron_update.count).toBe(NEURON_STEPS);
  });

  it('ac = MACs x input density with zero skipping', () => {
    const ev = run(T_INNER, { density: 0.25 });
    expect(ev.compute.ac).toEqual({ count: MACS * 0.25, energy_pJ: MACS * 0.25 * 0.25 });
    expect(ev.compute.mac).toBeUndefined();
    expect(ev.totals.computes).toBe(576);
  });

  it('zero skipping also skips the operand traffic of the skipped ops (weight reads, partial-sum updates)', () => {
    // density 0.25: of the 2304 synaptic ops at the Buffer (the innermost level), 576 run. Each reads a weight and
    // read-modify-writes its partial sum; the input spikes are still all read (to find the ones). Tiles still move
    // whole: DRAM traffic is unchanged.
    const dense = run(T_INNER, { density: 0.25, zeroSkipping: false });
    const sparse = run(T_INNER, { density: 0.25 });
    expect(at(sparse, 'Buffer', 'Weights').reads).toBe(MACS * 0.25);
    expect(at(sparse, 'Buffer', 'Psum').updates).toBe(MACS * 0.25);
    // reads = updates - |Psum| (first-read elision) + |Psum| (neuron unit)
    expect(at(sparse, 'Buffer', 'Psum').reads).toBe(MACS * 0.25);
    expect(at(sparse, 'Buffer', 'Inputs').reads).toBe(at(dense, 'Buffer', 'Inputs').reads);
    expect(at(dense, 'Buffer', 'Weights').reads).toBe(MACS);
    expect(sparse.offchip_bytes_by_tensor).toEqual(dense.offchip_bytes_by_tensor);
  });

  it('ac = MACs without zero skipping', () => {
    const ev = run(T_INNER, { density: 0.25, zeroSkipping: false });
    expect(ev.compute.ac.count).toBe(MACS);
  });

  it('mac (not ac) when the input is not spiking', () => {
    const ev = run(T_INNER, { density: 0.25, spikingInput: false });
    expect(ev.compute.ac).toBeUndefined();
    expect(ev.compute.mac).toEqual({ count: 576, energy_pJ: 576 });
    expect(run(T_INNER, { spikingInput: false, zeroSkipping: false }).compute.mac.count).toBe(MACS);
  });

  it('total energy = storage + ac + neuron_update', () => {
    const ev = run(T_OUTER, { density: 0.5 });
    let storage = 0;
    for (const l of ev.levels) storage += l.energy_pJ;
    expect(ev.totals.energy_pJ).toBeCloseTo(storage + MACS * 0.5 * 0.25 + NEURON_STEPS * 2, 9);
  });
});

describe('Psum completion', () => {
  it('Psum never reaches DRAM when the reduction completes on chip', () => {
    // All of C, R, S sit below the Buffer boundary (T inner, T outer) or inside K at DRAM (K2 > C2): the completed
    // current is consumed at the Buffer and never written out.
    for (const m of [T_INNER, T_OUTER, ['K2 C2', 'K2 T2 P4 Q4 R3 S3']]) {
      const ev = run(m);
      expect(levelOf(ev, 'DRAM').tensors.Psum).toBeUndefined();
      expect(ev.offchip_bytes_by_tensor.Psum ?? 0).toBe(0);
    }
  });

  it('on chip, the Buffer Psum counts are the accumulations plus one neuron read per element', () => {
    // updates 2304 (one per synaptic op); reads 2304 - 128 (first-read elision) + 128 (neuron unit) = 2304; the
    // Buffer is the outermost level holding Psum: fills 0.
    expect(rfu(run(T_INNER), 'Buffer', 'Psum')).toEqual([MACS, 0, MACS]);
  });

  it('Psum spills to DRAM when a C loop sits above a K loop at DRAM; only partial sums go out', () => {
    // DRAM C2 > K2: the Buffer Psum tile (all t, one K half: 64 values) is visited k0 k1 k0 k1; the partial sums of
    // c = 0 are written out and refilled for c = 1, where the reduction completes in the Buffer. Timeloop would count
    // DRAM updates 4 x 64 = 256 = 2|Psum| and reads 256 - 128 = 128; the completed currents (the c = 1 write-backs)
    // are consumed by the neuron unit at the Buffer and never written out: DRAM updates 256 - 128 = 128, reads 128.
    // Buffer: updates 2304, reads 2304 - 128 (first-read elision) + 128 (neuron unit) = 2304, fills 256 - 128 = 128.
    const ev = run(['C2 K2', 'K2 T2 P4 Q4 R3 S3']);
    expect(rfu(ev, 'DRAM', 'Psum')).toEqual([128, 0, 128]);
    expect(rfu(ev, 'Buffer', 'Psum')).toEqual([MACS, 128, MACS]);
    // 16-bit Psum: (32 + 32) vectors x 8 bytes.
    expect(ev.offchip_bytes_by_tensor.Psum).toBe(512);
  });

  it('under a spatial reduction the completed current is read where the partial sums meet', () => {
    // Three levels, C split across the two register files: the partial sums are reduced into the GlobalBuffer,
    // where each completed current is read once and sent to the neuron unit next to the State.
    const A3 = arch([
      { name: 'DRAM', read: 100, write: 120, widthBits: 64, wordBits: null },
      { name: 'GlobalBuffer', capacityBits: 1 << 20, read: 2, write: 3, widthBits: 64, wordBits: null },
      { name: 'RF', capacityBits: 1 << 16, read: 1, write: 1, widthBits: 16, wordBits: null, instances: 2, meshX: 2 },
    ], { instances: 2, meshX: 2, energy: { mac: 1, ac: 0.25, neuron_update: 2 } });
    const w = snnConv(DIMS);
    const ev = ok(evaluate(A3, w, mapping(w, ['K2', { t: 'K2 T2 P4 Q4', s: { X: 'C2' } }, 'R3 S3'])));
    // Each RF accumulates R S = 9 terms per element (1152 updates, reads 1152 - 128); the two halves of C meet in
    // the network: 256 partial sums arrive at the GlobalBuffer as 128 updates (128 spatial reductions); reads =
    // 128 - 128 (first-read elision) + 128 (neuron unit) = 128; no partial sum goes further out.
    expect(rfu(ev, 'RF', 'Psum')).toEqual([1152 - 128, 0, 1152]);
    expect(rfu(ev, 'GlobalBuffer', 'Psum')).toEqual([128, 0, 128]);
    expect(at(ev, 'GlobalBuffer', 'Psum').spatial_reductions).toBe(128);
    expect(levelOf(ev, 'DRAM').tensors.Psum).toBeUndefined();
  });

  it('with T = 1 the neuron unit still writes the state once per neuron where it is kept', () => {
    const w = snnConv({ ...DIMS, T: 1 });
    const ev = ok(evaluate(A, w, mapping(w, ['K2', 'K2 C2 P4 Q4 R3 S3'])));
    // Innermost keeping level: |State| writes, no reads (at rest); DRAM: the dead final state is not written back.
    expect(rfu(ev, 'Buffer', 'State')).toEqual([0, 0, STATE]);
    expect(rfu(ev, 'DRAM', 'State')).toEqual([0, 0, 0]);
  });
});

describe('membrane accumulation', () => {
  const mem = snnConv(DIMS, { accumulation: 'membrane' });

  it('has no Psum tensor', () => {
    expect(mem.tensors.map((t) => t.name)).toEqual(['Weights', 'Inputs', 'State', 'Outputs']);
  });

  it('a T loop inside a C loop is rejected with stage semantics', () => {
    const r = evaluate(A, mem, mapping(mem, T_INNER));
    expect(r.status).toBe('invalid');
    if (r.status === 'invalid') expect(r.stage).toBe('semantics');
    // Also across levels: C2 at DRAM above T2 at the Buffer.
    const r2 = evaluate(A, mem, mapping(mem, ['C2 K2', 'K2 T2 P4 Q4 R3 S3']));
    expect(r2.status === 'invalid' && r2.stage).toBe('semantics');
  });

  it('T outside every reduction loop is accepted; State is the per-synaptic-op accumulator', () => {
    const ev = ok(evaluate(A, mem, mapping(mem, T_OUTER)));
    // State is read-modify-written by every synaptic op at the Buffer: reads 2304 - |State| 64 = 2240.
    expect(at(ev, 'Buffer', 'State').reads).toBe(MACS - STATE);
    // Every synaptic op writes it back at the Buffer; only the dead final write-back to DRAM is elided.
    expect(at(ev, 'Buffer', 'State').updates).toBe(MACS);
    // Between timesteps the state spills exactly as in psum mode: (T-1)|State| reads at DRAM.
    expect(at(ev, 'DRAM', 'State').reads).toBe(STATE);
  });
});

describe('1-bit spikes and per-tensor word widths', () => {
  const ev = run(T_INNER);

  it('a 64-bit level moves 64 spike words per vector', () => {
    // Outputs: each (n, t, k, p, q) written once: 128 updates -> 2 vectors; Inputs read once: 144 -> ceil(144/64) = 3.
    expect(at(ev, 'DRAM', 'Outputs').word_bits).toBe(1);
    expect(at(ev, 'DRAM', 'Outputs').updates).toBe(NEURON_STEPS);
    expect(at(ev, 'DRAM', 'Outputs').update_vectors).toBe(2);
    expect(at(ev, 'DRAM', 'Inputs').reads).toBe(144);
    expect(at(ev, 'DRAM', 'Inputs').read_vectors).toBe(3);
    expect(ev.offchip_bytes_by_tensor.Outputs).toBe(16);
    expect(ev.offchip_bytes_by_tensor.Inputs).toBe(24);
    // 8-bit weights: 8 per vector: 72 -> 9 vectors.
    expect(at(ev, 'DRAM', 'Weights').read_vectors).toBe(9);
  });

  it('spikes written once: Outputs are never read back', () => {
    expect(rfu(ev, 'DRAM', 'Outputs')).toEqual([0, 0, NEURON_STEPS]);
    expect(rfu(run(T_OUTER), 'DRAM', 'Outputs')).toEqual([0, 0, NEURON_STEPS]);
  });

  it('capacity uses each tensor\'s own bits', () => {
    // Buffer tiles (T inner, one K half): W 2x2x3x3 = 36 x 8 b, I 144 x 1 b, Psum 64 x 16 b, State 32 x 16 b,
    // Outputs 64 x 1 b = 288 + 144 + 1024 + 512 + 64 = 2032 bits.
    expect(levelOf(ev, 'Buffer').capacity_used_bits).toBe(2032);
  });
});

describe('a level narrower than a tensor word', () => {
  // DRAM with an 8-bit bus; State words are 16 bits. T outer: DRAM State reads 64 + updates 64 = 128 words.
  const A8 = arch([
    { name: 'DRAM', read: 100, write: 120, widthBits: 8, wordBits: null },
    { name: 'Buffer', capacityBits: 1 << 20, read: 2, write: 3, widthBits: 64, wordBits: null },
  ], { energy: { mac: 1, ac: 0.25, neuron_update: 2 } });
  const w = snnConv(DIMS);
  const ev = ok(evaluate(A8, w, mapping(w, T_OUTER)));

  it('off-chip bytes use the tensor\'s own bits: 128 words x 2 bytes = 256', () => {
    // DESIGN.md §2: "byte traffic and capacity use each tensor's own bits". The per-level `bytes` field agrees (256).
    // BUG: offchip_bytes_by_tensor.State is 128, because wordsPerVector() clamps floor(8 / 16) = 0 to 1 word per
    // 8-bit vector and the off-chip bytes are counted as vectors x 8 bits: half of every 16-bit word disappears.
    expect(rfu(ev, 'DRAM', 'State')).toEqual([64, 0, 64]);
    expect(at(ev, 'DRAM', 'State').bytes).toBe(256);
    expect(ev.offchip_bytes_by_tensor.State).toBe(256);
  });

  it('each 16-bit word takes two 8-bit accesses', () => {
    // vectors = ceil(64 x 16 / 8) = 128 reads and 128 updates (src reports 64 and 64, halving the DRAM State energy).
    expect(at(ev, 'DRAM', 'State').read_vectors).toBe(128);
    expect(at(ev, 'DRAM', 'State').update_vectors).toBe(128);
  });
});

describe('timestep order of a stateful neuron', () => {
  // DESIGN.md §2: "Timesteps of one neuron run in order." A spatial T loop runs timesteps of the same neuron at the
  // same time on different PEs, so the membrane potential of t = 1 cannot start from the one of t = 0.
  const A3 = arch([
    { name: 'DRAM', read: 100, write: 120, widthBits: 64, wordBits: null },
    { name: 'GlobalBuffer', capacityBits: 1 << 20, read: 2, write: 3, widthBits: 64, wordBits: null },
    { name: 'RF', instances: 8, meshX: 4, capacityBits: 1 << 16, read: 1, write: 1, wordBits: null },
  ], { instances: 8, meshX: 4, energy: { mac: 1, ac: 0.25, neuron_update: 2 } });
  const maps = ['', { t: 'K4', s: { X: 'T2' } }, 'C2 P4 Q4 R3 S3'];

  it('a stateless layer may split T across PEs', () => {
    const w = snnConv(DIMS, { stateless: true });
    expect(evaluate(A3, w, mapping(w, maps)).status).toBe('ok');
  });

  it('a stateful layer with T split across PEs is rejected (or at least still reads the carried state)', () => {
    // Expected: stage 'semantics'. If a model accepts it, the state must still be carried from t = 0 to t = 1:
    // N T K P Q - |State| = 128 - 64 = 64 reads of the previous membrane potential in total at the innermost State
    // level. BUG (src/model/checks.ts has no such check): the mapping is accepted and every level reports 0 State
    // reads (each PE's copy of a neuron's state starts at rest), i.e. the state is silently dropped.
    const w = snnConv(DIMS);
    const r = evaluate(A3, w, mapping(w, maps));
    if (r.status === 'ok') {
      const s = at(r.evaluation, 'RF', 'State');
      expect(s.reads * s.utilized_instances).toBe(NEURON_STEPS - STATE);
    } else {
      expect(r.stage).toBe('semantics');
    }
  });
});
