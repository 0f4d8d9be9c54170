/** The Evaluation as one JSON document (evaluation.json, and what `--json` prints). Pure. */
import type { Evaluation } from '../model/types.ts';
import type { Artifact } from './artifact.ts';

/** Two-space indented JSON of the Evaluation (non-finite numbers become null, as JSON requires). */
export function evaluationJson(e: Evaluation): string {
  return JSON.stringify(e, null, 2);
}

export function jsonArtifact(e: Evaluation): Artifact {
  return { name: 'evaluation.json', mediaType: 'application/json', content: evaluationJson(e) + '\n' };
}
