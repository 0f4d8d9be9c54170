/** Pre-conditions of a mapping that make it runnable: coverage, fan-out, SNN loop order. */
import type { Arch } from '../arch/types.ts';
import { physicalFanout } from '../arch/fanout.ts';
import { timeOutsideReductions } from '../analysis/snn-order.ts';
import type { Mapping } from '../mapping/types.ts';
import type { Workload } from '../workload/types.ts';
import type { InvalidOutcome } from './types.ts';

/** Per arch: the physical fan-out of each level along X and Y, [2 * e] and [2 * e + 1]. */
const FANOUTS = new WeakMap<Arch, Float64Array>();
function fanouts(arch: Arch): Float64Array {
  let f = FANOUTS.get(arch);
  if (!f) {
    f = new Float64Array(2 * arch.levels.length);
    for (let e = 0; e < arch.levels.length; e++) {
      const p = physicalFanout(arch, e);
      f[2 * e] = p.x;
      f[2 * e + 1] = p.y;
    }
    FANOUTS.set(arch, f);
  }
  return f;
}
let prod = new Float64Array(16);

export function checkMapping(arch: Arch, w: Workload, mapping: Mapping): InvalidOutcome | null {
  if (mapping.levels.length !== arch.levels.length) {
    return { status: 'invalid', stage: 'mapping', reason: `mapping has ${mapping.levels.length} levels, arch has ${arch.levels.length}` };
  }
  const D = w.dims.length;
  if (prod.length < D) prod = new Float64Array(2 * D);
  prod.fill(1, 0, D);
  const fan = fanouts(arch);
  const tdim = w.snn && !w.snn.stateless ? w.snn.timeDim : -1;
  for (let e = 0; e < mapping.levels.length; e++) {
    const m = mapping.levels[e];
    for (let i = 0; i < m.temporal.length; i++) prod[m.temporal[i].dim] *= m.temporal[i].factor;
    let usedX = 1;
    let usedY = 1;
    for (let i = 0; i < m.spatial.length; i++) {
      const sp = m.spatial[i];
      prod[sp.dim] *= sp.factor;
      if (sp.axis === 'X') usedX *= sp.factor;
      else usedY *= sp.factor;
    }
    for (let a = 0; a < 2; a++) {
      const used = a === 0 ? usedX : usedY;
      const avail = fan[2 * e + a];
      if (used > avail) {
        const axis = a === 0 ? 'X' : 'Y';
        return {
          status: 'invalid',
          stage: 'fanout',
          level: arch.levels[e].name,
          reason: `spatial factors on ${axis} multiply to ${used}, but ${arch.levels[e].name} fans out to ${avail} along ${axis}`,
          needed: used,
          available: avail,
        };
      }
    }
  }
  for (let d = 0; d < D; d++) {
    if (prod[d] !== w.sizes[d]) {
      return {
        status: 'invalid',
        stage: 'mapping',
        reason: `factors of ${w.dims[d]} multiply to ${prod[d]}, the workload needs ${w.sizes[d]}`,
      };
    }
  }
  for (let t = 0; t < w.tensors.length; t++) {
    let home = false;
    for (let e = 0; e < mapping.levels.length && !home; e++) if (mapping.levels[e].keep[t]) home = true;
    if (!home) {
      return { status: 'invalid', stage: 'mapping', tensor: w.tensors[t].name, reason: `${w.tensors[t].name} is bypassed at every level and has no home` };
    }
  }
  if (tdim >= 0) {
    for (let e = 0; e < arch.levels.length; e++) {
      for (const sp of mapping.levels[e].spatial) {
        if (sp.dim !== tdim || sp.factor <= 1) continue;
        return {
          status: 'invalid',
          stage: 'semantics',
          level: arch.levels[e].name,
          reason:
            `T is split ${sp.factor} ways across ${sp.axis} at ${arch.levels[e].name}, but the timesteps of a stateful neuron ` +
            `run in order (each one starts from the previous membrane potential)`,
        };
      }
    }
  }
  if (w.snn && w.snn.accumulation === 'membrane') {
    const r = timeOutsideReductions(mapping, w.snn.timeDim, w.snn.reductionDims);
    if (!r.ok) {
      return {
        status: 'invalid',
        stage: 'semantics',
        level: arch.levels[r.timeLevel].name,
        reason:
          `membrane accumulation needs every T loop outside all reduction loops, but a ${w.dims[r.reductionDim]} loop at ` +
          `${arch.levels[r.reductionLevel].name} sits outside a T loop at ${arch.levels[r.timeLevel].name}`,
      };
    }
  }
  return null;
}

