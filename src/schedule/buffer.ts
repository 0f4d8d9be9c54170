/**
 * The global buffer of a schedule simulation: a capacity-bounded store of data items (weights of a layer, output
 * rows of a layer for a time batch, state rows, partial sums of the running op).
 * Eviction policy: least recently used first, never an item pinned by the running op or placed `onchip`; a dirty
 * victim (no valid copy in DRAM) is written back through the `onWriteback` callback, a clean one is dropped.
 * Occupancy never exceeds the capacity: `insert` returns false when the item cannot fit even after evicting
 * every evictable item, and the caller streams that item through DRAM instead.
 */
export interface Entry {
  bits: number;
  dirty: boolean;
  /** Pinned by the running op (count) or for the whole run (`sticky`). */
  pins: number;
  sticky: boolean;
  /** Caller's tag (traffic kind and owner layer), passed back on write-back. */
  readonly tag: number;
}

export class GlobalBuffer {
  used = 0;
  peak = 0;
  evictions = 0;
  /** Insertion order is LRU order: `touch` re-inserts an item at the most-recently-used end. */
  private readonly items = new Map<number, Entry>();

  constructor(
    readonly capacityBits: number,
    private readonly onWriteback: (key: number, e: Entry) => void,
  ) {}

  has(key: number): boolean {
    return this.items.has(key);
  }

  get(key: number): Entry | undefined {
    return this.items.get(key);
  }

  /** Mark as most recently used and pin for the running op. */
  touchPin(key: number): Entry {
    const e = this.items.get(key)!;
    this.items.delete(key);
    this.items.set(key, e);
    e.pins++;
    return e;
  }

  unpin(key: number): void {
    const e = this.items.get(key);
    if (e && e.pins > 0) e.pins--;
  }

  /** Make room for `bits` by evicting LRU items; false when impossible. */
  private makeRoom(bits: number): boolean {
    if (bits > this.capacityBits) return false;
    if (this.used + bits <= this.capacityBits) return true;
    let evictable = 0;
    for (const e of this.items.values()) if (e.pins === 0 && !e.sticky) evictable += e.bits;
    if (this.used - evictable + bits > this.capacityBits) return false;
    for (const [k, e] of this.items) {
      if (this.used + bits <= this.capacityBits) break;
      if (e.pins > 0 || e.sticky) continue;
      this.items.delete(k);
      this.used -= e.bits;
      this.evictions++;
      if (e.dirty) this.onWriteback(k, e);
    }
    return this.used + bits <= this.capacityBits;
  }

  /** Insert a new item, pinned for the running op (or sticky). False (and nothing inserted) when it cannot fit. */
  insert(key: number, bits: number, dirty: boolean, tag: number, sticky = false): boolean {
    if (!this.makeRoom(bits)) return false;
    this.items.set(key, { bits, dirty, pins: 1, sticky, tag });
    this.used += bits;
    if (this.used > this.peak) this.peak = this.used;
    return true;
  }

  /** Drop an item without write-back (dead data, or data just written back by the caller). */
  remove(key: number): Entry | undefined {
    const e = this.items.get(key);
    if (!e) return undefined;
    this.items.delete(key);
    this.used -= e.bits;
    return e;
  }
}
