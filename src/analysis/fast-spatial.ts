/**
 * The children of a master spatial loop as one tensor sees them: their projected offsets (numeric keys), the
 * multicast groups (children with equal offsets share one access), and, for link transfers, which children have
 * a mesh neighbour at a given offset shift (Timeloop's neighbour check).
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

/**
 * @param steps per spatial loop j (outermost first), the projected step of one iteration: steps[j * R + r]
 * @param ends  per spatial loop (outermost first), its trip count
 * @param J     number of spatial loops
 */
export function spatialChildren(steps: ArrayLike<number>, ends: ArrayLike<number>, J: number, R: number, h: number, v: number): SpatialChildren {
  // Pure in its inputs, and the same fan-out recurs across the mappings of a search: memoize (hash + exact check).
  let hash = ((R * 31 + h) * 31 + v) * 31 + J;
  for (let j = 0; j < J; j++) {
    hash = (hash * 31 + ends[j]) | 0;
    for (let r = 0; r < R; r++) hash = (hash * 31 + steps[j * R + r]) | 0;
  }
  const bucket = CACHE.get(hash);
  if (bucket) {
    for (let i = 0; i < bucket.length; i++) if (sameInputs(bucket[i], steps, ends, J, R, h, v)) return bucket[i].value;
  }
  if (CACHE.size >= CACHE_LIMIT) CACHE.clear();
  const stepRows: number[][] = [];
  for (let j = 0; j < J; j++) stepRows.push(Array.from({ length: R }, (_, r) => steps[j * R + r]));
  const endList = Array.from({ length: J }, (_, j) => ends[j]);
  const value = build(stepRows, endList, R, h, v);
  const entry: CacheEntry = { steps: stepRows.flat(), ends: endList, R, h, v, value };
  if (bucket) bucket.push(entry);
  else CACHE.set(hash, [entry]);
  return value;
}

interface CacheEntry {
  /** Flat, like the argument. */
  readonly steps: readonly number[];
  readonly ends: readonly number[];
  readonly R: number;
  readonly h: number;
  readonly v: number;
  readonly value: SpatialChildren;
}

function sameInputs(e: CacheEntry, steps: ArrayLike<number>, ends: ArrayLike<number>, J: number, R: number, h: number, v: number): boolean {
  if (e.R !== R || e.h !== h || e.v !== v || e.ends.length !== J) return false;
  for (let j = 0; j < J; j++) if (e.ends[j] !== ends[j]) return false;
  for (let i = 0; i < J * R; i++) if (e.steps[i] !== steps[i]) return false;
  return true;
}

const CACHE_LIMIT = 4096;
const CACHE = new Map<number, CacheEntry[]>();

/** Forget the memoized fan-outs (benchmarks use it to measure cold evaluations). */
export function clearSpatialCache(): void {
  CACHE.clear();
}

function build(steps: readonly (readonly number[])[], ends: readonly number[], R: number, h: number, v: number): SpatialChildren {
  let n = 1;
  for (const e of ends) n *= e;
  const offs = new Int32Array(n * R);
  // Enumerate children: outer loops most significant.
  let count = 1;
  for (let j = 0; j < ends.length; j++) {
    const e = ends[j];
    const u = steps[j];
    // expand in place from the back: child (c, x) = c * e + x
    for (let c = count - 1; c >= 0; c--) {
      for (let x = e - 1; x >= 0; x--) {
        const dst = (c * e + x) * R;
        const src = c * R;
        for (let r = 0; r < R; r++) offs[dst + r] = offs[src + r] + x * u[r];
      }
    }
    count *= e;
  }
  const lo = new Int32Array(R).fill(2147483647);
  const hi = new Int32Array(R).fill(-2147483648);
  for (let c = 0; c < n; c++) {
    for (let r = 0; r < R; r++) {
      const o = offs[c * R + r];
      if (o < lo[r]) lo[r] = o;
      if (o > hi[r]) hi[r] = o;
    }
  }
  const mult = new Float64Array(R);
  const mult2 = new Float64Array(R);
  let a = 1;
  let b = 1;
  for (let r = 0; r < R; r++) {
    mult[r] = a;
    mult2[r] = b;
    a *= hi[r] - lo[r] + 1;
    b *= 2 * (hi[r] - lo[r]) + 1;
  }
  const keys = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    let k = 0;
    for (let r = 0; r < R; r++) k += (offs[c * R + r] - lo[r]) * mult[r];
    keys[c] = k;
  }
  const groupSizes = histogram(runLengths(keys.slice().sort()));

  let groupCount = 0;
  for (let i = 1; i < groupSizes.length; i += 2) groupCount += groupSizes[i];
  const shiftKeyOf = (d: ArrayLike<number>): number | undefined => {
    let k = 0;
    for (let r = 0; r < R; r++) {
      const span = hi[r] - lo[r];
      const s = d[r];
      if (s > span || -s > span) return undefined;
      k += (s + span) * mult2[r];
    }
    return k;
  };
  let reuse: Map<number, number[]> | null = null;
  const buildReuse = (): Map<number, number[]> => {
    const map = new Map<number, Set<number>>();
    const d = new Int32Array(R);
    const pair = (c: number, nb: number): void => {
      if (c >= n || nb >= n) return;
      for (let r = 0; r < R; r++) d[r] = offs[nb * R + r] - offs[c * R + r];
      const k = shiftKeyOf(d)!;
      let set = map.get(k);
      if (!set) map.set(k, (set = new Set()));
      set.add(c);
    };
    // Neighbours in the physical mesh, as Timeloop's link-transfer check visits them.
    if (v > 1) {
      for (let x = 0; x < h; x++) for (let y = 1; y < v; y++) pair(y * h + x, (y - 1) * h + x);
      for (let x = 0; x < h; x++) for (let y = 0; y < v - 1; y++) pair(y * h + x, (y + 1) * h + x);
    }
    if (h > 1) {
      for (let y = 0; y < v; y++) for (let x = 1; x < h; x++) pair(y * h + x, y * h + x - 1);
      for (let y = 0; y < v; y++) for (let x = 0; x < h - 1; x++) pair(y * h + x, y * h + x + 1);
    }
    const out = new Map<number, number[]>();
    for (const [k, set] of map) out.set(k, [...set]);
    return out;
  };
  const linkedMemo = new Map<number, LinkedVariant | null>();
  return {
    groupSizes,
    scratch: new Int32Array(R),
    shiftKey: shiftKeyOf,
    linked(key: number): LinkedVariant | null {
      const hit = linkedMemo.get(key);
      if (hit !== undefined) return hit;
      reuse ??= buildReuse();
      const reused = reuse.get(key);
      let out: LinkedVariant | null = null;
      if (reused && reused.length > 0) {
        const skip = new Uint8Array(n);
        for (const c of reused) skip[c] = 1;
        const rest = new Map<number, number>();
        for (let c = 0; c < n; c++) if (!skip[c]) rest.set(keys[c], (rest.get(keys[c]) ?? 0) + 1);
        if (rest.size < groupCount) out = { groups: histogram([...rest.values()]), link: reused.length };
      }
      linkedMemo.set(key, out);
      return out;
    },
  };
}

/** Sizes of the runs of equal values in a sorted array. */
function runLengths(sorted: Float64Array): number[] {
  const out: number[] = [];
  let run = 0;
  for (let i = 0; i < sorted.length; i++) {
    if (i > 0 && sorted[i] !== sorted[i - 1]) {
      out.push(run);
      run = 0;
    }
    run++;
  }
  if (run > 0) out.push(run);
  return out;
}

function histogram(sizes: readonly number[]): number[] {
  const h = new Map<number, number>();
  for (const x of sizes) h.set(x, (h.get(x) ?? 0) + 1);
  const out: number[] = [];
  for (const [size, count] of h) out.push(size, count);
  return out;
}
