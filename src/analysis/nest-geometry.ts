/** Static facts of a loop nest shared by the analyses: boundaries, master spatial loops, strides, tile molds. */
import type { NestProblem } from './nest-types.ts';

export interface NestGeometry {
  /** The loop is the outermost temporal loop of its level (the level's storage boundary). */
  readonly boundary: readonly boolean[];
  /** The loop is the outermost of a run of spatial loops. */
  readonly master: readonly boolean[];
  /** Spatial fan-out below a master loop, else 1. */
  readonly fanout: readonly number[];
  /** Spatial elements above the loop (instances of its level that are used). */
  readonly numSpatialElems: readonly number[];
  /** Op-space step of one iteration of the loop along its dim. */
  readonly vstride: readonly number[];
  /** Per loop and dim: (extent of the tile of the loops at and below it) - 1. */
  readonly moldHigh: readonly (readonly number[])[];
}

export function nestGeometry(p: NestProblem): NestGeometry {
  const n = p.loops.length;
  const boundary = new Array<boolean>(n).fill(false);
  for (let i = 0; i < n; i++) {
    const l = p.loops[i];
    const next = p.loops[i + 1];
    if (l.kind === 'T' && (next === undefined || next.level !== l.level)) boundary[i] = true;
  }
  const master = new Array<boolean>(n).fill(false);
  const numSpatialElems = new Array<number>(n).fill(1);
  let prod = 1;
  let prevSpatial = false;
  for (let i = n - 1; i >= 0; i--) {
    numSpatialElems[i] = prod;
    const spatial = p.loops[i].kind !== 'T';
    if (spatial) {
      master[i] = !prevSpatial;
      prod *= p.loops[i].end;
    }
    prevSpatial = spatial;
  }
  const fanout = new Array<number>(n).fill(1);
  for (let i = 0; i < n; i++) {
    if (!master[i]) continue;
    let f = 1;
    for (let j = i; j >= 0 && p.loops[j].kind !== 'T'; j--) f *= p.loops[j].end;
    fanout[i] = f;
  }
  const scale = new Array<number>(p.dimCount).fill(1);
  const vstride = new Array<number>(n);
  const moldHigh: number[][] = [];
  for (let i = 0; i < n; i++) {
    const l = p.loops[i];
    vstride[i] = scale[l.dim];
    scale[l.dim] *= l.end;
    moldHigh.push(scale.map((s) => s - 1));
  }
  return { boundary, master, fanout, numSpatialElems, vstride, moldHigh };
}
