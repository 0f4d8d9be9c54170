/**
 * The children of a master spatial loop as one tensor sees them: their projected offsets (numeric keys), the
 * multicast groups (children with equal offsets share one access), and, for link transfers, which children have
 * a mesh neighbour at a given offset shift (Timeloop's neighbour check). Memoized: the same fan-out recurs across the
 * mappings of a search. Built in reused scratch arrays; the per-fan-out result keeps only small arrays.
 */

/** Multicast group sizes as a histogram: [size, number of groups of that size, size, number, ...]. */
export type GroupHistogram = readonly number[];

export interface LinkedVariant {
  /** Multicast groups of the children that still need a parent access. */
  readonly groups: GroupHistogram;
  /** Children served by a neighbour instead (link transfers per delta element). */
  readonly link: number;
}

export interface SpatialChildren {
  readonly groupSizes: GroupHistogram;
  /** Scratch vector (length = rank) for callers that build a shift. */
  readonly scratch: Int32Array;
  /** Numeric key of a shift vector, or undefined when no pair of children can have it. */
  shiftKey(shift: Int32Array): number | undefined;
  /** The access variant when the children with a neighbour at this shift are served by it, or null. */
  linked(key: number): LinkedVariant | null;
}

// ---- scratch (grown on demand, reused by every build) ----
let offs = new Int32Array(1024);
let keys = new Float64Array(256);
let sorted = new Float64Array(256);
let loScratch = new Float64Array(16);
let hiScratch = new Float64Array(16);

/** Projected offsets of the n children into `out` (child-major, R per child): outer loops most significant. */
function enumerate(steps: ArrayLike<number>, ends: ArrayLike<number>, J: number, R: number, out: Int32Array): void {
  for (let r = 0; r < R; r++) out[r] = 0;
  let count = 1;
  for (let j = 0; j < J; j++) {
    const e = ends[j];
    // child (c, x) = c * e + x, expanded in place from the back
    for (let c = count - 1; c >= 0; c--) {
      for (let x = e - 1; x >= 0; x--) {
        const dst = (c * e + x) * R;
        const src = c * R;
        for (let r = 0; r < R; r++) out[dst + r] = out[src + r] + x * steps[j * R + r];
      }
    }
    count *= e;
  }
}

/** Numeric key of each child's offset vector into `out` (mixed radix over the offsets' ranges). */
function childKeys(o: Int32Array, n: number, R: number, lo: Float64Array, hi: Float64Array, out: Float64Array): void {
  for (let c = 0; c < n; c++) {
    let k = 0;
    let mult = 1;
    for (let r = 0; r < R; r++) {
      k += (o[c * R + r] - lo[r]) * mult;
      mult *= hi[r] - lo[r] + 1;
    }
    out[c] = k;
  }
}

function histogram(sizes: readonly number[]): number[] {
  const h = new Map<number, number>();
  for (const x of sizes) h.set(x, (h.get(x) ?? 0) + 1);
  const out: number[] = [];
  for (const [size, count] of h) out.push(size, count);
  return out;
}

/** One scratch shift vector shared by every fan-out (callers fill it and call shiftKey at once; single-threaded). */
let sharedScratch = new Int32Array(16);

class Children implements SpatialChildren {
  readonly groupSizes: GroupHistogram;
  private readonly R: number;
  private readonly n: number;
  private readonly h: number;
  private readonly v: number;
  private readonly J: number;
  private readonly groupCount: number;
  /** Per rank: lo, hi, span = hi - lo, and the mixed-radix multiplier of shift keys, at [4 * r + 0..3]. */
  private readonly ranks: Float64Array;
  /** The inputs, for link transfers (the neighbour map is built lazily: most streams never ask): steps, then ends. */
  private readonly inputs: Float64Array;
  private linkedMemo: Map<number, LinkedVariant | null> | null = null;

  constructor(R: number, n: number, h: number, v: number, lo: Float64Array, hi: Float64Array, groupSizes: number[], groupCount: number, inputs: Float64Array, J: number) {
    this.R = R;
    this.n = n;
    this.h = h;
    this.v = v;
    this.J = J;
    this.groupSizes = groupSizes;
    this.groupCount = groupCount;
    this.ranks = new Float64Array(4 * R);
    let b = 1;
    for (let r = 0; r < R; r++) {
      this.ranks[4 * r] = lo[r];
      this.ranks[4 * r + 1] = hi[r];
      this.ranks[4 * r + 2] = hi[r] - lo[r];
      this.ranks[4 * r + 3] = b;
      b *= 2 * (hi[r] - lo[r]) + 1;
    }
    this.inputs = inputs;
    if (sharedScratch.length < R) sharedScratch = new Int32Array(2 * R);
  }

  get scratch(): Int32Array {
    return sharedScratch;
  }

  shiftKey(d: ArrayLike<number>): number | undefined {
    let k = 0;
    for (let r = 0; r < this.R; r++) {
      const span = this.ranks[4 * r + 2];
      const s = d[r];
      if (s > span || -s > span) return undefined;
      k += (s + span) * this.ranks[4 * r + 3];
    }
    return k;
  }

  /** Children offsets and keys, and the sorted (shift key, child) pairs of mesh neighbours; built on first need. */
  private keys: Float64Array | null = null;
  private pairKeys: Float64Array | null = null;
  private pairChild: Int32Array | null = null;

  private buildReuse(): void {
    const { R, n, h, v } = this;
    const o = new Int32Array(n * R);
    enumerate(this.inputs, this.inputs.subarray(this.J * R), this.J, R, o);
    const lo = new Float64Array(R);
    const hi = new Float64Array(R);
    for (let r = 0; r < R; r++) {
      lo[r] = this.ranks[4 * r];
      hi[r] = this.ranks[4 * r + 1];
    }
    const k = new Float64Array(n);
    childKeys(o, n, R, lo, hi, k);
    this.keys = k;
    // Neighbours in the physical mesh, as Timeloop's link-transfer check visits them: (shift key, child) pairs.
    const cap = 4 * n;
    const pk = new Float64Array(cap);
    const pc = new Int32Array(cap);
    const d = new Int32Array(R);
    let np = 0;
    const pair = (c: number, nb: number): void => {
      if (c >= n || nb >= n) return;
      for (let r = 0; r < R; r++) d[r] = o[nb * R + r] - o[c * R + r];
      pk[np] = this.shiftKey(d)!;
      pc[np] = c;
      np++;
    };
    if (v > 1) {
      for (let x = 0; x < h; x++) for (let y = 1; y < v; y++) pair(y * h + x, (y - 1) * h + x);
      for (let x = 0; x < h; x++) for (let y = 0; y < v - 1; y++) pair(y * h + x, (y + 1) * h + x);
    }
    if (h > 1) {
      for (let y = 0; y < v; y++) for (let x = 1; x < h; x++) pair(y * h + x, y * h + x - 1);
      for (let y = 0; y < v; y++) for (let x = 0; x < h - 1; x++) pair(y * h + x, y * h + x + 1);
    }
    // Sort by (key, child) and drop repeats: a child with two neighbours at one shift counts once.
    const idx = Array.from({ length: np }, (_, i) => i).sort((x, y) => pk[x] - pk[y] || pc[x] - pc[y]);
    const keysOut = new Float64Array(np);
    const childOut = new Int32Array(np);
    let m = 0;
    for (const i of idx) {
      if (m > 0 && keysOut[m - 1] === pk[i] && childOut[m - 1] === pc[i]) continue;
      keysOut[m] = pk[i];
      childOut[m] = pc[i];
      m++;
    }
    this.pairKeys = keysOut.subarray(0, m);
    this.pairChild = childOut.subarray(0, m);
  }

  linked(key: number): LinkedVariant | null {
    this.linkedMemo ??= new Map();
    const hit = this.linkedMemo.get(key);
    if (hit !== undefined) return hit;
    if (!this.pairKeys) this.buildReuse();
    const pk = this.pairKeys!;
    // First pair with this key (binary search), then the run of its children.
    let lo = 0;
    let hi = pk.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (pk[mid] < key) lo = mid + 1;
      else hi = mid;
    }
    let end = lo;
    while (end < pk.length && pk[end] === key) end++;
    let out: LinkedVariant | null = null;
    if (end > lo) {
      const skip = new Uint8Array(this.n);
      for (let i = lo; i < end; i++) skip[this.pairChild![i]] = 1;
      const k = this.keys!;
      const rest = new Map<number, number>();
      for (let c = 0; c < this.n; c++) if (!skip[c]) rest.set(k[c], (rest.get(k[c]) ?? 0) + 1);
      if (rest.size < this.groupCount) out = { groups: histogram([...rest.values()]), link: end - lo };
    }
    this.linkedMemo.set(key, out);
    return out;
  }
}

/**
 * @param steps per spatial loop j (outermost first), the projected step of one iteration: steps[j * R + r]
 * @param ends  per spatial loop (outermost first), its trip count
 * @param J     number of spatial loops
 */
function build(steps: ArrayLike<number>, ends: ArrayLike<number>, J: number, R: number, h: number, v: number): Children {
  let n = 1;
  for (let j = 0; j < J; j++) n *= ends[j];
  // Offset ranges in closed form: offsets are sums of x_j * step_j with 0 <= x_j < e_j, extreme at the corners.
  if (loScratch.length < R) {
    loScratch = new Float64Array(2 * R);
    hiScratch = new Float64Array(2 * R);
  }
  const lo = loScratch;
  const hi = hiScratch;
  lo.fill(0, 0, R);
  hi.fill(0, 0, R);
  let separable = true;
  for (let r = 0; r < R; r++) {
    let loops = 0;
    for (let j = 0; j < J; j++) {
      const x = steps[j * R + r] * (ends[j] - 1);
      if (x < 0) lo[r] += x;
      else hi[r] += x;
      if (steps[j * R + r] !== 0) loops++;
    }
    if (loops > 1) separable = false;
  }
  const inputs = new Float64Array(J * R + J);
  for (let i = 0; i < J * R; i++) inputs[i] = steps[i];
  for (let j = 0; j < J; j++) inputs[J * R + j] = ends[j];
  if (separable) {
    // At most one loop moves each rank (no sliding window split over two spatial loops): children differ exactly
    // where a loop with a non-zero step differs, so every group has the product of the other loops' trip counts.
    let size = 1;
    for (let j = 0; j < J; j++) {
      let moves = false;
      for (let r = 0; r < R; r++) if (steps[j * R + r] !== 0) moves = true;
      if (!moves) size *= ends[j];
    }
    return new Children(R, n, h, v, lo, hi, [size, n / size], n / size, inputs, J);
  }
  if (offs.length < n * R) offs = new Int32Array(2 * n * R);
  if (keys.length < n) {
    keys = new Float64Array(2 * n);
    sorted = new Float64Array(2 * n);
  }
  enumerate(steps, ends, J, R, offs);
  childKeys(offs, n, R, lo, hi, keys);
  sorted.set(keys.subarray(0, n));
  const view = sorted.subarray(0, n);
  view.sort();
  // Group sizes (runs of equal keys) as a histogram.
  const sizes: number[] = [];
  let run = 0;
  for (let i = 0; i < n; i++) {
    if (i > 0 && view[i] !== view[i - 1]) {
      sizes.push(run);
      run = 0;
    }
    run++;
  }
  if (run > 0) sizes.push(run);
  return new Children(R, n, h, v, lo, hi, histogram(sizes), sizes.length, inputs, J);
}

// ---- memo: open addressing on a hash of the inputs, exact check on hit ----
const CAPACITY = 16384;
const SLOTS = 2 * CAPACITY;
const slots = new Int32Array(SLOTS);
const entryHash = new Int32Array(CAPACITY);
const entryStart = new Int32Array(CAPACITY + 1);
let inputPool = new Float64Array(CAPACITY * 16);
const values: (Children | undefined)[] = new Array<Children | undefined>(CAPACITY);
let entries = 0;

export function spatialChildren(steps: ArrayLike<number>, ends: ArrayLike<number>, J: number, R: number, h: number, v: number): SpatialChildren {
  const len = 4 + J + J * R;
  let hash = Math.imul(Math.imul(Math.imul(R * 31 + h, 31) + v, 31) + J, 0x01000193);
  for (let j = 0; j < J; j++) {
    hash = Math.imul(hash ^ ends[j], 0x01000193);
    for (let r = 0; r < R; r++) hash = Math.imul(hash ^ steps[j * R + r], 0x01000193);
  }
  let s = hash & (SLOTS - 1);
  for (;;) {
    const e1 = slots[s];
    if (e1 === 0) break;
    const e = e1 - 1;
    if (entryHash[e] === hash && entryStart[e + 1] - entryStart[e] === len) {
      let q = entryStart[e];
      let same = inputPool[q++] === R && inputPool[q++] === h && inputPool[q++] === v && inputPool[q++] === J;
      for (let j = 0; same && j < J; j++) same = inputPool[q++] === ends[j];
      for (let i = 0; same && i < J * R; i++) same = inputPool[q++] === steps[i];
      if (same) return values[e]!;
    }
    s = (s + 1) & (SLOTS - 1);
  }
  if (entries === CAPACITY) clearSpatialCache();
  const value = build(steps, ends, J, R, h, v);
  const e = entries++;
  let q = entryStart[e];
  if (q + len > inputPool.length) {
    const grown = new Float64Array(2 * (q + len));
    grown.set(inputPool);
    inputPool = grown;
  }
  inputPool[q++] = R;
  inputPool[q++] = h;
  inputPool[q++] = v;
  inputPool[q++] = J;
  for (let j = 0; j < J; j++) inputPool[q++] = ends[j];
  for (let i = 0; i < J * R; i++) inputPool[q++] = steps[i];
  entryStart[e + 1] = q;
  entryHash[e] = hash;
  values[e] = value;
  s = hash & (SLOTS - 1);
  while (slots[s] !== 0) s = (s + 1) & (SLOTS - 1);
  slots[s] = e + 1;
  return value;
}

/** Forget the memoized fan-outs (benchmarks use it to measure cold evaluations). */
export function clearSpatialCache(): void {
  slots.fill(0);
  values.fill(undefined);
  entries = 0;
}
