/**
 * Reads an explore result (issue 5, schema spikeloop.explore/1) into an ExploreView: per sweep point (one when
 * there is no sweep) the search statistics, the Pareto front of schedules, the best schedule and the uniform
 * reference schedules; a point or a reference schedule that could not run carries its reason (`error`).
 */
import type { ExplorePoint, ExploreView, ReadProblem, ScheduleRow, SearchPoint, SweepValue } from '../views.ts';
import { Ctx, type Path } from './ctx.ts';
import { factsIn, type FactKey } from './facts.ts';
import { scheduleIn } from './network.ts';
import { readProvenance } from './provenance.ts';
import { mergeChosen, pointIn } from './search.ts';
import { isObj, type Json, type Obj } from './value.ts';

const fmt = (v: number): string => v.toLocaleString('en-US', { maximumFractionDigits: 3 });

/** Per-point search statistics: [key, label, how a value reads]. */
const STAT_KEYS: readonly (readonly [string, string, (v: number | string | boolean) => string])[] = [
  ['method', 'search method', String],
  ['space', 'schedules in the space', (v) => (typeof v === 'number' ? fmt(v) : String(v))],
  ['evaluated', 'schedules costed', (v) => (typeof v === 'number' ? fmt(v) : String(v))],
  ['block_runs', 'block runs', (v) => (typeof v === 'number' ? fmt(v) : String(v))],
  ['block_evaluations', 'block evaluations', (v) => (typeof v === 'number' ? fmt(v) : String(v))],
  ['optimal', 'optimal under the model', (v) => (v === true ? 'yes (exact search)' : v === false ? 'not claimed' : String(v))],
  ['stopped', 'stopped early', (v) => (v === true ? 'yes (time limit or interrupt): the best schedule found so far' : v === false ? 'no' : String(v))],
  ['seconds', 'search time', (v) => (typeof v === 'number' ? `${fmt(v)} s` : String(v))],
  ['placement_changes', 'state placements changed', (v) => (typeof v === 'number' ? fmt(v) : String(v))],
];

/** How the whole explore ran (top-level fields). */
const RUN_KEYS: readonly FactKey[] = [
  ['space', 'schedule space'],
  ['chunk_mapper', 'chunk mapper'],
  ['constraints', 'mapping constraints'],
  ['spike_format', 'spike format'],
  ['stems_compat', 'STEMS conventions'],
  ['threads', 'threads'],
  ['seed', 'seed'],
  ['sweep', 'sweep'],
];

const TOTAL_KEYS = ['energy_pJ', 'cycles', 'offchip_bytes', 'computes', 'ops_dense', 'state_bytes', 'weight_bytes', 'activation_bytes', 'peak_onchip_bytes', 'onchip_capacity_bytes', 'streamed_ops'];

/** Block names of the best schedule given to the unnamed blocks of the Pareto schedules (same order). */
const named = (rows: readonly ScheduleRow[], names: readonly ScheduleRow[]): ScheduleRow[] => rows.map((r, i) => (names[i] && /^b\d+$/.test(r.block) ? { ...r, block: names[i].block } : r));

/** `GB.capacity_bytes = 65536` (the label explore writes) with `value`; older results: `capacity_bytes`. */
function sweepOf(c: Ctx, p: Obj, at: Path): SweepValue | undefined {
  const cap = c.num(p, at, 'capacity_bytes');
  if (cap !== undefined) return { field: 'capacity_bytes', value: cap };
  const value = c.num(p, at, 'value', { signed: true });
  if (value === undefined) return undefined;
  const m = /^\s*(?:(.+)\.)?([A-Za-z_]+)\s*=/.exec(c.str(p, at, 'label') ?? '');
  return { level: m?.[1], field: m?.[2] ?? 'value', value };
}

function stats(p: Obj): [string, string][] {
  const out: [string, string][] = [];
  for (const [k, label, f] of STAT_KEYS) {
    const v = p[k];
    if ((typeof v === 'number' && Number.isFinite(v)) || typeof v === 'string' || typeof v === 'boolean') out.push([label, f(v)]);
  }
  return out;
}

function explorePoint(c: Ctx, x: Json, i: number, objective: string | undefined, name: string): ExplorePoint | undefined {
  const at: Path = ['points', i];
  const p = c.item(x, at);
  if (!p) return undefined;
  const before = c.problems.length;
  const sweep = sweepOf(c, p, at);
  const capacityBytes = sweep?.field === 'capacity_bytes' ? sweep.value : undefined;
  const label = c.str(p, at, 'label') ?? (capacityBytes !== undefined ? `${capacityBytes} B` : `point ${i + 1}`);
  const error = c.str(p, at, 'error');
  const referenceErrors: [string, string][] = [];
  const references = (c.arr(p, at, 'uniform') ?? []).flatMap((u, j) => {
    const uat = [...at, 'uniform', j];
    const uo = c.item(u, uat);
    const ue = uo && uo.energy_pJ === undefined && uo.totals === undefined ? c.str(uo, uat, 'error') : undefined;
    if (ue !== undefined) {
      referenceErrors.push([c.str(uo, uat, ['name', 'label']) ?? `uniform ${j + 1}`, ue]);
      return [];
    }
    return pointIn(c, u, uat, `uniform ${j + 1}`) ?? [];
  });
  const bestObj = c.obj(p, at, 'best');
  const bat = [...at, 'best'];
  const chosen: SearchPoint | undefined = bestObj ? pointIn(c, bestObj, bat, objective ? `best by ${objective}` : 'best', true) : undefined;
  const schedule = bestObj && bestObj.schedule !== undefined ? scheduleIn(c, bestObj.schedule, [...bat, 'schedule']) : [];
  const sp = c.obj(bestObj, bat, 'state_placement');
  const statePlacement = sp ? Object.entries(sp).flatMap(([l, v]): [string, string][] => (typeof v === 'string' ? [[l, v]] : [])) : [];
  const bt = c.obj(bestObj, bat, 'totals');
  const tat = [...bat, 'totals'];
  const best = bt
    ? { totals: TOTAL_KEYS.flatMap((k): [string, number][] => {
        const v = c.num(bt, tat, k);
        return v === undefined ? [] : [[k, v]];
      }), offchipByKind: c.pairs(bt, tat, 'offchip_bytes_by_kind', ['bytes', 'value']) }
    : undefined;
  const frontSchedules: [string, ScheduleRow[]][] = [];
  const points = (c.arr(p, at, 'pareto') ?? []).flatMap((q, j) => {
    const pat = [...at, 'pareto', j];
    const v = pointIn(c, q, pat, `P${j + 1}`);
    if (v && isObj(q) && q.schedule !== undefined) frontSchedules.push([v.label, named(scheduleIn(c, q.schedule, [...pat, 'schedule']), schedule)]);
    return v ?? [];
  });
  if (c.problems.length > before) return undefined;
  const oldLabels = points.map((q) => q.label);
  const merged = mergeChosen(points, chosen);
  // a front point relabelled as the chosen one keeps its schedule under the new label
  points.forEach((q, j) => {
    const e = q.label !== oldLabels[j] ? frontSchedules.find(([l]) => l === oldLabels[j]) : undefined;
    if (e) e[0] = q.label;
  });
  if (points.length === 0 && !chosen && error === undefined) {
    c.problem(at, `\`points[${i}]\` has neither \`pareto\` points nor a \`best\` schedule (nor an \`error\`)`, 'explore writes points[] {label, uniform[], best, pareto[]}, or {label, error} for a point it could not schedule');
    return undefined;
  }
  return {
    label,
    sweep,
    capacityBytes,
    error,
    front: { name: `${name}: ${label}`, points, chosen: merged, references, objective, stats: stats(p) },
    referenceErrors,
    statePlacement,
    schedule,
    frontSchedules,
    best,
  };
}

export function exploreIn(c: Ctx, doc: Json, name: string): ExploreView | undefined {
  const list = c.arr(doc, [], 'points');
  if (!list || list.length === 0) {
    c.problem(['points'], 'an explore result needs `points[]` (one per sweep point)', 'write it with `spikeloop explore ... --json` or `--out DIR` (explore.json)');
    return undefined;
  }
  const objective = c.str(doc, [], 'objective');
  const points = list.flatMap((x, i) => explorePoint(c, x, i, objective, name) ?? []);
  return { name, network: c.str(doc, [], ['network', 'workload']), arch: c.str(doc, [], 'arch'), objective, run: factsIn(c, doc, [], RUN_KEYS), points, provenance: readProvenance(c, doc) };
}

export function readExplore(doc: Json, name: string): ExploreView | ReadProblem[] {
  const c = new Ctx();
  const v = exploreIn(c, doc, name);
  return v && c.problems.length === 0 ? v : c.problems;
}
