/**
 * Timeloop's roofline timing: per level and instance, read demand = reads / compute cycles and write demand =
 * (fills + updates) / compute cycles; cycles = compute cycles / min(1, bandwidth / demand), computed exactly as
 * ceil(words / bandwidth) when throttled.
 */
import type { Arch } from '../arch/types.ts';
import type { Workload } from '../workload/types.ts';
import type { LevelResult } from './types.ts';

export interface RooflineResult {
  readonly cycles: number;
  readonly levelCycles: number[];
  readonly throttling: number[];
  readonly bottleneck: string;
}

export function rooflineCycles(arch: Arch, w: Workload, levels: readonly LevelResult[], computeCycles: number): RooflineResult {
  const levelCycles: number[] = [];
  const throttling: number[] = [];
  let cycles = computeCycles;
  let bottleneck = 'compute';
  levels.forEach((l, e) => {
    const lvl = arch.levels[e];
    let readBits = 0;
    let writeBits = 0;
    for (const t of w.tensors) {
      const s = l.tensors[t.name];
      if (!s) continue;
      readBits += s.reads * s.word_bits;
      writeBits += (s.fills + s.updates) * s.word_bits;
    }
    let need = computeCycles;
    const limit = (bits: number, bw: number | null): void => {
      if (bw === null || bw <= 0 || bits === 0) return;
      need = Math.max(need, Math.ceil(bits / bw - 1e-9));
    };
    limit(readBits, lvl.readBandwidth);
    limit(writeBits, lvl.writeBandwidth);
    limit(readBits + writeBits, lvl.sharedBandwidth);
    levelCycles.push(need);
    throttling.push(need === 0 ? 1 : computeCycles / need);
    if (need > cycles) {
      cycles = need;
      bottleneck = l.name;
    }
  });
  return { cycles, levelCycles, throttling, bottleneck };
}
