/**
 * `spikeloop compare`: several results side by side, each metric with its ratio to the first result (the
 * baseline). Evaluations and networks compare by totals, energy per level and compute action, and off-chip bytes
 * per tensor; a search result by its chosen point; a training result by its phases and schemes.
 */
import { compareChart, type CompareMetric } from './charts/compare.ts';
import { barChart } from './svg/bars.ts';
import { bytesUnit, energyUnit } from './svg/units.ts';
import type { Artifact } from './artifact.ts';
import { present, section, table, type DocSection, type Provenance, type ReportDoc } from './doc.ts';
import type { ReportInput } from './inputs.ts';
import { docArtifacts } from './report.ts';
import { byteCell, count, energy } from './sections/numbers.ts';
import type { EvalView } from './views.ts';

type Unit = 'pJ' | 'B' | 'count';

interface Subject {
  readonly name: string;
  readonly totals: readonly (readonly [string, Unit, number | undefined])[];
  /** Named breakdowns: title -> unit and [part, value] pairs. */
  readonly groups: readonly { readonly title: string; readonly unit: Unit; readonly parts: readonly (readonly [string, number])[] }[];
}

function evalSubject(name: string, e: EvalView, offchipByKind: readonly (readonly [string, number])[] = []): Subject {
  return {
    name,
    totals: [
      ['energy', 'pJ', e.totals.energy_pJ],
      ['cycles', 'count', e.totals.cycles],
      ['off-chip traffic', 'B', e.totals.offchip_bytes],
      ['synaptic operations', 'count', e.totals.computes],
    ],
    groups: [
      { title: 'Energy by level and compute action', unit: 'pJ', parts: [...e.levels.map((l): [string, number] => [l.name, l.energy_pJ]), ...e.compute.map((c): [string, number] => [`compute: ${c.action}`, c.energy_pJ])] },
      { title: 'Off-chip traffic per tensor', unit: 'B', parts: e.offchipByTensor },
      { title: 'Off-chip traffic per tensor kind', unit: 'B', parts: offchipByKind },
    ],
  };
}

export function subjectOf(input: ReportInput): Subject {
  switch (input.kind) {
    case 'evaluation':
      return evalSubject(input.name, input.evaluation);
    case 'network':
      return evalSubject(input.name, input.network.total, input.network.offchipByKind);
    case 'search': {
      const s = input.search;
      if (s.best) return evalSubject(input.name, s.best);
      const c = s.chosen;
      return { name: input.name, totals: [['energy', 'pJ', c?.energy_pJ], ['cycles', 'count', c?.cycles], ['off-chip traffic', 'B', c?.offchip_bytes]], groups: [] };
    }
    case 'training': {
      const t = input.training;
      const sum = (xs: readonly (number | undefined)[]): number | undefined => (xs.some((x) => x === undefined) || xs.length === 0 ? undefined : xs.reduce<number>((a, b) => a + b!, 0));
      return {
        name: input.name,
        totals: [['energy', 'pJ', sum(t.phases.map((p) => p.energy_pJ))], ['cycles', 'count', sum(t.phases.map((p) => p.cycles))], ['off-chip traffic', 'B', sum(t.phases.map((p) => p.offchip_bytes))]],
        groups: [
          { title: 'Energy by phase', unit: 'pJ', parts: t.phases.map((p) => [p.name, p.energy_pJ] as const) },
          { title: 'Memory stored by scheme', unit: 'B', parts: t.schemes.flatMap((s) => (s.memoryBytes === undefined ? [] : [[s.name, s.memoryBytes] as const])) },
        ],
      };
    }
  }
}

const cell = (u: Unit, v: number | undefined): string => (v === undefined ? '-' : u === 'pJ' ? energy(v) : u === 'B' ? byteCell(v) : count(v));
export const ratio = (v: number | undefined, base: number | undefined): string => (v === undefined || base === undefined || !(base > 0) ? '-' : `${(v / base).toFixed(3)}x`);

function sideBySide(names: readonly string[], rows: readonly (readonly [string, Unit, readonly (number | undefined)[]])[]): ReturnType<typeof table> {
  const labels = ['', names[0], ...names.slice(1).flatMap((n) => [n, `${n} / ${names[0]}`])];
  return table(labels, rows.map(([label, u, vs]) => [label, cell(u, vs[0]), ...vs.slice(1).flatMap((v) => [cell(u, v), ratio(v, vs[0])])]));
}

function groupSection(subjects: readonly Subject[], gi: number, id: string): DocSection | undefined {
  const title = subjects[0].groups[gi]?.title;
  if (!title) return undefined;
  const unit = subjects[0].groups[gi].unit;
  const parts: string[] = [];
  for (const s of subjects) for (const [p] of s.groups[gi]?.parts ?? []) if (!parts.includes(p)) parts.push(p);
  if (parts.length === 0) return undefined;
  const val = (s: Subject, p: string): number | undefined => s.groups[gi]?.parts.find(([q]) => q === p)?.[1];
  const names = subjects.map((s) => s.name);
  const max = Math.max(...subjects.flatMap((s) => parts.map((p) => val(s, p) ?? 0)));
  const chart = barChart({
    id: `${id}-g${gi}`,
    title: `${title}, side by side`,
    caption: `${title} of each result, one bar per result (see the table for ratios to ${names[0]}).`,
    series: names,
    rows: parts.map((p) => ({ label: p, values: subjects.map((s) => val(s, p) ?? 0), note: subjects.map((s) => cell(unit, val(s, p))).join(' / ') })),
    unit: unit === 'pJ' ? energyUnit(max) : bytesUnit(max),
    quantity: unit === 'pJ' ? 'energy' : 'bytes',
    mode: 'grouped',
  });
  return section(`${id}-g${gi}-s`, title, { charts: [chart], tables: [{ caption: `${title} (ratios to ${names[0]}).`, table: sideBySide(names, parts.map((p) => [p, unit, subjects.map((s) => val(s, p))] as const)) }] });
}

export function buildCompare(inputs: readonly ReportInput[], provenance: Provenance): ReportDoc {
  const subjects = inputs.map(subjectOf);
  const names = subjects.map((s) => s.name);
  const metrics = subjects[0].totals.map(([label, unit]): [string, Unit, (number | undefined)[]] => [label, unit, subjects.map((s) => s.totals.find(([l]) => l === label)?.[2])]);
  const cm: CompareMetric[] = metrics.map(([label, , values]) => ({ label, values }));
  const id = 'cmp';
  const chart = compareChart(names, cm, `${id}-totals`);
  const same = subjects.every((s) => s.groups.length === subjects[0].groups.length);
  const sections: DocSection[] = [
    section(id, 'Totals', { level: 2, note: `Ratios are each result divided by ${names[0]} (the first input); below 1 is better for all of these metrics.`, charts: present([chart]), tables: [{ caption: 'Totals side by side.', table: sideBySide(names, metrics) }] }),
    ...(same ? present(subjects[0].groups.map((_, gi) => groupSection(subjects, gi, id))) : []),
  ];
  const facts = inputs.map((i, k): [string, string] => [k === 0 ? 'baseline' : `result ${k + 1}`, `${i.name} (${i.kind})`]);
  return { title: `spikeloop compare: ${names.join(' vs ')}`, facts, sections, provenance };
}

export function compareArtifacts(inputs: readonly ReportInput[], provenance: Provenance): Artifact[] {
  return docArtifacts(buildCompare(inputs, provenance));
}
