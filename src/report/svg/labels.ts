/**
 * Point labels that do not print over each other or over the marks: each label, in order, takes the first spot
 * around its point (right above, right below, left above, left below, above, below, right, left; then the same
 * further out, with a leader line) whose box stays in the plot and overlaps no placed label and no marker. When no
 * spot is free it takes the one that overlaps least (`clear: false`). Pure geometry, no d3.
 */

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

/** A mark on the plot: its centre and the radius of a circle around it. */
export interface Marker {
  readonly x: number;
  readonly y: number;
  readonly r: number;
}

export interface LabelRequest extends Marker {
  /** Estimated size of the text box. */
  readonly w: number;
  readonly h: number;
}

export interface PlacedLabel {
  readonly box: Rect;
  /** Ring the spot is on: 0 next to the point, 1 and more further out (then a leader line is drawn). */
  readonly ring: number;
  /** False when every spot overlapped something (the least-overlapping one was taken). */
  readonly clear: boolean;
}

const DIRS: readonly (readonly [number, number])[] = [[1, -1], [1, 1], [-1, -1], [-1, 1], [0, -1], [0, 1], [1, 0], [-1, 0]];
const RINGS = 4;
const GAP = 3;
const STEP = 14;

export const overlap = (a: Rect, b: Rect): number => Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x)) * Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y));

const markerBox = (m: Marker): Rect => ({ x: m.x - m.r, y: m.y - m.r, w: 2 * m.r, h: 2 * m.r });

/** Area of `r` outside the plot box (0 when inside). */
const outside = (r: Rect, box: { readonly w: number; readonly h: number }): number => Math.max(0, r.w * r.h - overlap(r, { x: 0, y: 0, w: box.w, h: box.h }));

function spot(q: LabelRequest, [dx, dy]: readonly [number, number], d: number): Rect {
  const x = dx > 0 ? q.x + d : dx < 0 ? q.x - d - q.w : q.x - q.w / 2;
  const y = dy > 0 ? q.y + d : dy < 0 ? q.y - d - q.h : q.y - q.h / 2;
  return { x, y, w: q.w, h: q.h };
}

export function placeLabels(requests: readonly LabelRequest[], markers: readonly Marker[], box: { readonly w: number; readonly h: number }): PlacedLabel[] {
  const obstacles = markers.map(markerBox);
  const placed: PlacedLabel[] = [];
  for (const q of requests) {
    let best: PlacedLabel | undefined;
    let bestCost = Infinity;
    for (let ring = 0; ring < RINGS && !(best?.clear ?? false); ring++) {
      const d = q.r + GAP + ring * STEP;
      for (const dir of DIRS) {
        const r = spot(q, dir, dir[0] !== 0 && dir[1] !== 0 ? d * 0.75 : d);
        const cost = outside(r, box) * 10 + placed.reduce((a, p) => a + overlap(r, p.box), 0) + obstacles.reduce((a, o) => a + overlap(r, o), 0);
        // areas in floating point: a box that only touches another is clear
        if (cost < 1e-6) {
          best = { box: r, ring, clear: true };
          break;
        }
        if (cost < bestCost) {
          bestCost = cost;
          best = { box: r, ring, clear: false };
        }
      }
    }
    placed.push(best!);
  }
  return placed;
}
