/**
 * Simulated times live on a binary grid: every duration the simulator adds (transfer work, compute per step,
 * latencies, the neuron unit's busy time) is rounded up to a multiple of GRID cycles, so every time it computes
 * (sums, differences, maxima of grid values) is exact as long as it stays below 2^53 * GRID (about 8.6e9 cycles).
 * Exact arithmetic makes the simulation translation invariant: a state shifted in time evolves exactly shifted,
 * which the steady-state replay relies on (a tie decided by the last bit of an absolute time would make a
 * replayed iteration differ from a simulated one). Rounding up keeps the pipeline time >= the roofline; it adds
 * at most GRID per duration (under 1e-6 cycles).
 */
export const GRID = 2 ** -20;
const INV = 2 ** 20;

/** x rounded up to the grid (values within 1e-6 grid units above a grid point, i.e. float noise, round down). */
export function snapUp(x: number): number {
  if (!(x > 0) || x === Infinity) return x;
  return Math.ceil(x * INV - 1e-6) / INV;
}
