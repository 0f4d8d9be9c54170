/** Reads an evaluation-like JSON object (spikeloop.evaluation/1 and anything shaped like it) into an EvalView. */
import type { ActionView, BandwidthView, EvalView, LevelActivity, LevelView, ReadProblem, Span, TensorView, Timeline } from '../views.ts';
import { Ctx, pathText, type Path } from './ctx.ts';
import { readProvenance } from './provenance.ts';
import { isObj, type Json } from './value.ts';

function tensors(c: Ctx, l: Json, path: Path): TensorView[] {
  const t = c.obj(l, path, 'tensors');
  if (!t) return [];
  const out: TensorView[] = [];
  for (const [name, s] of Object.entries(t)) {
    const at = [...path, 'tensors', name];
    const o = c.item(s, at);
    if (!o) continue;
    out.push({ name, reads: c.num(o, at, 'reads'), fills: c.num(o, at, 'fills'), updates: c.num(o, at, 'updates'), energy_pJ: c.num(o, at, 'energy_pJ'), bytes: c.num(o, at, 'bytes') });
  }
  return out;
}

function bandwidth(c: Ctx, l: Json, path: Path): BandwidthView | undefined {
  if (!isObj(l) || l.bandwidth_bits_per_cycle === undefined) return undefined;
  const b = l.bandwidth_bits_per_cycle;
  if (b === null) return { shared: null };
  if (typeof b === 'number') return { shared: c.num(l, path, 'bandwidth_bits_per_cycle') };
  const o = c.obj(l, path, 'bandwidth_bits_per_cycle');
  if (!o) return undefined;
  const at = [...path, 'bandwidth_bits_per_cycle'];
  const one = (k: string): number | null | undefined => (o[k] === null ? null : c.num(o, at, k));
  return { read: one('read'), write: one('write'), shared: one('shared') };
}

function level(c: Ctx, x: Json, i: number, path: Path): LevelView | undefined {
  const at = [...path, i];
  const l = c.item(x, at);
  if (!l) return undefined;
  const a = c.obj(l, at, 'energy_by_action');
  const aat = [...at, 'energy_by_action'];
  return {
    name: c.str(l, at, 'name') ?? `level ${i}`,
    energy_pJ: c.need(l, at, 'energy_pJ', 'each level needs its `energy_pJ`') ?? 0,
    byAction: a ? { read: c.num(a, aat, 'read'), fill: c.num(a, aat, 'fill'), update: c.num(a, aat, 'update') } : undefined,
    cycles: c.num(l, at, 'cycles'),
    throttling: c.num(l, at, 'bandwidth_throttling'),
    capacityUsedBits: c.num(l, at, 'capacity_used_bits'),
    capacityBits: l.capacity_bits === null ? null : c.num(l, at, 'capacity_bits'),
    readBits: c.num(l, at, 'read_bits'),
    writeBits: c.num(l, at, 'write_bits'),
    bandwidth: bandwidth(c, l, at),
    transferCycles: c.num(l, at, 'transfer_cycles'),
    tensors: tensors(c, l, at),
  };
}

function activity(c: Ctx, timing: Json, path: Path): LevelActivity[] {
  const read = (level: string, x: Json, at: Path): LevelActivity | undefined => {
    const busy = c.num(x, at, ['busy_cycles', 'busy']);
    const stall = c.num(x, at, ['stall_cycles', 'stall']);
    const idle = c.num(x, at, ['idle_cycles', 'idle']);
    return busy === undefined && stall === undefined && idle === undefined ? undefined : { level, busy, stall, idle };
  };
  const out: LevelActivity[] = [];
  const list = c.arr(timing, path, 'levels');
  list?.forEach((x, i) => {
    const at = [...path, 'levels', i];
    const o = c.item(x, at);
    const a = o && read(c.str(o, at, ['name', 'level']) ?? `level ${i}`, o, at);
    if (a) out.push(a);
  });
  const ca = c.obj(timing, path, 'compute_activity');
  const cv = ca && read('compute', ca, [...path, 'compute_activity']);
  if (cv) out.push(cv);
  const rec = c.obj(timing, path, 'per_level');
  if (rec && out.length === 0) {
    for (const [k, x] of Object.entries(rec)) {
      const a = read(k, x, [...path, 'per_level', k]);
      if (a) out.push(a);
    }
  }
  return out;
}

function spans(c: Ctx, list: readonly Json[] | undefined, path: Path, idx?: readonly number[]): Span[] {
  const out: Span[] = [];
  (list ?? []).forEach((s, i) => {
    const at = [...path, idx ? idx[i] : i];
    const o = c.item(s, at);
    if (!o) return;
    const start = c.num(o, at, ['start', 'begin'], { signed: true });
    const end = c.num(o, at, ['end', 'finish'], { signed: true });
    if (start === undefined || end === undefined) return;
    if (end < start) return c.problem(at, `\`${pathText(at)}\` ends (${end}) before it starts (${start})`);
    out.push({ start, end, state: c.str(o, at, ['state', 'kind', 'type']) ?? 'busy' });
  });
  return out;
}

function timeline(c: Ctx, timing: Json, path: Path): Timeline | undefined {
  if (!isObj(timing) || timing.timeline === undefined || timing.timeline === null) return undefined;
  const t = timing.timeline;
  const at = [...path, 'timeline'];
  const capped = isObj(t) && (t.capped === true || t.truncated === true);
  let lanes: { level: string; spans: Span[]; spansTotal?: number }[] = [];
  if (Array.isArray(t)) {
    const by = new Map<string, number[]>();
    t.forEach((x, i) => {
      const lv = isObj(x) ? c.str(x, [...at, i], 'level') : undefined;
      if (lv === undefined) return c.problem([...at, i], `\`${pathText([...at, i])}\` needs a \`level\` (a flat timeline lists {level, start, end, state})`);
      by.set(lv, [...(by.get(lv) ?? []), i]);
    });
    lanes = [...by].map(([level, is]) => ({ level, spans: spans(c, is.map((i) => t[i] as Json), at, is) }));
  } else if (isObj(t)) {
    const key = ['levels', 'lanes'].find((k) => t[k] !== undefined) ?? 'levels';
    const list = c.arr(t, at, key) ?? [];
    // A timeline binned over the whole run (`bin_cycles`) covers every cycle: its spans are merged per bin, none is
    // missing, so no lane is drawn as cut short.
    const binned = typeof t.bin_cycles === 'number' && t.bin_cycles > 0;
    lanes = list.flatMap((x, i) => {
      const lat = [...at, key, i];
      const o = c.item(x, lat);
      if (!o) return [];
      const sk = ['segments', 'spans', 'tiles', 'events'].find((k) => o[k] !== undefined) ?? 'spans';
      return [{ level: c.str(o, lat, ['name', 'level']) ?? `level ${i}`, spans: spans(c, c.arr(o, lat, sk), [...lat, sk]), spansTotal: binned ? undefined : c.num(o, lat, 'spans_total') }];
    });
  } else c.problem(at, `\`${pathText(at)}\` should be an object {levels: [...]} or an array of spans`);
  lanes = lanes.filter((l) => l.spans.length > 0);
  return lanes.length > 0 ? { lanes, capped } : undefined;
}

function compute(c: Ctx, doc: Json, path: Path): ActionView[] {
  const o = c.obj(doc, path, 'compute');
  if (!o) return [];
  return Object.entries(o).flatMap(([action, v]) => {
    const at = [...path, 'compute', action];
    const x = c.item(v, at);
    const e = x && c.need(x, at, 'energy_pJ', 'each compute action needs {count, energy_pJ}');
    return x && e !== undefined ? [{ action, count: c.num(x, at, 'count'), energy_pJ: e }] : [];
  });
}

const DETAILS: readonly (readonly [string, string])[] = [
  ['roofline_cycles', 'roofline cycles (same mapping)'],
  ['prologue_cycles', 'prologue cycles (first fills)'],
  ['epilogue_cycles', 'epilogue cycles (last drains)'],
  ['outer_tiles', 'outer tiles'],
  ['simulated_tiles', 'simulated tiles'],
];

function staticEnergy(c: Ctx, doc: Json, path: Path): EvalView['staticEnergy'] {
  const total = c.num(doc, path, 'energy_static_pJ');
  if (total === undefined || total === 0) return undefined;
  const s = c.obj(doc, path, 'energy_static');
  const at = [...path, 'energy_static'];
  return { total, levels: c.pairs(s, at, 'levels', ['energy_pJ', 'value']), computeIdle: c.num(s, at, 'compute_idle_pJ') };
}

/** Read one evaluation-like object at `path` of the document; problems go to `c`. */
export function evaluationIn(c: Ctx, doc: Json, name: string, path: Path = []): EvalView | undefined {
  const before = c.problems.length;
  const totals = c.obj(doc, path, 'totals');
  const tat = [...path, 'totals'];
  const timing = c.obj(doc, path, 'timing');
  const mat = [...path, 'timing'];
  // The totals sit under `totals` (evaluate --json) or at the top of the object (network layers).
  const where = (key: string, ...more: (readonly [Json, Path])[]): readonly [Json, Path] => {
    const cands: (readonly [Json, Path])[] = [[totals, tat], [doc, path], ...more];
    return cands.find(([o]) => isObj(o) && o[key] !== undefined && o[key] !== null) ?? (totals ? [totals, tat] : [doc, path]);
  };
  const hint = 'an evaluation needs `totals {energy_pJ, cycles}` as `spikeloop evaluate --json` writes it';
  const energy = c.need(...where('energy_pJ'), 'energy_pJ', hint);
  const cycles = c.need(...where('cycles', [timing, mat]), 'cycles', hint);
  const t = totals ?? doc;
  const tp = totals ? tat : path;
  const levelList = c.arr(doc, path, 'levels');
  const levels = levelList
    ? levelList.flatMap((l, i) => level(c, l, i, [...path, 'levels']) ?? [])
    : c.pairs(doc, path, 'energy_by_level', ['energy_pJ', 'value']).map(([n, e]): LevelView => ({ name: n, energy_pJ: e, tensors: [] }));
  const v: EvalView = {
    name,
    workload: c.str(doc, path, ['workload', 'network']),
    arch: c.str(doc, path, 'arch'),
    energySource: c.str(doc, path, 'energy_source'),
    totals: { energy_pJ: energy ?? 0, cycles: cycles ?? 0, offchip_bytes: c.num(t, tp, 'offchip_bytes'), computes: c.num(t, tp, 'computes') },
    levels,
    compute: compute(c, doc, path),
    energyByTensor: c.pairs(doc, path, 'energy_by_tensor', ['energy_pJ', 'value']),
    offchipByTensor: c.pairs(doc, path, 'offchip_bytes_by_tensor', ['bytes', 'value']),
    timing: {
      model: c.str(timing, mat, 'model'),
      cycles: c.num(timing, mat, 'cycles'),
      computeCycles: c.num(timing, mat, 'compute_cycles'),
      bottleneck: c.str(timing, mat, 'bottleneck'),
      activity: activity(c, timing, mat),
      timeline: timeline(c, timing, mat),
      details: DETAILS.flatMap(([k, label]): [string, number][] => {
        const x = c.num(timing, mat, k);
        return x === undefined ? [] : [[label, x]];
      }),
      stallShareByTensor: c.pairs(timing, mat, 'stall_share_by_tensor', ['value']),
    },
    staticEnergy: staticEnergy(c, doc, path),
    utilization: c.num(doc, path, 'utilization'),
    provenance: readProvenance(c, doc, path),
  };
  return c.problems.length > before ? undefined : v;
}

export function readEvaluation(doc: Json, name: string): EvalView | ReadProblem[] {
  const c = new Ctx();
  const v = evaluationIn(c, doc, name);
  return v && c.problems.length === 0 ? v : c.problems;
}
