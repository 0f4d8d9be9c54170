// The AAHR delta rule Timeloop v3.0.3 applies between consecutive tiles of a level (README "Tile deltas"): a tile
// that slides along one axis reuses the overlap; any move along two axes brings the whole tile; an identical tile
// brings nothing; a change of sliding direction (gradient) discards the residual; disjoint tiles bring everything.
import { describe, expect, it } from 'vitest';
import { type Box, type TrackedBox, boxEqual, boxSize, deltaAndRemember, emptyBox, translated, translation } from '../../src/analysis/aahr.ts';

/** A box from [min, max) pairs per rank. */
const box = (...ranks: [number, number][]): Box => ({
  min: Int32Array.from(ranks.map((r) => r[0])),
  max: Int32Array.from(ranks.map((r) => r[1])),
});
const fresh = (rank: number): TrackedBox => ({ box: emptyBox(rank), grad: { dim: 0, value: 0 } });
/** A memory that has already seen `b` (as a first, whole fetch). */
const seen = (b: Box): TrackedBox => {
  const m = fresh(b.min.length);
  deltaAndRemember(b, m);
  return m;
};
const asPairs = (b: Box): [number, number][] => Array.from(b.min, (lo, i) => [lo, b.max[i]]);

describe('AAHR basics', () => {
  it('boxSize is the product of extents; an empty box has size 0', () => {
    expect(boxSize(box([0, 4], [2, 5]))).toBe(12);
    expect(boxSize(emptyBox(3))).toBe(0);
  });

  it('translation/translated move a box by the offset between two boxes', () => {
    const a = box([0, 4], [0, 4]);
    const b = box([2, 6], [1, 5]);
    const t = translation(a, b);
    expect(Array.from(t)).toEqual([2, 1]);
    expect(boxEqual(translated(a, t), b)).toBe(true);
  });
});

describe('deltaAndRemember (Timeloop delta rule)', () => {
  it('the first tile is fetched whole', () => {
    const m = fresh(2);
    const d = deltaAndRemember(box([0, 4], [0, 4]), m);
    expect(boxSize(d)).toBe(16);
  });

  it('a slide along one axis reuses the overlap (halo): only the new strip is fetched', () => {
    // [0,4)x[0,4) -> [2,6)x[0,4): overlap is [2,4)x[0,4) (8 points), the new strip [4,6)x[0,4) has 8 points.
    const m = seen(box([0, 4], [0, 4]));
    const d = deltaAndRemember(box([2, 6], [0, 4]), m);
    expect(boxSize(d)).toBe(8);
    expect(asPairs(d)).toEqual([[4, 6], [0, 4]]);
  });

  it('a slide along the second axis reuses the overlap as well', () => {
    // [0,3)x[0,5) -> [0,3)x[3,8): new strip [0,3)x[5,8) = 9 points.
    const m = seen(box([0, 3], [0, 5]));
    const d = deltaAndRemember(box([0, 3], [3, 8]), m);
    expect(asPairs(d)).toEqual([[0, 3], [5, 8]]);
  });

  it('continuing in the same direction keeps reusing the overlap', () => {
    const m = seen(box([0, 4], [0, 4]));
    deltaAndRemember(box([2, 6], [0, 4]), m);
    const d = deltaAndRemember(box([4, 8], [0, 4]), m);
    expect(asPairs(d)).toEqual([[6, 8], [0, 4]]);
  });

  it('a move along two axes brings the whole new tile, even when it overlaps', () => {
    // [0,4)x[0,4) -> [2,6)x[2,6) overlaps on [2,4)x[2,4), but Timeloop fetches all 16 points.
    const m = seen(box([0, 4], [0, 4]));
    const next = box([2, 6], [2, 6]);
    const d = deltaAndRemember(next, m);
    expect(boxSize(d)).toBe(16);
    expect(boxEqual(d, next)).toBe(true);
  });

  it('an identical tile brings an empty delta', () => {
    const m = seen(box([0, 4], [1, 3], [5, 6]));
    const d = deltaAndRemember(box([0, 4], [1, 3], [5, 6]), m);
    expect(boxSize(d)).toBe(0);
  });

  it('reversing direction after a forward slide discards the residual: the whole tile is fetched', () => {
    // Forward: [0,4) -> [2,6) sets a positive gradient on axis 0. Back to [0,4): the geometric difference is the
    // strip [0,2) (8 points), but the gradient flips sign, so Timeloop (RESET_ON_GRADIENT_CHANGE) fetches all 16.
    const m = seen(box([0, 4], [0, 4]));
    deltaAndRemember(box([2, 6], [0, 4]), m);
    const back = box([0, 4], [0, 4]);
    const d = deltaAndRemember(back, m);
    expect(boxSize(d)).toBe(16);
    expect(boxEqual(d, back)).toBe(true);
  });

  it('a backward slide from rest (no previous gradient) reuses the overlap', () => {
    // [2,6) -> [0,4) as the first move: no gradient to contradict, so only the strip [0,2) is new.
    const m = seen(box([2, 6], [0, 4]));
    const d = deltaAndRemember(box([0, 4], [0, 4]), m);
    expect(asPairs(d)).toEqual([[0, 2], [0, 4]]);
  });

  it('changing the sliding axis after a slide discards the residual', () => {
    // Slide along axis 0, then along axis 1: the gradient changes dimension, so the whole tile comes in.
    const m = seen(box([0, 4], [0, 4]));
    deltaAndRemember(box([2, 6], [0, 4]), m);
    const next = box([2, 6], [2, 6]);
    expect(boxSize(deltaAndRemember(next, m))).toBe(16);
    // ...and a pure axis-1 slide after an axis-0 slide also resets.
    const m2 = seen(box([0, 4], [0, 4]));
    deltaAndRemember(box([2, 6], [0, 4]), m2);
    expect(boxSize(deltaAndRemember(box([2, 6], [1, 5]), m2))).toBe(16);
  });

  it('no overlap brings the whole tile', () => {
    const m = seen(box([0, 4], [0, 4]));
    const next = box([10, 14], [0, 4]);
    const d = deltaAndRemember(next, m);
    expect(boxSize(d)).toBe(16);
    expect(boxEqual(d, next)).toBe(true);
  });

  it('abutting tiles (touching, not overlapping) bring the whole tile', () => {
    const m = seen(box([0, 4], [0, 4]));
    expect(boxSize(deltaAndRemember(box([4, 8], [0, 4]), m))).toBe(16);
  });

  it('the memory always holds the last tile', () => {
    const m = seen(box([0, 4], [0, 4]));
    const next = box([1, 5], [0, 4]);
    deltaAndRemember(next, m);
    expect(boxEqual(m.box, next)).toBe(true);
  });
});
