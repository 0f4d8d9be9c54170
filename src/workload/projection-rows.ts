/**
 * The tensors' projections in compressed rows, for the hot loops that size tiles (analysis kernels, the search's
 * capacity check and lower bound): tensor t's ranks are rankStart[t] .. rankStart[t + 1] - 1, rank r's terms
 * termStart[r] .. termStart[r + 1] - 1, each a dim and a coefficient.
 */
import type { Tensor } from './types.ts';

export interface ProjectionRows {
  readonly rankStart: Int32Array;
  readonly termStart: Int32Array;
  readonly termDim: Int32Array;
  readonly termCoeff: Float64Array;
  /** Ranks over all tensors. */
  readonly ranks: number;
}

export function projectionRows(tensors: readonly Pick<Tensor, 'projection'>[]): ProjectionRows {
  let ranks = 0;
  let terms = 0;
  for (const t of tensors) {
    ranks += t.projection.length;
    for (const r of t.projection) terms += r.length;
  }
  const rankStart = new Int32Array(tensors.length + 1);
  const termStart = new Int32Array(ranks + 1);
  const termDim = new Int32Array(terms);
  const termCoeff = new Float64Array(terms);
  let ri = 0;
  let ti = 0;
  tensors.forEach((t, i) => {
    rankStart[i] = ri;
    for (const rank of t.projection) {
      termStart[ri++] = ti;
      for (const term of rank) {
        termDim[ti] = term.dim;
        termCoeff[ti] = term.coeff;
        ti++;
      }
    }
  });
  rankStart[tensors.length] = ri;
  termStart[ri] = ti;
  return { rankStart, termStart, termDim, termCoeff, ranks };
}
