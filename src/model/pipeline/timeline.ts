/**
 * The compact timeline: per lane (every level, the compute array, the neuron unit) its spans while they are few
 * (at most CAP per lane), and always the lane's busy time in BINS equal bins over the whole run (the bin width
 * doubles, merging neighbours, as the run grows). A capped timeline reports the bins: one span per bin, from the
 * bin's start and as long as the lane's busy time in it, plus the busy fraction of every bin.
 */

export const CAP = 256;
export const BINS = 256;

export interface Span {
  readonly start: number;
  readonly end: number;
  readonly state: string;
}

export class Timeline {
  readonly spans: Span[][];
  capped = false;
  width = 1;
  readonly bins: Float64Array;
  /** Busy time added per lane (to replay a skipped iteration's busy time). */
  readonly total: Float64Array;

  constructor(readonly lanes: number) {
    this.spans = Array.from({ length: lanes }, () => []);
    this.bins = new Float64Array(lanes * BINS);
    this.total = new Float64Array(lanes);
  }

  span(lane: number, start: number, end: number, state: string): void {
    if (this.capped) return;
    const list = this.spans[lane];
    if (list.length >= CAP) {
      this.capped = true;
      return;
    }
    list.push({ start, end, state });
  }

  private grow(t: number): void {
    while (t > BINS * this.width) {
      for (let l = 0; l < this.lanes; l++) {
        const b = l * BINS;
        for (let i = 0; i < BINS / 2; i++) this.bins[b + i] = this.bins[b + 2 * i] + this.bins[b + 2 * i + 1];
        this.bins.fill(0, b + BINS / 2, b + BINS);
      }
      this.width *= 2;
    }
  }

  /** Busy time `amount` spread evenly over [a, b) (amount = b - a: busy all the time). */
  busy(lane: number, a: number, b: number, amount = b - a): void {
    if (!(b > a) || !(amount > 0)) return;
    this.total[lane] += amount;
    this.grow(b);
    const w = this.width;
    const density = amount / (b - a);
    const base = lane * BINS;
    let i = Math.floor(a / w);
    for (; i < BINS; i++) {
      const s = i * w;
      if (s >= b) break;
      const e = s + w;
      const lo = a > s ? a : s;
      const hi = b < e ? b : e;
      if (hi > lo) this.bins[base + i] += (hi - lo) * density;
    }
  }

  /**
   * Busy fraction of each bin up to `end`. A bin holding more busy time than its length (a replayed stretch spread
   * evenly next to spans simulated just after it) passes the excess on to the next bin: the lane's busy time is
   * conserved.
   */
  fractions(lane: number, end: number): number[] {
    this.grow(end);
    const w = this.width;
    const n = Math.max(1, Math.ceil(end / w - 1e-9));
    const out: number[] = [];
    let carry = 0;
    for (let i = 0; i < n; i++) {
      const len = Math.min(w, end - i * w);
      let b = this.bins[lane * BINS + i] + carry;
      carry = b > len ? b - len : 0;
      b -= carry;
      const f = len > 0 ? b / len : 0;
      out.push(Math.round(Math.max(0, f) * 1000) / 1000);
    }
    return out;
  }
}
