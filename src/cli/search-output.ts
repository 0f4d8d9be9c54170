/** Results of `spikeloop search`: the summary JSON (schema spikeloop.search/1), a text summary, artifacts. */
import type { Arch } from '../arch/types.ts';
import type { Evaluation } from '../model/types.ts';
import { mappingYaml } from '../search/emit.ts';
import { timeloopMappingYaml } from '../search/emit-timeloop.ts';
import type { ExploreStats } from '../search/explorer.ts';
import { toMapping, type Point } from '../search/mapspace/point.ts';
import type { MapSpace } from '../search/mapspace/space.ts';
import type { SpaceSize } from '../search/mapspace/size.ts';
import { describeObjective, type Metric, type Objective } from '../search/objective.ts';
import type { SearchResult, Strategy } from '../search/plan.ts';
import type { RerankResult } from '../search/rerank.ts';
import type { SearchTotals } from '../search/types.ts';
import type { Workload } from '../workload/types.ts';

export type StopReason = 'completed' | 'budget' | 'time-limit' | 'interrupted';

export interface RunInfo {
  readonly strategy: Strategy;
  readonly objective: Objective;
  readonly seed: number;
  readonly threads: number;
  readonly constraints: string;
  readonly seconds: number;
  /** CPU seconds of the whole process (all threads) during the search. */
  readonly cpuSeconds: number;
  readonly stop: StopReason;
  readonly timing: 'roofline' | 'pipeline';
  /** Inputs were Timeloop files: the best mapping is also written in Timeloop's format. */
  readonly timeloop: boolean;
}

/** The chosen mapping, after re-ranking when asked for. */
export interface Chosen {
  readonly point: Point;
  /** Totals under the search's (roofline) model. */
  readonly totals: SearchTotals;
  /** Totals under the pipeline timing model, when re-ranked or evaluated with it. */
  readonly pipeline?: SearchTotals;
}

const big = (n: bigint): string => n.toString();

export function sizeJson(s: SpaceSize) {
  return {
    per_dim: Object.fromEntries(s.perDim.map((d) => [d.dim, big(d.splits)])),
    tilings: big(s.tilings),
    keep_choices: big(s.keepChoices),
    orders_per_level: Object.fromEntries(s.ordersPerLevel.map((o) => [o.level, big(o.orders)])),
    total: big(s.total),
    total_is_exact: s.exact,
    log10_total: Number(s.log10Total.toFixed(3)),
  };
}

export function sizeText(s: SpaceSize): string {
  const fmt = (n: bigint): string => (n < 10n ** 12n ? n.toLocaleString('en-US') : `~1e${n.toString().length - 1}`);
  return [
    `mapspace: ${s.exact ? '' : 'at most '}${fmt(s.total)} candidates (log10 ${s.log10Total.toFixed(2)})`,
    `  tilings ${fmt(s.tilings)} (splits per dim: ${s.perDim.map((d) => `${d.dim} ${d.splits}`).join(', ')})`,
    `  keep/bypass ${fmt(s.keepChoices)}, loop-order classes per level ${s.ordersPerLevel.map((o) => `${o.level} <=${fmt(o.orders)}`).join(', ')}`,
  ].join('\n');
}

const plainTotals = (t: SearchTotals) => ({
  energy_pJ: t.energy_pJ,
  cycles: t.cycles,
  offchip_bytes: t.offchip_bytes,
  ...(t.offchip_bytes_by_tensor ? { offchip_bytes_by_tensor: Array.from(t.offchip_bytes_by_tensor) } : {}),
});

function statsJson(s: ExploreStats) {
  return { considered: s.considered, evaluated: s.evaluated, valid: s.valid, cached: s.cached, pruned: s.pruned, pruned_subtrees: s.prunedSubtrees, warm_start: s.warmStart };
}

export interface SearchJsonInput {
  readonly space: MapSpace;
  readonly size: SpaceSize;
  readonly res: SearchResult;
  readonly info: RunInfo;
  readonly chosen?: Chosen;
  readonly evaluation?: Evaluation;
  readonly bestYaml?: string;
  readonly bestTimeloopYaml?: string;
  readonly rerank?: RerankResult;
  /** Why the space has no valid mapping before any search (empty space). */
  readonly emptyBecause?: readonly string[];
}

export function searchJson(x: SearchJsonInput) {
  const { space, size, res, info } = x;
  const stats = res.stats;
  const best = x.chosen
    ? {
        totals: plainTotals(x.chosen.totals),
        ...(x.chosen.pipeline ? { pipeline_totals: plainTotals(x.chosen.pipeline) } : {}),
        timing: { model: info.timing, roofline_cycles: x.chosen.totals.cycles, ...(x.chosen.pipeline ? { pipeline_cycles: x.chosen.pipeline.cycles } : {}) },
        mapping_yaml: x.bestYaml,
        ...(x.bestTimeloopYaml ? { timeloop_mapping_yaml: x.bestTimeloopYaml } : {}),
        evaluation: x.evaluation,
      }
    : null;
  return {
    schema: 'spikeloop.search/1',
    arch: space.arch.name,
    workload: space.workload.name,
    strategy: info.strategy,
    objective: describeObjective(info.objective),
    constraints: info.constraints,
    seed: info.seed,
    threads: info.threads,
    space: sizeJson(size),
    explored: statsJson(stats),
    seconds: Number(info.seconds.toFixed(3)),
    cpu_seconds: Number(info.cpuSeconds.toFixed(3)),
    evaluations_per_second: info.seconds > 0 ? Math.round(stats.evaluated / info.seconds) : null,
    stop: info.stop,
    optimal: res.optimal && info.stop === 'completed',
    invalid: res.invalid.map((i) => ({ stage: i.stage, level: i.level ?? null, count: i.count, example: i.example })),
    ...(x.emptyBecause ? { empty_space: x.emptyBecause } : {}),
    best,
    ...(x.rerank
      ? {
          rerank: {
            model: 'pipeline',
            winner_changed: x.rerank.winnerChanged,
            candidates: x.rerank.candidates.map((c) => ({
              rank_roofline: c.rankBefore,
              rank_pipeline: c.rankAfter < 0 ? null : c.rankAfter,
              roofline: plainTotals(c.search),
              pipeline: c.detailed ? plainTotals(c.detailed) : null,
              ...(c.invalid ? { invalid: c.invalid } : {}),
            })),
          },
        }
      : {}),
    pareto: res.front.map((f) => ({ totals: plainTotals(f.totals), mapping_yaml: mappingYaml(space.arch, space.workload, toMapping(space, f.point)) })),
  };
}

export function invalidText(res: SearchResult): string[] {
  return res.invalid.map((i) => `  ${i.count.toLocaleString('en-US')} ${i.stage}${i.level ? ` at ${i.level}` : ''}: e.g. ${i.example}`);
}

const METRIC_TEXT: Record<Metric, (t: SearchTotals) => string> = {
  energy: (t) => `${t.energy_pJ.toExponential(4)} pJ`,
  cycles: (t) => `${t.cycles.toLocaleString('en-US')} cycles`,
  edp: (t) => `EDP ${(t.energy_pJ * t.cycles).toExponential(4)} pJ x cycles`,
  offchip: (t) => `${t.offchip_bytes.toLocaleString('en-US')} off-chip bytes`,
};

/** The objective's metrics of some totals, for progress lines and summaries. */
export function objectiveText(o: Objective, t: SearchTotals): string {
  return o.metrics.map((m) => METRIC_TEXT[m](t)).join(', ');
}

export function summaryText(size: SpaceSize, res: SearchResult, info: RunInfo, chosen?: Chosen, rerank?: RerankResult): string {
  const s = res.stats;
  const n = (x: number): string => x.toLocaleString('en-US');
  const lines = [
    `search: ${info.strategy}, objective ${describeObjective(info.objective)}, seed ${info.seed}, ${info.threads} thread${info.threads === 1 ? '' : 's'}${info.constraints !== 'none' ? `, constraints ${info.constraints}` : ''}`,
    `explored ${n(s.considered)} candidates: ${n(s.evaluated)} evaluated (${n(s.valid)} valid), ${n(s.pruned)} pruned by the bound` +
      `${s.prunedSubtrees ? ` (and ${n(s.prunedSubtrees)} partial tilings cut)` : ''}, ${n(s.cached)} repeats${s.warmStart ? `, ${n(s.warmStart)} warm-start evaluations` : ''}; ` +
      `${info.seconds.toFixed(2)} s (${info.cpuSeconds.toFixed(2)} s CPU), ${n(Math.round(s.evaluated / Math.max(info.seconds, 1e-9)))} evaluations/s`,
  ];
  if (res.invalid.length > 0) lines.push('invalid candidates:', ...invalidText(res));
  if (chosen) {
    const t = chosen.totals;
    lines.push(`best: ${t.energy_pJ.toExponential(4)} pJ, ${n(t.cycles)} cycles (roofline), ${n(t.offchip_bytes)} off-chip bytes`);
    if (chosen.pipeline) lines.push(`  pipeline timing: ${n(chosen.pipeline.cycles)} cycles, ${chosen.pipeline.energy_pJ.toExponential(4)} pJ`);
    if (rerank) lines.push(`re-ranked ${rerank.candidates.length} candidates with the pipeline timing model: ${rerank.winnerChanged ? 'the winner changed' : 'the same winner'}`);
    const why = info.stop === 'completed' ? '' : ` (stopped: ${info.stop})`;
    lines.push(res.optimal && info.stop === 'completed' ? `optimal for ${describeObjective(info.objective)} (roofline): the exhaustive search covered the whole mapspace` : `not proven optimal${why}`);
  }
  if (res.front.length > 0) lines.push(`pareto front: ${res.front.length} mapping${res.front.length === 1 ? '' : 's'} (energy, cycles, off-chip bytes)`);
  return lines.join('\n');
}

export function bestHeader(arch: Arch, w: Workload, info: RunInfo): string[] {
  return [`found by spikeloop search for ${w.name} on ${arch.name}: ${info.strategy}, objective ${describeObjective(info.objective)}, seed ${info.seed}`];
}

export function bestYamls(space: MapSpace, info: RunInfo, p: Point): { native: string; timeloop?: string } {
  const m = toMapping(space, p);
  const header = bestHeader(space.arch, space.workload, info);
  return { native: mappingYaml(space.arch, space.workload, m, header), timeloop: info.timeloop ? timeloopMappingYaml(space.arch, space.workload, m, header) : undefined };
}
