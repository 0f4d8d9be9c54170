/**
 * A Mapping as a Timeloop v0.3 mapping file (the format `spikeloop evaluate --timeloop` and timeloop-model read),
 * as text: per level a temporal directive (every factor, permutation innermost first), a spatial directive where
 * the level fans out (X loops first in the permutation, `split` = how many), and a bypass directive. No I/O here.
 */
import { physicalFanout } from '../arch/fanout.ts';
import type { Arch } from '../arch/types.ts';
import type { Loop, Mapping } from '../mapping/types.ts';
import type { Workload } from '../workload/types.ts';

function factors(w: Workload, loops: readonly Loop[]): string {
  const f = w.dims.map(() => 1);
  for (const l of loops) f[l.dim] *= l.factor;
  return w.dims.map((d, i) => `${d}=${f[i]}`).join(' ');
}

/** Dims innermost first: the given loops (outermost first) reversed, then every other dim in problem order. */
function permutation(w: Workload, outerToInner: readonly number[]): string {
  const seen = new Set<number>();
  const dims: number[] = [];
  for (let i = outerToInner.length - 1; i >= 0; i--) if (!seen.has(outerToInner[i])) dims.push(outerToInner[i]), seen.add(outerToInner[i]);
  for (let d = 0; d < w.dims.length; d++) if (!seen.has(d)) dims.push(d);
  const names = dims.map((d) => w.dims[d]);
  return names.every((n) => n.length === 1) ? names.join('') : `[${names.join(', ')}]`;
}

export function timeloopMappingYaml(arch: Arch, w: Workload, m: Mapping, header: readonly string[] = []): string {
  const lines: string[] = header.map((h) => `# ${h}`);
  lines.push('# Timeloop v0.3 mapping: permutations list loops innermost first.', 'mapping:');
  m.levels.forEach((lm, l) => {
    const target = arch.levels[l].name;
    lines.push(`- target: ${target}`, '  type: temporal', `  factors: ${factors(w, lm.temporal)}`, `  permutation: ${permutation(w, lm.temporal.map((x) => x.dim))}`);
    const fan = physicalFanout(arch, l);
    if (fan.x * fan.y > 1) {
      const y = lm.spatial.filter((s) => s.axis === 'Y');
      const x = lm.spatial.filter((s) => s.axis === 'X');
      // innermost first: X loops (reversed), then Y loops (reversed); the first `split` are on X
      const order = [...y.map((s) => s.dim), ...x.map((s) => s.dim)];
      lines.push(`- target: ${target}`, '  type: spatial', `  factors: ${factors(w, lm.spatial)}`, `  permutation: ${permutation(w, order)}`, `  split: ${x.length}`);
    }
    const keep = w.tensors.filter((_, t) => lm.keep[t]).map((t) => t.name);
    const bypass = w.tensors.filter((_, t) => !lm.keep[t]).map((t) => t.name);
    lines.push(`- target: ${target}`, '  type: bypass', `  keep: [${keep.join(', ')}]`, `  bypass: [${bypass.join(', ')}]`);
  });
  return lines.join('\n') + '\n';
}
