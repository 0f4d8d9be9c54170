/** Checks of an arch against a workload that neither file can make alone (positions point into the arch file). */
import type { Arch } from '../arch/types.ts';
import type { Diagnostic } from '../core/diagnostics.ts';
import { computeActionNames, type Workload } from '../workload/types.ts';
import { specDiagnostic } from './messages.ts';
import { parseYaml } from './yaml-source.ts';

/** SL-ARCH-UNPRICED for every compute action the workload needs and the arch gives no energy (it would cost 0 pJ). */
export function unpricedActions(arch: Arch, archFile: string, archText: string, w: Workload): Diagnostic[] {
  const missing = computeActionNames(w).filter((a) => arch.compute.energy[a] === undefined);
  if (missing.length === 0) return [];
  const tree = parseYaml(archText, archFile);
  let pos = { file: archFile, line: 1, col: 1 };
  if (tree.ok && tree.value.kind === 'map') {
    const a = tree.value.entries.find((e) => e.key === 'arch')?.value;
    const c = a?.kind === 'map' ? a.entries.find((e) => e.key === 'compute') : undefined;
    const en = c?.value.kind === 'map' ? c.value.entries.find((e) => e.key === 'energy') : undefined;
    pos = (en ?? c)?.keyPos ?? pos;
  }
  return missing.map((action) =>
    specDiagnostic('SL-ARCH-UNPRICED', `${w.name} needs compute action '${action}', which ${arch.name} gives no energy: it is counted at 0 pJ`, pos, {
      hint: `add ${action}: <pJ> under compute energy${arch.energyTable ? '' : ', or name an energy_table that has it'}`,
    }),
  );
}
