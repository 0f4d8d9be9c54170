/** The Pareto front over (energy, cycles, off-chip bytes); identical triples keep the earliest candidate. */
import type { SearchTotals } from './types.ts';
import { compareIndex, type CandidateIndex } from './explorer-index.ts';

export interface FrontEntry<P> {
  readonly totals: SearchTotals;
  readonly index: CandidateIndex;
  readonly point: P;
}

const vec = (t: SearchTotals): [number, number, number] => [t.energy_pJ, t.cycles, t.offchip_bytes];

/** a <= b componentwise with one strict: a dominates b. */
export function dominates(a: SearchTotals, b: SearchTotals): boolean {
  const x = vec(a);
  const y = vec(b);
  let strict = false;
  for (let i = 0; i < 3; i++) {
    if (x[i] > y[i]) return false;
    if (x[i] < y[i]) strict = true;
  }
  return strict;
}

function same(a: SearchTotals, b: SearchTotals): boolean {
  return a.energy_pJ === b.energy_pJ && a.cycles === b.cycles && a.offchip_bytes === b.offchip_bytes;
}

export class ParetoFront<P> {
  private entries: FrontEntry<P>[] = [];

  get size(): number {
    return this.entries.length;
  }

  /** Adds the candidate if no entry dominates it; returns whether it is on the front now. */
  add(e: FrontEntry<P>): boolean {
    for (const x of this.entries) {
      if (dominates(x.totals, e.totals)) return false;
      if (same(x.totals, e.totals)) {
        if (compareIndex(x.index, e.index) <= 0) return false;
        this.entries = this.entries.filter((y) => y !== x);
        break;
      }
    }
    this.entries = this.entries.filter((x) => !dominates(e.totals, x.totals));
    this.entries.push(e);
    return true;
  }

  /** Whether every point with totals >= `bound` is dominated by an entry (then it cannot join the front). */
  excludes(bound: SearchTotals): boolean {
    return this.entries.some((x) => dominates(x.totals, bound));
  }

  /** Entries sorted by energy, then cycles, then off-chip bytes, then index (deterministic). */
  list(): FrontEntry<P>[] {
    return [...this.entries].sort((a, b) => a.totals.energy_pJ - b.totals.energy_pJ || a.totals.cycles - b.totals.cycles || a.totals.offchip_bytes - b.totals.offchip_bytes || compareIndex(a.index, b.index));
  }
}
