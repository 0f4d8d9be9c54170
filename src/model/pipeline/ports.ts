/**
 * A port (read, write or shared port of one level instance) as the sorted list of its busy intervals after a
 * horizon H: the simulator never places anything before H again, so what lies before H is dropped. A transfer
 * occupies a port for bits / bandwidth cycles, possibly in pieces: `place` fills the port's free gaps from a
 * release time on, so a transfer placed later (lower priority) can still use idle time before the transfers
 * placed earlier (higher priority). That is preemptive priority scheduling when transfers are placed in priority
 * order, which the simulator guarantees (simulator.ts).
 */

const EPS = 1e-12;

export class Port {
  starts = new Float64Array(16);
  ends = new Float64Array(16);
  /** Tensor moved in each interval (neighbours merge only when they move the same tensor). */
  tags = new Int32Array(16);
  n = 0;
  /** Nothing may be placed before this time (what lay before it was dropped). */
  horizon = 0;
  /** Outputs of place(): work placed and the end of the last piece. */
  taken = 0;
  end = 0;

  constructor(
    readonly id: number,
    /** Bits per cycle. */
    readonly bandwidth: number,
    /** Arch level of the port. */
    readonly level: number,
  ) {}

  /** Places up to `work` cycles of tensor `tag` in the free gaps from `from` on, before `limit`; sets `taken`, `end`. */
  place(from: number, work: number, limit: number, tag: number): void {
    if (from < this.horizon - 1e-9) throw new Error(`pipeline: port ${this.id} placement at ${from} before its horizon ${this.horizon}`);
    let rest = work;
    let tau = from;
    let i = 0;
    while (i < this.n && this.ends[i] <= tau) i++;
    this.end = from;
    while (rest > EPS) {
      if (i < this.n && this.starts[i] <= tau) {
        if (this.ends[i] > tau) tau = this.ends[i];
        i++;
        continue;
      }
      if (tau >= limit) break;
      const next = i < this.n ? this.starts[i] : Infinity;
      const gapEnd = next < limit ? next : limit;
      const avail = gapEnd - tau;
      let b: number;
      if (avail <= rest) {
        b = gapEnd;
        rest -= avail;
      } else {
        b = tau + rest;
        rest = 0;
      }
      i = this.insert(i, tau, b, tag);
      this.end = b;
      tau = b;
    }
    this.taken = work - (rest > EPS ? rest : 0);
  }

  /** Inserts [a, b) before interval i (a >= end of i-1, b <= start of i); returns the interval now holding it. */
  private insert(i: number, a: number, b: number, tag: number): number {
    const s = this.starts;
    const e = this.ends;
    const g = this.tags;
    if (i > 0 && e[i - 1] === a && g[i - 1] === tag) {
      e[i - 1] = b;
      if (i < this.n && s[i] === b && g[i] === tag) {
        e[i - 1] = e[i];
        this.remove(i);
      }
      return i - 1;
    }
    if (i < this.n && s[i] === b && g[i] === tag) {
      s[i] = a;
      return i;
    }
    if (this.n === s.length) {
      const grow = <A extends Float64Array | Int32Array>(x: A, make: (n: number) => A): A => {
        const y = make(2 * this.n);
        y.set(x);
        return y;
      };
      this.starts = grow(this.starts, (n) => new Float64Array(n));
      this.ends = grow(this.ends, (n) => new Float64Array(n));
      this.tags = grow(this.tags, (n) => new Int32Array(n));
    }
    const S = this.starts;
    const E = this.ends;
    const G = this.tags;
    S.copyWithin(i + 1, i, this.n);
    E.copyWithin(i + 1, i, this.n);
    G.copyWithin(i + 1, i, this.n);
    S[i] = a;
    E[i] = b;
    G[i] = tag;
    this.n++;
    return i;
  }

  private remove(i: number): void {
    this.starts.copyWithin(i, i + 1, this.n);
    this.ends.copyWithin(i, i + 1, this.n);
    this.tags.copyWithin(i, i + 1, this.n);
    this.n--;
  }

  /** Room for m intervals. */
  ensure(m: number): void {
    if (this.starts.length >= m) return;
    const c = Math.max(m, 2 * this.starts.length);
    const grow = <A extends Float64Array | Int32Array>(x: A, y: A): A => {
      y.set(x.subarray(0, this.n));
      return y;
    };
    this.starts = grow(this.starts, new Float64Array(c));
    this.ends = grow(this.ends, new Float64Array(c));
    this.tags = grow(this.tags, new Int32Array(c));
  }

  /** Drops what lies before h. */
  truncate(h: number): void {
    this.horizon = h;
    let i = 0;
    while (i < this.n && this.ends[i] <= h) i++;
    if (i > 0) {
      this.starts.copyWithin(0, i, this.n);
      this.ends.copyWithin(0, i, this.n);
      this.tags.copyWithin(0, i, this.n);
      this.n -= i;
    }
    if (this.n > 0 && this.starts[0] < h) this.starts[0] = h;
  }

  /** Busy time in [a, b). */
  busyIn(a: number, b: number): number {
    let sum = 0;
    for (let i = 0; i < this.n; i++) {
      if (this.starts[i] >= b) break;
      const s = this.starts[i] > a ? this.starts[i] : a;
      const e = this.ends[i] < b ? this.ends[i] : b;
      if (e > s) sum += e - s;
    }
    return sum;
  }

  /** Adds the busy time of each tensor in [a, b) to out[tensor]; returns the total. */
  busyByTensor(a: number, b: number, out: Float64Array): number {
    let sum = 0;
    for (let i = 0; i < this.n; i++) {
      if (this.starts[i] >= b) break;
      const s = this.starts[i] > a ? this.starts[i] : a;
      const e = this.ends[i] < b ? this.ends[i] : b;
      if (e > s) {
        sum += e - s;
        out[this.tags[i]] += e - s;
      }
    }
    return sum;
  }
}

/**
 * Union of the busy intervals of several ports within [a, b): calls `emit` for each merged piece and returns the
 * total. (`scratch` holds pairs.)
 */
export function unionIn(ports: readonly Port[], a: number, b: number, scratch: { buf: Float64Array }, emit?: (s: number, e: number) => void): number {
  let m = 0;
  for (const p of ports) {
    for (let i = 0; i < p.n; i++) {
      if (p.starts[i] >= b) break;
      const s = p.starts[i] > a ? p.starts[i] : a;
      const e = p.ends[i] < b ? p.ends[i] : b;
      if (e <= s) continue;
      if (2 * m + 2 > scratch.buf.length) {
        const g = new Float64Array(2 * scratch.buf.length + 16);
        g.set(scratch.buf);
        scratch.buf = g;
      }
      scratch.buf[2 * m] = s;
      scratch.buf[2 * m + 1] = e;
      m++;
    }
  }
  if (m === 0) return 0;
  const buf = scratch.buf;
  // Insertion sort by start (few pieces).
  for (let i = 1; i < m; i++) {
    const s = buf[2 * i];
    const e = buf[2 * i + 1];
    let j = i - 1;
    while (j >= 0 && buf[2 * j] > s) {
      buf[2 * j + 2] = buf[2 * j];
      buf[2 * j + 3] = buf[2 * j + 1];
      j--;
    }
    buf[2 * j + 2] = s;
    buf[2 * j + 3] = e;
  }
  let total = 0;
  let cs = buf[0];
  let ce = buf[1];
  for (let i = 1; i < m; i++) {
    const s = buf[2 * i];
    const e = buf[2 * i + 1];
    // Touching pieces merge (times are exact: grid.ts).
    if (s <= ce) {
      if (e > ce) ce = e;
      continue;
    }
    total += ce - cs;
    emit?.(cs, ce);
    cs = s;
    ce = e;
  }
  total += ce - cs;
  emit?.(cs, ce);
  return total;
}
