// The four Timeloop v3.0.3 reference cases, built as domain objects, must match Timeloop to the access, the cycle
// and the pJ (../shared/reference/timeloop).
import { describe, expect, it } from 'vitest';
import { mismatches } from '../helpers-timeloop-cases.ts';

describe('Timeloop v3.0.3 parity', () => {
  for (const c of ['case02', 'case04', 'case08', 'case13']) {
    it(`${c}: every access count, cycles and energy match`, () => {
      expect(mismatches[c]).toEqual([]);
    });
  }
});
