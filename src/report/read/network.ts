/** Reads a network result (an evaluation with `layers[]`, issue 5) into a NetworkView. */
import type { LayerView, NetworkView, Occupancy, ReadProblem, ScheduleRow } from '../views.ts';
import { Ctx, type Path } from './ctx.ts';
import { evaluationIn } from './evaluation.ts';
import { factsIn, type FactKey } from './facts.ts';
import { isObj, type Json } from './value.ts';

/** How a network result was computed (top-level fields of spikeloop.network-evaluation/1). */
const RUN_KEYS: readonly FactKey[] = [
  ['chunk_mapper', 'chunk mapper'],
  ['constraints', 'mapping constraints'],
  ['spike_format', 'spike format'],
  ['final_state_writeback', 'final state written back'],
];

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
  // A kind that is 0 at every step holds nothing: it is not a series (the chart and table leave it out).
  const held = series.filter((s) => rows.some((r) => (r.get(s) ?? 0) > 0));
  const kept = held.length > 0 ? held : series;
  const peakBytes = isObj(doc) && isObj(doc.totals) ? c.num(doc.totals, ['totals'], 'peak_onchip_bytes') : undefined;
  return { steps, series: kept, values: rows.map((r) => kept.map((s) => r.get(s) ?? 0)), capacityBytes, peakBytes };
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
    return [{ block: c.str(b, at, ['block', 'name']) ?? `b${i}`, timeBatch: c.num(b, at, ['time_batch', 'timeBatch']), tileRows: tile, tileAxis: c.str(b, at, ['tile_axis', 'tileAxis']), state }];
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
      offchipByKind: c.pairs(l.offchip_bytes_by_kind !== undefined ? l : t, l.offchip_bytes_by_kind !== undefined ? at : tat, 'offchip_bytes_by_kind', ['bytes', 'value']),
      chunks: c.num(l, at, 'chunks'),
      chunkMapping: c.str(l, at, 'chunk_mapping'),
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
    warnings: warningsIn(c, doc),
    streamedOps: c.num(totals, tat, 'streamed_ops'),
    dramBoundCycles: isObj(doc) && isObj(doc.timing) ? c.num(doc.timing, ['timing'], 'dram_bound_cycles') : undefined,
    run: factsIn(c, doc, [], RUN_KEYS),
  };
}

/** `warnings[]`: strings (or `{message}` objects); undefined when the result has none listed. */
function warningsIn(c: Ctx, doc: Json): string[] | undefined {
  const list = c.arr(doc, [], 'warnings');
  if (!list) return undefined;
  return list.flatMap((w, i) => {
    if (typeof w === 'string') return w === '' ? [] : [w];
    const m = isObj(w) ? c.str(w, ['warnings', i], 'message') : undefined;
    if (m === undefined) c.problem(['warnings', i], `\`warnings[${i}]\` should be a string (or {message}), got ${w === null ? 'null' : typeof w}`, 'the network result lists its warnings as text');
    return m === undefined ? [] : [m];
  });
}

export function readNetwork(doc: Json, name: string): NetworkView | ReadProblem[] {
  const c = new Ctx();
  const v = networkIn(c, doc, name);
  return v && c.problems.length === 0 ? v : c.problems;
}
