/** A Mapping as native mapping YAML (the format `spikeloop evaluate --mapping` reads), as text: no I/O here. */
import type { Arch } from '../arch/types.ts';
import type { Loop, Mapping } from '../mapping/types.ts';
import type { Workload } from '../workload/types.ts';

const loopText = (w: Workload, ls: readonly Loop[]): string => ls.map((l) => `${w.dims[l.dim]}${l.factor}`).join(' ');

export function mappingYaml(arch: Arch, w: Workload, m: Mapping, header: readonly string[] = []): string {
  const lines: string[] = header.map((h) => `# ${h}`);
  lines.push('mapping:');
  m.levels.forEach((lm, l) => {
    lines.push(`  - level: ${arch.levels[l].name}`);
    if (lm.temporal.length > 0) lines.push(`    temporal: "${loopText(w, lm.temporal)}"`);
    const y = lm.spatial.filter((s) => s.axis === 'Y');
    const x = lm.spatial.filter((s) => s.axis === 'X');
    if (y.length + x.length > 0) {
      const parts = [...(y.length ? [`Y: "${loopText(w, y)}"`] : []), ...(x.length ? [`X: "${loopText(w, x)}"`] : [])];
      lines.push(`    spatial: { ${parts.join(', ')} }`);
    }
    const bypass = w.tensors.filter((_, t) => !lm.keep[t]).map((t) => t.name);
    if (bypass.length > 0) lines.push(`    bypass: [${bypass.join(', ')}]`);
  });
  return lines.join('\n') + '\n';
}
