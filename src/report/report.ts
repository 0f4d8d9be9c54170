/**
 * `spikeloop report`: result views -> one ReportDoc -> artifacts (report.html, report.md, charts/*.svg).
 * Pure: the CLI reads the inputs (and hashes them) and writes the artifacts.
 */
import type { Artifact } from './artifact.ts';
import type { Chart } from './chart.ts';
import type { DocSection, EnergyTableRecord, ProducerRecord, Provenance, ReportDoc } from './doc.ts';
import type { ReportInput } from './inputs.ts';
import { renderReportHtml } from './render-html.ts';
import { chartPath, renderReportMarkdown } from './render-markdown.ts';
import { evaluationSections } from './sections/evaluation.ts';
import { exploreSections } from './sections/explore.ts';
import { networkSections } from './sections/network.ts';
import { searchSections } from './sections/search.ts';
import { trainingSections } from './sections/training.ts';
import type { ResultProvenance } from './views.ts';

const KIND_LABEL = { evaluation: 'evaluation', network: 'network', search: 'search result', explore: 'explore result', training: 'training' } as const;

export function inputSections(input: ReportInput, id: string): DocSection[] {
  const heading = `${KIND_LABEL[input.kind]}: ${input.name}`;
  switch (input.kind) {
    case 'evaluation':
      return evaluationSections(input.evaluation, id, heading);
    case 'network':
      return networkSections(input.network, id, heading);
    case 'search':
      return searchSections(input.search, id, heading);
    case 'explore':
      return exploreSections(input.explore, id, heading);
    case 'training':
      return trainingSections(input.training, id, heading);
  }
}

function energySourceOf(i: ReportInput): string | undefined {
  switch (i.kind) {
    case 'evaluation':
      return i.evaluation.energySource;
    case 'network':
      return i.network.total.energySource;
    case 'search':
      return i.search.best?.energySource;
    case 'explore':
      return undefined;
    case 'training':
      return i.training.energySource;
  }
}

/** Energy tables the inputs name, each with the results that name it (in input order); inputs without one under "not named". */
export function energyTablesOf(inputs: readonly ReportInput[]): EnergyTableRecord[] {
  const out: { table: string; results: string[] }[] = [];
  for (const i of inputs) {
    const t = energySourceOf(i) ?? 'not named in the result';
    const hit = out.find((r) => r.table === t);
    if (hit) hit.results.push(i.name);
    else out.push({ table: t, results: [i.name] });
  }
  return out;
}

function provenanceOf(i: ReportInput): ResultProvenance | undefined {
  switch (i.kind) {
    case 'evaluation':
      return i.evaluation.provenance;
    case 'network':
      return i.network.total.provenance;
    case 'search':
      return i.search.provenance ?? i.search.best?.provenance;
    case 'explore':
      return i.explore.provenance;
    case 'training':
      return i.training.provenance;
  }
}

/** What each result records about how it was produced (command, spec files and hashes). */
export function producersOf(inputs: readonly ReportInput[]): ProducerRecord[] {
  return inputs.map((i) => {
    const p = provenanceOf(i);
    return { result: i.name, command: p?.command, inputs: p?.inputs ?? [] };
  });
}

export function buildReport(inputs: readonly ReportInput[], provenance: Provenance): ReportDoc {
  const title = `spikeloop report: ${inputs.map((i) => i.name).join(', ')}`;
  const sections = inputs.flatMap((input, i) => inputSections(input, `r${i}`));
  const facts: [string, string][] = inputs.length > 1 ? [['results', String(inputs.length)]] : [];
  return { title, facts, sections, provenance: { ...provenance, producers: provenance.producers ?? producersOf(inputs) } };
}

export function chartsOf(d: ReportDoc): Chart[] {
  return d.sections.flatMap((s) => s.charts);
}

/** report.html (self-contained), report.md and one SVG file per chart (linked from the Markdown). */
export function docArtifacts(d: ReportDoc): Artifact[] {
  return [
    { name: 'report.html', mediaType: 'text/html', content: renderReportHtml(d) },
    { name: 'report.md', mediaType: 'text/markdown', content: renderReportMarkdown(d) },
    ...chartsOf(d).map((c) => ({ name: chartPath(c.id), mediaType: 'image/svg+xml', content: `<?xml version="1.0" encoding="UTF-8"?>\n${c.svg}\n` })),
  ];
}

export function reportArtifacts(inputs: readonly ReportInput[], provenance: Provenance): Artifact[] {
  return docArtifacts(buildReport(inputs, provenance));
}
