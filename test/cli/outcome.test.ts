import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../src/core/diagnostics.ts';
import { invalidOutcomeDiagnostic } from '../../src/cli/outcome.ts';

const text = 'mapping:\n  - level: DRAM\n    temporal: "K4"\n  # Buffer is the next one\n  - level: Buffer\n    temporal: "C8"\n';

describe('an invalid outcome as a diagnostic', () => {
  it('points at the level entry the parser located, with needed vs available', () => {
    const d = invalidOutcomeDiagnostic(
      { status: 'invalid', stage: 'capacity', level: 'Buffer', reason: 'the tiles kept at Buffer need 9000 bits', needed: 9000, available: 8192 },
      { file: 'm.yaml', text, levelNames: ['DRAM', 'Buffer'], levelPos: [{ file: 'm.yaml', line: 2, col: 5 }, { file: 'm.yaml', line: 5, col: 5 }] },
    );
    expect(formatDiagnostic(d)).toBe(
      'm.yaml:5:5: error SL-EVAL-CAPACITY: the mapping cannot run at Buffer: the tiles kept at Buffer need 9000 bits ' +
        '(needed 9,000 bits, available 8,192 bits; move loops of the tensors kept here outward, or bypass a tensor at this level)',
    );
  });

  it('finds the level in the text when the parser gives no positions (Timeloop files), skipping comments', () => {
    const d = invalidOutcomeDiagnostic({ status: 'invalid', stage: 'fanout', level: 'Buffer', reason: 'too wide' }, { file: 'm.yaml', text, levelNames: ['DRAM', 'Buffer'] });
    expect(d.code).toBe('SL-EVAL-FANOUT');
    expect(d.pos).toEqual({ file: 'm.yaml', line: 5, col: 12 });
  });

  it('falls back to the start of the mapping file', () => {
    const d = invalidOutcomeDiagnostic({ status: 'invalid', stage: 'semantics', reason: 'T inside C' }, { file: 'm.yaml', text, levelNames: [] });
    expect(formatDiagnostic(d)).toBe('m.yaml:1:1: error SL-EVAL-SEMANTICS: the mapping cannot run: T inside C');
  });
});
