/**
 * The search's view of the cost model (DESIGN.md §1: `search/` never imports `model/`). An evaluator is injected:
 * a factory per (arch, workload) returns a function of the mapping. `evaluate()` adapted by the CLI is one such
 * factory; a compiled evaluator that returns totals only is another. Nothing here depends on which one is used.
 *
 * Hot-path contract: the search rewrites one Mapping object in place for every candidate, and an evaluator may
 * reuse its result object for the next call. So an evaluator must not keep the mapping it is given, and the search
 * copies whatever it keeps from a result before the next call.
 */
import type { Arch } from '../arch/types.ts';
import type { Mapping } from '../mapping/types.ts';
import type { Workload } from '../workload/types.ts';

/** What the search needs from an evaluation: the three objectives, optionally off-chip bytes per tensor. */
export interface SearchTotals {
  readonly energy_pJ: number;
  readonly cycles: number;
  readonly offchip_bytes: number;
  /** Off-chip bytes per tensor (workload order), when the evaluator provides them. */
  readonly offchip_bytes_by_tensor?: ArrayLike<number>;
}

/** A copy of totals as plain data (arrays, not typed arrays), safe to keep and to serialise. */
export function copyTotals(t: SearchTotals): SearchTotals {
  return {
    energy_pJ: t.energy_pJ,
    cycles: t.cycles,
    offchip_bytes: t.offchip_bytes,
    ...(t.offchip_bytes_by_tensor ? { offchip_bytes_by_tensor: Array.from(t.offchip_bytes_by_tensor) } : {}),
  };
}

export interface EvalOk {
  readonly status: 'ok';
  readonly totals: SearchTotals;
  /** The full evaluation, when the evaluator computed one (opaque to the search). */
  readonly evaluation?: unknown;
}

/** A mapping that cannot run: why, and where (DESIGN.md §1 `{status:'invalid', stage, level, reason}`). */
export interface EvalInvalid {
  readonly status: 'invalid';
  readonly stage: string;
  readonly level?: string;
  readonly tensor?: string;
  readonly reason: string;
}

export type EvalResult = EvalOk | EvalInvalid;

/** One mapping of the (arch, workload) the evaluator was made for -> totals or the reason it is invalid. */
export type Evaluator = (mapping: Mapping) => EvalResult;

/**
 * A slower, more detailed evaluator used to re-rank the best candidates (e.g. the pipeline timing model): totals
 * of one mapping, or why it is invalid. Called a few times per search, so it may allocate freely.
 */
export type Reranker = (mapping: Mapping) => EvalResult;

/** Built once per (arch, workload); may precompute whatever makes the returned function fast. */
export type EvaluatorFactory = (arch: Arch, workload: Workload) => Evaluator;

/** Bounds on one loop factor. `fixed` wins over `min`/`max`. */
export interface FactorBound {
  readonly fixed?: number;
  readonly min?: number;
  readonly max?: number;
}

/** Constraints of one arch level; dense arrays indexed by dim / tensor, `undefined` = free. */
export interface LevelConstraint {
  readonly temporal: readonly (FactorBound | undefined)[];
  readonly spatialX: readonly (FactorBound | undefined)[];
  readonly spatialY: readonly (FactorBound | undefined)[];
  /** Dims whose non-unit temporal loops keep this relative order (outer to inner) at this level. */
  readonly order: readonly number[];
  /** Forced keep (true) or bypass (false) per tensor. */
  readonly keep: readonly (boolean | undefined)[];
}

/** A mapspace restriction (parsed from a constraints file by `spec/constraints.ts`). */
export interface SearchConstraints {
  readonly name: string;
  /** One entry per arch level, outermost first. */
  readonly levels: readonly LevelConstraint[];
  /** Minimum fraction of the compute instances used by the spatial fan-out (0..1). */
  readonly minUtilization: number;
}

export function noConstraints(levels: number, dims: number, tensors: number): SearchConstraints {
  const free = <T>(n: number): (T | undefined)[] => new Array<T | undefined>(n).fill(undefined);
  return {
    name: 'none',
    levels: Array.from({ length: levels }, () => ({
      temporal: free<FactorBound>(dims),
      spatialX: free<FactorBound>(dims),
      spatialY: free<FactorBound>(dims),
      order: [],
      keep: free<boolean>(tensors),
    })),
    minUtilization: 0,
  };
}
