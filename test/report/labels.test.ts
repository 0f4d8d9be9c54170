// Point-label placement (src/report/svg/labels.ts): labels of clustered points do not print over each other or over
// the marks, and stay inside the plot.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { overlap, placeLabels, type LabelRequest, type Marker } from '../../src/report/svg/labels.ts';

const BOX = { w: 560, h: 320 };
const inside = (r: { x: number; y: number; w: number; h: number }): boolean => r.x >= -1e-9 && r.y >= -1e-9 && r.x + r.w <= BOX.w + 1e-9 && r.y + r.h <= BOX.h + 1e-9;

describe('placeLabels', () => {
  it('overlap is the shared area of two boxes', () => {
    // [0,10]x[0,10] and [5,15]x[8,20] share [5,10]x[8,10]: 5 x 2
    expect(overlap({ x: 0, y: 0, w: 10, h: 10 }, { x: 5, y: 8, w: 10, h: 12 })).toBe(10);
    expect(overlap({ x: 0, y: 0, w: 10, h: 10 }, { x: 10, y: 0, w: 5, h: 5 })).toBe(0); // touching
  });

  it('a label with room goes right above its point, next to it', () => {
    const [p] = placeLabels([{ x: 100, y: 100, r: 5, w: 40, h: 13 }], [{ x: 100, y: 100, r: 5 }], BOX);
    // ring 0, diagonal: 0.75 x (r + 3) = 6 from the point on both axes
    expect(p).toEqual({ box: { x: 106, y: 100 - 6 - 13, w: 40, h: 13 }, ring: 0, clear: true });
  });

  it('three points a few pixels apart (explore: the best, TB-F and ST-LBL) get three separate labels', () => {
    const pts: Marker[] = [{ x: 100, y: 300, r: 10 }, { x: 100, y: 293, r: 5.5 }, { x: 103, y: 296, r: 5.5 }];
    const req: LabelRequest[] = [{ ...pts[0], w: 180, h: 13 }, { ...pts[1], w: 26, h: 13 }, { ...pts[2], w: 38, h: 13 }];
    const out = placeLabels(req, pts, BOX);
    expect(out.every((p) => p.clear)).toBe(true);
    for (let i = 0; i < out.length; i++) for (let j = i + 1; j < out.length; j++) expect(overlap(out[i].box, out[j].box)).toBe(0);
    for (const p of out) expect(inside(p.box)).toBe(true);
  });

  it('property: a label placed clear overlaps no label placed before it and no mark, and lies in the plot', () => {
    const pt = fc.record({ x: fc.double({ min: 0, max: BOX.w, noNaN: true }), y: fc.double({ min: 0, max: BOX.h, noNaN: true }), r: fc.constantFrom(4.5, 5.5, 10), w: fc.integer({ min: 10, max: 200 }) });
    fc.assert(
      fc.property(fc.array(pt, { minLength: 1, maxLength: 12 }), (ps) => {
        const req = ps.map((p) => ({ ...p, h: 13 }));
        const marks = ps.map(({ x, y, r }) => ({ x, y, r }));
        const out = placeLabels(req, marks, BOX);
        expect(out).toHaveLength(ps.length);
        out.forEach((p, i) => {
          if (!p.clear) return;
          expect(inside(p.box)).toBe(true);
          for (const m of marks) expect(overlap(p.box, { x: m.x - m.r, y: m.y - m.r, w: 2 * m.r, h: 2 * m.r })).toBeLessThan(1e-6);
          for (let j = 0; j < i; j++) expect(overlap(p.box, out[j].box)).toBeLessThan(1e-6);
        });
      }),
      { numRuns: 200 },
    );
  });
});
