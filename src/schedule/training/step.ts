/**
 * A training step of a network on an arch, per training scheme: every layer's forward pass and backward pass
 * (pass.ts: each layer's dataflow graph for that scheme, chunked and fused where its links fit on chip), summed by
 * phase, level and action, plus the static energy (leakage and clocked idle power x cycles), with dense cycles and
 * SATA-style sparse cycles side by side, and the activation memory of the scheme (schemes.ts).
 */
import type { Arch } from '../../arch/types.ts';
import type { OpTag } from '../../workload/training/graph.ts';
import type { Phase } from '../../workload/training/phases.ts';
import { networkSchemeMemory, type Scheme } from '../../workload/training/schemes.ts';
import type { TtLayer } from '../../workload/tt/layer.ts';
import type { TrainingContext } from './chunk.ts';
import { evaluatePass, staticMw, type PassChoice } from './pass.ts';
import { addInto, emptyBreakdown, type Breakdown } from './types.ts';

export interface LayerStep {
  readonly name: string;
  readonly kind: TtLayer['kind'];
  readonly rank?: number;
  readonly mode?: string;
  readonly phases: Partial<Record<Phase, Breakdown>>;
  readonly choices: readonly PassChoice[];
}

export interface SchemeStep {
  readonly scheme: Scheme;
  readonly layers: readonly LayerStep[];
  readonly phases: Partial<Record<Phase, Breakdown>>;
  /** The scheme's extra work inside the phases: recomputation, OTTT's trace path, trace updates. */
  readonly extra: Partial<Record<OpTag, Breakdown>>;
  /** Sum of the evaluated phases (dynamic energy; cycles one after the other). */
  readonly dynamic: Breakdown;
  /** Static power x cycles, split into the buffers' leakage and the PE array's idle power. */
  readonly static_pJ: number;
  readonly static_by_part: { readonly levels: Readonly<Record<string, number>>; readonly compute_idle_pJ: number };
  readonly energy_pJ: number;
  /** The same with SATA-style sparse cycles (zero operands skipped in time too). */
  readonly sparse_static_pJ: number;
  readonly sparse_energy_pJ: number;
  readonly cycles: number;
  readonly sparse_cycles: number;
  readonly offchip_bytes: number;
  /** Activation memory and its store + re-read DRAM traffic at each requested batch size (analytic). */
  readonly memory: readonly { readonly batch: number; readonly activation_bytes: number; readonly traffic_bytes: number }[];
}

export interface StepResult {
  readonly arch: string;
  readonly batch: number;
  readonly static_mw: number;
  readonly schemes: readonly SchemeStep[];
  /** Actions the arch does not define, priced as another of its actions. */
  readonly priced: Readonly<Record<string, string>>;
}

export type StepOutcome =
  | { ok: true; step: StepResult }
  | { ok: false; layer: string; scheme: Scheme; pass: string; op: string; workload: string; reason: string; level?: string; tensor?: string };

/** Static power of the whole chip in mW: leakage of every storage instance plus the compute array's idle power. */
export const staticPowerMw = staticMw;

/** Energy in pJ of `mw` milliwatts over `cycles` at `clockMhz`. */
export function staticEnergyPj(mw: number, cycles: number, clockMhz: number): number {
  return (mw * cycles * 1e3) / clockMhz;
}

function staticSplit(arch: Arch, cycles: number): SchemeStep['static_by_part'] {
  const levels: Record<string, number> = {};
  for (const l of arch.levels) if (l.leakageMw > 0) levels[l.name] = staticEnergyPj(l.leakageMw * l.instances, cycles, arch.clockMhz);
  return { levels, compute_idle_pJ: staticEnergyPj(arch.compute.idleMw, cycles, arch.clockMhz) };
}

export interface StepOptions {
  readonly schemes: readonly Scheme[];
  /** Phases to evaluate (the forward pass for `forward`, the backward pass for `backward` or `wgrad`). */
  readonly phases: readonly Phase[];
  /** Batch sizes of the activation-memory table (the evaluated batch is the layers' N). */
  readonly memoryBatches: readonly number[];
}

export function trainingStep(ctx: TrainingContext, layers: readonly TtLayer[], o: StepOptions): StepOutcome {
  const schemes: SchemeStep[] = [];
  const passes: ('forward' | 'backward')[] = [];
  if (o.phases.includes('forward')) passes.push('forward');
  if (o.phases.includes('backward') || o.phases.includes('wgrad')) passes.push('backward');
  for (const scheme of o.schemes) {
    const phases: Partial<Record<Phase, Breakdown>> = {};
    const extra: Partial<Record<OpTag, Breakdown>> = {};
    const perLayer: LayerStep[] = [];
    for (const layer of layers) {
      const lp: Partial<Record<Phase, Breakdown>> = {};
      const choices: PassChoice[] = [];
      for (const kind of passes) {
        const r = evaluatePass(ctx, kind, layer, scheme);
        if (!r.ok) return { ok: false, layer: layer.name, scheme, pass: kind, op: r.op, workload: r.workload, reason: r.reason, level: r.level, tensor: r.tensor };
        for (const [p, b] of Object.entries(r.byPhase) as [Phase, Breakdown][]) {
          if (!o.phases.includes(p)) continue;
          addInto((lp[p] ??= emptyBreakdown()), b);
          addInto((phases[p] ??= emptyBreakdown()), b);
        }
        for (const [t, b] of Object.entries(r.byTag) as [OpTag, Breakdown][]) addInto((extra[t] ??= emptyBreakdown()), b);
        choices.push(...r.choices);
      }
      perLayer.push({ name: layer.name, kind: layer.kind, ...(layer.tt ? { rank: layer.tt.rank, mode: layer.tt.mode } : {}), phases: lp, choices });
    }
    const dynamic = emptyBreakdown();
    for (const p of o.phases) if (phases[p]) addInto(dynamic, phases[p]!);
    const mw = staticMw(ctx.arch);
    const stat = staticEnergyPj(mw, dynamic.cycles, ctx.arch.clockMhz);
    const sstat = staticEnergyPj(mw, dynamic.sparse_cycles, ctx.arch.clockMhz);
    schemes.push({
      scheme, layers: perLayer, phases, extra, dynamic,
      static_pJ: stat, static_by_part: staticSplit(ctx.arch, dynamic.cycles), energy_pJ: dynamic.energy_pJ + stat,
      sparse_static_pJ: sstat, sparse_energy_pJ: dynamic.energy_pJ + sstat,
      cycles: dynamic.cycles, sparse_cycles: dynamic.sparse_cycles, offchip_bytes: dynamic.offchip_bytes,
      memory: o.memoryBatches.map((b) => {
        const m = networkSchemeMemory(layers, scheme, b);
        return { batch: b, activation_bytes: m.activationBytes, traffic_bytes: m.trafficBytes };
      }),
    });
  }
  return {
    ok: true,
    step: { arch: ctx.arch.name, batch: layers[0]?.conv.N ?? 1, static_mw: staticMw(ctx.arch), schemes, priced: Object.fromEntries([...ctx.priced].sort()) },
  };
}

/**
 * The step's energy in the model's terms: DRAM, the on-chip buffers (dynamic and leakage), and the PE array (its
 * scratchpads, compute operations and clocked idle power): SATA's three categories (DRAM, SRAM, computation).
 */
export function energyTerms(arch: Arch, s: SchemeStep, sparse = false): Record<string, number> {
  const t = { dram_pJ: 0, buffers_dynamic_pJ: 0, buffers_leakage_pJ: 0, scratchpads_pJ: 0, compute_ops_pJ: 0, compute_idle_pJ: 0 };
  const split = sparse ? staticSplit(arch, s.sparse_cycles) : s.static_by_part;
  arch.levels.forEach((l) => {
    const e = s.dynamic.by_level[l.name] ?? 0;
    const leak = split.levels[l.name] ?? 0;
    if (l.offChip) t.dram_pJ += e + leak;
    else if (l.instances === arch.compute.instances && arch.compute.instances > 1) {
      t.scratchpads_pJ += e;
      t.compute_idle_pJ += leak;
    } else {
      t.buffers_dynamic_pJ += e;
      t.buffers_leakage_pJ += leak;
    }
  });
  for (const v of Object.values(s.dynamic.by_action)) t.compute_ops_pJ += v.energy_pJ;
  t.compute_idle_pJ += split.compute_idle_pJ;
  return t;
}
