/**
 * `spikeloop report`: result views -> one ReportDoc -> artifacts (report.html, report.md, charts/*.svg).
 * Pure: the CLI reads the inputs (and hashes them) and writes the artifacts.
 */
import type { Artifact } from './artifact.ts';
import type { Chart } from './chart.ts';
import type { DocSection, Provenance, ReportDoc } from './doc.ts';
import type { ReportInput } from './inputs.ts';
import { renderReportHtml } from './render-html.ts';
import { chartPath, renderReportMarkdown } from './render-markdown.ts';
import { evaluationSections } from './sections/evaluation.ts';
import { networkSections } from './sections/network.ts';
import { searchSections } from './sections/search.ts';
import { trainingSections } from './sections/training.ts';

const KIND_LABEL = { evaluation: 'evaluation', network: 'network', search: 'search result', training: 'training' } as const;

export function inputSections(input: ReportInput, id: string): DocSection[] {
  const heading = `${KIND_LABEL[input.kind]}: ${input.name}`;
  switch (input.kind) {
    case 'evaluation':
      return evaluationSections(input.evaluation, id, heading);
    case 'network':
      return networkSections(input.network, id, heading);
    case 'search':
      return searchSections(input.search, id, heading);
    case 'training':
      return trainingSections(input.training, id, heading);
  }
}

/** Energy tables the inputs name (deduplicated, in input order). */
export function energyTablesOf(inputs: readonly ReportInput[]): string[] {
  const out: string[] = [];
  const add = (s: string | undefined): void => void (s && !out.includes(s) && out.push(s));
  for (const i of inputs) {
    if (i.kind === 'evaluation') add(i.evaluation.energySource);
    if (i.kind === 'network') add(i.network.total.energySource);
    if (i.kind === 'search') add(i.search.best?.energySource);
    if (i.kind === 'training') add(i.training.energySource);
  }
  return out;
}

export function buildReport(inputs: readonly ReportInput[], provenance: Provenance): ReportDoc {
  const title = `spikeloop report: ${inputs.map((i) => i.name).join(', ')}`;
  const sections = inputs.flatMap((input, i) => inputSections(input, `r${i}`));
  const facts: [string, string][] = inputs.length > 1 ? [['results', String(inputs.length)]] : [];
  return { title, facts, sections, provenance };
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
