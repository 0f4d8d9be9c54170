/**
 * Search over network schedules. A schedule is one choice per block (time batch b | T, whole layer or fused over
 * k = 1, 2, 4, ... lines along rows or columns); per-layer state placement is refined afterwards.
 *
 * Costs decompose exactly over blocks: a block's run depends only on its choice and on the boundary it starts from
 * (which lines of earlier tensors are on chip, clean or dirty; block-sim.ts), and it ends in a boundary. So:
 *  - exhaustive (the space has at most `exhaustiveLimit` schedules, e.g. STEMS's 4^7): every schedule is costed,
 *    as the sum of its memoized block runs along the path (the same numbers as a full simulation);
 *  - otherwise dynamic programming over blocks, the state being the boundary: per state only the schedules that can
 *    still win are kept (the best for energy, cycles or off-chip bytes, which add up over blocks; the (energy,
 *    cycles) Pareto set for EDP; the (energy, cycles, off-chip) Pareto set when a front is asked for). This is exact
 *    for every objective: no schedule that could be optimal is dropped.
 * Then each stateful layer's state placement (auto, onchip, spill; stateless with `allowStateless`) is tried in turn
 * on the best schedule and kept when it helps (coordinate descent with exact re-evaluation). The four uniform STEMS
 * schedules are evaluated first, so a stop (Ctrl-C, time limit) always leaves a best schedule.
 */
import { divisors } from '../core/math.ts';
import type { Network } from '../workload/network.ts';
import { boundaryKey, EMPTY_BOUNDARY, type BlockOutcome, type Boundary, type ScheduleSim } from './block-sim.ts';
import { blockAxis } from './plan.ts';
import { evaluateSchedule, placements } from './simulate.ts';
import type { BlockSchedule, NetworkSchedule, NetworkScheduleResult, ScheduleOptions, StatePlacement } from './types.ts';

export type Objective = 'energy' | 'cycles' | 'edp' | 'offchip';
export const OBJECTIVES: readonly Objective[] = ['energy', 'cycles', 'edp', 'offchip'];

/** `stems`: ST/TB x LBL/F per block (F = one column per chunk); `full`: every b | T, whole, fused k along rows or columns. */
export type ChoiceSet = 'stems' | 'full';

/** One block run to do: which block, which choice (index into the block's choices), from which boundary. */
export interface BlockTask {
  readonly bi: number;
  readonly choice: number;
  readonly entry: Boundary;
  readonly placement: readonly StatePlacement[];
}

/** Runs block tasks (in this thread, or on workers); results in task order. */
export type BlockRunner = (tasks: readonly BlockTask[], choices: readonly (readonly BlockSchedule[])[]) => Promise<BlockOutcome[]>;

export interface ExploreOptions {
  readonly objective: Objective;
  readonly choiceSet?: ChoiceSet;
  /** Let the search make layers stateless (a what-if: it changes the network's function). */
  readonly allowStateless?: boolean;
  /** Enumerate every schedule when the space has at most this many (default 100,000: STEMS's 4^7 and 4^8). */
  readonly exhaustiveLimit?: number;
  /** Keep the (energy, cycles, off-chip) Pareto front of every schedule (exhaustive) or of the DP's survivors. */
  readonly pareto?: boolean;
  /**
   * Keep at most this many boundary states after each block, those with the best partial schedules (a beam): bounded
   * work for spaces whose exact DP is too large (e.g. RED-LIF's full space); the answer is then not proven optimal.
   * Default: every state (exact).
   */
  readonly beam?: number;
  /** Refine per-layer state placement on the best schedule (default true). */
  readonly refineState?: boolean;
  readonly shouldStop?: () => boolean;
  readonly onProgress?: (phase: string, done: number, total: number, best: number | undefined) => void;
  /** Block runs on workers; default: this thread (awaiting `tick` between runs). */
  readonly runner?: BlockRunner;
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
  /** Uniform schedules that cannot run on this arch, and why. */
  readonly uniformErrors: readonly { readonly name: string; readonly error: string }[];
  readonly pareto: readonly Scored[];
  /** Schedules in the space, and schedules whose totals were computed (exhaustive: all of them). */
  readonly space: number;
  readonly evaluated: number;
  /** Distinct block simulations run. */
  readonly blockRuns: number;
  readonly method: 'exhaustive' | 'dynamic-programming' | 'beam';
  /** The search covered the whole space: the best is optimal for the objective under the model. */
  readonly optimal: boolean;
  readonly stopped: boolean;
  readonly seconds: number;
  /** Per-layer state placements changed by the refinement. */
  readonly placementChanges: number;
  /** The best complete schedules the search costed, best first (at most 10; exhaustive: of the whole space). */
  readonly top: readonly Scored[];
}

export function score(o: Objective, energy: number, cycles: number, offchip: number): number {
  return o === 'energy' ? energy : o === 'cycles' ? cycles : o === 'offchip' ? offchip : energy * cycles;
}

/** The choices of one block (state placement `auto`; see the file comment). */
export function blockChoices(net: Network, bi: number, set: ChoiceSet = 'full'): BlockSchedule[] {
  const T = net.timesteps;
  if (set === 'stems') {
    return [
      { timeBatch: 1, tileRows: null },
      { timeBatch: 1, tileRows: 1, tileAxis: 'cols' },
      { timeBatch: T, tileRows: null },
      { timeBatch: T, tileRows: 1, tileAxis: 'cols' },
    ];
  }
  const block = net.blocks[bi];
  const out: BlockSchedule[] = [];
  for (const timeBatch of divisors(T)) {
    out.push({ timeBatch, tileRows: null });
    for (const axis of ['rows', 'cols'] as const) {
      const lines = Math.max(...block.layers.map((li) => (axis === 'rows' ? net.layers[li].outShape.h : net.layers[li].outShape.w)));
      for (let k = 1; k < lines; k *= 2) out.push({ timeBatch, tileRows: k, tileAxis: axis });
    }
  }
  return out;
}

export function uniformSchedules(net: Network): { name: string; schedule: NetworkSchedule }[] {
  const T = net.timesteps;
  const mk = (timeBatch: number, tileRows: number | null): NetworkSchedule => ({
    blocks: net.blocks.map(() => (tileRows === null ? { timeBatch, tileRows } : { timeBatch, tileRows, tileAxis: 'cols' as const })),
  });
  return [
    { name: 'ST-LBL', schedule: mk(1, null) },
    { name: 'ST-F', schedule: mk(1, 1) },
    { name: 'TB-LBL', schedule: mk(T, null) },
    { name: 'TB-F', schedule: mk(T, 1) },
  ];
}

/** Non-dominated points in (energy, cycles, off-chip bytes), one per distinct triple, lowest energy first. */
export function paretoFront<P extends Scored>(points: readonly P[]): P[] {
  const sorted = [...points].sort((a, b) => a.energy_pJ - b.energy_pJ || a.cycles - b.cycles || a.offchip_bytes - b.offchip_bytes);
  const out: P[] = [];
  for (const p of sorted) {
    const dominated = out.some((q) => q.energy_pJ <= p.energy_pJ && q.cycles <= p.cycles && q.offchip_bytes <= p.offchip_bytes);
    if (!dominated) out.push(p);
  }
  return out;
}

interface Partial {
  readonly e: number;
  readonly c: number;
  readonly off: number;
  readonly path: readonly number[];
}

/**
 * Objective order, ties broken by energy, then cycles, then the earliest choices. The three sums add up over blocks,
 * so keeping the lexicographic minimum per DP state is still exact.
 */
const better = (o: Objective, a: Partial, b: Partial): boolean => {
  const sa = score(o, a.e, a.c, a.off);
  const sb = score(o, b.e, b.c, b.off);
  if (sa !== sb) return sa < sb;
  if (a.e !== b.e) return a.e < b.e;
  if (a.c !== b.c) return a.c < b.c;
  for (let i = 0; i < a.path.length; i++) if (a.path[i] !== b.path[i]) return a.path[i] < b.path[i];
  return false;
};

/** Survivors of one DP state: the partial schedules that may still become optimal. */
function prune(o: Objective, pareto: boolean, list: readonly Partial[]): Partial[] {
  if (list.length <= 1) return [...list];
  if (!pareto && o !== 'edp') {
    let best = list[0];
    for (const p of list) if (better(o, p, best)) best = p;
    return [best];
  }
  const dims = pareto ? 3 : 2;
  const sorted = [...list].sort((a, b) => a.e - b.e || a.c - b.c || a.off - b.off || (better(o, a, b) ? -1 : 1));
  const out: Partial[] = [];
  for (const p of sorted) {
    if (out.some((q) => q.e <= p.e && q.c <= p.c && (dims === 2 || q.off <= p.off))) continue;
    out.push(p);
  }
  return out;
}

export async function explore(sim: ScheduleSim, o: ExploreOptions, scheduleOpts: ScheduleOptions = {}): Promise<ExploreResult | { readonly error: string }> {
  const t0 = performance.now();
  const net = sim.net;
  const nB = net.blocks.length;
  let stopped = false;
  const stop = (): boolean => (stopped ||= o.shouldStop?.() === true);
  const tick = o.tick ?? (async () => undefined);
  const choices = net.blocks.map((_, bi) => blockChoices(net, bi, o.choiceSet));
  const space = choices.reduce((p, c) => p * c.length, 1);
  const basePlace = placements(net, { blocks: net.blocks.map(() => ({ timeBatch: 1, tileRows: null })) });
  // ---- memoized block runs
  const memo = new Map<string, BlockOutcome>();
  let blockRuns = 0;
  const local: BlockRunner = async (tasks, ch) => {
    const out: BlockOutcome[] = [];
    for (const t of tasks) {
      if (stop()) break;
      await tick();
      const choice = ch[t.bi][t.choice];
      out.push(sim.runBlock({ bi: t.bi, choice, axis: blockAxis(net, t.bi, choice, t.entry), entry: t.entry, placement: t.placement }));
    }
    return out;
  };
  const runner = o.runner ?? local;
  const memoKey = (bi: number, ci: number, entry: Boundary, place: readonly StatePlacement[]): string =>
    `${bi}|${ci}|${net.blocks[bi].layers.map((li) => place[li][0]).join('')}|${boundaryKey(entry)}`;
  /** Run (through the memo) every task; undefined entries when stopped. */
  const runAll = async (tasks: BlockTask[]): Promise<(BlockOutcome | undefined)[]> => {
    const keys = tasks.map((t) => memoKey(t.bi, t.choice, t.entry, t.placement));
    const todo: BlockTask[] = [];
    const todoKeys: string[] = [];
    const seen = new Set<string>();
    keys.forEach((k, i) => {
      if (!memo.has(k) && !seen.has(k)) {
        seen.add(k);
        todo.push(tasks[i]);
        todoKeys.push(k);
      }
    });
    const CHUNK = 64;
    for (let i = 0; i < todo.length && !stop(); i += CHUNK) {
      const part = todo.slice(i, i + CHUNK);
      const res = await runner(part, choices);
      res.forEach((r, j) => memo.set(todoKeys[i + j], r));
      blockRuns += res.length;
      o.onProgress?.('block runs', blockRuns, 0, bestSoFar?.score);
    }
    return keys.map((k) => memo.get(k));
  };
  /** Totals of one schedule (choice indices and placements) through the memo. */
  const costPath = async (path: readonly number[], place: readonly StatePlacement[]): Promise<Partial | string | undefined> => {
    let entry: Boundary = EMPTY_BOUNDARY;
    let e = 0;
    let c = 0;
    let off = 0;
    for (let bi = 0; bi < nB; bi++) {
      const [r] = await runAll([{ bi, choice: path[bi], entry, placement: place }]);
      if (!r) return undefined;
      if (!r.ok) return r.reason;
      e += r.energy;
      c += r.cycles;
      off += r.offchipBits / 8;
      entry = r.exit;
    }
    return { e, c, off, path };
  };
  const toSchedule = (path: readonly number[], place: readonly StatePlacement[]): NetworkSchedule => ({
    blocks: path.map((ci, bi) => {
      const ch = choices[bi][ci];
      const st: Record<number, StatePlacement> = {};
      for (const li of net.blocks[bi].layers) if (net.layers[li].stateful && place[li] !== 'auto') st[li] = place[li];
      return Object.keys(st).length > 0 ? { ...ch, state: st } : ch;
    }),
  });
  const scored = (p: Partial, place: readonly StatePlacement[]): Scored => ({
    schedule: toSchedule(p.path, place), energy_pJ: p.e, cycles: p.c, offchip_bytes: p.off, score: score(o.objective, p.e, p.c, p.off),
  });
  let bestSoFar: Scored | undefined;
  // ---- the uniform STEMS schedules (always evaluated, never worse than the search's answer)
  // TB-F first and never interrupted (the cheapest to simulate), so a stopped search still has a schedule
  const uniform: (Scored & { name: string })[] = [];
  const uniformErrors: { name: string; error: string }[] = [];
  const uniformSet = uniformSchedules(net);
  for (const [k, u] of [3, 2, 1, 0].map((i) => [i, uniformSet[i]] as const)) {
    if (k !== 3 && stop()) break;
    const full = await uniformCost(u.schedule, k === 3);
    if (typeof full === 'string') uniformErrors.push({ name: u.name, error: full });
    else if (full) {
      const s = { ...full, name: u.name };
      uniform.push(s);
      if (!bestSoFar || s.score < bestSoFar.score) bestSoFar = s;
    }
  }
  uniform.sort((a, b) => uniformSet.findIndex((u) => u.name === a.name) - uniformSet.findIndex((u) => u.name === b.name));
  async function uniformCost(s: NetworkSchedule, always: boolean): Promise<Scored | string | undefined> {
    let entry: Boundary = EMPTY_BOUNDARY;
    let e = 0;
    let c = 0;
    let off = 0;
    for (let bi = 0; bi < nB; bi++) {
      if (!always && stop()) return undefined;
      await tick();
      const ch = s.blocks[bi];
      const r = sim.runBlock({ bi, choice: ch, axis: blockAxis(net, bi, ch, entry), entry, placement: basePlace });
      blockRuns++;
      if (!r.ok) return r.layer ? `${r.reason} (layer ${r.layer})` : r.reason;
      e += r.energy;
      c += r.cycles;
      off += r.offchipBits / 8;
      entry = r.exit;
    }
    return { schedule: s, energy_pJ: e, cycles: c, offchip_bytes: off, score: score(o.objective, e, c, off) };
  }
  // ---- exhaustive or DP
  const exhaustive = space <= (o.exhaustiveLimit ?? 100_000);
  let finals: Partial[] = [];
  let evaluated = 0;
  let completed = false;
  let beamPruned = false;
  if (!stop()) {
    let states = new Map<string, { entry: Boundary; parts: Partial[] }>([[boundaryKey(EMPTY_BOUNDARY), { entry: EMPTY_BOUNDARY, parts: [{ e: 0, c: 0, off: 0, path: [] }] }]]);
    completed = true;
    for (let bi = 0; bi < nB; bi++) {
      const list = [...states.values()];
      const tasks: BlockTask[] = [];
      for (const s of list) for (let ci = 0; ci < choices[bi].length; ci++) tasks.push({ bi, choice: ci, entry: s.entry, placement: basePlace });
      o.onProgress?.(`block ${net.blocks[bi].name}`, bi, nB, bestSoFar?.score);
      const res = await runAll(tasks);
      if (res.some((r) => r === undefined)) {
        completed = false;
        break;
      }
      const next = new Map<string, { entry: Boundary; parts: Partial[] }>();
      let ti = 0;
      for (const s of list) {
        for (let ci = 0; ci < choices[bi].length; ci++) {
          const r = res[ti++]!;
          if (!r.ok) continue;
          const key = boundaryKey(r.exit);
          let n = next.get(key);
          if (!n) next.set(key, (n = { entry: r.exit, parts: [] }));
          for (const p of s.parts) n.parts.push({ e: p.e + r.energy, c: p.c + r.cycles, off: p.off + r.offchipBits / 8, path: [...p.path, ci] });
        }
      }
      for (const n of next.values()) {
        if (!exhaustive) n.parts = prune(o.objective, o.pareto === true, n.parts);
      }
      if (!exhaustive && o.beam !== undefined && next.size > o.beam) {
        const bestOf = (x: { parts: Partial[] }): Partial => x.parts.reduce((m, p) => (better(o.objective, p, m) ? p : m));
        const kept = [...next.entries()].sort((a, b) => (better(o.objective, bestOf(a[1]), bestOf(b[1])) ? -1 : better(o.objective, bestOf(b[1]), bestOf(a[1])) ? 1 : 0)).slice(0, o.beam);
        next.clear();
        for (const [k, v] of kept) next.set(k, v);
        beamPruned = true;
      }
      states = next;
      o.onProgress?.(`after block ${net.blocks[bi].name}: ${states.size} boundary states`, bi + 1, nB, bestSoFar?.score);
    }
    if (completed) {
      for (const s of states.values()) finals.push(...s.parts);
      evaluated = exhaustive ? finals.length : finals.length;
    }
  }
  let bestPath: Partial | undefined;
  for (const p of finals) if (!bestPath || better(o.objective, p, bestPath)) bestPath = p;
  let place = basePlace;
  let placementChanges = 0;
  // ---- per-layer state placement refinement
  if (bestPath && o.refineState !== false && !stop()) {
    const alts: StatePlacement[] = o.allowStateless ? ['auto', 'onchip', 'spill', 'stateless'] : ['auto', 'onchip', 'spill'];
    let cur = bestPath;
    for (const l of net.layers) {
      if (!l.stateful || stop()) continue;
      for (const a of alts) {
        if (a === place[l.index] || stop()) continue;
        const trial = place.map((x, i) => (i === l.index ? a : x));
        const r = await costPath(cur.path, trial);
        if (!r || typeof r === 'string') continue;
        evaluated++;
        if (better(o.objective, r, cur)) {
          cur = r;
          place = trial;
          placementChanges++;
        }
      }
    }
    bestPath = cur;
  }
  // ---- result
  let best: Scored | undefined = bestSoFar;
  if (bestPath) {
    const s = scored(bestPath, place);
    if (!best || s.score <= best.score) best = s;
  }
  if (!best) return { error: stopped ? 'stopped before any schedule was evaluated' : 'no schedule of this network runs on this arch' };
  const full = evaluateSchedule(net, sim.arch, best.schedule, sim, scheduleOpts);
  if (!full.ok) return { error: `internal: the best schedule does not evaluate: ${full.reason}` };
  const ranked = [...finals].sort((a, b) => (better(o.objective, a, b) ? -1 : better(o.objective, b, a) ? 1 : 0)).slice(0, 10);
  const candidates: Scored[] = [...uniform, ...finals.map((p) => scored(p, basePlace))];
  if (bestPath && placementChanges > 0) candidates.push(scored(bestPath, place));
  return {
    best: { ...best, result: full.result },
    uniform,
    uniformErrors,
    pareto: paretoFront(candidates),
    space,
    evaluated,
    blockRuns,
    method: exhaustive ? 'exhaustive' : beamPruned ? 'beam' : 'dynamic-programming',
    optimal: completed && !stopped && !beamPruned,
    stopped,
    seconds: (performance.now() - t0) / 1000,
    placementChanges,
    top: ranked.map((p) => scored(p, basePlace)),
  };
}
