/** An evaluation that cannot run (InvalidOutcome) as a diagnostic pointing at the mapping entry to change. */
import type { Diagnostic, SourcePos } from '../core/diagnostics.ts';
import type { InvalidOutcome } from '../model/types.ts';

export interface MappingSource {
  readonly file: string;
  readonly text: string;
  /** Arch level names, outermost first. */
  readonly levelNames: readonly string[];
  /** Position of the mapping entry of each level (same order), when the parser knows it. */
  readonly levelPos?: readonly SourcePos[];
}

/** First line of `text` that mentions `word` as a whole word (for formats whose parser gives no positions). */
function findWord(file: string, text: string, word: string): SourcePos | undefined {
  const re = new RegExp(`(^|[^A-Za-z0-9_])${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z0-9_])`);
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    if (/^\s*#/.test(lines[i])) continue;
    const m = re.exec(lines[i]);
    if (m) return { file, line: i + 1, col: m.index + m[1].length + 1 };
  }
  return undefined;
}

function positionOf(o: InvalidOutcome, src: MappingSource): SourcePos {
  const fallback: SourcePos = { file: src.file, line: 1, col: 1 };
  if (!o.level) return fallback;
  const i = src.levelNames.indexOf(o.level);
  if (i >= 0 && src.levelPos && src.levelPos[i]) return src.levelPos[i];
  return findWord(src.file, src.text, o.level) ?? fallback;
}

export function invalidOutcomeDiagnostic(o: InvalidOutcome, src: MappingSource): Diagnostic {
  const where = o.level ? ` at ${o.level}` : '';
  const unit = o.stage === 'capacity' ? ' bits' : '';
  const n = (x: number): string => x.toLocaleString('en-US');
  const amounts = o.needed !== undefined && o.available !== undefined ? `needed ${n(o.needed)}${unit}, available ${n(o.available)}${unit}` : undefined;
  const hint =
    o.stage === 'capacity'
      ? `${amounts ? amounts + '; ' : ''}move loops of the tensors kept here outward, or bypass a tensor at this level`
      : o.stage === 'fanout'
        ? `${amounts ? amounts + '; ' : ''}reduce the spatial factors of this level`
        : amounts;
  return {
    code: `SL-EVAL-${o.stage.toUpperCase()}`,
    severity: 'error',
    message: `the mapping cannot run${where}: ${o.reason}`,
    pos: positionOf(o, src),
    ...(hint ? { hint } : {}),
  };
}
