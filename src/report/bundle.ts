/** The artifacts `spikeloop evaluate --out DIR` writes for one evaluation. */
import type { Evaluation } from '../model/types.ts';
import type { Artifact } from './artifact.ts';
import { jsonArtifact, type ResultExtras } from './json.ts';
import { markdownArtifact } from './markdown.ts';
import type { SummaryOptions } from './summary-model.ts';

/** `extras`: fields added to evaluation.json beside the evaluation (its provenance, see json.ts). */
export function evaluationArtifacts(e: Evaluation, opts: SummaryOptions = {}, extras: ResultExtras = {}): Artifact[] {
  return [jsonArtifact(e, extras), markdownArtifact(e, opts)];
}
