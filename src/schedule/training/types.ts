/**
 * The slice of an evaluation the training orchestration needs. `schedule/` may not import `model/`, so the
 * evaluator is injected and typed structurally (model/evaluate.ts's `evaluate` fits).
 */
import type { Arch } from '../../arch/types.ts';
import type { Mapping } from '../../mapping/types.ts';
import type { Workload } from '../../workload/types.ts';

export interface EvalSlice {
  readonly totals: { readonly energy_pJ: number; readonly cycles: number; readonly offchip_bytes: number };
  /**
   * Static energy the model included in `totals.energy_pJ` (leakage x this workload's cycles). The orchestration
   * takes it out and charges the chip's static power over the step's wall-clock cycles instead (concurrent PE
   * groups share the buffers and their leakage).
   */
  readonly energy_static_pJ?: number;
  readonly levels: readonly {
    readonly name: string;
    readonly energy_pJ: number;
    readonly tensors: Readonly<Record<string, { readonly reads: number; readonly fills: number; readonly updates: number; readonly word_bits: number }>>;
  }[];
  readonly compute: Readonly<Record<string, { readonly count: number; readonly energy_pJ: number }>>;
}

export type EvalOutcomeSlice = { readonly status: 'ok'; readonly evaluation: EvalSlice } | { readonly status: 'invalid'; readonly reason: string };

export type Evaluator = (arch: Arch, w: Workload, m: Mapping) => EvalOutcomeSlice;

export interface Breakdown {
  energy_pJ: number;
  cycles: number;
  offchip_bytes: number;
  /** Dynamic energy by storage level name. */
  by_level: Record<string, number>;
  /** Count and energy by (reported) compute action. */
  by_action: Record<string, { count: number; energy_pJ: number }>;
}

export function emptyBreakdown(): Breakdown {
  return { energy_pJ: 0, cycles: 0, offchip_bytes: 0, by_level: {}, by_action: {} };
}

/** a += b (cycles added: sequential). */
export function addInto(a: Breakdown, b: Breakdown, cycles: 'add' | 'skip' = 'add'): void {
  a.energy_pJ += b.energy_pJ;
  if (cycles === 'add') a.cycles += b.cycles;
  a.offchip_bytes += b.offchip_bytes;
  for (const [k, v] of Object.entries(b.by_level)) a.by_level[k] = (a.by_level[k] ?? 0) + v;
  for (const [k, v] of Object.entries(b.by_action)) {
    const x = (a.by_action[k] ??= { count: 0, energy_pJ: 0 });
    x.count += v.count;
    x.energy_pJ += v.energy_pJ;
  }
}
