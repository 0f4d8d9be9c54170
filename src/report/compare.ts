/**
 * `spikeloop compare`: several results side by side, each metric with its ratio to the first result (the
 * baseline). Each result becomes a subject: totals and named breakdowns. Results of different kinds compare
 * what they share (the totals and breakdowns with the same name); a value a result lacks is `-`, never 0.
 * Energies are totals with static energy wherever the result gives it, so an evaluation and a training step
 * compare like with like.
 */
import { compareChart, ratioText, type CompareMetric } from './charts/compare.ts';
import { sweepPointLabel } from './charts/sweep.ts';
import { schemeBase } from './charts/training-energy.ts';
import { barChart } from './svg/bars.ts';
import { bytesUnit, countUnit, energyUnit } from './svg/units.ts';
import type { Artifact } from './artifact.ts';
import { present, section, table, type DocSection, type Provenance, type ReportDoc } from './doc.ts';
import type { ReportInput } from './inputs.ts';
import { docArtifacts, producersOf } from './report.ts';
import { byteCell, count, energy } from './sections/numbers.ts';
import type { EvalView, NetworkView } from './views.ts';

type Unit = 'pJ' | 'B' | 'count';

interface Group {
  readonly title: string;
  readonly unit: Unit;
  readonly parts: readonly (readonly [string, number])[];
}

interface Subject {
  readonly name: string;
  readonly kind: string;
  readonly totals: readonly (readonly [string, Unit, number | undefined])[];
  readonly groups: readonly Group[];
}

const evalTotals = (e: EvalView): [string, Unit, number | undefined][] => [
  ['energy', 'pJ', e.totals.energy_pJ],
  ['cycles', 'count', e.totals.cycles],
  ['off-chip traffic', 'B', e.totals.offchip_bytes],
  ['synaptic operations', 'count', e.totals.computes],
  ['static energy', 'pJ', e.staticEnergy?.total],
];

const evalGroups = (e: EvalView): Group[] => [
  { title: 'Energy by level and compute action', unit: 'pJ', parts: [...e.levels.map((l): [string, number] => [l.name, l.energy_pJ]), ...e.compute.map((c): [string, number] => [`compute: ${c.action}`, c.energy_pJ])] },
  { title: 'Energy by tensor', unit: 'pJ', parts: e.energyByTensor },
  { title: 'Off-chip traffic per tensor', unit: 'B', parts: e.offchipByTensor },
];

function networkSubject(name: string, n: NetworkView): Subject {
  const perLayer = (title: string, unit: Unit, f: (l: NetworkView['layers'][number]) => number | undefined): Group => ({ title, unit, parts: n.layers.flatMap((l) => (f(l) === undefined ? [] : [[l.name, f(l)!] as const])) });
  return {
    name,
    kind: 'network',
    totals: [...evalTotals(n.total), ['neuron state', 'B', n.stateBytes], ['weights', 'B', n.weightBytes], ['peak on-chip', 'B', n.peakOnchipBytes]],
    groups: [
      ...evalGroups(n.total),
      { title: 'Off-chip traffic per tensor kind', unit: 'B', parts: n.offchipByKind },
      perLayer('Energy per layer', 'pJ', (l) => l.totals.energy_pJ),
      perLayer('Cycles per layer', 'count', (l) => l.totals.cycles),
      perLayer('Neuron state per layer', 'B', (l) => l.stateBytes),
      perLayer('Peak on-chip bytes per layer', 'B', (l) => l.peakOnchipBytes),
    ],
  };
}

export function subjectOf(input: ReportInput): Subject {
  const name = input.name;
  switch (input.kind) {
    case 'evaluation':
      return { name, kind: 'evaluation', totals: evalTotals(input.evaluation), groups: evalGroups(input.evaluation) };
    case 'network':
      return networkSubject(name, input.network);
    case 'search': {
      const s = input.search;
      if (s.best) return { name, kind: 'search', totals: evalTotals(s.best), groups: evalGroups(s.best) };
      const c = s.chosen;
      return { name, kind: 'search', totals: [['energy', 'pJ', c?.energy_pJ], ['cycles', 'count', c?.cycles], ['off-chip traffic', 'B', c?.offchip_bytes]], groups: [] };
    }
    case 'explore': {
      const x = input.explore;
      const first = x.points[0]?.front.chosen;
      const best = (metric: 'energy_pJ' | 'offchip_bytes'): [string, number][] => x.points.flatMap((p) => (p.front.chosen?.[metric] === undefined ? [] : [[sweepPointLabel(p), p.front.chosen[metric]!] as [string, number]]));
      return {
        name,
        kind: 'explore',
        totals: x.points.length === 1 ? [['energy', 'pJ', first?.energy_pJ], ['cycles', 'count', first?.cycles], ['off-chip traffic', 'B', first?.offchip_bytes]] : [],
        groups: x.points.length > 1 ? [{ title: 'Best energy per sweep point', unit: 'pJ', parts: best('energy_pJ') }, { title: 'Off-chip traffic of the best schedule per sweep point', unit: 'B', parts: best('offchip_bytes') }] : [],
      };
    }
    case 'training': {
      const t = input.training;
      const phaseSum = t.phases.length > 0 ? t.phases.reduce((a, p) => a + p.energy_pJ, 0) : undefined;
      const batches = [...new Set(t.schemes.flatMap((s) => s.memory.map((m) => m.batch)))].sort((a, b) => a - b);
      return {
        name,
        kind: 'training',
        totals: [
          ['energy', 'pJ', t.totals.energy_pJ ?? (phaseSum !== undefined && t.totals.static_pJ !== undefined ? phaseSum + t.totals.static_pJ : undefined)],
          ['dynamic energy', 'pJ', t.totals.dynamic_pJ ?? phaseSum],
          ['static energy', 'pJ', t.totals.static_pJ],
          ['cycles', 'count', t.totals.cycles],
          ['off-chip traffic', 'B', t.totals.offchip_bytes],
          ['parameters', 'count', t.totals.params],
        ],
        groups: [
          { title: 'Energy by phase', unit: 'pJ', parts: [...t.phases.map((p) => [p.name, p.energy_pJ] as const), ...(t.totals.static_pJ !== undefined ? [['static (whole step)', t.totals.static_pJ] as const] : [])] },
          { title: 'Step energy by training scheme', unit: 'pJ', parts: t.schemes.flatMap((s) => (s.stepEnergy === undefined ? [] : [[s.name, s.stepEnergy] as const])) },
          { title: 'Scheme overhead over the step', unit: 'pJ', parts: t.schemes.flatMap((s) => (s.stepEnergy === undefined || schemeBase(s) === undefined ? [] : [[s.name, s.stepEnergy - schemeBase(s)!] as const])) },
          ...(batches.length > 0
            ? batches.map((b): Group => ({ title: `Activation memory by scheme at batch ${b}`, unit: 'B', parts: t.schemes.flatMap((s) => {
                const m = s.memory.find((x) => x.batch === b)?.activationBytes;
                return m === undefined ? [] : [[s.name, m] as const];
              }) }))
            : [{ title: 'Activation memory by scheme', unit: 'B' as Unit, parts: t.schemes.flatMap((s) => (s.memoryBytes === undefined ? [] : [[s.name, s.memoryBytes] as const])) }]),
        ],
      };
    }
  }
}

const cell = (u: Unit, v: number | undefined): string => (v === undefined ? '-' : u === 'pJ' ? energy(v) : u === 'B' ? byteCell(v) : count(v));

/** `B / A`: `1.500x`; `new (baseline 0)` when A is 0 and B is not; `same (0)`; `-` when either is missing. */
export const ratio = ratioText;

function sideBySide(names: readonly string[], rows: readonly (readonly [string, Unit, readonly (number | undefined)[]])[]): ReturnType<typeof table> {
  const labels = ['', names[0], ...names.slice(1).flatMap((n) => [n, `${n} / ${names[0]}`])];
  return table(labels, rows.map(([label, u, vs]) => [label, cell(u, vs[0]), ...vs.slice(1).flatMap((v) => [cell(u, v), ratio(v, vs[0])])]));
}

const unitOf = (u: Unit, max: number) => (u === 'pJ' ? energyUnit(max) : u === 'B' ? bytesUnit(max) : countUnit('cycles'));
const quantityOf = (u: Unit): string => (u === 'pJ' ? 'energy' : u === 'B' ? 'bytes' : 'time');

function groupSection(subjects: readonly Subject[], title: string, id: string): DocSection | undefined {
  const having = subjects.filter((s) => s.groups.some((g) => g.title === title && g.parts.length > 0));
  if (having.length < 2) return undefined;
  const unit = having[0].groups.find((g) => g.title === title)!.unit;
  const parts: string[] = [];
  for (const s of having) for (const [p] of s.groups.find((g) => g.title === title)!.parts) if (!parts.includes(p)) parts.push(p);
  const val = (s: Subject, p: string): number | undefined => s.groups.find((g) => g.title === title)?.parts.find(([q]) => q === p)?.[1];
  const names = having.map((s) => s.name);
  const max = Math.max(...having.flatMap((s) => parts.map((p) => val(s, p) ?? 0)));
  const chart = barChart({
    id,
    title: `${title}, side by side`,
    caption: `${title} of each result, one sub-bar per result (see the table for ratios to ${names[0]}); a result that lacks a part has no bar there.`,
    series: names,
    rows: parts.map((p) => ({ label: p, values: having.map((s) => val(s, p) ?? 0), note: having.map((s) => cell(unit, val(s, p))).join(' / ') })),
    unit: unitOf(unit, max),
    quantity: quantityOf(unit),
    mode: 'grouped',
  });
  const missing = subjects.filter((s) => !having.includes(s)).map((s) => s.name);
  return section(`${id}-s`, title, {
    note: missing.length > 0 ? `Not in ${missing.join(', ')}.` : undefined,
    charts: present([chart]),
    tables: [{ caption: `${title} (ratios to ${names[0]}).`, table: sideBySide(names, parts.map((p) => [p, unit, having.map((s) => val(s, p))] as const)) }],
  });
}

export function buildCompare(inputs: readonly ReportInput[], provenance: Provenance): ReportDoc {
  const subjects = inputs.map(subjectOf);
  const names = subjects.map((s) => s.name);
  const labels: [string, Unit][] = [];
  for (const s of subjects) for (const [l, u] of s.totals) if (!labels.some(([x]) => x === l)) labels.push([l, u]);
  const metrics = labels
    .map(([label, unit]): [string, Unit, (number | undefined)[]] => [label, unit, subjects.map((s) => s.totals.find(([l]) => l === label)?.[2])])
    .filter(([, , vs]) => vs.filter((v) => v !== undefined).length >= 2);
  const cm: CompareMetric[] = metrics.map(([label, , values]) => ({ label, values }));
  const id = 'cmp';
  const chart = compareChart(names, cm, `${id}-totals`);
  const kinds = [...new Set(subjects.map((s) => s.kind))];
  const titles: string[] = [];
  for (const s of subjects) for (const g of s.groups) if (!titles.includes(g.title)) titles.push(g.title);
  const notes = [
    `Ratios are each result divided by ${names[0]} (the first input); below 1 is less (better for energy, cycles and traffic). "new" marks a metric that is 0 in ${names[0]}; "-" a metric a result does not have.`,
    'Energies include static energy wherever the result gives it.',
    kinds.length > 1 ? `The results are of different kinds (${subjects.map((s) => `${s.name}: ${s.kind}`).join(', ')}): only the totals and breakdowns they share are compared.` : '',
  ].filter(Boolean);
  const sections: DocSection[] = [
    section(id, 'Totals', { level: 2, note: notes.join(' '), charts: present([chart]), tables: [{ caption: 'Totals side by side.', table: sideBySide(names, metrics) }] }),
    ...present(titles.map((t, gi) => groupSection(subjects, t, `${id}-g${gi}`))),
  ];
  const facts = inputs.map((i, k): [string, string] => [k === 0 ? 'baseline' : `result ${k + 1}`, `${i.name} (${i.kind})`]);
  return { title: `spikeloop compare: ${names.join(' vs ')}`, facts, sections, provenance: { ...provenance, producers: provenance.producers ?? producersOf(inputs) } };
}

export function compareArtifacts(inputs: readonly ReportInput[], provenance: Provenance): Artifact[] {
  return docArtifacts(buildCompare(inputs, provenance));
}
