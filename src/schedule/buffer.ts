/**
 * The global buffer of a schedule simulation: a capacity-bounded store of data items (a layer's weights, lines of
 * a layer's output for a time batch, state lines, the partial sums of the running op), over dense arrays indexed by
 * item key.
 *
 * Eviction policy (a compiler-managed scratchpad knows the schedule): the resident item whose next use is farthest
 * in the future goes first (Belady), never an item pinned by the running op or placed `onchip`. Next uses are known
 * within the running block; items used only by later blocks come after every item of the block, clean ones (a
 * valid copy in DRAM) before dirty ones, then later keys first. A dirty victim is written back through
 * `onWriteback`, a clean one dropped. Occupancy never exceeds the capacity: `insert` returns false (and evicts
 * nothing) when the item cannot fit even after evicting every evictable item; the caller streams it instead.
 */

/** Priority of an item whose next use lies in a later block (above every in-block op index). */
export const BEYOND = 2 ** 40;

export class GlobalBuffer {
  used = 0;
  peak = 0;
  evictions = 0;
  readonly resident: Uint8Array;
  readonly dirty: Uint8Array;
  readonly sticky: Uint8Array;
  readonly bits: Float64Array;
  /** Op index that pins the item (-1: not pinned). */
  readonly pinnedBy: Int32Array;
  readonly prio: Float64Array;
  /** Used bits per caller tag (traffic kind), for the occupancy series. */
  readonly usedByTag: Float64Array;
  readonly tag: Uint8Array;
  private pinnedBits = 0;
  private stickyBits = 0;
  private pinOp = -1;
  // max-heap of (prio, key), lazily invalidated
  private hp: Float64Array;
  private hk: Int32Array;
  private hn = 0;

  constructor(
    readonly capacityBits: number,
    nKeys: number,
    nTags: number,
    private readonly onWriteback: (key: number) => void,
  ) {
    this.resident = new Uint8Array(nKeys);
    this.dirty = new Uint8Array(nKeys);
    this.sticky = new Uint8Array(nKeys);
    this.bits = new Float64Array(nKeys);
    this.pinnedBy = new Int32Array(nKeys).fill(-1);
    this.prio = new Float64Array(nKeys);
    this.tag = new Uint8Array(nKeys);
    this.usedByTag = new Float64Array(nTags);
    this.hp = new Float64Array(64);
    this.hk = new Int32Array(64);
  }

  /** Start pinning for op `op` (earlier pins lapse). */
  beginOp(op: number): void {
    this.pinOp = op;
    this.pinnedBits = 0;
  }

  isPinned(key: number): boolean {
    return this.pinnedBy[key] === this.pinOp;
  }

  pin(key: number): void {
    if (this.pinnedBy[key] !== this.pinOp) {
      this.pinnedBy[key] = this.pinOp;
      if (!this.sticky[key]) this.pinnedBits += this.bits[key];
    }
  }

  /** Set the eviction priority of a resident item (larger = evicted sooner). */
  setPrio(key: number, p: number): void {
    this.prio[key] = p;
    if (!this.sticky[key]) this.push(p, key);
  }

  private push(p: number, key: number): void {
    if (this.hn === this.hp.length) {
      const np = new Float64Array(this.hp.length * 2);
      np.set(this.hp);
      this.hp = np;
      const nk = new Int32Array(this.hk.length * 2);
      nk.set(this.hk);
      this.hk = nk;
    }
    let i = this.hn++;
    const hp = this.hp;
    const hk = this.hk;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (hp[parent] > p || (hp[parent] === p && hk[parent] > key)) break;
      hp[i] = hp[parent];
      hk[i] = hk[parent];
      i = parent;
    }
    hp[i] = p;
    hk[i] = key;
  }

  private pop(): void {
    const hp = this.hp;
    const hk = this.hk;
    const n = --this.hn;
    if (n === 0) return;
    const p = hp[n];
    const key = hk[n];
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && (hp[r] > hp[l] || (hp[r] === hp[l] && hk[r] > hk[l])) ? r : l;
      if (hp[c] < p || (hp[c] === p && hk[c] < key)) break;
      hp[i] = hp[c];
      hk[i] = hk[c];
      i = c;
    }
    hp[i] = p;
    hk[i] = key;
  }

  /** Make room for `bits`; false (nothing evicted) when impossible. */
  private makeRoom(bits: number): boolean {
    if (this.used + bits <= this.capacityBits) return true;
    if (this.pinnedBits + this.stickyBits + bits > this.capacityBits + 1e-6) return false;
    const keep: number[] = [];
    while (this.used + bits > this.capacityBits + 1e-6 && this.hn > 0) {
      const p = this.hp[0];
      const key = this.hk[0];
      this.pop();
      if (!this.resident[key] || this.prio[key] !== p || this.sticky[key]) continue; // stale entry
      if (this.pinnedBy[key] === this.pinOp) {
        keep.push(p, key);
        continue;
      }
      this.evict(key);
    }
    for (let i = 0; i < keep.length; i += 2) this.push(keep[i], keep[i + 1]);
    return this.used + bits <= this.capacityBits + 1e-6;
  }

  private evict(key: number): void {
    this.evictions++;
    if (this.dirty[key]) this.onWriteback(key);
    this.drop(key);
  }

  /** Insert a new item, pinned for the running op (and sticky when asked). False (nothing inserted) when it cannot fit. */
  insert(key: number, bits: number, dirty: boolean, tag: number, sticky = false): boolean {
    if (bits > this.capacityBits || !this.makeRoom(bits)) return false;
    this.resident[key] = 1;
    this.dirty[key] = dirty ? 1 : 0;
    this.bits[key] = bits;
    this.tag[key] = tag;
    this.sticky[key] = sticky ? 1 : 0;
    if (sticky) this.stickyBits += bits;
    this.used += bits;
    this.usedByTag[tag] += bits;
    if (this.used > this.peak) this.peak = this.used;
    this.pinnedBy[key] = -1;
    this.pin(key);
    return true;
  }

  /** Drop an item without write-back (dead data, or data just written back by the caller). */
  drop(key: number): void {
    if (!this.resident[key]) return;
    this.resident[key] = 0;
    const b = this.bits[key];
    this.used -= b;
    this.usedByTag[this.tag[key]] -= b;
    if (this.sticky[key]) this.stickyBits -= b;
    else if (this.pinnedBy[key] === this.pinOp) this.pinnedBits -= b;
    this.sticky[key] = 0;
    this.pinnedBy[key] = -1;
    this.dirty[key] = 0;
  }
}
