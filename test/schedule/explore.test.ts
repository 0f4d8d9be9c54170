// The schedule search: exhaustive enumeration and dynamic programming over blocks agree (exactly), the uniform STEMS
// schedules are never beaten by the model's own answer, the front holds no duplicate, a stop keeps a best.
import { describe, expect, it } from 'vitest';
import { blockChoices, explore, paretoFront, type ExploreResult, type Objective } from '../../src/schedule/explore.ts';
import type { BlockRunner } from '../../src/schedule/explore.ts';
import { blockAxis } from '../../src/schedule/plan.ts';
import { arch, flatCostFn, net, sim } from './fixtures.ts';

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

// Psums in the buffer and a cost for carried state make the choices matter for energy and cycles too.
const cost = flatCostFn({ psumInBuffer: true, stateIn: 3, stateOut: 5 });

const run = async (o: Parameters<typeof explore>[1], cap = 400, H = 6): Promise<ExploreResult> => {
  const n = net(halo(2, H));
  const r = await explore(sim(n, arch(cap), cost), o);
  if ('error' in r) throw new Error(r.error);
  return r;
};

describe('explore', () => {
  it('block choices: every b | T x (whole + power-of-two tiles along rows and columns); the STEMS set has four', () => {
    const n = net(halo(4, 12));
    // T = 4: b in {1, 2, 4}; per b: whole, rows k = 1, 2, 4, 8 (12 rows), columns k = 1, 2, 4 (6 columns)
    expect(blockChoices(n, 0, 'full')).toHaveLength(3 * (1 + 4 + 3));
    expect(blockChoices(n, 0, 'stems')).toHaveLength(4);
  });

  for (const objective of ['offchip', 'energy', 'cycles', 'edp'] as Objective[]) {
    it(`dynamic programming finds the exhaustive optimum (${objective}), never worse than the uniform schedules`, async () => {
      const ex = await run({ objective, exhaustiveLimit: 1e9, refineState: false });
      const dp = await run({ objective, exhaustiveLimit: 0, refineState: false });
      expect(ex.method).toBe('exhaustive');
      expect(dp.method).toBe('dynamic-programming');
      expect(ex.space).toBe(ex.evaluated); // every schedule costed
      expect(dp.best.score).toBeCloseTo(ex.best.score, 6);
      for (const u of ex.uniform) expect(ex.best.score).toBeLessThanOrEqual(u.score * (1 + 1e-12));
      expect(ex.optimal && dp.optimal).toBe(true);
      // the reported best is the full evaluation of the chosen schedule
      expect(ex.best.result.totals.energy_pJ).toBeCloseTo(ex.best.energy_pJ, 6);
      expect(ex.best.result.totals.offchip_bytes).toBeCloseTo(ex.best.offchip_bytes, 6);
    });
  }

  it('with a front asked for, the DP keeps exactly the exhaustive Pareto front; no duplicate points', async () => {
    const ex = await run({ objective: 'energy', exhaustiveLimit: 1e9, refineState: false, pareto: true });
    const dp = await run({ objective: 'energy', exhaustiveLimit: 0, refineState: false, pareto: true });
    const key = (p: { energy_pJ: number; cycles: number; offchip_bytes: number }): string => `${p.energy_pJ.toFixed(3)}|${p.cycles}|${p.offchip_bytes}`;
    expect(dp.pareto.map(key).sort()).toEqual(ex.pareto.map(key).sort());
    expect(new Set(ex.pareto.map(key)).size).toBe(ex.pareto.length);
    expect(paretoFront(ex.pareto)).toHaveLength(ex.pareto.length);
  });

  it('a beam bounds the DP: never better than the exact optimum, and not claimed optimal', async () => {
    const exact = await run({ objective: 'energy', exhaustiveLimit: 0, refineState: false }, 400, 12);
    const beam = await run({ objective: 'energy', exhaustiveLimit: 0, refineState: false, beam: 1 }, 400, 12);
    expect(beam.best.score).toBeGreaterThanOrEqual(exact.best.score * (1 - 1e-12));
    if (beam.method === 'beam') expect(beam.optimal).toBe(false);
    expect(beam.blockRuns).toBeLessThanOrEqual(exact.blockRuns);
  });

  it('per-layer state placement refinement never makes the best worse', async () => {
    const a = await run({ objective: 'offchip', exhaustiveLimit: 0, refineState: false }, 250);
    const b = await run({ objective: 'offchip', exhaustiveLimit: 0 }, 250);
    expect(b.best.score).toBeLessThanOrEqual(a.best.score);
    expect(b.placementChanges).toBeGreaterThanOrEqual(0);
  });

  it('block runs in any order on any runner give the same answer (what --threads relies on)', async () => {
    const n = net(halo(2, 6));
    const s = sim(n, arch(400), cost);
    // a runner that simulates its tasks in reverse order but returns them in task order
    const reversed: BlockRunner = async (tasks, choices) => {
      const out = new Array(tasks.length);
      for (let i = tasks.length - 1; i >= 0; i--) {
        const t = tasks[i];
        const ch = choices[t.bi][t.choice];
        out[i] = s.runBlock({ bi: t.bi, choice: ch, axis: blockAxis(n, t.bi, ch, t.entry), entry: t.entry, placement: t.placement });
      }
      return out;
    };
    const a = await explore(sim(n, arch(400), cost), { objective: 'edp', exhaustiveLimit: 0 });
    const b = await explore(sim(n, arch(400), cost), { objective: 'edp', exhaustiveLimit: 0, runner: reversed });
    if ('error' in a || 'error' in b) throw new Error('explore');
    expect(b.best.schedule).toEqual(a.best.schedule);
    expect(b.best.score).toBe(a.best.score);
  });

  it('stops on request and keeps the best so far (the first uniform schedule always completes)', async () => {
    let calls = 0;
    const r = await run({ objective: 'energy', shouldStop: () => ++calls > 3 }, 600, 12);
    expect(r.stopped).toBe(true);
    expect(r.optimal).toBe(false);
    expect(r.best).toBeDefined();
    expect(r.uniform.map((u) => u.name)).toContain('TB-F');
  });
});
