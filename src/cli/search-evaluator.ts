/**
 * The search's injected evaluator (search/types.ts) built on model/evaluate.ts. A faster compiled evaluator with the
 * same (arch, workload) -> (mapping -> totals) shape can replace `modelEvaluator` without touching search/.
 */
import type { Arch } from '../arch/types.ts';
import { evaluate } from '../model/evaluate.ts';
import type { EvaluatorFactory, Evaluator } from '../search/types.ts';
import type { Workload } from '../workload/types.ts';

export function modelEvaluator(arch: Arch, w: Workload, opts: { full?: boolean } = {}): Evaluator {
  const names = w.tensors.map((t) => t.name);
  return (mapping) => {
    const r = evaluate(arch, w, mapping, { timing: 'roofline' });
    if (r.status === 'invalid') return { status: 'invalid', stage: r.stage, level: r.level, tensor: r.tensor, reason: r.reason };
    const e = r.evaluation;
    return {
      status: 'ok',
      totals: {
        energy_pJ: e.totals.energy_pJ,
        cycles: e.totals.cycles,
        offchip_bytes: e.totals.offchip_bytes,
        offchip_bytes_by_tensor: names.map((n) => e.offchip_bytes_by_tensor[n] ?? 0),
      },
      ...(opts.full ? { evaluation: e } : {}),
    };
  };
}

export const modelEvaluatorFactory: EvaluatorFactory = (arch, w) => modelEvaluator(arch, w);
