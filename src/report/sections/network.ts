/** Report sections of a network result: per-layer energy, schedule, traffic by kind, memory per layer, occupancy. */
import { layerEnergyChart, layerEnergySplit } from '../charts/layer-energy.ts';
import { layerMemoryChart, MEMORY_FIELDS } from '../charts/layer-memory.ts';
import { occupancyChart } from '../charts/occupancy.ts';
import { offchipChart } from '../charts/offchip-traffic.ts';
import { present, section, table, tableIf, type DocSection, type DocTable } from '../doc.ts';
import type { LayerView, NetworkView, ScheduleRow } from '../views.ts';
import { evaluationSections } from './evaluation.ts';
import { byteCell, count, num, opt, pJ, share } from './numbers.ts';

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
    tables.push({ caption: 'Energy per layer by level and compute action (pJ; the segments of the chart; - where the layer does not list it).', table: table(['layer', ...split.series.map((s) => `${s} pJ`)], n.layers.map((l) => [l.name, ...split.series.map((s) => cell(l, s))])) });
  }
  return section(`${id}-layers-s`, 'Energy per layer', {
    note: split.split ? undefined : 'The result gives each layer\'s total energy only (no `levels[]` or `compute` per layer), so the layers are not split by level.',
    charts: present([chart]),
    tables,
  });
}

export const scheduleText = (r: ScheduleRow): string =>
  [r.timeBatch !== undefined ? `time batch ${r.timeBatch}` : '', r.tileRows === null ? 'whole maps' : r.tileRows !== undefined ? `${r.tileRows}-row tiles` : '', ...r.state.map(([l, p]) => `layer ${l} state ${p}`)].filter(Boolean).join(', ');

/** The schedule block by block (and the layers of each block when the layers say so). */
export function scheduleTable(rows: readonly ScheduleRow[], layers: readonly LayerView[] = []): DocTable[] {
  const byBlock = (b: string): string => layers.filter((l) => l.block !== undefined && (l.block === b || `b${l.block}` === b)).map((l) => l.name).join(', ');
  const withLayers = layers.some((l) => l.block !== undefined);
  const states = rows.some((r) => r.state.length > 0);
  return tableIf(
    'Schedule per block: time batch (timesteps processed per pass), row tiling (rows per tile; "whole" = whole feature maps)' + (states ? ' and state placements the schedule sets.' : '.'),
    table(
      ['block', 'time batch', 'tile rows', ...(states ? ['state placement'] : []), ...(withLayers ? ['layers'] : [])],
      rows.map((r) => [r.block, count(r.timeBatch), r.tileRows === null ? 'whole' : count(r.tileRows), ...(states ? [r.state.map(([l, p]) => `${l}: ${p}`).join(', ') || '-'] : []), ...(withLayers ? [byBlock(r.block) || '-'] : [])]),
    ),
  );
}

function scheduleSection(n: NetworkView, id: string): DocSection | undefined {
  const tables = scheduleTable(n.schedule, n.layers);
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

function memorySection(n: NetworkView, id: string): DocSection | undefined {
  const o = n.occupancy;
  const charts = present([layerMemoryChart(n, `${id}-memory`), o ? occupancyChart(o, `${id}-occupancy`) : undefined]);
  const facts: [string, string][] = [];
  if (n.stateBytes !== undefined) facts.push(['neuron state (all layers)', byteCell(n.stateBytes)]);
  if (n.weightBytes !== undefined) facts.push(['weights (all layers)', byteCell(n.weightBytes)]);
  if (n.peakOnchipBytes !== undefined) facts.push(['peak on-chip', `${byteCell(n.peakOnchipBytes)}${n.onchipCapacityBytes ? ` (${share(n.peakOnchipBytes, n.onchipCapacityBytes)} of ${byteCell(n.onchipCapacityBytes)})` : ''}`]);
  else if (n.onchipCapacityBytes !== undefined) facts.push(['on-chip capacity', byteCell(n.onchipCapacityBytes)]);
  if (charts.length === 0 && facts.length === 0) return undefined;
  const fields = MEMORY_FIELDS.filter(([k]) => n.layers.some((l) => l[k] !== undefined));
  const tables: DocTable[] = fields.length > 0 ? [{ caption: 'Memory per layer.', table: table(['layer', ...fields.map(([, l]) => l)], n.layers.map((l) => [l.name, ...fields.map(([k]) => byteCell(l[k]))])) }] : [];
  if (o) {
    tables.push({
      caption: `On-chip bytes held at each schedule step${o.capacityBytes !== undefined ? ` (capacity ${byteCell(o.capacityBytes)})` : ''}.`,
      table: table(['step', ...o.series, 'total'], o.steps.map((s, i) => [s, ...o.values[i].map((v) => count(v)), count(o.values[i].reduce((a, b) => a + b, 0))])),
    });
  }
  const notes = [
    !n.layers.some((l) => l.peakOnchipBytes !== undefined) && n.peakOnchipBytes !== undefined ? 'The peak on-chip bytes are given for the whole network only, not per layer.' : '',
    o ? '' : 'The result has no on-chip occupancy series over the schedule (`occupancy[]`), so none is drawn.',
  ].filter(Boolean);
  return section(`${id}-memory-s`, 'Memory: state footprint and on-chip occupancy', { note: notes.join(' ') || undefined, facts, charts, tables });
}

export function networkSections(n: NetworkView, id: string, heading: string): DocSection[] {
  const [overview, ...rest] = evaluationSections(n.total, id, heading);
  const facts: (readonly [string, string])[] = [...(overview.facts ?? []), ['layers', num(n.layers.length)]];
  if (n.stemsCompat !== undefined) facts.push(['STEMS conventions', n.stemsCompat ? 'yes' : 'no']);
  const perLayerRoofline = n.layers.some((l) => l.levels.some((lv) => lv.transferCycles !== undefined));
  const roof = perLayerRoofline ? layerBoundSection(n, id) : undefined;
  // The whole-network total has no pipeline timeline: leave out the evaluation's hint about `--timing pipeline`.
  const kept = rest.filter((s) => !(s.id === `${id}-timing-s` && s.charts.length === 0 && s.tables.length === 0));
  return [{ ...overview, facts }, ...present([layersSection(n, id), scheduleSection(n, id), kindSection(n, id), memorySection(n, id), roof]), ...kept];
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
