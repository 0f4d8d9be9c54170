/** Report sections of a training result: energy by phase, memory by scheme. */
import { trainingEnergyChart } from '../charts/training-energy.ts';
import { trainingMemoryChart } from '../charts/training-memory.ts';
import { present, section, table, type DocSection } from '../doc.ts';
import type { TrainingView } from '../views.ts';
import { byteCell, count, pJ, share } from './numbers.ts';

export function trainingSections(t: TrainingView, id: string, heading: string): DocSection[] {
  const total = t.phases.reduce((a, p) => a + p.energy_pJ, 0);
  const facts: [string, string][] = [];
  if (t.phases.length > 0) facts.push(['training step energy (all phases)', `${pJ(total)[0]} (${pJ(total)[1]} pJ)`]);
  if (t.energySource) facts.push(['energy table', t.energySource]);
  const energy = trainingEnergyChart(t, `${id}-phases`);
  const memory = trainingMemoryChart(t, `${id}-schemes`);
  return [
    section(id, heading, { level: 2, facts }),
    ...present([
      energy
        ? section(`${id}-phases-s`, 'Energy by phase', {
            charts: [energy],
            tables: [{ caption: 'Energy, cycles and off-chip bytes per phase.', table: table(['phase', 'energy', 'pJ', 'share', 'cycles', 'off-chip'], t.phases.map((p) => [p.name, ...pJ(p.energy_pJ), share(p.energy_pJ, total), count(p.cycles), byteCell(p.offchip_bytes)]), ['total', ...pJ(total), total > 0 ? '100.0%' : '-', '', '']) }],
          })
        : undefined,
      memory
        ? section(`${id}-schemes-s`, 'Memory by training scheme', {
            charts: [memory],
            tables: [{ caption: 'Per scheme: bytes stored between forward and backward, their DRAM traffic, recomputed operations.', table: table(['scheme', 'stored', 'DRAM traffic', 'recompute ops'], t.schemes.map((s) => [s.name, byteCell(s.memoryBytes), byteCell(s.dramBytes), count(s.recomputeOps)])) }],
          })
        : undefined,
    ]),
  ];
}
