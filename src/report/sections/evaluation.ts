/** Report sections of one evaluation: overview, energy, off-chip traffic, roofline, pipeline timing, accesses. */
import { energyBreakdownChart, unattributed } from '../charts/energy-breakdown.ts';
import { levelActivityChart } from '../charts/level-activity.ts';
import { offchipChart } from '../charts/offchip-traffic.ts';
import { rooflineChart } from '../charts/roofline.ts';
import { timelineChart } from '../charts/timeline.ts';
import { present, section, table, type DocSection, type DocTable } from '../doc.ts';
import type { EvalView } from '../views.ts';
import { byteCell, count, energy, num, opt, pJ, share } from './numbers.ts';

export function overviewFacts(e: EvalView): [string, string][] {
  const f: [string, string][] = [];
  if (e.workload) f.push(['workload', e.workload]);
  if (e.arch) f.push(['arch', e.arch]);
  f.push(['energy', `${energy(e.totals.energy_pJ)} (${num(Math.round(e.totals.energy_pJ * 100) / 100)} pJ)`]);
  f.push(['cycles', `${num(e.totals.cycles)}${e.timing.model ? ` (${e.timing.model} timing)` : ''}`]);
  if (e.timing.bottleneck) f.push(['bottleneck', e.timing.bottleneck]);
  if (e.totals.offchip_bytes !== undefined) f.push(['off-chip traffic', byteCell(e.totals.offchip_bytes)]);
  if (e.totals.computes !== undefined) f.push(['synaptic operations', count(e.totals.computes)]);
  if (e.staticEnergy) f.push(['static energy (leakage, idle)', `${energy(e.staticEnergy.total)} (${share(e.staticEnergy.total, e.totals.energy_pJ)})`]);
  if (e.utilization !== undefined) f.push(['compute utilization', `${(100 * e.utilization).toFixed(1)}%`]);
  if (e.energySource) f.push(['energy table', e.energySource]);
  return f;
}

function energySection(e: EvalView, id: string): DocSection | undefined {
  const chart = energyBreakdownChart(e, `${id}-energy`);
  if (!chart) return undefined;
  const total = e.totals.energy_pJ;
  const rows: string[][] = [];
  for (const l of e.levels) {
    for (const t of l.tensors) rows.push([`${l.name} / ${t.name}`, ...pJ(t.energy_pJ), share(t.energy_pJ, total)]);
    const rest = unattributed(l.energy_pJ, l.tensors.reduce((a, t) => a + t.energy_pJ, 0));
    if (rest > 0) rows.push([`${l.name} / other (not per tensor)`, ...pJ(rest), share(rest, total)]);
  }
  for (const c of e.compute) rows.push([`compute / ${c.action} (${count(c.count)} ops)`, ...pJ(c.energy_pJ), share(c.energy_pJ, total)]);
  const st = e.staticEnergy;
  if (st) {
    for (const [l, v] of st.levels) rows.push([`${l} / static (leakage)`, ...pJ(v), share(v, total)]);
    if (st.computeIdle > 0) rows.push(['compute / idle (static)', ...pJ(st.computeIdle), share(st.computeIdle, total)]);
  }
  const byLevel = e.levels.map((l) => [l.name, ...pJ(l.energy_pJ), share(l.energy_pJ, total), ...(l.byAction ? [pJ(l.byAction.read)[1], pJ(l.byAction.fill)[1], pJ(l.byAction.update)[1]] : ['-', '-', '-'])]);
  const tables = [
    { caption: 'Energy by level and tensor, and by compute action (the bars of the chart).', table: table(['level / tensor', 'energy', 'pJ', 'share'], rows, ['total', ...pJ(total), total > 0 ? '100.0%' : '-']) },
    { caption: 'Energy by level and access kind (pJ).', table: table(['level', 'energy', 'pJ', 'share', 'reads pJ', 'fills pJ', 'updates pJ'], byLevel) },
  ];
  if (e.energyByTensor.length > 0) {
    tables.push({ caption: 'Energy by tensor over all levels.', table: table(['tensor', 'energy', 'pJ', 'share'], e.energyByTensor.map(([t, v]) => [t, ...pJ(v), share(v, total)])) });
  }
  return section(`${id}-energy-s`, 'Energy', { charts: [chart], tables });
}

function offchipSection(e: EvalView, id: string): DocSection | undefined {
  const chart = offchipChart(e.name, e.offchipByTensor, `${id}-offchip`);
  if (!chart) return undefined;
  const total = e.totals.offchip_bytes ?? e.offchipByTensor.reduce((a, [, b]) => a + b, 0);
  return section(`${id}-offchip-s`, 'Off-chip traffic', {
    charts: [chart],
    tables: [{ caption: 'Off-chip bytes per tensor.', table: table(['tensor', 'bytes', 'share'], e.offchipByTensor.map(([t, b]) => [t, byteCell(b), share(b, total)]), ['total', byteCell(total), total > 0 ? '100.0%' : '-']) }],
  });
}

function rooflineSection(e: EvalView, id: string): DocSection | undefined {
  const chart = rooflineChart(e, `${id}-roofline`);
  if (!chart) return undefined;
  const rows = e.levels.map((l) => {
    const moved = l.tensors.some((t) => t.bytes !== undefined) ? l.tensors.reduce((a, t) => a + (t.bytes ?? 0), 0) : undefined;
    const perCycle = moved !== undefined && e.totals.cycles > 0 ? moved / e.totals.cycles : undefined;
    const util = perCycle !== undefined && l.bandwidthBitsPerCycle ? (100 * perCycle * 8) / l.bandwidthBitsPerCycle : undefined;
    return [
      l.name + (l.name === e.timing.bottleneck ? ' (bottleneck)' : ''),
      count(l.cycles),
      opt(l.throttling, (t) => (t >= 1 ? 'none' : `${(100 * t).toFixed(1)}%`)),
      byteCell(moved),
      opt(perCycle, (v) => v.toFixed(2)),
      opt(l.bandwidthBitsPerCycle, num),
      opt(util, (u) => `${u.toFixed(1)}%`),
    ];
  });
  if (e.timing.computeCycles !== undefined) rows.push(['compute' + (e.timing.bottleneck === 'compute' ? ' (bottleneck)' : ''), count(e.timing.computeCycles), '-', '-', '-', '-', '-']);
  return section(`${id}-roofline-s`, 'Bandwidth and roofline', {
    note: 'Bytes moved are all instances of a level, in and out; bandwidth utilization is bytes per cycle over the run against the level\'s bandwidth, where the input gives the bandwidth.',
    charts: [chart],
    tables: [{ caption: 'Cycles each level needs, its throttling of compute, and its traffic per cycle.', table: table(['level', 'cycles needed', 'throttling', 'bytes moved', 'bytes / cycle', 'bandwidth bits / cycle', 'bandwidth utilization'], rows, ['total', count(e.totals.cycles), '', '', '', '', '']) }],
  });
}

function timingSection(e: EvalView, id: string): DocSection | undefined {
  const charts = present([timelineChart(e, `${id}-timeline`), levelActivityChart(e, `${id}-activity`)]);
  if (charts.length === 0) {
    return section(`${id}-timing-s`, 'Pipeline timeline', {
      note: `No per-level timeline in this result (timing model: ${e.timing.model ?? 'unknown'}); evaluate with \`--timing pipeline\` once the pipeline model records one to see busy and stall time per level.`,
    });
  }
  const tables: DocTable[] = [];
  if (e.timing.activity.length > 0) {
    tables.push({ caption: 'Busy, stall and idle cycles per level (and the compute array).', table: table(['level', 'busy', 'stall', 'idle'], e.timing.activity.map((a) => [a.level, count(a.busy), count(a.stall), count(a.idle)])) });
  }
  const tl = e.timing.timeline;
  if (tl) {
    const states = [...new Set(tl.lanes.flatMap((l) => l.spans.map((s) => s.state)))];
    const rows = tl.lanes.map((l) => [l.level, `${num(l.spans.length)}${l.spansTotal !== undefined && l.spansTotal > l.spans.length ? ` of ${num(l.spansTotal)}` : ''}`, ...states.map((st) => count(l.spans.filter((s) => s.state === st).reduce((a, s) => a + s.end - s.start, 0))), count(Math.max(...l.spans.map((s) => s.end)))]);
    tables.push({ caption: `Timeline spans per level: cycles spent in each state${tl.capped ? ' (timeline capped by the model)' : ''}.`, table: table(['level', 'spans', ...states.map((s) => `${s} cycles`), 'last end'], rows) });
  }
  if (e.timing.stallShareByTensor.some(([, v]) => v > 0)) {
    tables.push({ caption: 'Share of the compute stall cycles caused by each tensor.', table: table(['tensor', 'share of stalls'], e.timing.stallShareByTensor.map(([t, v]) => [t, `${(100 * v).toFixed(1)}%`])) });
  }
  const facts = e.timing.details.map(([k, v]): [string, string] => [k, count(v)]);
  return section(`${id}-timing-s`, 'Pipeline timeline', { facts, charts, tables });
}

function accessSection(e: EvalView, id: string): DocSection | undefined {
  if (e.levels.length === 0) return undefined;
  const rows = e.levels.flatMap((l) => l.tensors.map((t) => [`${l.name} / ${t.name}`, count(t.reads), count(t.fills), count(t.updates), byteCell(t.bytes)]));
  const cap = e.levels.map((l) => [l.name, opt(l.capacityUsedBits, (b) => byteCell(b / 8)), l.capacityBits === null ? 'unbounded' : opt(l.capacityBits, (b) => byteCell(b / 8)), l.capacityBits ? share(l.capacityUsedBits ?? 0, l.capacityBits) : '-']);
  return section(`${id}-access-s`, 'Accesses and capacity', {
    note: 'Counts are words per instance (Timeloop convention); bytes are over all instances. Levels outermost first.',
    tables: [
      { caption: 'Accesses per level and tensor.', table: table(['level / tensor', 'reads', 'fills', 'updates', 'bytes moved'], rows) },
      { caption: 'Capacity used per instance (double buffering counted).', table: table(['level', 'used', 'capacity', 'share'], cap) },
    ],
  });
}

/** Every section an evaluation supports, under one result heading. */
export function evaluationSections(e: EvalView, id: string, heading: string): DocSection[] {
  return [
    section(`${id}`, heading, { level: 2, facts: overviewFacts(e) }),
    ...present([energySection(e, id), offchipSection(e, id), rooflineSection(e, id), timingSection(e, id), accessSection(e, id)]),
  ];
}
