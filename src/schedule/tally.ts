/** Accumulates a schedule simulation's costs: per layer and in total, energy by level / tensor / action, traffic. */
import type { Arch } from '../arch/types.ts';
import type { Network } from '../workload/network.ts';
import type { LayerCost, LayerScheduleResult, NetworkSchedule, NetworkScheduleResult, StatePlacement, TrafficKind } from './types.ts';
import { TRAFFIC_KINDS } from './types.ts';

interface LayerAcc {
  energy: number;
  cycles: number;
  computes: number;
  offchip: Record<TrafficKind, number>;
}

const zeroKinds = (): Record<TrafficKind, number> => ({ weights: 0, spikes: 0, activations: 0, psums: 0, state: 0 });

export interface LayerStatic {
  readonly state_bytes: number;
  readonly weight_bytes: number;
  readonly output_bytes: number;
  readonly ops_dense: number;
  readonly placement: StatePlacement;
}

export class Tally {
  dramBits = 0;
  private readonly layers: LayerAcc[];
  private readonly byLevel: Record<string, number> = {};
  private readonly byTensor: Record<string, number> = {};
  private readonly compute: Record<string, { count: number; energy_pJ: number }> = {};
  private totalCycles = 0;
  private dramBoundCycles = 0;
  private readonly dramBw: number;

  constructor(
    private readonly net: Network,
    private readonly arch: Arch,
    private readonly gbIndex: number,
  ) {
    this.layers = net.layers.map(() => ({ energy: 0, cycles: 0, computes: 0, offchip: zeroKinds() }));
    for (const l of arch.levels) this.byLevel[l.name] = 0;
    const d = arch.levels[gbIndex - 1];
    this.dramBw = d.sharedBandwidth ?? d.readBandwidth ?? d.widthBits;
  }

  private add(rec: Record<string, number>, k: string, v: number): void {
    rec[k] = (rec[k] ?? 0) + v;
  }

  /** One DRAM <-> buffer transfer of `bits`. */
  traffic(bits: number, kind: TrafficKind, dir: 'load' | 'store', layer: number): void {
    if (bits <= 0) return;
    const dram = this.arch.levels[this.gbIndex - 1];
    const gb = this.arch.levels[this.gbIndex];
    const dv = Math.ceil(bits / dram.widthBits);
    const gv = Math.ceil(bits / gb.widthBits);
    const ed = dv * (dir === 'load' ? dram.energy.read : dram.energy.update);
    const eg = gv * (dir === 'load' ? gb.energy.fill : gb.energy.read);
    this.add(this.byLevel, dram.name, ed);
    this.add(this.byLevel, gb.name, eg);
    const tensor = kind === 'weights' ? 'Weights' : kind === 'state' ? 'State' : kind === 'psums' ? 'Psum' : dir === 'load' ? 'Inputs' : 'Outputs';
    this.add(this.byTensor, tensor, ed + eg);
    this.dramBits += bits;
    const acc = this.layers[layer >= 0 ? layer : 0];
    acc.energy += ed + eg;
    acc.offchip[kind] += bits / 8;
  }

  /** On-chip work: `scale` of one chunk's layer-model cost. */
  onchip(layer: number, c: LayerCost, scale: number): void {
    const acc = this.layers[layer];
    for (const [k, v] of Object.entries(c.energyByLevel)) {
      this.add(this.byLevel, k, v * scale);
      acc.energy += v * scale;
    }
    for (const [k, v] of Object.entries(c.energyByTensor)) this.add(this.byTensor, k, v * scale);
    for (const [k, v] of Object.entries(c.compute)) {
      const a = (this.compute[k] ??= { count: 0, energy_pJ: 0 });
      a.count += v.count * scale;
      a.energy_pJ += v.energy_pJ * scale;
      acc.energy += v.energy_pJ * scale;
    }
    acc.computes += c.computes * scale;
  }

  /** Roofline per op: on-chip cycles overlap with the op's DRAM transfers. */
  cycles(layer: number, onchipCycles: number, dramBits: number): void {
    const dramCycles = dramBits / this.dramBw;
    const c = Math.max(onchipCycles, dramCycles);
    if (dramCycles > onchipCycles) this.dramBoundCycles += c;
    this.layers[layer].cycles += c;
    this.totalCycles += c;
  }

  result(sched: NetworkSchedule, compat: boolean, stat: readonly LayerStatic[], peakBits: number, streamed: number): NetworkScheduleResult {
    const layers: LayerScheduleResult[] = this.net.layers.map((l, i) => {
      const a = this.layers[i];
      let off = 0;
      for (const k of TRAFFIC_KINDS) off += a.offchip[k];
      return {
        name: l.name, op: l.op, block: l.block, state_bytes: stat[i].state_bytes, weight_bytes: stat[i].weight_bytes,
        output_bytes: stat[i].output_bytes, ops_dense: stat[i].ops_dense, ops_effective: a.computes, energy_pJ: a.energy,
        cycles: a.cycles, offchip_bytes: off, offchip_bytes_by_kind: a.offchip, state_placement: stat[i].placement,
      };
    });
    const kinds = zeroKinds();
    let energy = 0;
    let computes = 0;
    for (const l of layers) {
      for (const k of TRAFFIC_KINDS) kinds[k] += l.offchip_bytes_by_kind[k];
      energy += l.energy_pJ;
      computes += l.ops_effective;
    }
    let offchip = 0;
    for (const k of TRAFFIC_KINDS) offchip += kinds[k];
    const sum = (f: (l: LayerScheduleResult) => number): number => layers.reduce((s, l) => s + f(l), 0);
    return {
      schema: 'spikeloop.network-evaluation/1',
      network: this.net.name,
      arch: this.arch.name,
      schedule: sched.blocks.map((b, i) => ({ block: this.net.blocks[i].name, time_batch: b.timeBatch, tile_rows: b.tileRows })),
      stems_compat: compat,
      totals: {
        energy_pJ: energy, cycles: this.totalCycles, offchip_bytes: offchip, computes, ops_dense: sum((l) => l.ops_dense),
        state_bytes: sum((l) => l.state_bytes), weight_bytes: sum((l) => l.weight_bytes), activation_bytes: sum((l) => l.output_bytes),
        offchip_bytes_by_kind: kinds, peak_onchip_bytes: peakBits / 8, onchip_capacity_bytes: (this.arch.levels[this.gbIndex].capacityBits ?? 0) / 8,
        streamed_ops: streamed,
      },
      levels: this.arch.levels.map((l) => ({ name: l.name, energy_pJ: this.byLevel[l.name] ?? 0 })),
      timing: {
        model: 'roofline', cycles: this.totalCycles,
        bottleneck: this.dramBoundCycles * 2 > this.totalCycles ? this.arch.levels[this.gbIndex - 1].name : 'on-chip',
        dram_bound_cycles: this.dramBoundCycles,
      },
      energy_by_level: this.byLevel,
      energy_by_tensor: this.byTensor,
      compute: this.compute,
      layers,
    };
  }
}
