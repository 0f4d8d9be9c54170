/** Reads a training result (issue 6, spikeloop.training/1): phases, schemes, per-layer phase energy, into a TrainingView. */
import type { ActionView, PhaseView, ReadProblem, SchemeView, TrainingLayerView, TrainingView } from '../views.ts';
import { Ctx, pathText, type Path } from './ctx.ts';
import { readProvenance } from './provenance.ts';
import { isObj, type Json } from './value.ts';

/** An array of named objects or a record name -> object, as [name, object, path] triples. */
function named(c: Ctx, doc: Json, key: string): [string, Json, Path][] {
  if (!isObj(doc) || doc[key] === undefined || doc[key] === null) return [];
  const v = doc[key];
  if (Array.isArray(v)) return v.map((x, i) => [(isObj(x) ? c.str(x, [key, i], ['name', 'phase', 'scheme']) : undefined) ?? `#${i + 1}`, x, [key, i]]);
  if (isObj(v)) return Object.entries(v).map(([k, x]) => [k, x, [key, k]]);
  c.problem([key], `\`${key}\` should be an array or an object, got ${typeof v}`);
  return [];
}

function actions(c: Ctx, o: Json, path: Path): ActionView[] {
  const a = c.obj(o, path, 'compute');
  if (!a) return [];
  return Object.entries(a).flatMap(([action, v]) => {
    const at = [...path, 'compute', action];
    const x = c.item(v, at);
    const e = x && c.need(x, at, 'energy_pJ');
    return x && e !== undefined ? [{ action, count: c.num(x, at, 'count'), energy_pJ: e }] : [];
  });
}

function phase(c: Ctx, name: string, p: Json, path: Path): PhaseView | undefined {
  const o = c.item(p, path);
  if (!o) return undefined;
  const hasTotals = isObj(o.totals);
  const t = hasTotals ? o.totals : o;
  const at = hasTotals ? [...path, 'totals'] : path;
  const energy = c.need(t, at, ['energy_pJ', 'energy'], 'each phase needs `energy_pJ`');
  if (energy === undefined) return undefined;
  const byLevel = Array.isArray(o.levels) ? c.pairs(o, path, 'levels', ['energy_pJ']) : c.pairs(o, path, 'energy_by_level', ['energy_pJ', 'value']);
  return { name, energy_pJ: energy, cycles: c.num(t, at, 'cycles'), offchip_bytes: c.num(t, at, 'offchip_bytes'), byLevel, compute: actions(c, o, path) };
}

function scheme(c: Ctx, name: string, s: Json, path: Path): SchemeView | undefined {
  if (typeof s === 'number') {
    if (Number.isFinite(s) && s >= 0) return { name, memoryBytes: s, memory: [] };
    c.problem(path, `\`${pathText(path)}\` is ${s}: a scheme's memory cannot be negative`);
    return undefined;
  }
  const o = c.item(s, path);
  if (!o) return undefined;
  const memory = (c.arr(o, path, 'memory') ?? []).flatMap((m, i) => {
    const at = [...path, 'memory', i];
    const x = c.item(m, at);
    const batch = x && c.need(x, at, 'batch');
    return x && batch !== undefined ? [{ batch, activationBytes: c.num(x, at, ['activation_bytes', 'memory_bytes']), trafficBytes: c.num(x, at, ['traffic_bytes', 'dram_bytes']) }] : [];
  });
  const v: SchemeView = {
    name,
    memoryBytes: c.num(o, path, ['activation_bytes', 'memory_bytes', 'stored_bytes']),
    dramBytes: c.num(o, path, ['dram_bytes', 'offchip_bytes']),
    recomputeOps: c.num(o, path, ['recompute_ops', 'recompute_macs']),
    memory,
    stepEnergy: c.num(o, path, 'step_energy_pJ'),
    retentionEnergy: c.num(o, path, 'retention_energy_pJ'),
    extraForwardEnergy: c.num(o, path, 'extra_forward_energy_pJ'),
    recomputeEnergy: c.num(o, path, 'recompute_energy_pJ'),
    stepCycles: c.num(o, path, 'step_cycles'),
  };
  const empty = v.memoryBytes === undefined && v.dramBytes === undefined && v.recomputeOps === undefined && memory.length === 0 && v.stepEnergy === undefined;
  return empty ? undefined : v;
}

function layer(c: Ctx, x: Json, i: number): TrainingLayerView | undefined {
  const at = ['layers', i];
  const o = c.item(x, at);
  if (!o) return undefined;
  const ph = c.obj(o, at, 'phases');
  const phases = ph ? c.pairs(o, at, 'phases', ['energy_pJ']) : [];
  return { name: c.str(o, at, 'name') ?? `layer ${i}`, kind: c.str(o, at, 'kind'), params: c.num(o, at, 'params'), denseParams: c.num(o, at, 'dense_params'), phases };
}

export function trainingIn(c: Ctx, doc: Json, name: string): TrainingView | undefined {
  const before = c.problems.length;
  const phases = named(c, doc, 'phases').flatMap(([n, p, at]) => phase(c, n, p, at) ?? []);
  const schemes = named(c, doc, 'schemes').flatMap(([n, s, at]) => scheme(c, n, s, at) ?? []);
  const t = c.obj(doc, [], 'totals');
  const tat = ['totals'];
  const st = c.obj(doc, [], 'static');
  const view: TrainingView = {
    name,
    network: c.str(doc, [], ['network', 'workload']),
    arch: c.str(doc, [], 'arch'),
    energySource: c.str(doc, [], 'energy_source'),
    batch: c.num(doc, [], 'batch'),
    timesteps: c.num(doc, [], 'timesteps'),
    decomposition: c.str(doc, [], 'decomposition'),
    ttMode: c.str(doc, [], 'tt_mode'),
    totals: {
      energy_pJ: c.num(t, tat, 'energy_pJ'),
      dynamic_pJ: c.num(t, tat, 'dynamic_energy_pJ'),
      static_pJ: c.num(t, tat, 'static_energy_pJ') ?? c.num(st, ['static'], 'energy_pJ'),
      cycles: c.num(t, tat, 'cycles'),
      offchip_bytes: c.num(t, tat, 'offchip_bytes'),
      params: c.num(t, tat, 'params'),
      denseParams: c.num(t, tat, 'dense_params'),
      macsPerTimestep: c.num(t, tat, 'macs_per_timestep'),
      denseMacsPerTimestep: c.num(t, tat, 'dense_macs_per_timestep'),
    },
    staticPowerMw: c.num(st, ['static'], 'power_mw'),
    phases,
    schemes,
    layers: (c.arr(doc, [], 'layers') ?? []).flatMap((x, i) => layer(c, x, i) ?? []),
    provenance: readProvenance(c, doc),
  };
  if (c.problems.length > before) return undefined;
  if (phases.length === 0 && schemes.length === 0 && view.layers.every((l) => l.params === undefined)) {
    c.problem(isObj(doc) && doc.phases !== undefined ? ['phases'] : ['schemes'], 'neither a phase with `energy_pJ` nor a scheme with `activation_bytes`/`memory[]`', 'phases: [{name, energy_pJ, cycles}], schemes: [{name, activation_bytes, dram_bytes}]');
    return undefined;
  }
  return view;
}

export function readTraining(doc: Json, name: string): TrainingView | ReadProblem[] {
  const c = new Ctx();
  const v = trainingIn(c, doc, name);
  return v && c.problems.length === 0 ? v : c.problems;
}
