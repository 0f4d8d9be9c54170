/**
 * Report sections of a network result: the producer's warnings, per-layer energy (by level and compute action) and
 * off-chip traffic (by kind), the schedule and each layer's chunks, traffic by kind, memory per layer and the
 * on-chip occupancy over the schedule, then the network totals as an evaluation.
 */
import { layerEnergyChart, layerEnergySplit } from '../charts/layer-energy.ts';
import { layerMemoryChart, MEMORY_FIELDS } from '../charts/layer-memory.ts';
import { layerOffchipChart, layerOffchipSplit } from '../charts/layer-offchip.ts';
import { bandsOf, occupancyChart, type StepBand } from '../charts/occupancy.ts';
import { offchipChart } from '../charts/offchip-traffic.ts';
import { present, section, table, tableIf, type DocSection, type DocTable } from '../doc.ts';
import type { LayerView, NetworkView, ScheduleRow } from '../views.ts';
import { evaluationSections } from './evaluation.ts';
import { byteCell, count, num, opt, pJ, share } from './numbers.ts';

/** The access counts of a network result (its `levels[].tensors`). */
const SUMMED = 'Counts are words summed over all instances and all layers (the network result\'s convention, unlike a single-layer evaluation\'s per-instance counts). Levels outermost first.';

function layersSection(n: NetworkView, id: string): DocSection | undefined {
  if (n.layers.length === 0) return undefined;
  const chart = layerEnergyChart(n, `${id}-layers`);
  const total = n.total.totals.energy_pJ;
  const extra = (k: 'op' | 'block' | 'statePlacement'): boolean => n.layers.some((l) => l[k] !== undefined);
  const bott = n.layers.some((l) => l.timing.bottleneck !== undefined);
  const cols = ['layer', ...(extra('op') ? ['op'] : []), ...(extra('block') ? ['block'] : []), 'energy', 'pJ', 'share', 'cycles', ...(bott ? ['bottleneck'] : []), 'off-chip', ...(extra('statePlacement') ? ['state'] : [])];
  const rows = n.layers.map((l) => [
    l.name,
    ...(extra('op') ? [l.op ?? '-'] : []),
    ...(extra('block') ? [l.block ?? '-'] : []),
    ...pJ(l.totals.energy_pJ),
    share(l.totals.energy_pJ, total),
    count(l.totals.cycles),
    ...(bott ? [l.timing.bottleneck ?? '-'] : []),
    byteCell(l.totals.offchip_bytes),
    ...(extra('statePlacement') ? [l.statePlacement ?? '-'] : []),
  ]);
  const tables: DocTable[] = [{ caption: 'Energy, cycles and off-chip bytes per layer.', table: table(cols, rows) }];
  const split = layerEnergySplit(n);
  if (split.split) {
    const cell = (l: LayerView, s: string): string => {
      const lv = l.levels.find((x) => x.name === s);
      if (lv) return pJ(lv.energy_pJ)[1];
      const a = s.startsWith('compute: ') ? l.compute.find((x) => `compute: ${x.action}` === s) : undefined;
      if (a) return pJ(a.energy_pJ)[1];
      return s === split.series[split.series.length - 1] && l.levels.length === 0 && l.compute.length === 0 ? pJ(l.totals.energy_pJ)[1] : '-';
    };
    const zero = split.zero.length > 0 ? ` Left out, 0 in every layer: ${split.zero.join(', ')}.` : '';
    tables.push({ caption: `Energy per layer by level and compute action (pJ; the segments of the chart; - where the layer does not list it).${zero}`, table: table(['layer', ...split.series.map((s) => `${s} pJ`)], n.layers.map((l) => [l.name, ...split.series.map((s) => cell(l, s))])) });
  }
  const off = layerOffchipChart(n, `${id}-layer-offchip`);
  if (off) {
    const { kinds, rows: kr } = layerOffchipSplit(n);
    tables.push({ caption: 'Off-chip bytes per layer by tensor kind (the bars of the off-chip chart).', table: table(['layer', ...kinds, 'total'], kr.map((r) => [r.label, ...r.values.map((v) => count(v)), count(r.values.reduce((a, b) => a + b, 0))])) });
  }
  return section(`${id}-layers-s`, 'Energy per layer', {
    note: split.split ? undefined : 'The result gives each layer\'s total energy only (no `levels[]` or `compute` per layer), so the layers are not split by level.',
    charts: present([chart, off]),
    tables,
  });
}

export const scheduleText = (r: ScheduleRow): string =>
  [
    r.timeBatch !== undefined ? `time batch ${r.timeBatch}` : '',
    r.tileRows === null ? 'whole maps' : r.tileRows !== undefined ? `${r.tileRows}-line tiles${r.tileAxis ? ` along ${r.tileAxis}` : ''}` : '',
    ...r.state.map(([l, p]) => `layer ${l} state ${p}`),
  ].filter(Boolean).join(', ');

/** Layers of a schedule block: a layer's `block` is the block's name or its index. */
const inBlock = (rows: readonly ScheduleRow[], l: LayerView, i: number): boolean => l.block !== undefined && (l.block === rows[i].block || l.block === String(i) || `b${l.block}` === rows[i].block);

/** The schedule block by block (and the layers of each block when the layers say so). */
export function scheduleTable(rows: readonly ScheduleRow[], layers: readonly LayerView[] = []): DocTable[] {
  const byBlock = (i: number): string => layers.filter((l) => inBlock(rows, l, i)).map((l) => l.name).join(', ');
  const withLayers = layers.some((l) => l.block !== undefined);
  const states = rows.some((r) => r.state.length > 0);
  const axes = rows.some((r) => r.tileAxis !== undefined);
  return tableIf(
    'Schedule per block: time batch (timesteps processed per pass), tiling (output lines per tile; "whole" = whole feature maps)' + (axes ? ', the axis the tiles run along' : '') + (states ? ' and state placements the schedule sets.' : '.'),
    table(
      ['block', 'time batch', 'tile lines', ...(axes ? ['tile axis'] : []), ...(states ? ['state placement'] : []), ...(withLayers ? ['layers'] : [])],
      rows.map((r, i) => [
        r.block,
        count(r.timeBatch),
        r.tileRows === null ? 'whole' : count(r.tileRows),
        ...(axes ? [r.tileRows === null ? '-' : (r.tileAxis ?? '-')] : []),
        ...(states ? [r.state.map(([l, p]) => `${l}: ${p}`).join(', ') || '-'] : []),
        ...(withLayers ? [byBlock(i) || '-'] : []),
      ]),
    ),
  );
}

function scheduleSection(n: NetworkView, id: string): DocSection | undefined {
  const tables = scheduleTable(n.schedule, n.layers);
  const chunked = n.layers.filter((l) => l.chunks !== undefined || l.chunkMapping !== undefined);
  tables.push(...tableIf('Chunk ops per layer, and the mapping of its most frequent chunk shape (level: temporal loops [spatial loops], innermost level last).', table(['layer', 'chunk ops', 'chunk mapping'], chunked.map((l) => [l.name, count(l.chunks), l.chunkMapping ?? '-']))));
  if (tables.length === 0) return undefined;
  return section(`${id}-schedule-s`, 'Schedule', { tables });
}

function kindSection(n: NetworkView, id: string): DocSection | undefined {
  if (n.offchipByKind.length === 0) return undefined;
  const chart = offchipChart(n.total.name, n.offchipByKind, `${id}-kinds`, 'tensor kind');
  const total = n.offchipByKind.reduce((a, [, b]) => a + b, 0);
  return section(`${id}-kinds-s`, 'Off-chip traffic by tensor kind', {
    charts: present([chart]),
    tables: [{ caption: 'Off-chip bytes by kind.', table: table(['kind', 'bytes', 'share'], n.offchipByKind.map(([k, b]) => [k, byteCell(b), share(b, total)]), ['total', byteCell(total), total > 0 ? '100.0%' : '-']) }],
  });
}

/** The block of each occupancy step, from the layer its label names (`conv2@t0`: layer conv2). */
export function stepBands(n: NetworkView): StepBand[] {
  const o = n.occupancy;
  if (!o || n.schedule.length < 2) return [];
  const blockOf = (step: string): string | undefined => {
    const name = step.replace(/@.*$/, '');
    const l = n.layers.find((x) => x.name === name);
    const i = l ? n.schedule.findIndex((_, k) => inBlock(n.schedule, l, k)) : -1;
    return i >= 0 ? n.schedule[i].block : undefined;
  };
  const bands = bandsOf(o.steps.map(blockOf));
  return bands.length > 1 ? bands : [];
}

function memorySection(n: NetworkView, id: string): DocSection | undefined {
  const o = n.occupancy;
  const bands = stepBands(n);
  const charts = present([layerMemoryChart(n, `${id}-memory`), o ? occupancyChart(o, `${id}-occupancy`, bands) : undefined]);
  const facts: [string, string][] = [];
  if (n.stateBytes !== undefined) facts.push(['neuron state (all layers)', byteCell(n.stateBytes)]);
  if (n.weightBytes !== undefined) facts.push(['weights (all layers)', byteCell(n.weightBytes)]);
  if (n.peakOnchipBytes !== undefined) facts.push(['peak on-chip', `${byteCell(n.peakOnchipBytes)}${n.onchipCapacityBytes ? ` (${share(n.peakOnchipBytes, n.onchipCapacityBytes)} of ${byteCell(n.onchipCapacityBytes)})` : ''}`]);
  else if (n.onchipCapacityBytes !== undefined) facts.push(['on-chip capacity', byteCell(n.onchipCapacityBytes)]);
  if (n.streamedOps !== undefined) facts.push(['streamed chunk ops (did not fit on chip)', num(n.streamedOps)]);
  if (charts.length === 0 && facts.length === 0) return undefined;
  const fields = MEMORY_FIELDS.filter(([k]) => n.layers.some((l) => l[k] !== undefined));
  const tables: DocTable[] = fields.length > 0 ? [{ caption: 'Memory per layer.', table: table(['layer', ...fields.map(([, l]) => l)], n.layers.map((l) => [l.name, ...fields.map(([k]) => byteCell(l[k]))])) }] : [];
  if (o) {
    const blockAt = (i: number): string => bands.find((b) => i >= b.from && i < b.to)?.label ?? '-';
    tables.push({
      caption: `On-chip bytes held at each schedule step${o.capacityBytes !== undefined ? ` (capacity ${byteCell(o.capacityBytes)})` : ''}.`,
      table: table(['step', ...(bands.length > 0 ? ['block'] : []), ...o.series, 'total'], o.steps.map((s, i) => [s, ...(bands.length > 0 ? [blockAt(i)] : []), ...o.values[i].map((v) => count(v)), count(o.values[i].reduce((a, b) => a + b, 0))])),
    });
  }
  const sampledMax = o ? Math.max(...o.values.map((r) => r.reduce((a, b) => a + b, 0))) : undefined;
  const notes = [
    !n.layers.some((l) => l.peakOnchipBytes !== undefined) && n.peakOnchipBytes !== undefined ? 'The peak on-chip bytes are given for the whole network only, not per layer.' : '',
    o ? '' : 'The result has no on-chip occupancy series over the schedule (`occupancy[]`), so none is drawn.',
    o && n.peakOnchipBytes !== undefined && sampledMax !== undefined && sampledMax < n.peakOnchipBytes
      ? `The occupancy steps are samples of the run: the fullest of them holds ${byteCell(sampledMax)}, the peak over the run is ${byteCell(n.peakOnchipBytes)}.`
      : '',
  ].filter(Boolean);
  return section(`${id}-memory-s`, 'Memory: state footprint and on-chip occupancy', { note: notes.join(' ') || undefined, facts, charts, tables });
}

function warningsSection(n: NetworkView, id: string): DocSection | undefined {
  if (!n.warnings || n.warnings.length === 0) return undefined;
  return section(`${id}-warnings-s`, 'Warnings', { warnings: n.warnings });
}

export function networkSections(n: NetworkView, id: string, heading: string): DocSection[] {
  const [overview, ...rest] = evaluationSections(n.total, id, heading, SUMMED);
  const facts: (readonly [string, string])[] = [...(overview.facts ?? []), ['layers', num(n.layers.length)]];
  if (n.dramBoundCycles !== undefined) facts.push(['DRAM-bound cycles', `${num(n.dramBoundCycles)} (${share(n.dramBoundCycles, n.total.totals.cycles)} of the run)`]);
  if (n.stemsCompat !== undefined) facts.push(['STEMS conventions', n.stemsCompat ? 'yes' : 'no']);
  facts.push(...n.run);
  if (n.warnings !== undefined) facts.push(['warnings', n.warnings.length === 0 ? 'none' : `${n.warnings.length} (see Warnings)`]);
  const perLayerRoofline = n.layers.some((l) => l.levels.some((lv) => lv.transferCycles !== undefined));
  const roof = perLayerRoofline ? layerBoundSection(n, id) : undefined;
  // The whole-network total has no pipeline timeline and no per-level port traffic: leave out the evaluation's
  // sections that would only say so.
  const hintOnly = (s: DocSection): boolean => (s.id === `${id}-timing-s` || s.id === `${id}-roofline-s`) && s.charts.length === 0 && s.tables.length === 0;
  const kept = rest.filter((s) => !hintOnly(s));
  return [{ ...overview, facts }, ...present([warningsSection(n, id), layersSection(n, id), scheduleSection(n, id), kindSection(n, id), memorySection(n, id), roof]), ...kept];
}

/** Per layer: compute cycles and the port cycles of its busiest level (when the layers carry `levels[].transfer_cycles`). */
function layerBoundSection(n: NetworkView, id: string): DocSection {
  const rows = n.layers.map((l) => {
    const busiest = l.levels.filter((lv) => lv.transferCycles !== undefined).sort((a, b) => b.transferCycles! - a.transferCycles!)[0];
    const comp = l.timing.computeCycles;
    const bound = busiest && comp !== undefined ? (busiest.transferCycles! > comp ? busiest.name : 'compute') : '-';
    return [l.name, count(l.totals.cycles), count(comp), busiest ? busiest.name : '-', opt(busiest?.transferCycles, (v) => count(v)), bound];
  });
  return section(`${id}-layer-roofline-s`, 'Bandwidth bound per layer', {
    tables: [{ caption: 'Per layer: its cycles, its compute cycles, and the level whose ports need the most cycles for its traffic.', table: table(['layer', 'cycles', 'compute cycles', 'busiest level', 'port cycles', 'bound'], rows) }],
  });
}
