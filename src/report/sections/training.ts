/** Report sections of a training result: step energy by phase and by scheme, memory by scheme and batch, per layer. */
import { schemeBase, trainingEnergyChart, trainingLayerChart, trainingSchemeEnergyChart } from '../charts/training-energy.ts';
import { batchesOf, trainingMemoryCharts } from '../charts/training-memory.ts';
import { present, section, table, tableIf, type DocSection } from '../doc.ts';
import type { TrainingView } from '../views.ts';
import { byteCell, count, energy, num, opt, pJ, share } from './numbers.ts';

function facts(t: TrainingView): [string, string][] {
  const f: [string, string][] = [];
  if (t.network) f.push(['network', t.network]);
  if (t.arch) f.push(['arch', t.arch]);
  if (t.decomposition) f.push(['decomposition', t.decomposition + (t.ttMode ? ` (${t.ttMode})` : '')]);
  if (t.batch !== undefined) f.push(['batch', num(t.batch)]);
  if (t.timesteps !== undefined) f.push(['timesteps', num(t.timesteps)]);
  const tt = t.totals;
  if (tt.params !== undefined) f.push(['parameters', `${num(tt.params)}${tt.denseParams ? ` (dense ${num(tt.denseParams)}, ${(tt.denseParams / tt.params).toFixed(2)}x fewer)` : ''}`]);
  if (tt.macsPerTimestep !== undefined) f.push(['MACs per timestep', `${num(tt.macsPerTimestep)}${tt.denseMacsPerTimestep ? ` (dense ${num(tt.denseMacsPerTimestep)})` : ''}`]);
  const phaseSum = t.phases.reduce((a, p) => a + p.energy_pJ, 0);
  if (tt.energy_pJ !== undefined) {
    const parts = [tt.dynamic_pJ !== undefined ? `dynamic ${energy(tt.dynamic_pJ)}` : '', tt.static_pJ !== undefined ? `static ${energy(tt.static_pJ)}` : ''].filter(Boolean).join(' + ');
    f.push(['training step energy', `${energy(tt.energy_pJ)} (${pJ(tt.energy_pJ)[1]} pJ${parts ? `; ${parts}` : ''})`]);
  } else if (t.phases.length > 0) f.push(['training step energy (phases, dynamic only)', `${energy(phaseSum)} (${pJ(phaseSum)[1]} pJ)`]);
  if (t.staticPowerMw !== undefined) f.push(['static power', `${num(t.staticPowerMw)} mW`]);
  if (tt.cycles !== undefined) f.push(['cycles', num(tt.cycles)]);
  if (tt.offchip_bytes !== undefined) f.push(['off-chip traffic', byteCell(tt.offchip_bytes)]);
  f.push(['energy table', t.energySource ?? 'not named in the input']);
  return f;
}

export function trainingSections(t: TrainingView, id: string, heading: string): DocSection[] {
  const stepTotal = t.totals.energy_pJ ?? t.phases.reduce((a, p) => a + p.energy_pJ, 0) + (t.totals.static_pJ ?? 0);
  const phaseChart = trainingEnergyChart(t, `${id}-phases`);
  const schemeChart = trainingSchemeEnergyChart(t, `${id}-scheme-energy`);
  const memCharts = trainingMemoryCharts(t, `${id}-schemes`);
  const layerChart = trainingLayerChart(t, `${id}-layers`);
  const batches = batchesOf(t);
  const phaseRows = t.phases.map((p) => [p.name, ...pJ(p.energy_pJ), share(p.energy_pJ, stepTotal), count(p.cycles), byteCell(p.offchip_bytes)]);
  if (t.totals.static_pJ) phaseRows.push(['static (whole step)', ...pJ(t.totals.static_pJ), share(t.totals.static_pJ, stepTotal), '', '']);
  const schemes = t.schemes.filter((s) => s.stepEnergy !== undefined);
  const memRows = t.schemes.map((s) =>
    batches.length > 0
      ? [s.name, ...batches.flatMap((b) => {
          const m = s.memory.find((x) => x.batch === b);
          return [byteCell(m?.activationBytes), byteCell(m?.trafficBytes)];
        }), count(s.recomputeOps)]
      : [s.name, byteCell(s.memoryBytes), byteCell(s.dramBytes), count(s.recomputeOps)],
  );
  const memCols = batches.length > 0 ? ['scheme', ...batches.flatMap((b) => [`stored @ batch ${b}`, `DRAM traffic @ batch ${b}`]), 'recompute ops'] : ['scheme', 'stored', 'DRAM traffic', 'recompute ops'];
  return [
    section(id, heading, { level: 2, facts: facts(t), note: 'Training results carry no per-level traffic in bits, so no bandwidth roofline is drawn for them.' }),
    ...present([
      t.phases.length > 0
        ? section(`${id}-phases-s`, 'Energy by phase', {
            charts: present([phaseChart]),
            tables: [{ caption: 'Energy, cycles and off-chip bytes per phase; shares of the step total (dynamic and static).', table: table(['phase', 'energy', 'pJ', 'share', 'cycles', 'off-chip'], phaseRows, ['total', ...pJ(stepTotal), stepTotal > 0 ? '100.0%' : '-', opt(t.totals.cycles, num), byteCell(t.totals.offchip_bytes)]) }],
          })
        : undefined,
      schemes.length > 0
        ? section(`${id}-scheme-energy-s`, 'Energy by training scheme', {
            charts: present([schemeChart]),
            tables: [{
              caption: 'Step energy per scheme and the parts the scheme adds (the rest is the step itself), and its cycles.',
              table: table(['scheme', 'step energy', 'pJ', 'training step', 'retention', 'extra forward', 'recompute', 'step cycles'], schemes.map((s) => [s.name, ...pJ(s.stepEnergy!), opt(schemeBase(s), energy), opt(s.retentionEnergy, energy), opt(s.extraForwardEnergy, energy), opt(s.recomputeEnergy, energy), count(s.stepCycles)])),
            }],
          })
        : undefined,
      memRows.length > 0
        ? section(`${id}-schemes-s`, 'Memory by training scheme', {
            charts: memCharts,
            tables: tableIf('Per scheme: activation bytes stored between forward and backward and their DRAM traffic (at each batch size evaluated), recomputed operations.', table(memCols, memRows)),
          })
        : undefined,
      layerChart
        ? section(`${id}-layers-s`, 'Energy per layer', {
            charts: [layerChart],
            tables: [{ caption: 'Dynamic energy per layer and phase (pJ).', table: table(['layer', ...(t.layers.some((l) => l.kind) ? ['kind'] : []), ...[...new Set(t.layers.flatMap((l) => l.phases.map(([p]) => p)))].map((p) => `${p} pJ`)], t.layers.filter((l) => l.phases.length > 0).map((l) => {
              const ph = [...new Set(t.layers.flatMap((x) => x.phases.map(([p]) => p)))];
              return [l.name, ...(t.layers.some((x) => x.kind) ? [l.kind ?? '-'] : []), ...ph.map((p) => opt(l.phases.find(([q]) => q === p)?.[1], (v) => pJ(v)[1]))];
            })) }],
          })
        : undefined,
    ]),
  ];
}
