// Small networks and archs for schedule tests, written as YAML so they go through the real parsers.
import { parseArch } from '../../src/spec/arch.ts';
import { parseNetwork } from '../../src/spec/network.ts';
import type { Arch } from '../../src/arch/types.ts';
import { makeSim } from '../../src/schedule/simulate.ts';
import type { ScheduleSim } from '../../src/schedule/block-sim.ts';
import { newLevelStats, type LayerCost, type LayerCostFn, type ScheduleOptions } from '../../src/schedule/types.ts';
import type { Network } from '../../src/workload/network.ts';
import { tensorSize } from '../../src/workload/types.ts';

export function arch(gbBits: number): Arch {
  const r = parseArch(
    `arch:
  name: tiny
  clock_mhz: 100
  levels:
    - { name: DRAM, kind: dram, width: 8, energy: { read: 80, write: 96 }, bandwidth: { shared: 8 } }
    - { name: GB, capacity_bits: ${gbBits}, width: 8, energy: { read: 1, write: 2 } }
    - { name: Reg, capacity_bits: 1000000, width: 8, energy: { read: 0.1, write: 0.1 } }
  compute: { name: PE, instances: 1, energy: { ac: 0.5, mac: 1, neuron_update: 0.25 } }
`,
    'tiny.yaml',
  );
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return r.value;
}

/** A tiny three-level arch (DRAM, an 800-bit global buffer, a large register file) for CLI runs of TWO_LAYER. */
export const TINY_ARCH = `arch:
  name: tiny
  clock_mhz: 100
  levels:
    - { name: DRAM, kind: dram, width: 8, energy: { read: 80, write: 96 }, bandwidth: { shared: 8 } }
    - { name: GB, capacity_bits: 800, width: 8, energy: { read: 1, write: 2 } }
    - { name: Reg, capacity_bits: 1000000, width: 8, energy: { read: 0.1, write: 0.1 } }
  compute: { name: PE, instances: 1, energy: { ac: 0.5, mac: 1, neuron_update: 0.25 } }
`;

/**
 * Two 1x1 convs on an 8-row x 16-column, 1-channel spike input, T = 2, every precision 1 bit (so bit counts are
 * easy to follow by hand): a (stateful, 4 channels) -> b (stateless, 4 channels), one block.
 *   per row: input 16 bits per timestep; a's output 4*16*b bits; a's state 4*16 = 64 bits; psum 4*16*b bits;
 *   weights: a 4 bits, b 16 bits.
 */
export const TWO_LAYER = `network:
  name: two-layer
  timesteps: 2
  defaults: { precision: { weights: 1, state: 1, psum: 1, spikes: 1 }, spike_rate: 0.5 }
  input: { name: x, shape: [1, 8, 16], bits: 1, density: 0.5 }
  layers:
    - { name: a, op: conv, input: x, channels: 4, kernel: 1 }
    - { name: b, op: conv, input: a, channels: 4, kernel: 1, stateful: false }
  blocks:
    - { name: blk, layers: [a, b] }
`;

export function net(text: string, file = 'net.yaml'): Network {
  const r = parseNetwork(text, file);
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return r.value;
}

export interface FlatCostOptions {
  /** Energy of the carried-state parts of every stateful chunk (to count how often they are charged). */
  readonly stateIn?: number;
  readonly stateOut?: number;
  /** The chunk keeps its whole partial sum in the buffer (psum bits of the chunk). */
  readonly psumInBuffer?: boolean;
}

/** A layer model stand-in: no on-chip energy, one cycle per chunk, computes = dense ops of the chunk. */
export function flatCostFn(o: FlatCostOptions = {}): LayerCostFn {
  return (w) => {
    let ops = 1;
    for (const s of w.sizes) ops *= s;
    const stateful = w.tensors.some((t) => t.role === 'state');
    const psum = w.tensors.find((t) => t.role === 'psum');
    const cost: LayerCost = {
      base: newLevelStats(3), stateIn: null, stateOut: null, weightLoad: null,
      energy: { base: 0, stateIn: stateful ? (o.stateIn ?? 0) : 0, stateOut: stateful ? (o.stateOut ?? 0) : 0, weightLoad: 0 },
      compute: { ac: { count: ops, energy_pJ: ops } }, computeEnergy: ops, computes: ops, cycles: 1,
      psumBits: o.psumInBuffer && psum ? tensorSize(w, psum) * psum.bits : 0,
    };
    return { ok: true, cost };
  };
}

export const flatCost: LayerCostFn = flatCostFn();

export function sim(n: Network, a: Arch, cost: LayerCostFn = flatCost, o: ScheduleOptions = {}): ScheduleSim {
  const s = makeSim(n, a, cost, o);
  if (typeof s === 'string') throw new Error(s);
  return s;
}
