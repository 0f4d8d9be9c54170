/** A drawn chart: standalone SVG text plus what the Markdown and HTML pages say about it. */
export interface Chart {
  /** Unique in one report; used for the file name (`charts/<id>.svg`) and element ids inside the SVG. */
  readonly id: string;
  readonly title: string;
  /** One sentence: what is drawn and how to read it. */
  readonly caption: string;
  readonly width: number;
  readonly height: number;
  readonly svg: string;
}
