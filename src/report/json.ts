/** The Evaluation as one JSON document (evaluation.json, and what `--json` prints). Pure. */
import type { Evaluation } from '../model/types.ts';
import type { Artifact } from './artifact.ts';

/**
 * Fields a command adds to the document beside the evaluation: its provenance `{command, inputs: [{path,
 * sha256}]}` (src/cli/provenance.ts), which `spikeloop report` shows per result.
 */
export type ResultExtras = object;

/** Two-space indented JSON of the Evaluation (non-finite numbers become null, as JSON requires), plus `extras`. */
export function evaluationJson(e: Evaluation, extras: ResultExtras = {}): string {
  return JSON.stringify({ ...e, ...extras }, null, 2);
}

export function jsonArtifact(e: Evaluation, extras: ResultExtras = {}): Artifact {
  return { name: 'evaluation.json', mediaType: 'application/json', content: evaluationJson(e, extras) + '\n' };
}
