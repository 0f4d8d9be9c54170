/** A report output: what the CLI writes to `--out DIR/<name>` (report/ never touches files itself). */
export interface Artifact {
  /** File name inside the output folder, e.g. `summary.md`. */
  readonly name: string;
  /** IANA media type, e.g. `text/markdown`. */
  readonly mediaType: string;
  readonly content: string;
}
