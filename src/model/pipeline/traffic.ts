/**
 * Ports and bits. Every level instance has a read, a write and a shared port (ids 3e, 3e+1, 3e+2); a port with
 * an unlimited bandwidth takes no time and has no Port object. A transfer side (a level and a direction) moves
 * bits = words x the tensor's stored bits at that level, rounded up to whole bursts on a level with a burst size;
 * on each of its ports it occupies bits / bandwidth cycles.
 *
 * Besides tile fills and write-backs (streams.ts), two kinds of per-step traffic run at the tensor's innermost
 * kept level: the compute array's operand reads and accumulation writes during every step, and the neuron unit's
 * reads and writes (State, spikes, the completed psum at its completion level) after every completing step. They
 * are spread evenly over those steps (every step of the inner nest is the same).
 */
import { onReducedNest, type LayerCounts } from '../../analysis/counts.ts';
import { type Arch, storedBits } from '../../arch/types.ts';
import type { Workload } from '../../workload/types.ts';
import { snapUp } from './grid.ts';
import { Port } from './ports.ts';
import type { TileSchedule } from './schedule.ts';

export const READ = 0;
export const FILL = 1;
export const UPDATE = 2;

export function buildPorts(arch: Arch): (Port | null)[] {
  const ports: (Port | null)[] = [];
  arch.levels.forEach((l, e) => {
    const bw = [l.readBandwidth, l.writeBandwidth, l.sharedBandwidth];
    bw.forEach((b, k) => ports.push(b !== null && b > 0 ? new Port(3 * e + k, b, e) : null));
  });
  return ports;
}

/** Bits of `words` of tensor t at level e (burst-rounded on a level with a burst size). */
export function sideBits(arch: Arch, w: Workload, e: number, t: number, words: number): number {
  if (words <= 0) return 0;
  const lvl = arch.levels[e];
  let bits = words * storedBits(lvl, w.tensors[t].bits);
  const burst = lvl.burstBits ?? 0;
  if (burst > 0) bits = Math.ceil(bits / burst - 1e-9) * burst;
  return bits;
}

/** Per-step traffic: (port, tensor) entries with their occupancy; words moved. */
export interface StepTraffic {
  readonly ports: Int32Array;
  readonly tensor: Int32Array;
  readonly work: Float64Array;
  /** Moved words: index (e * T + t) * 3 + kind, and amount. */
  readonly movedIdx: Int32Array;
  readonly movedWords: Float64Array;
}

interface Side {
  e: number;
  dir: 0 | 1;
  t: number;
  words: number;
  kind: number;
}

function aggregate(arch: Arch, w: Workload, ports: readonly (Port | null)[], sides: readonly Side[]): StepTraffic {
  const T = w.tensors.length;
  const portList: number[] = [];
  const tensorList: number[] = [];
  const work: number[] = [];
  const moved = new Map<number, number>();
  const add = (pid: number, t: number, b: number): void => {
    const p = ports[pid];
    if (!p || b <= 0) return;
    let i = portList.findIndex((x, k) => x === pid && tensorList[k] === t);
    if (i < 0) {
      i = portList.length;
      portList.push(pid);
      tensorList.push(t);
      work.push(0);
    }
    work[i] += b / p.bandwidth;
  };
  for (const sd of sides) {
    if (sd.words <= 0) continue;
    const b = sideBits(arch, w, sd.e, sd.t, sd.words);
    add(3 * sd.e + sd.dir, sd.t, b);
    add(3 * sd.e + 2, sd.t, b);
    const idx = (sd.e * T + sd.t) * 3 + sd.kind;
    moved.set(idx, (moved.get(idx) ?? 0) + sd.words);
  }
  return {
    ports: Int32Array.from(portList),
    tensor: Int32Array.from(tensorList),
    work: Float64Array.from(work, snapUp),
    movedIdx: Int32Array.from(moved.keys()),
    movedWords: Float64Array.from(moved.values()),
  };
}

/**
 * The compute array's traffic in one step and the neuron unit's traffic after one completing step. Full-nest
 * tensors: reads and updates at their innermost kept level / steps. Neuron tensors: the same / completing steps,
 * plus the neuron's read of each completed psum at its completion level.
 */
export function stepTraffic(arch: Arch, w: Workload, counts: LayerCounts, s: TileSchedule, ports: readonly (Port | null)[]): { compute: StepTraffic; neuron: StepTraffic } {
  const L = arch.levels.length;
  const compute: Side[] = [];
  const neuron: Side[] = [];
  w.tensors.forEach((_, t) => {
    let inner = -1;
    for (let e = 0; e < L; e++) if (counts.levels[e][t].kept) inner = e;
    const at = counts.completionLevel[t];
    if (at >= 0) {
      const part = counts.levels[at][t].partitionSize;
      if (part > 0) neuron.push({ e: at, dir: 0, t, words: part / s.completingSteps, kind: READ });
    }
    if (inner < 0) return;
    const c = counts.levels[inner][t];
    const reads = Math.max(0, c.reads - (at === inner ? c.partitionSize : 0));
    const reduced = onReducedNest(w, t);
    const ticks = reduced ? s.completingSteps : s.steps;
    const list = reduced ? neuron : compute;
    if (reads > 0) list.push({ e: inner, dir: 0, t, words: reads / ticks, kind: READ });
    if (c.updates > 0) list.push({ e: inner, dir: 1, t, words: c.updates / ticks, kind: UPDATE });
  });
  return { compute: aggregate(arch, w, ports, compute), neuron: aggregate(arch, w, ports, neuron) };
}
