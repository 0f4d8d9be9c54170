/** Reads an evaluation-like JSON object (spikeloop.evaluation/1 and anything shaped like it) into an EvalView. */
import type { ActionView, EvalView, LevelActivity, LevelView, ReadProblem, Span, TensorView, Timeline } from '../views.ts';
import { arr, isObj, num, obj, pairs, str, type Json } from './value.ts';

function tensors(l: Json): TensorView[] {
  const t = obj(l, 'tensors');
  if (!t) return [];
  const out: TensorView[] = [];
  for (const [name, s] of Object.entries(t)) {
    if (!isObj(s)) continue;
    out.push({
      name,
      reads: num(s, 'reads') ?? 0,
      fills: num(s, 'fills') ?? 0,
      updates: num(s, 'updates') ?? 0,
      energy_pJ: num(s, 'energy_pJ') ?? 0,
      bytes: num(s, 'bytes'),
    });
  }
  return out;
}

function level(l: Json, i: number): LevelView {
  const a = obj(l, 'energy_by_action');
  const cap = isObj(l) && l.capacity_bits === null ? null : num(l, 'capacity_bits');
  return {
    name: str(l, 'name') ?? `level ${i}`,
    energy_pJ: num(l, 'energy_pJ') ?? 0,
    byAction: a ? { read: num(a, 'read') ?? 0, fill: num(a, 'fill') ?? 0, update: num(a, 'update') ?? 0 } : undefined,
    cycles: num(l, 'cycles'),
    throttling: num(l, 'bandwidth_throttling'),
    capacityUsedBits: num(l, 'capacity_used_bits'),
    capacityBits: cap,
    bandwidthBitsPerCycle: num(l, 'bandwidth_bits_per_cycle', 'bandwidth'),
    tensors: tensors(l),
  };
}

function activity(timing: Json): LevelActivity[] {
  const read = (level: string, x: Json): LevelActivity | undefined => {
    const busy = num(x, 'busy_cycles', 'busy');
    const stall = num(x, 'stall_cycles', 'stall');
    const idle = num(x, 'idle_cycles', 'idle');
    return busy === undefined && stall === undefined && idle === undefined ? undefined : { level, busy, stall, idle };
  };
  const out: LevelActivity[] = [];
  const list = arr(timing, 'levels');
  if (list) {
    list.forEach((x, i) => {
      const a = read(str(x, 'name', 'level') ?? `level ${i}`, x);
      if (a) out.push(a);
    });
  }
  const c = obj(timing, 'compute_activity');
  const ca = c && read('compute', c);
  if (ca) out.push(ca);
  const rec = obj(timing, 'per_level');
  if (rec && out.length === 0) {
    for (const [k, x] of Object.entries(rec)) {
      const a = read(k, x);
      if (a) out.push(a);
    }
  }
  return out;
}

function spans(list: readonly Json[] | undefined): Span[] {
  const out: Span[] = [];
  for (const s of list ?? []) {
    const start = num(s, 'start', 'begin');
    const end = num(s, 'end', 'finish');
    if (start === undefined || end === undefined || end < start) continue;
    out.push({ start, end, state: str(s, 'state', 'kind', 'type') ?? 'busy' });
  }
  return out;
}

function timeline(timing: Json): Timeline | undefined {
  if (!isObj(timing)) return undefined;
  const t = timing.timeline;
  const capped = isObj(t) && (t.capped === true || t.truncated === true);
  let lanes: { level: string; spans: Span[]; spansTotal?: number }[] = [];
  if (Array.isArray(t) && t.some((x) => str(x, 'level') !== undefined)) {
    const by = new Map<string, Json[]>();
    for (const x of t) {
      const lv = str(x, 'level');
      if (lv !== undefined) by.set(lv, [...(by.get(lv) ?? []), x]);
    }
    lanes = [...by].map(([level, xs]) => ({ level, spans: spans(xs) }));
  } else {
    const list = Array.isArray(t) ? t : (arr(t, 'levels', 'lanes') ?? []);
    lanes = list.map((x, i) => ({ level: str(x, 'name', 'level') ?? `level ${i}`, spans: spans(arr(x, 'segments', 'spans', 'tiles', 'events')), spansTotal: num(x, 'spans_total') }));
  }
  lanes = lanes.filter((l) => l.spans.length > 0);
  return lanes.length > 0 ? { lanes, capped } : undefined;
}

function compute(c: Json): ActionView[] {
  if (!isObj(c)) return [];
  return Object.entries(c)
    .filter(([, v]) => isObj(v))
    .map(([action, v]) => ({ action, count: num(v, 'count') ?? 0, energy_pJ: num(v, 'energy_pJ') ?? 0 }));
}

const DETAILS: readonly (readonly [string, string])[] = [
  ['roofline_cycles', 'roofline cycles (same mapping)'],
  ['prologue_cycles', 'prologue cycles (first fills)'],
  ['epilogue_cycles', 'epilogue cycles (last drains)'],
  ['outer_tiles', 'outer tiles'],
  ['simulated_tiles', 'simulated tiles'],
];

function staticEnergy(doc: Json): EvalView['staticEnergy'] {
  const total = num(doc, 'energy_static_pJ');
  if (total === undefined || total <= 0) return undefined;
  const s = obj(doc, 'energy_static');
  return { total, levels: pairs(obj(s, 'levels'), ['energy_pJ', 'value']), computeIdle: num(s, 'compute_idle_pJ') ?? 0 };
}

/** Read one evaluation-like object; `path` is where it sits in the document (for diagnostics). */
export function readEvaluation(doc: Json, name: string, path: readonly (string | number)[] = []): EvalView | ReadProblem {
  const totals = obj(doc, 'totals');
  const energy = num(totals, 'energy_pJ') ?? num(doc, 'energy_pJ');
  const timing = obj(doc, 'timing');
  const cycles = num(totals, 'cycles') ?? num(doc, 'cycles') ?? num(timing, 'cycles');
  if (energy === undefined || cycles === undefined) {
    const missing = energy === undefined ? 'energy_pJ' : 'cycles';
    return {
      problem: true,
      path: totals ? [...path, 'totals'] : path,
      message: `\`totals.${missing}\` is missing or not a finite number`,
      hint: 'an evaluation needs `totals {energy_pJ, cycles}` as `spikeloop evaluate --json` writes it',
    };
  }
  // Network results give `energy_by_level {<level>: pJ}` instead of `levels[]`: levels with their energy only.
  const levels = arr(doc, 'levels')?.map(level) ?? pairs(obj(doc, 'energy_by_level'), ['energy_pJ', 'value']).map(([name, e]): LevelView => ({ name, energy_pJ: e, tensors: [] }));
  return {
    name,
    workload: str(doc, 'workload', 'network', 'name') ?? name,
    arch: str(doc, 'arch') ?? '',
    energySource: str(doc, 'energy_source'),
    totals: { energy_pJ: energy, cycles, offchip_bytes: num(totals, 'offchip_bytes') ?? num(doc, 'offchip_bytes'), computes: num(totals, 'computes') },
    levels,
    compute: compute(isObj(doc) ? doc.compute : undefined),
    energyByTensor: pairs(isObj(doc) ? doc.energy_by_tensor : undefined, ['energy_pJ', 'value']),
    offchipByTensor: pairs(isObj(doc) ? doc.offchip_bytes_by_tensor : undefined, ['bytes', 'value']),
    timing: {
      model: str(timing, 'model'),
      computeCycles: num(timing, 'compute_cycles'),
      bottleneck: str(timing, 'bottleneck'),
      activity: activity(timing),
      timeline: timeline(timing),
      details: DETAILS.flatMap(([k, label]): [string, number][] => {
        const v = num(timing, k);
        return v === undefined ? [] : [[label, v]];
      }),
      stallShareByTensor: pairs(obj(timing, 'stall_share_by_tensor'), ['value']),
    },
    staticEnergy: staticEnergy(doc),
    utilization: num(doc, 'utilization'),
  };
}
