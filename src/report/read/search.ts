/** Reads a search / explore result (issue 4, 5): a Pareto set and the chosen point, into a SearchView. */
import type { EvalView, ReadProblem, SearchPoint, SearchView } from '../views.ts';
import { isProblem } from '../views.ts';
import { readEvaluation } from './evaluation.ts';
import { arr, isObj, num, obj, str, type Json } from './value.ts';

const POINT_KEYS = ['pareto', 'pareto_front', 'front', 'points', 'candidates'];

function point(p: Json, fallback: string): SearchPoint | undefined {
  const t = obj(p, 'totals') ?? p;
  const energy = num(t, 'energy_pJ', 'energy');
  const cycles = num(t, 'cycles');
  if (energy === undefined || cycles === undefined) return undefined;
  return { energy_pJ: energy, cycles, offchip_bytes: num(t, 'offchip_bytes'), label: str(p, 'label', 'name', 'id', 'mapping') ?? fallback };
}

function stats(doc: Json): [string, string][] {
  const s = obj(doc, 'stats', 'summary');
  if (!s) return [];
  const out: [string, string][] = [];
  for (const [k, v] of Object.entries(s)) {
    if (typeof v === 'number' && Number.isFinite(v)) out.push([k.replace(/_/g, ' '), v.toLocaleString('en-US', { maximumFractionDigits: 3 })]);
    else if (typeof v === 'string' || typeof v === 'boolean') out.push([k.replace(/_/g, ' '), String(v)]);
    else if (isObj(v)) {
      for (const [k2, v2] of Object.entries(v)) if (typeof v2 === 'number' || typeof v2 === 'string') out.push([`${k.replace(/_/g, ' ')}: ${k2}`, String(v2)]);
    }
  }
  return out;
}

export function readSearch(doc: Json, name: string): SearchView | ReadProblem {
  const key = POINT_KEYS.find((k) => isObj(doc) && Array.isArray(doc[k])) ?? 'pareto';
  const list = arr(doc, key) ?? [];
  const points: SearchPoint[] = [];
  const byIndex = new Map<number, SearchPoint>();
  let chosen: SearchPoint | undefined;
  list.forEach((p, i) => {
    const v = point(p, `#${i + 1}`);
    if (!v) return;
    points.push(v);
    byIndex.set(i, v);
    if (isObj(p) && (p.chosen === true || p.best === true || p.selected === true)) chosen = v;
  });
  if (points.length === 0 && list.length > 0) {
    return { problem: true, path: [key, 0], message: `no point of \`${key}\` has finite \`energy_pJ\` and \`cycles\``, hint: 'each point needs `energy_pJ` and `cycles` (directly or under `totals`)' };
  }
  const chosenObj = obj(doc, 'chosen', 'best', 'selected');
  let best: EvalView | undefined;
  if (chosenObj) {
    chosen = point(chosenObj, 'chosen') ?? chosen;
    const evalDoc = obj(chosenObj, 'evaluation') ?? (obj(chosenObj, 'totals') && arr(chosenObj, 'levels') ? chosenObj : undefined);
    if (evalDoc) {
      const e = readEvaluation(evalDoc, `${name} (chosen)`);
      if (!isProblem(e)) best = e;
      if (!chosen && !isProblem(e)) chosen = { energy_pJ: e.totals.energy_pJ, cycles: e.totals.cycles, offchip_bytes: e.totals.offchip_bytes, label: 'chosen' };
    }
  }
  const idx = num(doc, 'chosen_index', 'best_index');
  if (!chosen && idx !== undefined) chosen = byIndex.get(idx);
  // The chosen point given separately is drawn once: as the Pareto point with the same numbers, when there is one.
  const same = chosen && points.find((p) => p.energy_pJ === chosen!.energy_pJ && p.cycles === chosen!.cycles && p.offchip_bytes === chosen!.offchip_bytes);
  if (same) chosen = same;
  if (points.length === 0 && !chosen) {
    return { problem: true, path: [], message: 'no Pareto points and no chosen point', hint: `expected one of ${POINT_KEYS.map((k) => `\`${k}\``).join(', ')} with points {energy_pJ, cycles, offchip_bytes}` };
  }
  return { name, points, chosen, objective: str(doc, 'objective'), stats: stats(doc), best };
}
