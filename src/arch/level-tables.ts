/**
 * Per-level constants of an arch as typed arrays, for the dense costing loops (the model's costing and the search's
 * lower bound): stored bits and words per vector per (level, tensor) at [e * T + t], and per level its energies,
 * port width, off-chip flag, capacity, double buffering, bandwidths (0 = unlimited) and leakage over its instances.
 */
import { storedBits, wordsPerVector, type Arch } from './types.ts';

export interface LevelTables {
  readonly bits: Float64Array;
  readonly wpv: Float64Array;
  readonly eRead: Float64Array;
  readonly eFill: Float64Array;
  readonly eUpdate: Float64Array;
  readonly width: Float64Array;
  readonly offChip: Uint8Array;
  /** Infinity = unbounded. */
  readonly capacity: Float64Array;
  readonly doubleBuffered: Uint8Array;
  readonly readBw: Float64Array;
  readonly writeBw: Float64Array;
  readonly sharedBw: Float64Array;
  /** mW: leakage per instance x instances. */
  readonly leakMw: Float64Array;
}

/** `tensorBits`: each tensor's precision, in the workload's tensor order. */
export function levelTables(arch: Arch, tensorBits: readonly number[]): LevelTables {
  const L = arch.levels.length;
  const nT = tensorBits.length;
  const t: LevelTables = {
    bits: new Float64Array(L * nT), wpv: new Float64Array(L * nT), eRead: new Float64Array(L), eFill: new Float64Array(L),
    eUpdate: new Float64Array(L), width: new Float64Array(L), offChip: new Uint8Array(L), capacity: new Float64Array(L),
    doubleBuffered: new Uint8Array(L), readBw: new Float64Array(L), writeBw: new Float64Array(L), sharedBw: new Float64Array(L),
    leakMw: new Float64Array(L),
  };
  const bw = (x: number | null): number => (x !== null && x > 0 ? x : 0);
  arch.levels.forEach((lvl, e) => {
    for (let i = 0; i < nT; i++) {
      t.bits[e * nT + i] = storedBits(lvl, tensorBits[i]);
      t.wpv[e * nT + i] = wordsPerVector(lvl, tensorBits[i]);
    }
    t.eRead[e] = lvl.energy.read;
    t.eFill[e] = lvl.energy.fill;
    t.eUpdate[e] = lvl.energy.update;
    t.width[e] = lvl.widthBits;
    t.offChip[e] = lvl.offChip ? 1 : 0;
    t.capacity[e] = lvl.capacityBits ?? Infinity;
    t.doubleBuffered[e] = lvl.doubleBuffered ? 1 : 0;
    t.readBw[e] = bw(lvl.readBandwidth);
    t.writeBw[e] = bw(lvl.writeBandwidth);
    t.sharedBw[e] = bw(lvl.sharedBandwidth);
    t.leakMw[e] = lvl.leakageMw * lvl.instances;
  });
  return t;
}
