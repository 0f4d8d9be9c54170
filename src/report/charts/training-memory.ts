/**
 * Activation memory of each training scheme (BPTT, OTTT, SAF, reversible): the bytes kept between the forward and
 * the backward pass and the DRAM traffic of storing and re-reading them, one chart per batch size evaluated
 * (memory grows with the batch, so one axis for all batches would hide the small ones).
 */
import type { Chart } from '../chart.ts';
import { barChart } from '../svg/bars.ts';
import { bytesUnit } from '../svg/units.ts';
import type { TrainingView } from '../views.ts';

const SERIES = ['stored between forward and backward', 'DRAM traffic of storing and re-reading'];

/** Batch sizes in the schemes' `memory[]`, ascending. */
export const batchesOf = (t: TrainingView): number[] => [...new Set(t.schemes.flatMap((s) => s.memory.map((m) => m.batch)))].sort((a, b) => a - b);

export function trainingMemoryCharts(t: TrainingView, id: string): Chart[] {
  const batches = batchesOf(t);
  if (batches.length === 0) {
    const c = barChart({
      id,
      title: `Activation memory by training scheme: ${t.name}`,
      caption: 'Bytes each training scheme keeps between the forward and the backward pass, and the DRAM traffic that costs.',
      series: SERIES,
      rows: t.schemes.map((s) => ({ label: s.name, values: [s.memoryBytes ?? 0, s.dramBytes ?? 0] })),
      unit: bytesUnit(Math.max(0, ...t.schemes.flatMap((s) => [s.memoryBytes ?? 0, s.dramBytes ?? 0]))),
      quantity: 'memory',
      mode: 'grouped',
    });
    return c ? [c] : [];
  }
  return batches.flatMap((b, i) => {
    const at = (s: (typeof t.schemes)[number]): (typeof s.memory)[number] | undefined => s.memory.find((m) => m.batch === b);
    const c = barChart({
      id: i === 0 ? id : `${id}-b${b}`,
      title: `Activation memory by training scheme at batch ${b}: ${t.name}`,
      caption: `At batch ${b}: bytes each training scheme keeps between the forward and the backward pass, and the DRAM traffic of storing and re-reading them.`,
      series: SERIES,
      rows: t.schemes.filter((s) => at(s)).map((s) => ({ label: s.name, values: [at(s)!.activationBytes ?? 0, at(s)!.trafficBytes ?? 0] })),
      unit: bytesUnit(Math.max(0, ...t.schemes.flatMap((s) => [at(s)?.activationBytes ?? 0, at(s)?.trafficBytes ?? 0]))),
      quantity: 'memory',
      mode: 'grouped',
    });
    return c ? [c] : [];
  });
}
