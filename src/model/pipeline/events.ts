/**
 * Channel model: the analysis's per-instance counts apportioned over the tile schedule, as per-class transfer
 * events with port occupancy (cycles), latency, DRAM burst rounding and the words they move.
 *
 * Apportionment: for a tensor t kept at level e with parent p (nearest kept level above) and child c (nearest kept
 * level below, or the compute array):
 * - fills at e move in the fill events of e, one share per change of t's tile at e;
 * - reads at e feed the fills of c (one share per change of t's tile at c), or, with the compute array as child,
 *   happen during compute, the same share every step;
 * - updates at e arrive in the drain events of c (one share per eviction of t's tile at c: every change but the
 *   first, plus the final drain), or during compute.
 * Shares are count / tiles, so over the whole run every event moves exactly the analysis's words.
 *
 * Ports: every level has a read, a write and a shared port resource (ids 3e, 3e+1, 3e+2); an event occupies a
 * port for bits / bandwidth cycles (unlimited bandwidth: no occupancy). Off-chip levels with a burst size round
 * each tensor's transfer up to whole bursts.
 */
import type { LayerCounts } from '../../analysis/counts.ts';
import { type Arch, storedBits } from '../../arch/types.ts';
import type { Workload } from '../../workload/types.ts';
import type { TileSchedule } from './schedule.ts';

export const READ = 0;
export const FILL = 1;
export const UPDATE = 2;

export interface TransferEvent {
  /** Port resources used and their occupancy in cycles. */
  readonly ports: Int32Array;
  readonly occ: Float64Array;
  readonly maxOcc: number;
  readonly latency: number;
  /** Level and tensor that set the duration (largest occupancy, or the latency). */
  readonly causeLevel: number;
  readonly causeTensor: number;
  /** Per level involved: the largest occupancy of its ports (its busy cycles for this event). */
  readonly busyLevels: Int32Array;
  readonly busyOcc: Float64Array;
  /** Words moved: index (e * T + t) * 3 + kind, and amount. */
  readonly movedIdx: Int32Array;
  readonly movedWords: Float64Array;
}

interface Transfer {
  readonly level: number;
  /** 0 = read port side, 1 = write port side. */
  readonly dir: 0 | 1;
  readonly tensor: number;
  readonly words: number;
  readonly kind: number;
}

export interface EventTables {
  /** fill[ci][e]: the fill of e's new tiles at a step of class index ci. */
  readonly fill: (TransferEvent | null)[][];
  /** drain[di][e]: the write-back of e's evicted tiles (di = k + 1 for an eviction at a class-k change, 0 = final). */
  readonly drain: (TransferEvent | null)[][];
  /** Traffic during the compute of every step (operands, accumulations, neuron reads/writes at home levels). */
  readonly compute: TransferEvent | null;
}

export function buildEvents(arch: Arch, w: Workload, counts: LayerCounts, s: TileSchedule): EventTables {
  const L = s.levels;
  const T = s.tensors;
  const C = s.classCount.length;
  const fillT: Transfer[][][] = Array.from({ length: C }, () => Array.from({ length: L }, () => []));
  const drainT: Transfer[][][] = Array.from({ length: C }, () => Array.from({ length: L }, () => []));
  const computeT: Transfer[] = [];
  const chg = (ci: number, e: number, t: number): number => s.changes[ci * L * T + e * T + t];
  for (let t = 0; t < T; t++) {
    const keptAt: number[] = [];
    for (let e = 0; e < L; e++) if (counts.levels[e][t].kept) keptAt.push(e);
    keptAt.forEach((e, i) => {
      const c = counts.levels[e][t];
      const child = i + 1 < keptAt.length ? keptAt[i + 1] : L;
      if (c.fills > 0 && e > 0) {
        const tiles = s.tiles[e * T + t];
        for (let ci = 0; ci < C; ci++) {
          if (chg(ci, e, t)) fillT[ci][e].push({ level: e, dir: 1, tensor: t, words: c.fills / tiles, kind: FILL });
        }
      }
      if (child === L) {
        if (c.reads > 0) computeT.push({ level: e, dir: 0, tensor: t, words: c.reads / s.steps, kind: READ });
        if (c.updates > 0) computeT.push({ level: e, dir: 1, tensor: t, words: c.updates / s.steps, kind: UPDATE });
        return;
      }
      const tiles = s.tiles[child * T + t];
      for (let ci = 0; ci < C; ci++) {
        if (c.reads > 0 && chg(ci, child, t)) fillT[ci][child].push({ level: e, dir: 0, tensor: t, words: c.reads / tiles, kind: READ });
        // Evictions: every change but the first (ci >= 1) evicts the previous tile; ci = 0 is the final drain.
        const evicts = ci === 0 ? 1 : chg(ci, child, t);
        if (c.updates > 0 && evicts) drainT[ci][child].push({ level: e, dir: 1, tensor: t, words: c.updates / tiles, kind: UPDATE });
      }
    });
  }
  const make = (list: Transfer[], scale: number, latencySide: 0 | 1 | -1): TransferEvent | null =>
    list.length === 0 ? null : toEvent(arch, w, T, list, scale, latencySide);
  return {
    fill: fillT.map((row) => row.map((list) => make(list, 1, 0))),
    drain: drainT.map((row) => row.map((list) => make(list, 1, 1))),
    compute: make(computeT, 1, -1),
  };
}

/** latencySide: the port side whose level's latency the event pays (0 = sources of a fill, 1 = drain targets). */
function toEvent(arch: Arch, w: Workload, T: number, list: readonly Transfer[], scale: number, latencySide: 0 | 1 | -1): TransferEvent {
  const L = arch.levels.length;
  const readBits = new Float64Array(L);
  const writeBits = new Float64Array(L);
  const tensorBits = new Float64Array(L * 2 * T);
  const moved = new Map<number, number>();
  let latency = 0;
  let latencyLevel = -1;
  for (const tr of list) {
    const lvl = arch.levels[tr.level];
    // Bursts round the whole transfer; a chunk (scale < 1) is its share of the rounded transfer.
    const words = tr.words * scale;
    let bits = tr.words * storedBits(lvl, w.tensors[tr.tensor].bits);
    const burst = lvl.burstBits ?? 0;
    if (burst > 0 && bits > 0) bits = Math.ceil(bits / burst - 1e-9) * burst;
    bits *= scale;
    (tr.dir === 0 ? readBits : writeBits)[tr.level] += bits;
    tensorBits[(tr.level * 2 + tr.dir) * T + tr.tensor] += bits;
    const idx = (tr.level * T + tr.tensor) * 3 + tr.kind;
    moved.set(idx, (moved.get(idx) ?? 0) + words);
    if (tr.dir === latencySide && words > 0 && lvl.latencyCycles > latency) {
      latency = lvl.latencyCycles;
      latencyLevel = tr.level;
    }
  }
  const ports: number[] = [];
  const occ: number[] = [];
  const busyLevels: number[] = [];
  const busyOcc: number[] = [];
  let maxOcc = 0;
  let cause = { level: list[0].level, dir: list[0].dir as number };
  for (let e = 0; e < L; e++) {
    const lvl = arch.levels[e];
    let levelMax = 0;
    const use = (port: number, bits: number, bw: number | null, dir: number): void => {
      if (bits <= 0 || bw === null || bw <= 0) return;
      const o = bits / bw;
      ports.push(port);
      occ.push(o);
      levelMax = Math.max(levelMax, o);
      if (o > maxOcc) {
        maxOcc = o;
        cause = { level: e, dir };
      }
    };
    use(3 * e, readBits[e], lvl.readBandwidth, 0);
    use(3 * e + 1, writeBits[e], lvl.writeBandwidth, 1);
    use(3 * e + 2, readBits[e] + writeBits[e], lvl.sharedBandwidth, readBits[e] >= writeBits[e] ? 0 : 1);
    if (levelMax > 0) {
      busyLevels.push(e);
      busyOcc.push(levelMax);
    }
  }
  if (latency > maxOcc && latencyLevel >= 0) cause = { level: latencyLevel, dir: latencySide };
  // The tensor with the most bits on the cause's side of the cause level.
  let causeTensor = list[0].tensor;
  let best = -1;
  for (let t = 0; t < T; t++) {
    const b = tensorBits[(cause.level * 2 + cause.dir) * T + t] + tensorBits[(cause.level * 2 + 1 - cause.dir) * T + t] * 1e-9;
    if (b > best) {
      best = b;
      causeTensor = t;
    }
  }
  return {
    ports: Int32Array.from(ports),
    occ: Float64Array.from(occ),
    maxOcc,
    latency,
    causeLevel: cause.level,
    causeTensor,
    busyLevels: Int32Array.from(busyLevels),
    busyOcc: Float64Array.from(busyOcc),
    movedIdx: Int32Array.from(moved.keys()),
    movedWords: Float64Array.from(moved.values()),
  };
}
