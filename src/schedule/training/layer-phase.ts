/**
 * One layer, one training phase: every workload of every stage mapped (injected `MapLayer`) and evaluated
 * (injected `Evaluator`) on the arch, with the phase's compute actions priced from the arch's energy table.
 * Stages run one after the other; a concurrent stage (PTT's G2 || G3) runs its parts on separate PE groups: its
 * cycles are the longest group's, or the time the shared levels need to move both groups' data, if longer.
 */
import type { Arch } from '../../arch/types.ts';
import type { TtLayer } from '../../workload/tt/layer.ts';
import { totalOperations } from '../../workload/types.ts';
import { phaseWorkloads, type Phase, type PhaseWorkload } from '../../workload/training/phases.ts';
import type { MapLayer } from './default-mapping.ts';
import { sharedLevels } from './pe-groups.ts';
import { addInto, emptyBreakdown, type Breakdown, type EvalSlice, type Evaluator } from './types.ts';

export interface TrainingContext {
  readonly arch: Arch;
  /** A PE group of the arch (half the PEs) for concurrent stages; undefined: run them one after the other. */
  readonly group?: Arch;
  readonly evaluate: Evaluator;
  readonly mapLayer: MapLayer;
  /** Density of membrane-potential gradients, `1 - s_du`. */
  readonly duDensity: number;
  /** Energies for actions the arch does not define (a named table, e.g. sata16). */
  readonly fallback: Readonly<Record<string, number>>;
  /** Actions priced from the fallback table (filled in). */
  readonly usedFallback: Set<string>;
}

export type PhaseOutcome = { ok: true; breakdown: Breakdown } | { ok: false; reason: string; workload: string };

const MODEL_ACTIONS = ['ac', 'mac', 'neuron_update'];

/** The arch with the model's actions (`ac`, `mac`, `neuron_update`) priced as the phase's named actions. */
export function pricedArch(ctx: TrainingContext, arch: Arch, actions: Readonly<Record<string, string>>): Arch {
  const energy: Record<string, number> = { ...arch.compute.energy };
  for (const a of MODEL_ACTIONS) {
    const name = actions[a] ?? a;
    let e = arch.compute.energy[name];
    if (e === undefined) {
      e = ctx.fallback[name] ?? 0;
      if (name in ctx.fallback) ctx.usedFallback.add(name);
    }
    energy[a] = e;
  }
  return { ...arch, compute: { ...arch.compute, energy } };
}

function toBreakdown(ev: EvalSlice, actions: Readonly<Record<string, string>>): Breakdown {
  const b = emptyBreakdown();
  b.energy_pJ = ev.totals.energy_pJ - (ev.energy_static_pJ ?? 0);
  b.cycles = ev.totals.cycles;
  b.offchip_bytes = ev.totals.offchip_bytes;
  for (const l of ev.levels) b.by_level[l.name] = (b.by_level[l.name] ?? 0) + l.energy_pJ;
  for (const [a, v] of Object.entries(ev.compute)) {
    if (v.count === 0) continue;
    const name = actions[a] ?? a;
    const x = (b.by_action[name] ??= { count: 0, energy_pJ: 0 });
    x.count += v.count;
    x.energy_pJ += v.energy_pJ;
  }
  return b;
}

interface PartRun {
  readonly breakdown: Breakdown;
  /** Per level: read and write bits per instance, for shared-bandwidth timing. */
  readonly bits: readonly { read: number; write: number }[];
}

/** A compute-only part: operations x energy of the named action, cycles = operations / PEs, no memory traffic. */
function computeOnly(ctx: TrainingContext, arch: Arch, pw: PhaseWorkload): PartRun {
  const a = pricedArch(ctx, arch, pw.actions);
  const ops = totalOperations(pw.workload);
  const action = pw.actions.mac ?? 'mac';
  const b = emptyBreakdown();
  b.energy_pJ = ops * a.compute.energy.mac;
  b.cycles = Math.ceil(ops / a.compute.instances);
  b.by_action[action] = { count: ops, energy_pJ: b.energy_pJ };
  return { breakdown: b, bits: arch.levels.map(() => ({ read: 0, write: 0 })) };
}

function runWorkload(ctx: TrainingContext, arch: Arch, pw: PhaseWorkload): PartRun | { reason: string } {
  if (pw.computeOnly) return computeOnly(ctx, arch, pw);
  const a = pricedArch(ctx, arch, pw.actions);
  const m = ctx.mapLayer(a, pw.workload);
  if (!m.ok) return { reason: m.reason };
  const out = ctx.evaluate(a, pw.workload, m.mapping);
  if (out.status !== 'ok') return { reason: out.reason };
  const bits = out.evaluation.levels.map((l) => {
    let read = 0;
    let write = 0;
    for (const s of Object.values(l.tensors)) {
      read += s.reads * s.word_bits;
      write += (s.fills + s.updates) * s.word_bits;
    }
    return { read, write };
  });
  return { breakdown: toBreakdown(out.evaluation, pw.actions), bits };
}

/** Cycles the shared levels need to move `bits` (summed over the concurrent groups). */
function sharedCycles(arch: Arch, levels: readonly number[], bits: readonly { read: number; write: number }[]): number {
  let c = 0;
  for (const e of levels) {
    const l = arch.levels[e];
    const { read, write } = bits[e];
    if (l.readBandwidth) c = Math.max(c, Math.ceil(read / l.readBandwidth));
    if (l.writeBandwidth) c = Math.max(c, Math.ceil(write / l.writeBandwidth));
    if (l.sharedBandwidth) c = Math.max(c, Math.ceil((read + write) / l.sharedBandwidth));
  }
  return c;
}

export function evaluateLayerPhase(ctx: TrainingContext, layer: TtLayer, phase: Phase): PhaseOutcome {
  const total = emptyBreakdown();
  for (const stage of layer.stages) {
    const concurrent = stage.concurrent && stage.parts.length > 1 && ctx.group !== undefined;
    const arch = concurrent ? ctx.group! : ctx.arch;
    const groupCycles: number[] = [];
    const stageBits = ctx.arch.levels.map(() => ({ read: 0, write: 0 }));
    const stageTotal = emptyBreakdown();
    for (const part of stage.parts) {
      let cycles = 0;
      for (const pw of phaseWorkloads(part, phase, ctx.duDensity)) {
        const r = runWorkload(ctx, arch, pw);
        if ('reason' in r) return { ok: false, reason: r.reason, workload: pw.workload.name };
        addInto(stageTotal, r.breakdown, 'skip');
        cycles += r.breakdown.cycles;
        r.bits.forEach((b, e) => {
          stageBits[e].read += b.read;
          stageBits[e].write += b.write;
        });
      }
      groupCycles.push(cycles);
    }
    stageTotal.cycles = concurrent
      ? Math.max(...groupCycles, sharedCycles(ctx.arch, sharedLevels(ctx.arch, ctx.group!), stageBits))
      : groupCycles.reduce((x, y) => x + y, 0);
    addInto(total, stageTotal);
  }
  return { ok: true, breakdown: total };
}
