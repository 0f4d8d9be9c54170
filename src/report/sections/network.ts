/** Report sections of a network result: per-layer energy, traffic by kind, memory per layer, occupancy. */
import { layerEnergyChart } from '../charts/layer-energy.ts';
import { layerMemoryChart } from '../charts/layer-memory.ts';
import { occupancyChart } from '../charts/occupancy.ts';
import { offchipChart } from '../charts/offchip-traffic.ts';
import { present, section, table, type DocSection } from '../doc.ts';
import type { NetworkView } from '../views.ts';
import { evaluationSections } from './evaluation.ts';
import { byteCell, count, pJ, share } from './numbers.ts';

function layersSection(n: NetworkView, id: string): DocSection | undefined {
  const chart = layerEnergyChart(n, `${id}-layers`);
  if (!chart) return undefined;
  const total = n.total.totals.energy_pJ;
  const rows = n.layers.map((l) => [l.name, ...pJ(l.totals.energy_pJ), share(l.totals.energy_pJ, total), count(l.totals.cycles), byteCell(l.totals.offchip_bytes)]);
  const levels = [...new Set(n.layers.flatMap((l) => l.levels.map((lv) => lv.name)))];
  const split = n.layers.map((l) => [l.name, ...levels.map((name) => pJ(l.levels.filter((lv) => lv.name === name).reduce((a, lv) => a + lv.energy_pJ, 0))[1]), pJ(l.compute.reduce((a, c) => a + c.energy_pJ, 0))[1]]);
  return section(`${id}-layers-s`, 'Energy per layer', {
    charts: [chart],
    tables: [
      { caption: 'Energy, cycles and off-chip bytes per layer.', table: table(['layer', 'energy', 'pJ', 'share', 'cycles', 'off-chip'], rows) },
      { caption: 'Energy per layer by level and compute (pJ; the segments of the chart).', table: table(['layer', ...levels.map((l) => `${l} pJ`), 'compute pJ'], split) },
    ],
  });
}

function kindSection(n: NetworkView, id: string): DocSection | undefined {
  const chart = offchipChart(n.total.name, n.offchipByKind, `${id}-kinds`, 'tensor kind');
  if (!chart) return undefined;
  const total = n.offchipByKind.reduce((a, [, b]) => a + b, 0);
  return section(`${id}-kinds-s`, 'Off-chip traffic by tensor kind', {
    charts: [chart],
    tables: [{ caption: 'Off-chip bytes by kind.', table: table(['kind', 'bytes', 'share'], n.offchipByKind.map(([k, b]) => [k, byteCell(b), share(b, total)]), ['total', byteCell(total), total > 0 ? '100.0%' : '-']) }],
  });
}

function memorySection(n: NetworkView, id: string): DocSection | undefined {
  const charts = present([layerMemoryChart(n, `${id}-memory`), n.occupancy ? occupancyChart(n.occupancy, `${id}-occupancy`) : undefined]);
  if (charts.length === 0) return undefined;
  const facts: [string, string][] = [];
  if (n.stateBytes !== undefined) facts.push(['neuron state (all layers)', byteCell(n.stateBytes)]);
  if (n.weightBytes !== undefined) facts.push(['weights (all layers)', byteCell(n.weightBytes)]);
  if (n.peakOnchipBytes !== undefined) facts.push(['peak on-chip', `${byteCell(n.peakOnchipBytes)}${n.onchipCapacityBytes ? ` (${share(n.peakOnchipBytes, n.onchipCapacityBytes)} of ${byteCell(n.onchipCapacityBytes)})` : ''}`]);
  const tables = [
    { caption: 'Memory per layer.', table: table(['layer', 'neuron state', 'weights', 'peak on-chip'], n.layers.map((l) => [l.name, byteCell(l.stateBytes), byteCell(l.weightBytes), byteCell(l.peakOnchipBytes)])) },
  ];
  const o = n.occupancy;
  if (o) {
    tables.push({
      caption: `On-chip bytes held at each schedule step${o.capacityBytes !== undefined ? ` (capacity ${byteCell(o.capacityBytes)})` : ''}.`,
      table: table(['step', ...o.series, 'total'], o.steps.map((s, i) => [s, ...o.values[i].map((v) => count(v)), count(o.values[i].reduce((a, b) => a + b, 0))])),
    });
  }
  return section(`${id}-memory-s`, 'Memory: state footprint and on-chip occupancy', { facts, charts, tables });
}

export function networkSections(n: NetworkView, id: string, heading: string): DocSection[] {
  const [overview, ...rest] = evaluationSections(n.total, id, heading);
  const facts = [...(overview.facts ?? []), ['layers', String(n.layers.length)] as const];
  return [{ ...overview, facts }, ...present([layersSection(n, id), kindSection(n, id), memorySection(n, id)]), ...rest];
}
