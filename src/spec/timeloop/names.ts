/**
 * Timeloop naming rules: `PE[0..7]` ranges that multiply instance counts, ERT table names matched by their last
 * dotted component, and component classes recognized by substring (as Timeloop's topology parser does).
 */

export type RangeName = { readonly base: string; readonly count: number } | { readonly error: true };

/** `PE[0..7]` -> base `PE`, 8 instances; a name without brackets has 1 instance. */
export function parseRangeName(name: string): RangeName {
  const open = name.indexOf('[');
  if (open < 0) return name.includes(']') ? { error: true } : { base: name, count: 1 };
  const m = /^([^[\]]+)\[\s*(\d+)\s*\.\.\s*(\d+)\s*\]$/.exec(name);
  if (!m) return { error: true };
  const lo = Number(m[2]);
  const hi = Number(m[3]);
  if (hi < lo) return { error: true };
  return { base: m[1].trim(), count: hi - lo + 1 };
}

/** `system.chip.PE[0..7].RegisterFile` -> `RegisterFile`; `system.chip.RF[0..15]` -> `RF`. */
export function ertComponentName(tableName: string): string {
  const stripped = tableName.replace(/\[\s*\d+\s*\.\.\s*\d+\s*\]/g, '');
  const dot = stripped.lastIndexOf('.');
  return stripped.slice(dot + 1).trim();
}

const BUFFER_CLASSES = ['dram', 'sram', 'regfile', 'smartbuffer', 'storage'];
const COMPUTE_CLASSES = ['mac', 'intmac', 'fpmac', 'compute'];

export type ComponentKind = 'storage' | 'compute' | 'other';

/**
 * Storage if the class contains DRAM, SRAM, regfile, smartbuffer or storage; compute if it contains mac or
 * compute (buffer classes win, as in Timeloop). Matching ignores case (Timeloop's is case-sensitive).
 */
export function classify(cls: string | undefined): ComponentKind {
  if (!cls) return 'other';
  const c = cls.toLowerCase();
  if (BUFFER_CLASSES.some((b) => c.includes(b))) return 'storage';
  if (COMPUTE_CLASSES.some((b) => c.includes(b))) return 'compute';
  return 'other';
}

export const isDramClass = (cls: string | undefined): boolean => !!cls && cls.toLowerCase().includes('dram');
