// The schedule search: exhaustive on a small space, block decomposition + descent otherwise.
import { describe, expect, it } from 'vitest';
import { blockChoices, explore, paretoFront, type ExploreResult } from '../../src/schedule/explore.ts';
import { arch, flatCost, net } from './fixtures.ts';

const halo = (T: number, H: number): string => `network:
  name: halo
  timesteps: ${T}
  defaults: { precision: { weights: 2, state: 4, psum: 4, spikes: 1 } }
  input: { name: x, shape: [2, ${H}, 6], bits: 1 }
  layers:
    - { name: c1, op: conv, input: x, channels: 3, kernel: 3, padding: 1 }
    - { name: c2, op: conv, input: c1, channels: 3, kernel: 3, padding: 1 }
    - { name: c3, op: conv, input: c2, channels: 3, kernel: 3, padding: 1 }
  blocks:
    - { name: b0, layers: [c1, c2] }
    - { name: b1, layers: [c3] }
`;

describe('explore', () => {
  it('block choices: divisors of T x (whole + power-of-two tiles) x state placements', () => {
    const n = net(halo(4, 12));
    // T = 4: b in {1, 2, 4}; 12 rows: whole, 1, 2, 4, 8; stateful: auto, onchip, spill
    expect(blockChoices(n, 0, false)).toHaveLength(3 * 5 * 3);
    expect(blockChoices(n, 0, true)).toHaveLength(3 * 5 * 4);
  });

  it('decomposition + descent is never better than exhaustive, never worse than the uniform schedules', async () => {
    const n = net(halo(2, 6)); // 2 x 4 x 3 = 24 choices per block, 576 schedules
    const a = arch(400);
    const ex = (await explore(n, a, flatCost, { objective: 'offchip', exhaustiveLimit: 1e6 })) as ExploreResult;
    const dp = (await explore(n, a, flatCost, { objective: 'offchip', exhaustiveLimit: 0 })) as ExploreResult;
    expect(ex.method).toBe('exhaustive');
    expect(ex.evaluated).toBe(24 * 24); // the uniform schedules are among them (cached)
    expect(dp.method).toBe('block-decomposition+descent');
    expect(dp.best.score).toBeGreaterThanOrEqual(ex.best.score);
    for (const u of [...ex.uniform, ...dp.uniform]) {
      expect(ex.best.score).toBeLessThanOrEqual(u.score);
      expect(dp.best.score).toBeLessThanOrEqual(u.score);
    }
    // the Pareto front holds no dominated point and contains the best
    const front = paretoFront(ex.pareto);
    expect(front).toHaveLength(ex.pareto.length);
  });

  it('stops on request and keeps the best so far', async () => {
    let n = 0;
    const r = (await explore(net(halo(4, 12)), arch(600), flatCost, { objective: 'energy', shouldStop: () => ++n > 6 })) as ExploreResult;
    expect(r.stopped).toBe(true);
    expect(r.evaluated).toBeLessThanOrEqual(6);
    expect(r.best).toBeDefined();
  });
});
