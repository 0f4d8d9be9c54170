/** Report sections of one evaluation: overview, energy, off-chip traffic, roofline, pipeline timing, accesses. */
import { energyBreakdownChart, tensorSum, unattributed } from '../charts/energy-breakdown.ts';
import { activityMismatches, levelActivityChart } from '../charts/level-activity.ts';
import { offchipChart } from '../charts/offchip-traffic.ts';
import { portUtilization, rooflineChart, unlimited } from '../charts/roofline.ts';
import { timelineChart } from '../charts/timeline.ts';
import { present, section, table, tableIf, type DocSection, type DocTable } from '../doc.ts';
import type { BandwidthView, EvalView } from '../views.ts';
import { byteCell, count, energy, num, opt, pJ, share } from './numbers.ts';

export function overviewFacts(e: EvalView): [string, string][] {
  const f: [string, string][] = [];
  if (e.workload) f.push(['workload', e.workload]);
  if (e.arch) f.push(['arch', e.arch]);
  f.push(['energy', `${energy(e.totals.energy_pJ)} (${num(Math.round(e.totals.energy_pJ * 100) / 100)} pJ${e.staticEnergy ? ', dynamic and static' : ''})`]);
  f.push(['cycles', `${num(e.totals.cycles)}${e.timing.model ? ` (${e.timing.model} timing)` : ''}`]);
  if (e.timing.bottleneck) f.push(['bottleneck', e.timing.bottleneck]);
  if (e.totals.offchip_bytes !== undefined) f.push(['off-chip traffic', byteCell(e.totals.offchip_bytes)]);
  if (e.totals.computes !== undefined) f.push(['synaptic operations', count(e.totals.computes)]);
  if (e.staticEnergy) f.push(['static energy (leakage, idle)', `${energy(e.staticEnergy.total)} (${share(e.staticEnergy.total, e.totals.energy_pJ)})`]);
  if (e.utilization !== undefined) f.push(['compute utilization', `${(100 * e.utilization).toFixed(1)}%`]);
  f.push(['energy table', e.energySource ?? 'not named in the input']);
  return f;
}

function energySection(e: EvalView, id: string): DocSection | undefined {
  const chart = energyBreakdownChart(e, `${id}-energy`);
  const total = e.totals.energy_pJ;
  const rows: string[][] = [];
  for (const l of e.levels) {
    for (const t of l.tensors) if (t.energy_pJ !== undefined) rows.push([`${l.name} / ${t.name}`, ...pJ(t.energy_pJ), share(t.energy_pJ, total)]);
    const rest = unattributed(l.energy_pJ, tensorSum(l));
    if (rest > 0) rows.push([`${l.name} / ${l.tensors.length > 0 ? 'other (not per tensor)' : 'all (no tensor split in the input)'}`, ...pJ(rest), share(rest, total)]);
  }
  for (const c of e.compute) rows.push([`compute / ${c.action}${c.count !== undefined ? ` (${count(c.count)} ops)` : ''}`, ...pJ(c.energy_pJ), share(c.energy_pJ, total)]);
  const st = e.staticEnergy;
  if (st) {
    for (const [l, v] of st.levels) rows.push([`${l} / static (leakage)`, ...pJ(v), share(v, total)]);
    if (st.computeIdle) rows.push(['compute / idle (static)', ...pJ(st.computeIdle), share(st.computeIdle, total)]);
  }
  if (!chart && rows.length === 0) return undefined;
  const actions = e.levels.some((l) => l.byAction);
  const byLevel = e.levels.map((l) => [l.name, ...pJ(l.energy_pJ), share(l.energy_pJ, total), ...(actions ? [l.byAction?.read, l.byAction?.fill, l.byAction?.update].map((v) => opt(v, (x) => pJ(x)[1])) : [])]);
  const tables: DocTable[] = [
    ...tableIf('Energy by level and tensor, and by compute action (the bars of the chart).', table(['level / tensor', 'energy', 'pJ', 'share'], rows, ['total', ...pJ(total), total > 0 ? '100.0%' : '-'])),
    ...tableIf(actions ? 'Energy by level and access kind (pJ).' : 'Energy by level.', table(['level', 'energy', 'pJ', 'share', ...(actions ? ['reads pJ', 'fills pJ', 'updates pJ'] : [])], byLevel)),
    ...tableIf('Energy by tensor over all levels.', table(['tensor', 'energy', 'pJ', 'share'], e.energyByTensor.map(([t, v]) => [t, ...pJ(v), share(v, total)]))),
  ];
  return section(`${id}-energy-s`, 'Energy', { charts: present([chart]), tables });
}

function offchipSection(e: EvalView, id: string): DocSection | undefined {
  const chart = offchipChart(e.name, e.offchipByTensor, `${id}-offchip`);
  if (e.offchipByTensor.length === 0) return undefined;
  const total = e.totals.offchip_bytes ?? e.offchipByTensor.reduce((a, [, b]) => a + b, 0);
  return section(`${id}-offchip-s`, 'Off-chip traffic', {
    note: chart ? undefined : 'No tensor moves any byte off-chip in this result.',
    charts: present([chart]),
    tables: [{ caption: 'Off-chip bytes per tensor.', table: table(['tensor', 'bytes', 'share'], e.offchipByTensor.map(([t, b]) => [t, byteCell(b), share(b, total)]), ['total', byteCell(total), total > 0 ? '100.0%' : '-']) }],
  });
}

const bw = (b: BandwidthView | undefined): string => {
  if (!b) return '-';
  const one = (v: number | null | undefined): string => (v === null ? 'unlimited' : v === undefined ? '-' : num(v));
  if (typeof b.shared === 'number') return `${num(b.shared)} shared`;
  if (b.read === undefined && b.write === undefined) return one(b.shared);
  return b.read === b.write ? one(b.read) : `${one(b.read)} read / ${one(b.write)} write`;
};

function rooflineSection(e: EvalView, id: string): DocSection | undefined {
  if (e.levels.length === 0) return undefined;
  const chart = rooflineChart(e, `${id}-roofline`);
  const cycles = e.totals.cycles;
  const rows = e.levels.map((l) => [
    l.name + (l.name === e.timing.bottleneck ? ' (bottleneck)' : ''),
    opt(l.readBits, (b) => byteCell(b / 8)),
    opt(l.writeBits, (b) => byteCell(b / 8)),
    bw(l.bandwidth),
    unlimited(l) ? '0 (unlimited)' : count(l.transferCycles),
    opt(portUtilization(l, cycles), (u) => `${(100 * u).toFixed(1)}%`),
    opt(l.throttling, (t) => (t >= 1 ? 'none' : `${(100 * t).toFixed(1)}%`)),
  ]);
  if (e.timing.computeCycles !== undefined) rows.push(['compute' + (e.timing.bottleneck === 'compute' ? ' (bottleneck)' : ''), '-', '-', '-', count(e.timing.computeCycles), share(e.timing.computeCycles, cycles), '-']);
  const hasAny = e.levels.some((l) => l.transferCycles !== undefined || l.readBits !== undefined || l.throttling !== undefined);
  if (!hasAny) return section(`${id}-roofline-s`, 'Bandwidth and roofline', { note: 'The result has no per-level traffic in bits or `transfer_cycles` (a network total, or an older spikeloop), so no bandwidth roofline is drawn.' });
  return section(`${id}-roofline-s`, 'Bandwidth and roofline', {
    note: chart
      ? 'Port cycles are the cycles a level needs for its traffic alone (bits read and written, all instances, at its bandwidth); utilization is those cycles over the run.'
      : 'The result gives no `transfer_cycles` per level, so no bandwidth roofline is drawn.',
    charts: present([chart]),
    tables: [{ caption: 'Traffic, bandwidth and port cycles per level.', table: table(['level', 'read', 'written', 'bandwidth bits / cycle', 'port cycles', 'port utilization', 'throttling'], rows, ['total cycles', '', '', '', count(cycles), '', '']) }],
  });
}

function timingSection(e: EvalView, id: string): DocSection | undefined {
  const charts = present([timelineChart(e, `${id}-timeline`), levelActivityChart(e, `${id}-activity`)]);
  if (charts.length === 0 && e.timing.activity.length === 0) {
    return section(`${id}-timing-s`, 'Pipeline timeline', {
      note: `No per-level timeline in this result (timing model: ${e.timing.model ?? 'not given'}); evaluate with \`--timing pipeline\` to see what each level does over the run and which one stalls the compute array.`,
    });
  }
  const cycles = e.timing.cycles ?? e.totals.cycles;
  const tables: DocTable[] = [];
  if (e.timing.activity.length > 0) {
    const off = activityMismatches(e.timing.activity, cycles);
    tables.push({
      caption: `Busy and idle cycles per level and of the compute array (busy + idle = the run's ${num(cycles)} cycles${off.length > 0 ? `, except for ${off.join(', ')} in the input` : ''}), and the compute stall each level causes.`,
      table: table(['level', 'busy', 'idle', 'busy + idle', 'compute stall caused'], e.timing.activity.map((a) => [a.level, count(a.busy), count(a.idle), a.busy !== undefined && a.idle !== undefined ? count(a.busy + a.idle) : '-', count(a.stall)])),
    });
  }
  const tl = e.timing.timeline;
  if (tl) {
    const states = [...new Set(tl.lanes.flatMap((l) => l.spans.map((s) => s.state)))];
    const rows = tl.lanes.map((l) => [l.level, `${num(l.spans.length)}${l.spansTotal !== undefined && l.spansTotal > l.spans.length ? ` of ${num(l.spansTotal)}` : ''}`, ...states.map((st) => count(l.spans.filter((s) => s.state === st).reduce((a, s) => a + s.end - s.start, 0))), count(Math.max(...l.spans.map((s) => s.end)))]);
    tables.push({ caption: `Recorded timeline spans per level: cycles in each state${tl.capped ? ' (the model keeps only the first spans of a lane: "n of N")' : ''}, and where the last recorded span ends.`, table: table(['level', 'spans', ...states.map((s) => `${s} cycles`), 'last end'], rows) });
  }
  if (e.timing.stallShareByTensor.some(([, v]) => v > 0)) {
    tables.push({ caption: 'Share of the compute stall cycles caused by each tensor.', table: table(['tensor', 'share of stalls'], e.timing.stallShareByTensor.map(([t, v]) => [t, `${(100 * v).toFixed(1)}%`])) });
  }
  const facts = e.timing.details.map(([k, v]): [string, string] => [k, count(v)]);
  return section(`${id}-timing-s`, 'Pipeline timeline', { facts, charts, tables });
}

/** How the access counts of a result are counted (the section's note). */
const PER_INSTANCE = 'Counts are words per instance (Timeloop convention); bytes are over all instances. Levels outermost first.';

function accessSection(e: EvalView, id: string, countsNote: string): DocSection | undefined {
  const withBytes = e.levels.some((l) => l.tensors.some((t) => t.bytes !== undefined));
  const rows = e.levels.flatMap((l) =>
    l.tensors.filter((t) => [t.reads, t.fills, t.updates, t.bytes].some((v) => v !== undefined)).map((t) => [`${l.name} / ${t.name}`, count(t.reads), count(t.fills), count(t.updates), ...(withBytes ? [byteCell(t.bytes)] : [])]),
  );
  const cap = e.levels
    .filter((l) => l.capacityUsedBits !== undefined || l.capacityBits !== undefined)
    .map((l) => [l.name, opt(l.capacityUsedBits, (b) => byteCell(b / 8)), l.capacityBits === null ? 'unbounded' : opt(l.capacityBits, (b) => byteCell(b / 8)), l.capacityBits && l.capacityUsedBits !== undefined ? share(l.capacityUsedBits, l.capacityBits) : '-']);
  const tables = [
    ...tableIf('Accesses per level and tensor.', table(['level / tensor', 'reads', 'fills', 'updates', ...(withBytes ? ['bytes moved'] : [])], rows)),
    ...tableIf('Capacity used per instance (double buffering counted).', table(['level', 'used', 'capacity', 'share'], cap)),
  ];
  if (tables.length === 0) return undefined;
  return section(`${id}-access-s`, 'Accesses and capacity', { note: countsNote, tables });
}

/** Every section an evaluation supports, under one result heading (`countsNote`: how its access counts are counted). */
export function evaluationSections(e: EvalView, id: string, heading: string, countsNote = PER_INSTANCE): DocSection[] {
  return [
    section(`${id}`, heading, { level: 2, facts: overviewFacts(e) }),
    ...present([energySection(e, id), offchipSection(e, id), rooflineSection(e, id), timingSection(e, id), accessSection(e, id, countsNote)]),
  ];
}
