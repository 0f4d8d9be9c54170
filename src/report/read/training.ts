/** Reads a training result (issue 6): energy by phase, memory by scheme, into a TrainingView. */
import type { PhaseView, ReadProblem, SchemeView, TrainingView } from '../views.ts';
import { isObj, num, obj, pairs, str, type Json } from './value.ts';

/** An array of named objects or a record name -> object, as [name, object] pairs. */
function named(v: Json): [string, Json][] {
  if (Array.isArray(v)) return v.map((x, i) => [str(x, 'name', 'phase', 'scheme') ?? `#${i + 1}`, x]);
  if (isObj(v)) return Object.entries(v);
  return [];
}

function phase(name: string, p: Json): PhaseView | undefined {
  const t = obj(p, 'totals') ?? p;
  const energy = num(t, 'energy_pJ', 'energy');
  if (energy === undefined) return undefined;
  const levels = isObj(p) && Array.isArray(p.levels) ? pairs(p.levels, ['energy_pJ']) : pairs(obj(p, 'energy_by_level'), ['energy_pJ', 'value']);
  return { name, energy_pJ: energy, cycles: num(t, 'cycles'), offchip_bytes: num(t, 'offchip_bytes'), byLevel: levels };
}

function scheme(name: string, s: Json): SchemeView | undefined {
  if (typeof s === 'number' && Number.isFinite(s)) return { name, memoryBytes: s };
  const v: SchemeView = {
    name,
    memoryBytes: num(s, 'activation_bytes', 'memory_bytes', 'stored_bytes'),
    dramBytes: num(s, 'dram_bytes', 'offchip_bytes'),
    recomputeOps: num(s, 'recompute_ops', 'recompute_macs'),
  };
  return v.memoryBytes === undefined && v.dramBytes === undefined && v.recomputeOps === undefined ? undefined : v;
}

export function readTraining(doc: Json, name: string): TrainingView | ReadProblem {
  const phases = named(isObj(doc) ? doc.phases : undefined).flatMap(([n, p]) => phase(n, p) ?? []);
  const schemes = named(isObj(doc) ? doc.schemes : undefined).flatMap(([n, s]) => scheme(n, s) ?? []);
  if (phases.length === 0 && schemes.length === 0) {
    return {
      problem: true,
      path: isObj(doc) && doc.phases !== undefined ? ['phases'] : ['schemes'],
      message: 'neither a phase with `energy_pJ` nor a scheme with `activation_bytes`/`dram_bytes`',
      hint: 'phases: [{name, energy_pJ, cycles}], schemes: [{name, activation_bytes, dram_bytes}]',
    };
  }
  return { name, energySource: str(doc, 'energy_source'), phases, schemes };
}
