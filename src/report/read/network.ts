/** Reads a network result (an evaluation with `layers[]`, issue 5) into a NetworkView. */
import type { LayerView, NetworkView, Occupancy, ReadProblem, ScheduleRow } from '../views.ts';
import { Ctx, type Path } from './ctx.ts';
import { evaluationIn } from './evaluation.ts';
import { isObj, type Json } from './value.ts';

function occupancy(c: Ctx, doc: Json): Occupancy | undefined {
  const sched = isObj(doc) && isObj(doc.schedule) ? doc.schedule : undefined;
  const [src, at] = isObj(doc) && doc.occupancy !== undefined ? [doc, [] as Path] : [sched, ['schedule'] as Path];
  const list = c.arr(src, at, 'occupancy');
  if (!list || list.length === 0) return undefined;
  const series: string[] = [];
  const rows: Map<string, number>[] = [];
  const steps: string[] = [];
  list.forEach((x, i) => {
    const eat = [...at, 'occupancy', i];
    const e = c.item(x, eat);
    if (!e) return;
    const row = new Map<string, number>();
    if (e.by_kind !== undefined || e.by_tensor !== undefined) for (const [k, v] of c.pairs(e, eat, ['by_kind', 'by_tensor'], ['bytes', 'value'])) row.set(k, v);
    else {
      const b = c.num(e, eat, ['bytes', 'onchip_bytes']);
      if (b !== undefined) row.set('on-chip', b);
      else c.problem(eat, `\`occupancy[${i}]\` has neither \`bytes\` nor \`by_kind\``, 'each occupancy step is {step|label, bytes} or {step|label, by_kind: {<kind>: bytes}}');
    }
    if (row.size === 0) return;
    for (const k of row.keys()) if (!series.includes(k)) series.push(k);
    rows.push(row);
    steps.push(c.str(e, eat, ['label', 'layer', 'name']) ?? String(c.num(e, eat, ['step', 't', 'time']) ?? i));
  });
  if (rows.length === 0) return undefined;
  const capacityBytes = c.num(doc, [], 'capacity_bytes') ?? c.num(sched, ['schedule'], 'capacity_bytes') ?? c.num(list[0], [...at, 'occupancy', 0], 'capacity_bytes');
  return { steps, series, values: rows.map((r) => series.map((s) => r.get(s) ?? 0)), capacityBytes };
}

/** `schedule[] {block, time_batch, tile_rows, state?}` (network / explore best) or `{blocks: [{timeBatch, tileRows, state?}]}`. */
export function scheduleIn(c: Ctx, v: Json, path: Path): ScheduleRow[] {
  const list = Array.isArray(v) ? v : isObj(v) ? c.arr(v, path, 'blocks') : undefined;
  const lp = Array.isArray(v) ? path : [...path, 'blocks'];
  return (list ?? []).flatMap((x, i) => {
    const at = [...lp, i];
    const b = c.item(x, at);
    if (!b) return [];
    const st = c.obj(b, at, 'state');
    const state = st ? Object.entries(st).flatMap(([k, p]): [string, string][] => (typeof p === 'string' ? [[k, p]] : [])) : [];
    const tile = isObj(b) && (b.tile_rows === null || b.tileRows === null) ? null : c.num(b, at, ['tile_rows', 'tileRows']);
    return [{ block: c.str(b, at, ['block', 'name']) ?? `b${i}`, timeBatch: c.num(b, at, ['time_batch', 'timeBatch']), tileRows: tile, state }];
  });
}

export function networkIn(c: Ctx, doc: Json, name: string): NetworkView | undefined {
  const total = evaluationIn(c, doc, name);
  const layers: LayerView[] = [];
  (c.arr(doc, [], 'layers') ?? []).forEach((x, i) => {
    const at = ['layers', i];
    const l = c.item(x, at);
    if (!l) return;
    const lname = c.str(l, at, ['name', 'layer', 'workload']) ?? `layer ${i}`;
    const v = evaluationIn(c, l, lname, at);
    if (!v) return;
    const t = c.obj(l, at, 'totals');
    const tat = [...at, 'totals'];
    layers.push({
      ...v,
      name: lname,
      op: c.str(l, at, 'op'),
      block: c.str(l, at, 'block'),
      stateBytes: c.num(l, at, 'state_bytes') ?? c.num(t, tat, 'state_bytes'),
      weightBytes: c.num(l, at, 'weight_bytes') ?? c.num(t, tat, 'weight_bytes'),
      peakOnchipBytes: c.num(l, at, 'peak_onchip_bytes') ?? c.num(t, tat, 'peak_onchip_bytes'),
      statePlacement: c.str(l, at, 'state_placement'),
      offchipByKind: c.pairs(t ?? l, t ? tat : at, 'offchip_bytes_by_kind', ['bytes', 'value']),
    });
  });
  if (!total) return undefined;
  const totals = c.obj(doc, [], 'totals');
  const tat = ['totals'];
  const byKind = totals && totals.offchip_bytes_by_kind !== undefined ? c.pairs(totals, tat, 'offchip_bytes_by_kind', ['bytes', 'value']) : c.pairs(doc, [], 'offchip_bytes_by_kind', ['bytes', 'value']);
  return {
    total,
    layers,
    offchipByKind: byKind,
    stateBytes: c.num(totals, tat, 'state_bytes'),
    weightBytes: c.num(totals, tat, 'weight_bytes'),
    peakOnchipBytes: c.num(totals, tat, 'peak_onchip_bytes'),
    onchipCapacityBytes: c.num(totals, tat, 'onchip_capacity_bytes') ?? c.num(doc, [], 'capacity_bytes'),
    occupancy: occupancy(c, doc),
    schedule: isObj(doc) && Array.isArray(doc.schedule) ? scheduleIn(c, doc.schedule, ['schedule']) : [],
    stemsCompat: c.bool(doc, [], 'stems_compat'),
  };
}

export function readNetwork(doc: Json, name: string): NetworkView | ReadProblem[] {
  const c = new Ctx();
  const v = networkIn(c, doc, name);
  return v && c.problems.length === 0 ? v : c.problems;
}
