/** Pre-conditions of a mapping that make it runnable: coverage, fan-out, SNN loop order. */
import type { Arch } from '../arch/types.ts';
import { physicalFanout } from '../arch/fanout.ts';
import { timeOutsideReductions } from '../analysis/snn-order.ts';
import type { Mapping } from '../mapping/types.ts';
import type { Workload } from '../workload/types.ts';
import type { InvalidOutcome } from './types.ts';

export function checkMapping(arch: Arch, w: Workload, mapping: Mapping): InvalidOutcome | null {
  if (mapping.levels.length !== arch.levels.length) {
    return { status: 'invalid', stage: 'mapping', reason: `mapping has ${mapping.levels.length} levels, arch has ${arch.levels.length}` };
  }
  for (let d = 0; d < w.dims.length; d++) {
    let prod = 1;
    for (const m of mapping.levels) {
      for (const l of m.temporal) if (l.dim === d) prod *= l.factor;
      for (const l of m.spatial) if (l.dim === d) prod *= l.factor;
    }
    if (prod !== w.sizes[d]) {
      return {
        status: 'invalid',
        stage: 'mapping',
        reason: `factors of ${w.dims[d]} multiply to ${prod}, the workload needs ${w.sizes[d]}`,
      };
    }
  }
  for (let e = 0; e < arch.levels.length; e++) {
    const f = physicalFanout(arch, e);
    let usedX = 1;
    let usedY = 1;
    for (const s of mapping.levels[e].spatial) {
      if (s.axis === 'X') usedX *= s.factor;
      else usedY *= s.factor;
    }
    for (const [axis, used, avail] of [['X', usedX, f.x], ['Y', usedY, f.y]] as const) {
      if (used > avail) {
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
  for (let t = 0; t < w.tensors.length; t++) {
    let home = false;
    for (const m of mapping.levels) if (m.keep[t]) home = true;
    if (!home) {
      return { status: 'invalid', stage: 'mapping', tensor: w.tensors[t].name, reason: `${w.tensors[t].name} is bypassed at every level and has no home` };
    }
  }
  if (w.snn && !w.snn.stateless) {
    const tdim = w.snn.timeDim;
    for (let e = 0; e < arch.levels.length; e++) {
      const sp = mapping.levels[e].spatial.find((s) => s.dim === tdim && s.factor > 1);
      if (sp) {
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

