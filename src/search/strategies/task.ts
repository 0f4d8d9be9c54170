/** A resumable unit of search work: the driver calls `step` until it returns true (done) or it decides to stop. */
export interface SearchTask {
  /** Run up to `budget` steps (about one candidate each); true when the task has nothing left to do. */
  step(budget: number): boolean;
  /** True for tasks whose completion proves optimality (exhaustive). */
  readonly complete: boolean;
  /** Exhaustive: whether the whole enumeration was covered (not stopped by a cap). */
  readonly exhausted?: () => boolean;
}
