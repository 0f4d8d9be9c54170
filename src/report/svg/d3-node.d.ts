// d3-node ships no type declarations; this is the part of its API report/ uses (d3-node 4.x, ESM).
declare module 'd3-node' {
  import type * as D3 from 'd3';

  export interface D3NodeOptions {
    readonly selector?: string;
    readonly container?: string;
    readonly styles?: string;
  }

  export class D3Node {
    constructor(options?: D3NodeOptions);
    /** The d3 module d3-node was built with (d3 7). */
    readonly d3: typeof D3;
    readonly document: Document;
    /** Appends an `<svg xmlns=...>` to the container; width/height set when both are given. */
    createSVG(width?: number, height?: number, attrs?: Readonly<Record<string, string | number>>): D3.Selection<SVGSVGElement, unknown, null, undefined>;
    /** Outer HTML of the first `<svg>` of the container. */
    svgString(): string;
  }
}
