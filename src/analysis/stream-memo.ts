/**
 * A bounded memo of one level's stream summaries (content, weighted content, largest multicast, spatial reductions,
 * link transfers per tensor), keyed by a numeric key vector (kernel-nest.ts levelKey). Open addressing over typed
 * arrays with an exact key check on hit (a hash collision never returns another key's numbers) and no allocation per
 * lookup or store: this sits on the hot path of every evaluation. Cleared when full.
 */
const FIELDS = 5;
const CAPACITY = 8192; // entries; the table has twice as many slots
const SLOTS = 2 * CAPACITY;

export class StreamMemo {
  private readonly nT: number;
  /** Slot -> entry + 1 (0 = empty). */
  private readonly slots = new Int32Array(SLOTS);
  private readonly hashes = new Int32Array(CAPACITY);
  private readonly keyStart = new Int32Array(CAPACITY + 1);
  private keyPool = new Float64Array(1024);
  private values: Float64Array;
  private count = 0;
  private lastHash = 0;
  private lastKey: Float64Array | undefined;

  constructor(nT: number) {
    this.nT = nT;
    this.values = new Float64Array(64 * Math.max(1, nT) * FIELDS);
  }

  private static hash(key: Float64Array, len: number): number {
    let h = 0x811c9dc5;
    for (let i = 0; i < len; i++) {
      const x = key[i];
      h = Math.imul(h ^ (x | 0), 0x01000193);
      if (x > 2147483647 || x < -2147483648) h = Math.imul(h ^ ((x / 4294967296) | 0), 0x5bd1e995);
    }
    return h | 0;
  }

  /** Entry index of `key` (its first element is its length), or -1 (then `store` files the next results under it). */
  lookup(key: Float64Array): number {
    const len = key[0];
    const h = StreamMemo.hash(key, len);
    this.lastHash = h;
    this.lastKey = key;
    let s = h & (SLOTS - 1);
    for (;;) {
      const e1 = this.slots[s];
      if (e1 === 0) return -1;
      const e = e1 - 1;
      if (this.hashes[e] === h) {
        const at = this.keyStart[e];
        if (this.keyStart[e + 1] - at === len) {
          let same = true;
          for (let i = 0; same && i < len; i++) same = this.keyPool[at + i] === key[i];
          if (same) return e;
        }
      }
      s = (s + 1) & (SLOTS - 1);
    }
  }

  /** Copy entry `e` into the per-tensor arrays at offset `at`. */
  restore(e: number, at: number, content: Float64Array, weighted: Float64Array, maxM: Float64Array, red: Float64Array, link: Float64Array): void {
    const v = this.values;
    let q = e * this.nT * FIELDS;
    for (let t = 0; t < this.nT; t++) {
      content[at + t] = v[q++];
      weighted[at + t] = v[q++];
      maxM[at + t] = v[q++];
      red[at + t] = v[q++];
      link[at + t] = v[q++];
    }
  }

  /** File the per-tensor results at offset `at` under the key of the last lookup. */
  store(at: number, content: Float64Array, weighted: Float64Array, maxM: Float64Array, red: Float64Array, link: Float64Array): void {
    const key = this.lastKey;
    if (!key) return;
    this.lastKey = undefined;
    if (this.count === CAPACITY) {
      this.slots.fill(0);
      this.count = 0;
    }
    const len = key[0];
    const e = this.count++;
    const start = this.keyStart[e];
    if (start + len > this.keyPool.length) {
      const grown = new Float64Array(2 * (start + len));
      grown.set(this.keyPool);
      this.keyPool = grown;
    }
    for (let i = 0; i < len; i++) this.keyPool[start + i] = key[i];
    this.keyStart[e + 1] = start + len;
    this.hashes[e] = this.lastHash;
    if ((e + 1) * this.nT * FIELDS > this.values.length) {
      const grown = new Float64Array(Math.min(2 * this.values.length, CAPACITY * Math.max(1, this.nT) * FIELDS));
      grown.set(this.values);
      this.values = grown;
    }
    const v = this.values;
    let q = e * this.nT * FIELDS;
    for (let t = 0; t < this.nT; t++) {
      v[q++] = content[at + t];
      v[q++] = weighted[at + t];
      v[q++] = maxM[at + t];
      v[q++] = red[at + t];
      v[q++] = link[at + t];
    }
    let s = this.lastHash & (SLOTS - 1);
    while (this.slots[s] !== 0) s = (s + 1) & (SLOTS - 1);
    this.slots[s] = e + 1;
  }
}
