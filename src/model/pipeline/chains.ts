/**
 * Cause chains for stall attribution: fixed-size lists of segments [start, lane, tensor, port], newest first.
 * Segment i covers [start_i, start_(i-1)) (the newest up to +infinity); the oldest is the base. A job's landing
 * chain says why it landed when it did (its port time, its latency, then whatever bound its release, recursively);
 * a compute stall is charged along the chain of the gate the compute waited for.
 */

/** Segments kept per list (older causes merge into the oldest kept one). */
export const K = 6;

/** Whether time a is later than b as a cause (times are exact: grid.ts; a tie keeps the earlier cause). */
export function later(a: number, b: number): boolean {
  return a > b;
}

export class Chains {
  readonly segT: Float64Array;
  readonly segLane: Int32Array;
  readonly segTensor: Int32Array;
  readonly segPort: Int32Array;
  readonly segN: Int32Array;

  constructor(
    lists: number,
    /** The lane charged for time no segment covers (the compute array itself: no stall). */
    readonly lanesNone: number,
  ) {
    this.segT = new Float64Array(lists * K);
    this.segLane = new Int32Array(lists * K);
    this.segTensor = new Int32Array(lists * K);
    this.segPort = new Int32Array(lists * K);
    this.segN = new Int32Array(lists);
  }

  segClear(list: number): void {
    this.segN[list] = 0;
  }

  segPush(list: number, t: number, lane: number, tensor: number, port: number): void {
    const n = this.segN[list];
    if (n >= K) {
      // Keep the newest K - 1 and make the oldest the base (it covers everything before it).
      const b = list * K + K - 1;
      this.segT[b] = -Infinity;
      return;
    }
    const b = list * K + n;
    this.segT[b] = t;
    this.segLane[b] = lane;
    this.segTensor[b] = tensor;
    this.segPort[b] = port;
    this.segN[list] = n + 1;
  }

  /** Appends the segments of `src` that cover time before `limit` (the oldest one extends to -infinity). */
  segAppendBelow(dst: number, src: number, limit: number): void {
    const n = this.segN[src];
    let i = 0;
    while (i < n && this.segT[src * K + i] >= limit) i++;
    if (i >= n) {
      if (n > 0) {
        // Everything of src is newer than the limit: its oldest segment is the base.
        const b = src * K + n - 1;
        this.segPush(dst, -Infinity, this.segLane[b], this.segTensor[b], this.segPort[b]);
      }
      return;
    }
    for (; i < n; i++) {
      const b = src * K + i;
      this.segPush(dst, this.segT[b], this.segLane[b], this.segTensor[b], this.segPort[b]);
    }
  }

  segCopy(dst: number, src: number): void {
    this.segN[dst] = 0;
    this.segAppendBelow(dst, src, Infinity);
  }

  /** Calls f(lane, tensor, port, a, b) for the part [a, b) of [from, to) each segment of `list` covers. */
  attribute(list: number, from: number, to: number, f: (lane: number, tensor: number, port: number, a: number, b: number) => void): void {
    if (to <= from) return;
    let upper = Infinity;
    const n = this.segN[list];
    for (let i = 0; i < n; i++) {
      const b = list * K + i;
      const lo = this.segT[b];
      const a = from > lo ? from : lo;
      const e = to < upper ? to : upper;
      if (e > a) f(this.segLane[b], this.segTensor[b], this.segPort[b], a, e);
      upper = lo;
      if (upper <= from) return;
    }
    if (upper > from) f(this.lanesNone, -1, -1, from, to < upper ? to : upper);
  }
}

/**
 * Drops the parts of every chain that lie before h (nothing is charged before the horizon): the segment covering
 * h extends to -infinity, older ones go.
 */
export function pruneChains(c: Chains, h: number): void {
  const lists = c.segN.length;
  for (let l = 0; l < lists; l++) {
    const n = c.segN[l];
    for (let i = 0; i < n; i++) {
      if (c.segT[l * K + i] <= h) {
        c.segT[l * K + i] = -Infinity;
        c.segN[l] = i + 1;
        break;
      }
    }
  }
}
