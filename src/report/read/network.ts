/** Reads a network result (an evaluation with `layers[]`, issue 5) into a NetworkView. */
import type { LayerView, NetworkView, Occupancy, ReadProblem } from '../views.ts';
import { isProblem } from '../views.ts';
import { readEvaluation } from './evaluation.ts';
import { arr, isObj, num, obj, pairs, str, type Json } from './value.ts';

function occupancy(doc: Json): Occupancy | undefined {
  const list = arr(doc, 'occupancy') ?? arr(obj(doc, 'schedule'), 'occupancy');
  if (!list || list.length === 0) return undefined;
  const series: string[] = [];
  const rows: Map<string, number>[] = [];
  const steps: string[] = [];
  list.forEach((e, i) => {
    const row = new Map<string, number>();
    const kinds = obj(e, 'by_kind', 'by_tensor');
    if (kinds) for (const [k, v] of pairs(kinds, ['bytes', 'value'])) row.set(k, v);
    else {
      const b = num(e, 'bytes', 'onchip_bytes');
      if (b !== undefined) row.set('on-chip', b);
    }
    if (row.size === 0) return;
    for (const k of row.keys()) if (!series.includes(k)) series.push(k);
    rows.push(row);
    steps.push(str(e, 'label', 'layer', 'name') ?? String(num(e, 'step', 't', 'time') ?? i));
  });
  if (rows.length === 0) return undefined;
  const capacityBytes = num(doc, 'capacity_bytes') ?? num(obj(doc, 'schedule'), 'capacity_bytes') ?? num(list[0], 'capacity_bytes');
  return { steps, series, values: rows.map((r) => series.map((s) => r.get(s) ?? 0)), capacityBytes };
}

export function readNetwork(doc: Json, name: string): NetworkView | ReadProblem {
  const total = readEvaluation(doc, name);
  if (isProblem(total)) return total;
  const layers: LayerView[] = [];
  const list = arr(doc, 'layers') ?? [];
  for (let i = 0; i < list.length; i++) {
    const l = list[i];
    const lname = str(l, 'name', 'layer', 'workload') ?? `layer ${i}`;
    const v = readEvaluation(l, lname, ['layers', i]);
    if (isProblem(v)) return v;
    const t = obj(l, 'totals');
    layers.push({
      ...v,
      name: lname,
      stateBytes: num(l, 'state_bytes') ?? num(t, 'state_bytes'),
      weightBytes: num(l, 'weight_bytes') ?? num(t, 'weight_bytes'),
      peakOnchipBytes: num(l, 'peak_onchip_bytes') ?? num(t, 'peak_onchip_bytes'),
    });
  }
  const totals = obj(doc, 'totals');
  return {
    total,
    layers,
    offchipByKind: pairs(isObj(totals) ? totals.offchip_bytes_by_kind : isObj(doc) ? doc.offchip_bytes_by_kind : undefined, ['bytes', 'value']),
    stateBytes: num(totals, 'state_bytes'),
    weightBytes: num(totals, 'weight_bytes'),
    peakOnchipBytes: num(totals, 'peak_onchip_bytes'),
    onchipCapacityBytes: num(totals, 'onchip_capacity_bytes') ?? num(doc, 'capacity_bytes'),
    occupancy: occupancy(doc),
  };
}
