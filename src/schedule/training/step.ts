/**
 * A training step of a network on an arch: every layer's forward, backward and weight-gradient phases evaluated
 * (layer-phase.ts), summed by phase, level and action, plus the static energy (leakage and idle power x cycles)
 * and, per training scheme, the activation memory, its DRAM traffic and the extra compute (OTTT's second forward
 * path, reversible recomputation).
 */
import type { Arch } from '../../arch/types.ts';
import type { TtLayer } from '../../workload/tt/layer.ts';
import type { Phase } from '../../workload/training/phases.ts';
import { networkSchemeMemory, type Scheme } from '../../workload/training/schemes.ts';
import { evaluateLayerPhase, type TrainingContext } from './layer-phase.ts';
import { addInto, emptyBreakdown, type Breakdown } from './types.ts';

export interface LayerStep {
  readonly name: string;
  readonly kind: TtLayer['kind'];
  readonly rank?: number;
  readonly mode?: string;
  readonly phases: Partial<Record<Phase, Breakdown>>;
}

export interface SchemeStep {
  readonly scheme: Scheme;
  /** Activation memory and its store + re-read DRAM traffic at each requested batch size. */
  readonly memory: readonly { readonly batch: number; readonly activation_bytes: number; readonly traffic_bytes: number }[];
  /** At the evaluated batch: energy of the retention traffic, of OTTT's extra forward path, of recomputation. */
  readonly retention_pJ: number;
  readonly extra_forward_pJ: number;
  readonly recompute_pJ: number;
  /** Compute operations (all actions) of OTTT's extra forward path and of the recomputation. */
  readonly extra_forward_ops: number;
  readonly recompute_ops: number;
  /** Step energy (dynamic + static + the three terms above) and cycles (the extra work added serially). */
  readonly energy_pJ: number;
  readonly cycles: number;
}

export interface StepResult {
  readonly arch: string;
  readonly batch: number;
  readonly layers: readonly LayerStep[];
  readonly phases: Partial<Record<Phase, Breakdown>>;
  /** Sum of the evaluated phases (dynamic energy). */
  readonly dynamic: Breakdown;
  /** Leakage and idle power x cycles of the evaluated phases. */
  readonly static_pJ: number;
  readonly static_mw: number;
  readonly energy_pJ: number;
  readonly cycles: number;
  readonly offchip_bytes: number;
  readonly schemes: readonly SchemeStep[];
  /** Actions priced from the fallback energy table because the arch does not define them. */
  readonly fallback_actions: readonly string[];
}

export type StepOutcome = { ok: true; step: StepResult } | { ok: false; layer: string; workload: string; phase: Phase; reason: string };

/** Static power of the whole chip in mW: leakage of every storage instance plus the compute array's idle power. */
export function staticPowerMw(arch: Arch): number {
  return arch.levels.reduce((a, l) => a + l.leakageMw * l.instances, 0) + arch.compute.idleMw;
}

/** Energy in pJ of `mw` milliwatts over `cycles` at `clockMhz`. */
export function staticEnergyPj(mw: number, cycles: number, clockMhz: number): number {
  return (mw * cycles * 1e3) / clockMhz;
}

/** DRAM energy per byte written and read (pJ) and bytes per cycle, from the outermost off-chip level. */
function dramCosts(arch: Arch): { write: number; read: number; bytesPerCycle: number } {
  const d = arch.levels.find((l) => l.offChip) ?? arch.levels[0];
  const bytes = d.widthBits / 8;
  const bw = d.sharedBandwidth ?? Math.min(d.readBandwidth ?? Infinity, d.writeBandwidth ?? Infinity);
  return { write: d.energy.fill / bytes, read: d.energy.read / bytes, bytesPerCycle: Number.isFinite(bw) ? bw / 8 : Infinity };
}

export interface StepOptions {
  readonly phases: readonly Phase[];
  readonly schemes: readonly Scheme[];
  /** Batch sizes of the activation-memory table (the evaluated batch is the layers' N). */
  readonly memoryBatches: readonly number[];
}

export function trainingStep(ctx: TrainingContext, layers: readonly TtLayer[], o: StepOptions): StepOutcome {
  const perLayer: LayerStep[] = [];
  const phases: Partial<Record<Phase, Breakdown>> = {};
  const dynamic = emptyBreakdown();
  for (const layer of layers) {
    const lp: Partial<Record<Phase, Breakdown>> = {};
    for (const phase of o.phases) {
      const r = evaluateLayerPhase(ctx, layer, phase);
      if (!r.ok) return { ok: false, layer: layer.name, workload: r.workload, phase, reason: r.reason };
      lp[phase] = r.breakdown;
      addInto((phases[phase] ??= emptyBreakdown()), r.breakdown);
      addInto(dynamic, r.breakdown);
    }
    perLayer.push({ name: layer.name, kind: layer.kind, ...(layer.tt ? { rank: layer.tt.rank, mode: layer.tt.mode } : {}), phases: lp });
  }
  const mw = staticPowerMw(ctx.arch);
  const stat = staticEnergyPj(mw, dynamic.cycles, ctx.arch.clockMhz);
  const batch = layers[0]?.conv.N ?? 1;
  const dram = dramCosts(ctx.arch);
  const fwd = phases.forward;
  const schemes = o.schemes.map((scheme): SchemeStep => {
    const at = networkSchemeMemory(layers, scheme, batch);
    const half = at.trafficBytes / 2;
    const retention = half * dram.write + half * dram.read;
    const retentionCycles = Number.isFinite(dram.bytesPerCycle) ? Math.ceil(at.trafficBytes / dram.bytesPerCycle) : 0;
    const fwdE = fwd ? fwd.energy_pJ + staticEnergyPj(mw, fwd.cycles, ctx.arch.clockMhz) : 0;
    const fwdC = fwd?.cycles ?? 0;
    const fwdOps = fwd ? Object.values(fwd.by_action).reduce((x, v) => x + v.count, 0) : 0;
    const extra = (at.forwardFactor - 1) * fwdE;
    const recompute = at.recomputeForwardPasses * fwdE;
    const extraCycles = (at.forwardFactor - 1 + at.recomputeForwardPasses) * fwdC + retentionCycles;
    return {
      scheme,
      memory: o.memoryBatches.map((b) => {
        const m = networkSchemeMemory(layers, scheme, b);
        return { batch: b, activation_bytes: m.activationBytes, traffic_bytes: m.trafficBytes };
      }),
      retention_pJ: retention + staticEnergyPj(mw, retentionCycles, ctx.arch.clockMhz),
      extra_forward_pJ: extra,
      recompute_pJ: recompute,
      extra_forward_ops: (at.forwardFactor - 1) * fwdOps,
      recompute_ops: at.recomputeForwardPasses * fwdOps,
      energy_pJ: dynamic.energy_pJ + stat + retention + staticEnergyPj(mw, retentionCycles, ctx.arch.clockMhz) + extra + recompute,
      cycles: dynamic.cycles + extraCycles,
    };
  });
  return {
    ok: true,
    step: {
      arch: ctx.arch.name, batch, layers: perLayer, phases, dynamic, static_pJ: stat, static_mw: mw,
      energy_pJ: dynamic.energy_pJ + stat, cycles: dynamic.cycles, offchip_bytes: dynamic.offchip_bytes, schemes,
      fallback_actions: [...ctx.usedFallback].sort(),
    },
  };
}
