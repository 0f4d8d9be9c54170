/** Reads a search result (issue 4: spikeloop.search/1, its pareto.json, or any Pareto set) into a SearchView. */
import type { EvalView, ReadProblem, SearchPoint, SearchView } from '../views.ts';
import { Ctx, type Path } from './ctx.ts';
import { evaluationIn } from './evaluation.ts';
import { readProvenance } from './provenance.ts';
import { isObj, type Json } from './value.ts';

export const POINT_KEYS = ['pareto', 'pareto_front', 'front', 'points', 'candidates'] as const;

/** A point `{energy_pJ, cycles, offchip_bytes?}` (numbers directly or under `totals`); both numbers required. */
/**
 * A point `{energy_pJ, cycles, offchip_bytes?, label?}`, the numbers directly or under `totals` (under `totals` first,
 * unless `direct`: then the point's own numbers win, as in explore's `best`, whose `totals` is the full network total).
 */
export function pointIn(c: Ctx, p: Json, path: Path, fallback: string, direct = false): SearchPoint | undefined {
  const o = c.item(p, path);
  if (!o) return undefined;
  const hasTotals = isObj(o.totals) && !(direct && o.energy_pJ !== undefined && o.cycles !== undefined);
  const t = hasTotals ? o.totals : o;
  const at = hasTotals ? [...path, 'totals'] : path;
  const hint = 'each point needs `energy_pJ` and `cycles` (directly or under `totals`)';
  const energy = c.need(t, at, ['energy_pJ', 'energy'], hint);
  const cycles = c.need(t, at, 'cycles', hint);
  if (energy === undefined || cycles === undefined) return undefined;
  return { energy_pJ: energy, cycles, offchip_bytes: c.num(t, at, 'offchip_bytes'), label: c.str(o, path, ['label', 'name', 'id']) ?? fallback };
}

/**
 * The chosen point given separately is drawn once: as the Pareto point with the same numbers (up to rounding), when there is one
 * (that point, relabelled `best by energy (P1)`, replaces it in `points`). Returns the chosen point to use.
 */
/** Equal up to rounding: the same number summed in another order differs in its last digits. */
const close = (a: number, b: number): boolean => a === b || Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));

export function mergeChosen(points: SearchPoint[], chosen: SearchPoint | undefined): SearchPoint | undefined {
  if (!chosen || points.includes(chosen)) return chosen;
  const i = points.findIndex((p) => close(p.energy_pJ, chosen.energy_pJ) && close(p.cycles, chosen.cycles) && (p.offchip_bytes === chosen.offchip_bytes || (p.offchip_bytes !== undefined && chosen.offchip_bytes !== undefined && close(p.offchip_bytes, chosen.offchip_bytes))));
  if (i < 0) return chosen;
  const same = points[i];
  const merged = { ...same, label: chosen.label === same.label ? same.label : `${chosen.label} (${same.label})` };
  points[i] = merged;
  return merged;
}

const words = (k: string): string => k.replace(/_/g, ' ');
const fmt = (v: number): string => v.toLocaleString('en-US', { maximumFractionDigits: 3 });

/** Statistics: the top-level fields of spikeloop.search/1, else a `stats`/`summary` object. */
function stats(c: Ctx, doc: Json): [string, string][] {
  if (!isObj(doc)) return [];
  const out: [string, string][] = [];
  const flat = (k: string, v: unknown): void => {
    if (typeof v === 'number' && Number.isFinite(v)) out.push([words(k), fmt(v)]);
    else if (typeof v === 'string' || typeof v === 'boolean') out.push([words(k), String(v)]);
  };
  for (const k of ['strategy', 'constraints', 'seed', 'threads', 'seconds', 'evaluations_per_second', 'stop', 'optimal']) flat(k, doc[k]);
  const space = c.obj(doc, [], 'space');
  if (space) {
    const total = c.str(space, ['space'], 'total');
    const log = c.num(space, ['space'], 'log10_total');
    if (total !== undefined) out.push(['mapspace size', `${space.total_is_exact === true ? '' : 'at most '}${/^\d+$/.test(total) && total.length > 15 ? `10^${log?.toFixed(2) ?? total.length - 1}` : total}`]);
  }
  const explored = c.obj(doc, [], 'explored');
  if (explored) for (const [k, v] of Object.entries(explored)) flat(`mappings ${k}`, v);
  (c.arr(doc, [], 'invalid') ?? []).forEach((x, i) => {
    const at = ['invalid', i];
    const o = c.item(x, at);
    if (!o) return;
    const n = c.num(o, at, 'count');
    if (n !== undefined) out.push([`invalid: ${c.str(o, at, 'stage') ?? '?'}${o.level ? ` at ${c.str(o, at, 'level')}` : ''}`, fmt(n)]);
  });
  const s = c.obj(doc, [], ['stats', 'summary']);
  if (s) {
    for (const [k, v] of Object.entries(s)) {
      if (isObj(v)) {
        for (const [k2, v2] of Object.entries(v)) if (typeof v2 === 'number' || typeof v2 === 'string') out.push([`${words(k)}: ${k2}`, typeof v2 === 'number' ? fmt(v2) : v2]);
      } else flat(k, v);
    }
  }
  return out;
}

/** The search view of a document (`doc` an object, or an array: a bare Pareto set such as pareto.json). */
export function searchIn(c: Ctx, doc: Json, name: string): SearchView | undefined {
  const before = c.problems.length;
  const key = Array.isArray(doc) ? undefined : (POINT_KEYS.find((k) => isObj(doc) && doc[k] !== undefined) ?? 'pareto');
  const list = Array.isArray(doc) ? doc : (c.arr(doc, [], key!) ?? []);
  const base: Path = key ? [key] : [];
  const points: SearchPoint[] = [];
  const byIndex = new Map<number, SearchPoint>();
  let chosen: SearchPoint | undefined;
  list.forEach((p, i) => {
    const v = pointIn(c, p, [...base, i], `P${i + 1}`);
    if (!v) return;
    points.push(v);
    byIndex.set(i, v);
    if (isObj(p) && (p.chosen === true || p.best === true || p.selected === true)) chosen = v;
  });
  const objective = c.str(doc, [], 'objective');
  const ck = ['chosen', 'best', 'selected'].find((k) => isObj(doc) && doc[k] !== undefined);
  const chosenObj = ck ? c.obj(doc, [], ck) : undefined;
  let best: EvalView | undefined;
  let mappingYaml: string | undefined;
  if (chosenObj && ck) {
    const at = [ck];
    mappingYaml = c.str(chosenObj, at, 'mapping_yaml');
    const hasNumbers = isObj(chosenObj.totals) || chosenObj.energy_pJ !== undefined || chosenObj.energy !== undefined;
    if (isObj(chosenObj.evaluation)) best = evaluationIn(c, chosenObj.evaluation, `${name} (chosen)`, [...at, 'evaluation']);
    else if (Array.isArray(chosenObj.levels)) best = evaluationIn(c, chosenObj, `${name} (chosen)`, at);
    const label = c.str(chosenObj, at, ['label', 'name', 'id']) ?? (objective ? `best by ${objective}` : 'chosen');
    if (hasNumbers) chosen = pointIn(c, chosenObj, at, label);
    else if (best) chosen = { energy_pJ: best.totals.energy_pJ, cycles: best.totals.cycles, offchip_bytes: best.totals.offchip_bytes, label };
  }
  const idx = c.num(doc, [], ['chosen_index', 'best_index']);
  if (!chosen && idx !== undefined) chosen = byIndex.get(idx);
  chosen = mergeChosen(points, chosen);
  if (c.problems.length > before) return undefined;
  if (points.length === 0 && !chosen) {
    c.problem(key ? [key] : [], 'no Pareto points and no chosen point', `expected one of ${POINT_KEYS.map((k) => `\`${k}\``).join(', ')} with points {energy_pJ, cycles, offchip_bytes}, or \`best\``);
    return undefined;
  }
  return {
    name,
    workload: c.str(doc, [], 'workload'),
    arch: c.str(doc, [], 'arch'),
    points,
    chosen,
    references: [],
    objective,
    stats: stats(c, doc),
    best,
    mappingYaml,
    provenance: readProvenance(c, doc),
  };
}

export function readSearch(doc: Json, name: string): SearchView | ReadProblem[] {
  const c = new Ctx();
  const v = searchIn(c, doc, name);
  return v && c.problems.length === 0 ? v : c.problems;
}
