/**
 * Evaluated points of one chain, keyed by what decides their cost: the tiling, the keep bits and each level's
 * order class (catalogue.ts). Open addressing over numeric hashes in typed arrays, with an exact comparison of the
 * stored key on every hit (no strings, no allocation per lookup). Values are a few numbers per point.
 */
import type { OrderCatalogue } from './catalogue.ts';
import type { Point } from './point.ts';
import type { MapSpace } from './space.ts';

export class PointCache {
  /** The key of the last `keyOf` call. */
  readonly key: Int32Array;
  private readonly width: number;
  private readonly valueWidth: number;
  private keys: Int32Array;
  private values: Float64Array;
  private hashes: Int32Array;
  private table: Int32Array;
  private mask: number;
  private rows = 0;
  private hash = 0;

  constructor(
    private readonly space: MapSpace,
    private readonly catalogue: OrderCatalogue,
    valueWidth: number,
    private readonly limit = 1 << 18,
  ) {
    this.width = space.dims * space.slots.length + 2 * space.levels;
    this.valueWidth = valueWidth;
    this.key = new Int32Array(this.width);
    const cap = 1 << 12;
    this.keys = new Int32Array(cap * this.width);
    this.values = new Float64Array(cap * valueWidth);
    this.hashes = new Int32Array(cap);
    this.table = new Int32Array(cap * 2).fill(-1);
    this.mask = cap * 2 - 1;
  }

  get size(): number {
    return this.rows;
  }

  /** Compute the key (and its hash) of a point into `key`. */
  keyOf(p: Point): void {
    const sp = this.space;
    const k = this.key;
    const n = p.tiling.length;
    let h = 0x811c9dc5 | 0;
    for (let i = 0; i < n; i++) {
      k[i] = p.tiling[i];
      h = Math.imul(h ^ p.tiling[i], 0x01000193);
    }
    const nT = sp.tensors;
    for (let l = 0; l < sp.levels; l++) {
      let bits = 0;
      for (let t = 0; t < nT; t++) if (p.keep[l * nT + t]) bits |= 1 << t;
      k[n + l] = bits;
      h = Math.imul(h ^ bits, 0x01000193);
    }
    for (let l = 0; l < sp.levels; l++) {
      const c = this.catalogue.classOf(l, p.orders, p.tiling);
      k[n + sp.levels + l] = c;
      h = Math.imul(h ^ c, 0x01000193);
    }
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 12;
    this.hash = h;
  }

  /** Whether two keys computed by keyOf are equal: compare `key` with a saved copy. */
  sameKey(other: Int32Array): boolean {
    for (let i = 0; i < this.width; i++) if (this.key[i] !== other[i]) return false;
    return true;
  }

  /** Row of the current key, or -1. */
  find(): number {
    const w = this.width;
    for (let slot = this.hash & this.mask; ; slot = (slot + 1) & this.mask) {
      const row = this.table[slot];
      if (row < 0) return -1;
      if (this.hashes[row] !== this.hash) continue;
      let eq = true;
      for (let i = 0, base = row * w; i < w; i++) {
        if (this.keys[base + i] !== this.key[i]) {
          eq = false;
          break;
        }
      }
      if (eq) return row;
    }
  }

  value(row: number, i: number): number {
    return this.values[row * this.valueWidth + i];
  }

  /** Store values for the current key (no-op once the cache is full). Returns the row, or -1. */
  insert(vals: ArrayLike<number>): number {
    if (this.rows >= this.limit) return -1;
    if (this.rows === this.hashes.length) this.grow();
    const row = this.rows++;
    this.keys.set(this.key, row * this.width);
    for (let i = 0; i < this.valueWidth; i++) this.values[row * this.valueWidth + i] = vals[i];
    this.hashes[row] = this.hash;
    this.place(row);
    if (this.rows * 2 > this.table.length) this.rehash();
    return row;
  }

  private place(row: number): void {
    let slot = this.hashes[row] & this.mask;
    while (this.table[slot] >= 0) slot = (slot + 1) & this.mask;
    this.table[slot] = row;
  }

  private grow(): void {
    const cap = this.hashes.length * 2;
    const keys = new Int32Array(cap * this.width);
    keys.set(this.keys);
    this.keys = keys;
    const values = new Float64Array(cap * this.valueWidth);
    values.set(this.values);
    this.values = values;
    const hashes = new Int32Array(cap);
    hashes.set(this.hashes);
    this.hashes = hashes;
  }

  private rehash(): void {
    this.table = new Int32Array(this.table.length * 2).fill(-1);
    this.mask = this.table.length - 1;
    for (let r = 0; r < this.rows; r++) this.place(r);
  }
}
