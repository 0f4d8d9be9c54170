/** Where a JSON path (`['levels', 2, 'energy_pJ']`) sits in a JSON text, for diagnostics with a line (pure). */

export interface LineCol {
  readonly line: number;
  readonly col: number;
}

export function lineColAt(text: string, offset: number): LineCol {
  let line = 1;
  let col = 1;
  for (let i = 0; i < Math.min(offset, text.length); i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      col = 1;
    } else col++;
  }
  return { line, col };
}

/** A tiny scanner over valid JSON: skips whitespace, strings and whole values. */
class Scanner {
  i = 0;
  constructor(readonly s: string) {}
  ws(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i])) this.i++;
  }
  string(): string {
    const start = this.i;
    this.i++;
    while (this.i < this.s.length && this.s[this.i] !== '"') this.i += this.s[this.i] === '\\' ? 2 : 1;
    this.i++;
    return JSON.parse(this.s.slice(start, this.i)) as string;
  }
  skipValue(): void {
    this.ws();
    const ch = this.s[this.i];
    if (ch === '"') return void this.string();
    if (ch === '{' || ch === '[') {
      const close = ch === '{' ? '}' : ']';
      this.i++;
      this.ws();
      if (this.s[this.i] === close) return void this.i++;
      for (;;) {
        if (ch === '{') {
          this.ws();
          this.string();
          this.ws();
          this.i++; // ':'
        }
        this.skipValue();
        this.ws();
        if (this.s[this.i++] === close) return;
      }
    }
    while (this.i < this.s.length && !/[\s,\]}]/.test(this.s[this.i])) this.i++;
  }
}

/**
 * Offset of the value at `path` (or of the deepest part of it that exists); 0 when the text is not JSON.
 * Only called on error paths, so a linear scan is fine.
 */
export function locatePath(text: string, path: readonly (string | number)[]): LineCol {
  const sc = new Scanner(text);
  try {
    sc.ws();
    let found = sc.i;
    for (const key of path) {
      sc.ws();
      const ch = sc.s[sc.i];
      let hit = false;
      if (ch === '{' && typeof key === 'string') {
        sc.i++;
        sc.ws();
        while (sc.s[sc.i] === '"') {
          const keyAt = sc.i;
          const k = sc.string();
          sc.ws();
          sc.i++;
          sc.ws();
          if (k === key) {
            hit = true;
            found = keyAt;
            break;
          }
          sc.skipValue();
          sc.ws();
          if (sc.s[sc.i] === ',') sc.i++;
          sc.ws();
        }
      } else if (ch === '[' && typeof key === 'number') {
        sc.i++;
        for (let n = 0; n <= key; n++) {
          sc.ws();
          if (sc.s[sc.i] === ']') break;
          if (n === key) {
            hit = true;
            found = sc.i;
            break;
          }
          sc.skipValue();
          sc.ws();
          if (sc.s[sc.i] === ',') sc.i++;
        }
      }
      if (!hit) break;
    }
    return lineColAt(text, found);
  } catch {
    return { line: 1, col: 1 };
  }
}
