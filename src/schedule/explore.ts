/**
 * Search over network schedules. Per block, the choices are: time batch b | T, spatial schedule (whole layer, or
 * fused over k = 1, 2, 4, ... rows), and one state placement for the block's stateful layers (auto, onchip,
 * spill, and stateless when the what-if is allowed).
 *  - exhaustive: when the product of the per-block choice counts is small, every schedule is simulated in full;
 *  - otherwise, decomposition over blocks (DP with independent blocks): each block is simulated alone for each of
 *    its choices (its inputs from earlier blocks start in DRAM, its outputs for later blocks go to DRAM), so the
 *    objective is a sum over blocks and the per-block argmin is the optimum of that separable model; then a
 *    coordinate descent with full simulations over the best few choices of every block corrects the block
 *    interactions (rows that stay on chip from one block to the next, shared buffer pressure).
 * The four uniform STEMS schedules are always evaluated (and can win). Stops early (keeping the best found) when
 * `shouldStop` says so.
 */
import type { Arch } from '../arch/types.ts';
import { divisors } from '../core/math.ts';
import type { Network } from '../workload/network.ts';
import { evaluateSchedule, type CostCache } from './simulate.ts';
import type { BlockSchedule, LayerCostFn, NetworkSchedule, NetworkScheduleResult, StatePlacement } from './types.ts';

export type Objective = 'energy' | 'cycles' | 'edp' | 'offchip';
export const OBJECTIVES: readonly Objective[] = ['energy', 'cycles', 'edp', 'offchip'];

export interface ExploreOptions {
  readonly objective: Objective;
  readonly stemsCompat?: boolean;
  /** Let the search make layers stateless (a what-if: it changes the network's function). */
  readonly allowStateless?: boolean;
  /** Full simulations allowed for an exhaustive search (default 400). */
  readonly exhaustiveLimit?: number;
  /** Choices per block kept for the coordinate descent (default 3). */
  readonly keepPerBlock?: number;
  readonly shouldStop?: () => boolean;
  readonly onProgress?: (evaluated: number, phase: string, best: number | undefined) => void;
  /** Awaited between simulations, so a caller can handle signals (Ctrl-C) while the search runs. */
  readonly tick?: () => Promise<void>;
}

export interface Scored {
  readonly schedule: NetworkSchedule;
  readonly energy_pJ: number;
  readonly cycles: number;
  readonly offchip_bytes: number;
  readonly score: number;
}

export interface ExploreResult {
  readonly best: Scored & { readonly result: NetworkScheduleResult };
  readonly uniform: readonly (Scored & { readonly name: string })[];
  readonly pareto: readonly Scored[];
  readonly evaluated: number;
  readonly blockEvaluations: number;
  readonly method: 'exhaustive' | 'block-decomposition+descent';
  readonly stopped: boolean;
  readonly seconds: number;
}

export function score(o: Objective, energy: number, cycles: number, offchip: number): number {
  return o === 'energy' ? energy : o === 'cycles' ? cycles : o === 'offchip' ? offchip : energy * cycles;
}

/** The choices of one block. */
export function blockChoices(net: Network, bi: number, allowStateless: boolean): BlockSchedule[] {
  const block = net.blocks[bi];
  const rows = Math.max(...block.layers.map((li) => net.layers[li].outShape.h));
  const tiles: (number | null)[] = [null];
  for (let k = 1; k < rows; k *= 2) tiles.push(k);
  const stateful = block.layers.filter((li) => net.layers[li].stateful);
  const places: StatePlacement[] = stateful.length === 0 ? ['auto'] : allowStateless ? ['auto', 'onchip', 'spill', 'stateless'] : ['auto', 'onchip', 'spill'];
  const out: BlockSchedule[] = [];
  for (const timeBatch of divisors(net.timesteps)) for (const tileRows of tiles) for (const p of places) {
    out.push(p === 'auto' ? { timeBatch, tileRows } : { timeBatch, tileRows, state: Object.fromEntries(stateful.map((li) => [li, p])) });
  }
  return out;
}

export function uniformSchedules(net: Network): { name: string; schedule: NetworkSchedule }[] {
  const T = net.timesteps;
  const mk = (timeBatch: number, tileRows: number | null): NetworkSchedule => ({ blocks: net.blocks.map(() => ({ timeBatch, tileRows })) });
  return [
    { name: 'ST-LBL', schedule: mk(1, null) },
    { name: 'ST-F', schedule: mk(1, 1) },
    { name: 'TB-LBL', schedule: mk(T, null) },
    { name: 'TB-F', schedule: mk(T, 1) },
  ];
}

/** Non-dominated points in (energy, cycles, off-chip bytes). */
export function paretoFront(points: readonly Scored[]): Scored[] {
  const dom = (a: Scored, b: Scored): boolean =>
    a.energy_pJ <= b.energy_pJ && a.cycles <= b.cycles && a.offchip_bytes <= b.offchip_bytes &&
    (a.energy_pJ < b.energy_pJ || a.cycles < b.cycles || a.offchip_bytes < b.offchip_bytes);
  return points.filter((p) => !points.some((q) => dom(q, p))).sort((a, b) => a.energy_pJ - b.energy_pJ);
}

export async function explore(net: Network, arch: Arch, costFn: LayerCostFn, o: ExploreOptions, cache: CostCache = new Map()): Promise<ExploreResult | { readonly error: string }> {
  const t0 = performance.now();
  const opts = { stemsCompat: o.stemsCompat };
  const seen = new Map<string, Scored & { result: NetworkScheduleResult }>();
  let best: (Scored & { result: NetworkScheduleResult }) | undefined;
  let evaluated = 0;
  let blockEvaluations = 0;
  let stopped = false;
  const stop = (): boolean => (stopped ||= o.shouldStop?.() === true);
  const tick = o.tick ?? (async () => undefined);
  const full = async (s: NetworkSchedule): Promise<(Scored & { result: NetworkScheduleResult }) | undefined> => {
    const key = JSON.stringify(s);
    const hit = seen.get(key);
    if (hit) return hit;
    await tick();
    const r = evaluateSchedule(net, arch, s, costFn, opts, cache);
    evaluated++;
    if (!r.ok) return undefined;
    const t = r.result.totals;
    const sc = { schedule: s, energy_pJ: t.energy_pJ, cycles: t.cycles, offchip_bytes: t.offchip_bytes, score: score(o.objective, t.energy_pJ, t.cycles, t.offchip_bytes), result: r.result };
    seen.set(key, sc);
    if (!best || sc.score < best.score) best = sc;
    o.onProgress?.(evaluated, 'full', best.score);
    return sc;
  };
  const uniform: (Scored & { name: string })[] = [];
  for (const u of uniformSchedules(net)) {
    if (stop()) break;
    const r = await full(u.schedule);
    if (r) uniform.push({ name: u.name, schedule: r.schedule, energy_pJ: r.energy_pJ, cycles: r.cycles, offchip_bytes: r.offchip_bytes, score: r.score });
  }
  const choices = net.blocks.map((_, bi) => blockChoices(net, bi, o.allowStateless === true));
  const space = choices.reduce((p, c) => p * c.length, 1);
  const exhaustive = space <= (o.exhaustiveLimit ?? 400);
  if (exhaustive) {
    const idx = choices.map(() => 0);
    for (let n = 0; n < space && !stop(); n++) {
      await full({ blocks: idx.map((k, bi) => choices[bi][k]) });
      for (let bi = 0; bi < idx.length; bi++) {
        if (++idx[bi] < choices[bi].length) break;
        idx[bi] = 0;
      }
    }
  } else {
    // 1. separable model: each block alone, every choice
    const base: BlockSchedule[] = net.blocks.map(() => ({ timeBatch: net.timesteps, tileRows: 1 }));
    const ranked: BlockSchedule[][] = [];
    for (let bi = 0; bi < net.blocks.length && !stop(); bi++) {
      const scored: { c: BlockSchedule; s: number }[] = [];
      for (const c of choices[bi]) {
        if (stop()) break;
        const sched = { blocks: base.map((b, j) => (j === bi ? c : b)) };
        await tick();
        const r = evaluateSchedule(net, arch, sched, costFn, opts, cache, bi);
        blockEvaluations++;
        if (!r.ok) continue;
        const t = r.result.totals;
        scored.push({ c, s: score(o.objective, t.energy_pJ, t.cycles, t.offchip_bytes) });
      }
      o.onProgress?.(blockEvaluations, `block ${net.blocks[bi].name}`, best?.score);
      scored.sort((a, b) => a.s - b.s);
      ranked.push(scored.slice(0, o.keepPerBlock ?? 3).map((x) => x.c));
    }
    // 2. coordinate descent with full simulations, from the separable optimum
    if (!stop() && ranked.every((r) => r.length > 0)) {
      let cur = ranked.map((r) => r[0]);
      let curScore = (await full({ blocks: cur }))?.score ?? Infinity;
      for (let pass = 0; pass < 3 && !stop(); pass++) {
        let improved = false;
        for (let bi = 0; bi < cur.length && !stop(); bi++) {
          for (const c of ranked[bi]) {
            if (c === cur[bi] || stop()) continue;
            const cand = cur.map((x, j) => (j === bi ? c : x));
            const r = await full({ blocks: cand });
            if (r && r.score < curScore) {
              cur = cand;
              curScore = r.score;
              improved = true;
            }
          }
        }
        if (!improved) break;
      }
    }
  }
  if (!best) return { error: stopped ? 'stopped before any schedule was evaluated' : 'no schedule of this network runs on this arch' };
  const all = [...seen.values()].map(({ result, ...s }) => (void result, s));
  return {
    best, uniform, pareto: paretoFront(all), evaluated, blockEvaluations,
    method: exhaustive ? 'exhaustive' : 'block-decomposition+descent', stopped, seconds: (performance.now() - t0) / 1000,
  };
}
