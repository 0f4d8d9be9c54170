/**
 * The slice of an evaluation the training orchestration needs. `schedule/` may not import `model/`, so the
 * evaluator is injected and typed structurally (model/evaluate.ts's `evaluate` fits).
 */
import type { Arch } from '../../arch/types.ts';
import type { Mapping } from '../../mapping/types.ts';
import type { Workload } from '../../workload/types.ts';

export interface TensorSlice {
  readonly reads: number;
  readonly fills: number;
  readonly updates: number;
  readonly word_bits: number;
  readonly read_vectors: number;
  readonly fill_vectors: number;
  readonly update_vectors: number;
  readonly utilized_instances: number;
  /** Words of the tile this level holds. */
  readonly utilized_capacity: number;
  readonly energy_pJ: number;
  readonly bytes: number;
}

export interface EvalSlice {
  readonly totals: { readonly energy_pJ: number; readonly cycles: number; readonly offchip_bytes: number; readonly computes: number };
  /**
   * Static energy the model included in `totals.energy_pJ` (leakage x this workload's cycles). The orchestration
   * takes it out and charges the chip's static power over the step's wall-clock cycles instead (concurrent PE
   * groups share the buffers and their leakage).
   */
  readonly energy_static_pJ?: number;
  readonly timing: { readonly compute_cycles: number };
  readonly levels: readonly {
    readonly name: string;
    readonly energy_pJ: number;
    readonly capacity_used_bits: number;
    readonly tensors: Readonly<Record<string, TensorSlice>>;
  }[];
  readonly compute: Readonly<Record<string, { readonly count: number; readonly energy_pJ: number }>>;
}

export type EvalOutcomeSlice =
  | { readonly status: 'ok'; readonly evaluation: EvalSlice }
  | { readonly status: 'invalid'; readonly reason: string; readonly level?: string; readonly tensor?: string; readonly stage?: string };

export type Evaluator = (arch: Arch, w: Workload, m: Mapping) => EvalOutcomeSlice;

export interface Breakdown {
  /** Dynamic energy. */
  energy_pJ: number;
  /** Roofline cycles with dense compute (every operation takes its PE slot, zero or not). */
  cycles: number;
  /** SATA-style: compute cycles scaled by the density of the operand whose zeros are skipped (max with transfers). */
  sparse_cycles: number;
  offchip_bytes: number;
  /** Off-chip scalar accesses (words of each tensor's width), for the per-word DRAM convention of SATA_Sim. */
  offchip_words: number;
  /** Dynamic energy by storage level name. */
  by_level: Record<string, number>;
  /** Count and energy by (reported) compute action. */
  by_action: Record<string, { count: number; energy_pJ: number }>;
}

export function emptyBreakdown(): Breakdown {
  return { energy_pJ: 0, cycles: 0, sparse_cycles: 0, offchip_bytes: 0, offchip_words: 0, by_level: {}, by_action: {} };
}

/** a += k * b (cycles added: sequential; `skip` leaves a's cycles alone). */
export function addInto(a: Breakdown, b: Breakdown, cycles: 'add' | 'skip' = 'add', k = 1): void {
  a.energy_pJ += k * b.energy_pJ;
  if (cycles === 'add') {
    a.cycles += k * b.cycles;
    a.sparse_cycles += k * b.sparse_cycles;
  }
  a.offchip_bytes += k * b.offchip_bytes;
  a.offchip_words += k * b.offchip_words;
  for (const [n, v] of Object.entries(b.by_level)) a.by_level[n] = (a.by_level[n] ?? 0) + k * v;
  for (const [n, v] of Object.entries(b.by_action)) {
    const x = (a.by_action[n] ??= { count: 0, energy_pJ: 0 });
    x.count += k * v.count;
    x.energy_pJ += k * v.energy_pJ;
  }
}

export function scaled(b: Breakdown, k: number): Breakdown {
  const out = emptyBreakdown();
  addInto(out, b, 'add', k);
  return out;
}
