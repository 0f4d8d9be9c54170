/**
 * The search's injected evaluator (search/types.ts), built on the layer model's dense path: the mapping checks, the
 * analysis kernel and the dense costing that evaluate() also uses, without building the full result object. Gives
 * exactly evaluate()'s totals under the roofline timing model (tested); `full: true` adds the full evaluation.
 * The ok result object is reused from call to call (the search copies what it keeps, search/types.ts).
 *
 * `pipelineReranker` is the detailed evaluator of `search --rerank`: evaluate() with the pipeline timing model.
 */
import { layerKernel } from '../analysis/counts.ts';
import type { Arch } from '../arch/types.ts';
import { checkMapping } from '../model/checks.ts';
import { layerCost } from '../model/cost.ts';
import { capacityOutcome, evaluate } from '../model/evaluate.ts';
import type { EvalOk, EvaluatorFactory, Evaluator, Reranker } from '../search/types.ts';
import type { Workload } from '../workload/types.ts';

interface MutableTotals {
  energy_pJ: number;
  cycles: number;
  offchip_bytes: number;
  offchip_bytes_by_tensor: Float64Array;
}

export function modelEvaluator(arch: Arch, w: Workload, opts: { full?: boolean } = {}): Evaluator {
  const kernel = layerKernel(arch, w);
  const cost = layerCost(arch, w);
  const totals: MutableTotals = { energy_pJ: 0, cycles: 0, offchip_bytes: 0, offchip_bytes_by_tensor: new Float64Array(w.tensors.length) };
  const ok: EvalOk = { status: 'ok', totals };
  return (mapping) => {
    const bad = checkMapping(arch, w, mapping);
    if (bad) return { status: 'invalid', stage: bad.stage, level: bad.level, tensor: bad.tensor, reason: bad.reason };
    kernel.run(mapping);
    cost.run(kernel);
    if (cost.overflowLevel >= 0) {
      const c = capacityOutcome(arch, w, cost);
      return { status: 'invalid', stage: c.stage, level: c.level, tensor: c.tensor, reason: c.reason };
    }
    if (opts.full) {
      const r = evaluate(arch, w, mapping, { timing: 'roofline' });
      const t = { energy_pJ: cost.totalEnergy, cycles: cost.cycles, offchip_bytes: cost.offchip, offchip_bytes_by_tensor: Array.from(cost.offchipByTensor) };
      return { status: 'ok', totals: t, ...(r.status === 'ok' ? { evaluation: r.evaluation } : {}) };
    }
    totals.energy_pJ = cost.totalEnergy;
    totals.cycles = cost.cycles;
    totals.offchip_bytes = cost.offchip;
    totals.offchip_bytes_by_tensor.set(cost.offchipByTensor);
    return ok;
  };
}

export const modelEvaluatorFactory: EvaluatorFactory = (arch, w) => modelEvaluator(arch, w);

/** evaluate() with the pipeline timing model: totals (pipeline cycles, and the energy over them) of one mapping. */
export function pipelineReranker(arch: Arch, w: Workload): Reranker {
  return (mapping) => {
    const r = evaluate(arch, w, mapping, { timing: 'pipeline' });
    if (r.status !== 'ok') return { status: 'invalid', stage: r.stage, level: r.level, reason: r.reason };
    const t = r.evaluation.totals;
    return {
      status: 'ok',
      totals: { energy_pJ: t.energy_pJ, cycles: t.cycles, offchip_bytes: t.offchip_bytes, offchip_bytes_by_tensor: w.tensors.map((x) => r.evaluation.offchip_bytes_by_tensor[x.name] ?? 0) },
    };
  };
}
