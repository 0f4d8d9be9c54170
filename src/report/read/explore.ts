/**
 * Reads an explore result (issue 5, schema spikeloop.explore/1) into an ExploreView: per sweep point (one when
 * there is no sweep) the Pareto front of schedules, the best schedule and the uniform reference schedules.
 */
import type { ExplorePoint, ExploreView, ReadProblem, ScheduleRow, SearchPoint } from '../views.ts';
import { Ctx, type Path } from './ctx.ts';
import { scheduleIn } from './network.ts';
import { readProvenance } from './provenance.ts';
import { mergeChosen, pointIn } from './search.ts';
import { isObj, type Json } from './value.ts';

const STAT_KEYS: readonly (readonly [string, string])[] = [
  ['method', 'method'],
  ['evaluated', 'schedules evaluated'],
  ['block_evaluations', 'block evaluations'],
  ['stopped', 'stopped early'],
  ['seconds', 'seconds'],
];

const TOTAL_KEYS = ['energy_pJ', 'cycles', 'offchip_bytes', 'computes', 'ops_dense', 'state_bytes', 'weight_bytes', 'activation_bytes', 'peak_onchip_bytes', 'onchip_capacity_bytes'];

/** Block names of the best schedule given to the unnamed blocks of the Pareto schedules (same order). */
const named = (rows: readonly ScheduleRow[], names: readonly ScheduleRow[]): ScheduleRow[] => rows.map((r, i) => (names[i] && /^b\d+$/.test(r.block) ? { ...r, block: names[i].block } : r));

function explorePoint(c: Ctx, x: Json, i: number, objective: string | undefined, name: string): ExplorePoint | undefined {
  const at: Path = ['points', i];
  const p = c.item(x, at);
  if (!p) return undefined;
  const before = c.problems.length;
  const capacityBytes = c.num(p, at, 'capacity_bytes');
  const label = c.str(p, at, 'label') ?? (capacityBytes !== undefined ? `${capacityBytes} B` : `point ${i + 1}`);
  const stats: [string, string][] = [];
  for (const [k, l] of STAT_KEYS) {
    const v = p[k];
    if (typeof v === 'number' && Number.isFinite(v)) stats.push([l, v.toLocaleString('en-US', { maximumFractionDigits: 3 })]);
    else if (typeof v === 'string' || typeof v === 'boolean') stats.push([l, String(v)]);
  }
  const references = (c.arr(p, at, 'uniform') ?? []).flatMap((u, j) => pointIn(c, u, [...at, 'uniform', j], `uniform ${j + 1}`) ?? []);
  const bestObj = c.obj(p, at, 'best');
  const bat = [...at, 'best'];
  const chosen: SearchPoint | undefined = bestObj ? pointIn(c, bestObj, bat, objective ? `best by ${objective}` : 'best') : undefined;
  const schedule = bestObj && bestObj.schedule !== undefined ? scheduleIn(c, bestObj.schedule, [...bat, 'schedule']) : [];
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
  if (points.length === 0 && !chosen) {
    c.problem(at, `\`points[${i}]\` has neither \`pareto\` points nor a \`best\` schedule`, 'explore writes points[] {label, uniform[], best, pareto[]}');
    return undefined;
  }
  return { label, capacityBytes, front: { name: `${name}: ${label}`, points, chosen: merged, references, objective, stats }, schedule, frontSchedules, best };
}

export function exploreIn(c: Ctx, doc: Json, name: string): ExploreView | undefined {
  const list = c.arr(doc, [], 'points');
  if (!list || list.length === 0) {
    c.problem(['points'], 'an explore result needs `points[]` (one per sweep point)', 'write it with `spikeloop explore ... --json` or `--out DIR` (explore.json)');
    return undefined;
  }
  const objective = c.str(doc, [], 'objective');
  const points = list.flatMap((x, i) => explorePoint(c, x, i, objective, name) ?? []);
  return { name, network: c.str(doc, [], ['network', 'workload']), arch: c.str(doc, [], 'arch'), objective, points, provenance: readProvenance(c, doc) };
}

export function readExplore(doc: Json, name: string): ExploreView | ReadProblem[] {
  const c = new Ctx();
  const v = exploreIn(c, doc, name);
  return v && c.problems.length === 0 ? v : c.problems;
}
