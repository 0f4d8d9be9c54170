/**
 * The search's injected evaluator (search/types.ts), built on the layer model's dense path: the mapping checks, the
 * analysis kernel and the dense costing that evaluate() also uses, without building the full result object. Gives
 * exactly evaluate()'s totals under the roofline timing model (tested); `full: true` adds the full evaluation.
 */
import { layerKernel } from '../analysis/counts.ts';
import type { Arch } from '../arch/types.ts';
import { checkMapping } from '../model/checks.ts';
import { layerCost } from '../model/cost.ts';
import { capacityOutcome, evaluate } from '../model/evaluate.ts';
import type { EvaluatorFactory, Evaluator } from '../search/types.ts';
import type { Workload } from '../workload/types.ts';

export function modelEvaluator(arch: Arch, w: Workload, opts: { full?: boolean } = {}): Evaluator {
  const kernel = layerKernel(arch, w);
  const cost = layerCost(arch, w);
  return (mapping) => {
    const bad = checkMapping(arch, w, mapping);
    if (bad) return { status: 'invalid', stage: bad.stage, level: bad.level, tensor: bad.tensor, reason: bad.reason };
    kernel.run(mapping);
    cost.run(kernel);
    if (cost.overflowLevel >= 0) {
      const c = capacityOutcome(arch, w, cost);
      return { status: 'invalid', stage: c.stage, level: c.level, tensor: c.tensor, reason: c.reason };
    }
    const totals = {
      energy_pJ: cost.totalEnergy,
      cycles: cost.cycles,
      offchip_bytes: cost.offchip,
      offchip_bytes_by_tensor: Array.from(cost.offchipByTensor),
    };
    if (!opts.full) return { status: 'ok', totals };
    const r = evaluate(arch, w, mapping, { timing: 'roofline' });
    return { status: 'ok', totals, ...(r.status === 'ok' ? { evaluation: r.evaluation } : {}) };
  };
}

export const modelEvaluatorFactory: EvaluatorFactory = (arch, w) => modelEvaluator(arch, w);
