/**
 * Named energy tables (../shared/reference/energy.md, ttsnn.md), each with its source. An arch spec names one with
 * `energy_table:`; then
 *  - its constants can be used by name in any numeric field of the arch (e.g. `ac: add_fp32`),
 *  - a storage level without `energy:` gets its per-access energies estimated from the table by kind, capacity and
 *    access width (`estimateLevel`), and a level with a partial `energy:` overrides only what it gives,
 *  - compute actions without an energy take the table's default for that action, when it has one.
 * Estimates interpolate between the table's points on a log-log scale (energy vs capacity) and scale linearly with
 * the access width; every estimate says how it was made (`how`), for reports.
 */

export interface SramPoint {
  readonly bytes: number;
  /** pJ per access of `bits` bits. */
  readonly read: number;
  readonly write: number;
  readonly bits: number;
  /** Leakage of one instance in mW, when the source gives it. */
  readonly leakageMw?: number;
}

export interface EnergyTable {
  readonly name: string;
  /** Where the numbers come from (printed in every report). */
  readonly source: string;
  /** Energy unit of every number: pJ, or one MAC of the design (eyeriss-normalized, scaled by `mac_pJ`). */
  readonly unit: string;
  /** Named constants usable in arch expressions (pJ). */
  readonly constants: Readonly<Record<string, number>>;
  /** Default energy per compute action (pJ), for actions the arch does not price. */
  readonly compute: Readonly<Record<string, number>>;
  /** SRAM read/write energy points (sorted by size). */
  readonly sram?: readonly SramPoint[];
  /** Register files: energy per access of `bits` bits (independent of size). */
  readonly regfile?: { readonly read: number; readonly write: number; readonly bits: number };
  /** DRAM: energy per access of `bits` bits. */
  readonly dram?: { readonly read: number; readonly write: number; readonly bits: number };
  /** Notes on choices made where the source gives a range or nothing. */
  readonly notes: readonly string[];
}

const HOROWITZ: EnergyTable = {
  name: 'horowitz45',
  source: 'Horowitz, "Computing\'s energy problem", ISSCC 2014; 45 nm, 0.9 V',
  unit: 'pJ',
  constants: {
    add_int8: 0.03, add_int16: 0.05, add_int32: 0.1, add_fp16: 0.4, add_fp32: 0.9,
    mult_int8: 0.2, mult_int32: 3.1, mult_fp16: 1.1, mult_fp32: 3.7,
    sram_read_64b_8KB: 10, sram_read_64b_32KB: 20, sram_read_64b_1MB: 100,
    dram_64b_min: 1300, dram_64b_max: 2600,
    // The convention of SNN papers: E_MAC = fp32 multiply + add, E_AC = fp32 add.
    snn_mac: 4.6, snn_ac: 0.9,
  },
  compute: { mac: 4.6, ac: 0.9 },
  sram: [
    { bytes: 8 * 1024, read: 10, write: 10, bits: 64 },
    { bytes: 32 * 1024, read: 20, write: 20, bits: 64 },
    { bytes: 1024 * 1024, read: 100, write: 100, bits: 64 },
  ],
  dram: { read: 1950, write: 1950, bits: 64 },
  notes: [
    'SRAM writes are taken equal to reads (the source gives reads only)',
    'DRAM: 1950 pJ per 64 bits, the middle of the 1300-2600 pJ range of the source (dram_64b_min / dram_64b_max)',
    'register files (no point in the source) follow the SRAM curve extrapolated below 8 KB',
    'mac and ac default to the SNN-paper convention (fp32: 4.6 and 0.9 pJ); neuron_update has no default',
  ],
};

const EYERISS: EnergyTable = {
  name: 'eyeriss-normalized',
  source: 'Chen, Emer, Sze, "Eyeriss", ISCA 2016; 65 nm; normalized to one MAC',
  unit: 'MAC (x mac_pJ)',
  constants: { rf_access: 1, pe_to_pe: 2, gb_access: 6, dram_access: 200, mac: 1 },
  compute: { mac: 1 },
  regfile: { read: 1, write: 1, bits: 16 },
  sram: [{ bytes: 108 * 1024, read: 6, write: 6, bits: 16 }],
  dram: { read: 200, write: 200, bits: 16 },
  notes: [
    'every number is relative to one 16-bit MAC; energy_table: {name: eyeriss-normalized, mac_pJ: X} scales them to pJ',
    'one global-buffer point (6x at 108 KB): other buffer sizes use the same 6x',
    'ac and neuron_update have no default',
  ],
};

const SATA16: EnergyTable = {
  name: 'sata16',
  source: 'SATA simulator constants used by TT-SNN (Lee et al., DATE 2024); 16-bit datapath',
  unit: 'pJ',
  constants: {
    multiplier: 0.239, accumulator: 0.0389, adder: 0.00967, and_gate: 0.000794, comparator: 0.00309, register: 0.0301,
    forward_op: 0.0397, backward_mac: 0.2779, neuron_update: 0.1126, weight_gradient_op: 0.0397,
    dram_16b: 55.58, gb_16b: 1.95, spad_16b: 0.2779,
  },
  compute: {
    ac: 0.0397, mac: 0.2779, neuron_update: 0.1126, weight_gradient: 0.0397, bwd_mac: 0.2779, wgrad_mac: 0.2779,
    post_grad: 0.1126, add: 0.00967,
  },
  regfile: { read: 0.2779, write: 0.2779, bits: 16 },
  sram: [{ bytes: 32 * 1024, read: 1.95, write: 1.95, bits: 16 }],
  dram: { read: 55.58, write: 55.58, bits: 16 },
  notes: [
    'mac (a MAC on real-valued inputs) is the composed backward MAC (0.2779 pJ); post_grad is charged as a neuron update',
    'one buffer point: every buffer size uses the 16-bit global-buffer access energy',
  ],
};

const CACTI28: EnergyTable = {
  name: 'sata-cacti28',
  source: 'CACTI numbers of the SATA simulator (TT-SNN): SRAM at 28 nm, DRAM at 32 nm',
  unit: 'pJ',
  constants: {
    sram32k_read: 11.03, sram32k_write: 12.77, sram144k_read: 28.63, sram144k_write: 28.22,
    dram_128B: 468.8, sram32k_leakage_mw: 6.26, sram144k_leakage_mw: 24.91,
  },
  compute: {},
  sram: [
    { bytes: 32 * 1024, read: 11.03, write: 12.77, bits: 256, leakageMw: 6.26 },
    { bytes: 144 * 1024, read: 28.63, write: 28.22, bits: 256, leakageMw: 24.91 },
  ],
  dram: { read: 468.8, write: 468.8, bits: 1024 },
  notes: [
    'energies are per 32-byte access: the block size of the SATA simulator configuration the numbers come from',
    'compute energies are not part of this table (use sata16)',
  ],
};

const ACCELERGY: EnergyTable = {
  name: 'accelergy-defaults',
  source: 'Accelergy / Timeloop exercise defaults (as collected in energy.md)',
  unit: 'pJ',
  constants: {
    dram_lpddr4_per_bit: 8, dram_hbm2_per_bit: 3.9, dram_gddr5_per_bit: 14, dram_ddr3_per_bit: 70,
    mac_int8_40nm: 0.56, mac_int16_45nm: 2.2, regfile_64x8_access: 0.42,
  },
  compute: { mac: 2.2 },
  regfile: { read: 0.42, write: 0.42, bits: 8 },
  dram: { read: 8 * 64, write: 8 * 64, bits: 64 },
  notes: [
    'DRAM defaults to LPDDR4 (8 pJ/bit); the other DRAM kinds are constants (dram_hbm2_per_bit, ...)',
    'mac defaults to the 16-bit integer MAC at 45 nm (2.2 pJ); no SRAM points: give buffer energies explicitly',
  ],
};

export const ENERGY_TABLES: readonly EnergyTable[] = [HOROWITZ, EYERISS, SATA16, CACTI28, ACCELERGY];

export function energyTable(name: string): EnergyTable | undefined {
  return ENERGY_TABLES.find((t) => t.name === name);
}

/** The table with every number multiplied by `scale` (eyeriss-normalized in pJ). */
export function scaledTable(t: EnergyTable, scale: number): EnergyTable {
  if (scale === 1) return t;
  const mul = (r: Readonly<Record<string, number>>): Record<string, number> => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v * scale]));
  return {
    ...t,
    source: `${t.source}; x ${scale} pJ per MAC (mac_pJ)`,
    unit: 'pJ',
    constants: mul(t.constants),
    compute: mul(t.compute),
    sram: t.sram?.map((p) => ({ ...p, read: p.read * scale, write: p.write * scale })),
    regfile: t.regfile && { ...t.regfile, read: t.regfile.read * scale, write: t.regfile.write * scale },
    dram: t.dram && { ...t.dram, read: t.dram.read * scale, write: t.dram.write * scale },
  };
}

export interface LevelEstimate {
  readonly read: number;
  readonly write: number;
  readonly leakageMw?: number;
  /** How the numbers were obtained. */
  readonly how: string;
}

const fmt = (x: number): string => String(Number(x.toPrecision(6)));

/** log-log interpolation (extrapolation at the ends) of y(x) through sorted points. */
function logLog(points: readonly { x: number; y: number }[], x: number): number {
  if (points.length === 1) return points[0].y;
  let i = 0;
  while (i < points.length - 2 && x > points[i + 1].x) i++;
  const a = points[i];
  const b = points[i + 1];
  const t = (Math.log(x) - Math.log(a.x)) / (Math.log(b.x) - Math.log(a.x));
  return Math.exp(Math.log(a.y) + t * (Math.log(b.y) - Math.log(a.y)));
}

/**
 * Per-access energies of a storage level of `kind` with `capacityBits` per instance and `widthBits` per access, or
 * why the table cannot give them.
 */
export function estimateLevel(t: EnergyTable, kind: 'dram' | 'sram' | 'regfile', capacityBits: number | null, widthBits: number): LevelEstimate | string {
  if (kind === 'dram') {
    if (!t.dram) return `${t.name} has no DRAM energy`;
    const s = widthBits / t.dram.bits;
    return { read: t.dram.read * s, write: t.dram.write * s, how: `DRAM, ${fmt(t.dram.read)} pJ per ${t.dram.bits} bits read -> ${fmt(t.dram.read * s)} / ${fmt(t.dram.write * s)} pJ per ${widthBits}-bit read / write` };
  }
  if (kind === 'regfile' && t.regfile) {
    const s = widthBits / t.regfile.bits;
    return { read: t.regfile.read * s, write: t.regfile.write * s, how: `register file, ${fmt(t.regfile.read)} pJ per ${t.regfile.bits} bits -> ${fmt(t.regfile.read * s)} / ${fmt(t.regfile.write * s)} pJ per ${widthBits}-bit read / write` };
  }
  if (!t.sram || t.sram.length === 0) return `${t.name} has no ${kind === 'regfile' ? 'register-file or ' : ''}SRAM energies`;
  if (capacityBits === null) return 'an on-chip level needs a capacity for its energy to be estimated';
  const bytes = capacityBits / 8;
  const pts = (f: (p: SramPoint) => number) => t.sram!.map((p) => ({ x: p.bytes, y: f(p) / p.bits }));
  const readPerBit = logLog(pts((p) => p.read), bytes);
  const writePerBit = logLog(pts((p) => p.write), bytes);
  const leak = t.sram.every((p) => p.leakageMw !== undefined) ? logLog(t.sram.map((p) => ({ x: p.bytes, y: p.leakageMw! })), bytes) : undefined;
  const lo = t.sram[0].bytes;
  const hi = t.sram[t.sram.length - 1].bytes;
  const range = t.sram.length === 1 ? 'its one SRAM point' : bytes < lo || bytes > hi ? `its SRAM points, extrapolated (${lo}-${hi} B)` : 'its SRAM points';
  return {
    read: readPerBit * widthBits,
    write: writePerBit * widthBits,
    ...(leak !== undefined ? { leakageMw: leak } : {}),
    how: `${bytes} B SRAM from ${range} -> ${fmt(readPerBit * widthBits)} / ${fmt(writePerBit * widthBits)} pJ per ${widthBits}-bit read / write${leak !== undefined ? `, leakage ${fmt(leak)} mW` : ''}`,
  };
}
