/** The artifacts `spikeloop evaluate --out DIR` writes for one evaluation. */
import type { Evaluation } from '../model/types.ts';
import type { Artifact } from './artifact.ts';
import { jsonArtifact } from './json.ts';
import { markdownArtifact } from './markdown.ts';
import type { SummaryOptions } from './summary-model.ts';

export function evaluationArtifacts(e: Evaluation, opts: SummaryOptions = {}): Artifact[] {
  return [jsonArtifact(e), markdownArtifact(e, opts)];
}
