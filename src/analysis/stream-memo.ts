/**
 * A bounded memo of one level's stream summaries (content, weighted content, largest multicast, spatial reductions,
 * link transfers per tensor), keyed by a numeric key vector (kernel-nest.ts levelKey). Hash buckets with an exact key
 * check on hit, so a collision never returns another key's numbers. Cleared when full.
 */
const FIELDS = 5;
const LIMIT = 8192;

export class StreamMemo {
  private readonly nT: number;
  private readonly table = new Map<number, number[]>();
  private keys: Float64Array[] = [];
  private values = new Float64Array(LIMIT * 8);
  private count = 0;
  private lastHash = 0;
  private lastKey: Float64Array | undefined;

  constructor(nT: number) {
    this.nT = nT;
    if (this.values.length < LIMIT * nT * FIELDS) this.values = new Float64Array(LIMIT * nT * FIELDS);
  }

  /** Entry index of `key` (its first element is its length), or -1 (then `store` files the next results under it). */
  lookup(key: Float64Array): number {
    const len = key[0];
    let h = 0x811c9dc5;
    for (let i = 0; i < len; i++) h = Math.imul(h ^ (key[i] | 0), 0x01000193) ^ Math.imul((key[i] / 4294967296) | 0, 0x5bd1e995);
    this.lastHash = h;
    this.lastKey = key;
    const bucket = this.table.get(h);
    if (bucket) {
      for (const e of bucket) {
        const k = this.keys[e];
        let same = k.length === len;
        for (let i = 0; same && i < len; i++) same = k[i] === key[i];
        if (same) return e;
      }
    }
    return -1;
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
    if (!this.lastKey) return;
    if (this.count === LIMIT) {
      this.table.clear();
      this.keys = [];
      this.count = 0;
    }
    const e = this.count++;
    this.keys[e] = this.lastKey.slice(0, this.lastKey[0]);
    const v = this.values;
    let q = e * this.nT * FIELDS;
    for (let t = 0; t < this.nT; t++) {
      v[q++] = content[at + t];
      v[q++] = weighted[at + t];
      v[q++] = maxM[at + t];
      v[q++] = red[at + t];
      v[q++] = link[at + t];
    }
    const bucket = this.table.get(this.lastHash);
    if (bucket) bucket.push(e);
    else this.table.set(this.lastHash, [e]);
    this.lastKey = undefined;
  }
}
