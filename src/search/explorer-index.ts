/** Candidate indices: a position in a deterministic candidate stream, compared lexicographically (tie-breaks). */
export type CandidateIndex = readonly number[];

export function compareIndex(a: CandidateIndex, b: CandidateIndex): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}
