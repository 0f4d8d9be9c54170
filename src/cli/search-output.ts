/** Results of `spikeloop search`: the summary JSON (schema spikeloop.search/1), a text summary, artifacts. */
import type { Arch } from '../arch/types.ts';
import type { Evaluation } from '../model/types.ts';
import type { Artifact } from '../report/artifact.ts';
import { mappingYaml } from '../search/emit.ts';
import { toMapping } from '../search/mapspace/point.ts';
import type { MapSpace } from '../search/mapspace/space.ts';
import type { SpaceSize } from '../search/mapspace/size.ts';
import { describeObjective, type Objective } from '../search/objective.ts';
import type { SearchResult, Strategy } from '../search/plan.ts';
import type { Workload } from '../workload/types.ts';

export type StopReason = 'completed' | 'budget' | 'time-limit' | 'interrupted';

export interface RunInfo {
  readonly strategy: Strategy;
  readonly objective: Objective;
  readonly seed: number;
  readonly threads: number;
  readonly constraints: string;
  readonly seconds: number;
  readonly stop: StopReason;
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
  const fmt = (n: bigint): string => (n < 10n ** 12n ? n.toLocaleString('en-US') : `~1e${log10s(n)}`);
  return [
    `mapspace: ${s.exact ? '' : 'at most '}${fmt(s.total)} candidates (log10 ${s.log10Total.toFixed(2)})`,
    `  tilings ${fmt(s.tilings)} (splits per dim: ${s.perDim.map((d) => `${d.dim} ${d.splits}`).join(', ')})`,
    `  keep/bypass ${fmt(s.keepChoices)}, loop orders per level ${s.ordersPerLevel.map((o) => `${o.level} <=${fmt(o.orders)}`).join(', ')}`,
  ].join('\n');
}

function log10s(n: bigint): string {
  return String(n.toString().length - 1);
}

export function searchJson(space: MapSpace, size: SpaceSize, res: SearchResult, info: RunInfo, bestEval: Evaluation | undefined, bestYaml: string | undefined) {
  const { stats } = res;
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
    explored: stats,
    seconds: Number(info.seconds.toFixed(3)),
    evaluations_per_second: info.seconds > 0 ? Math.round(stats.evaluated / info.seconds) : null,
    stop: info.stop,
    optimal: res.optimal && info.stop === 'completed',
    invalid: res.invalid.map((i) => ({ stage: i.stage, level: i.level ?? null, count: i.count, example: i.example })),
    best: res.best ? { totals: res.best.totals, mapping_yaml: bestYaml, evaluation: bestEval } : null,
    pareto: res.front.map((f) => ({ totals: f.totals, mapping_yaml: mappingYaml(space.arch, space.workload, toMapping(space, f.point)) })),
  };
}

export function invalidText(res: SearchResult): string[] {
  return res.invalid.map((i) => `  ${i.count.toLocaleString('en-US')} ${i.stage}${i.level ? ` at ${i.level}` : ''}: e.g. ${i.example}`);
}

export function summaryText(size: SpaceSize, res: SearchResult, info: RunInfo): string {
  const s = res.stats;
  const lines = [
    `search: ${info.strategy}, objective ${describeObjective(info.objective)}, seed ${info.seed}, ${info.threads} thread${info.threads === 1 ? '' : 's'}${info.constraints !== 'none' ? `, constraints ${info.constraints}` : ''}`,
    sizeText(size),
    `explored ${s.considered.toLocaleString('en-US')} candidates: ${s.evaluated.toLocaleString('en-US')} evaluated (${s.valid.toLocaleString('en-US')} valid), ` +
      `${s.pruned.toLocaleString('en-US')} pruned by the bound, ${s.cached.toLocaleString('en-US')} repeats; ${info.seconds.toFixed(2)} s, ` +
      `${Math.round(s.evaluated / Math.max(info.seconds, 1e-9)).toLocaleString('en-US')} evaluations/s`,
  ];
  if (res.invalid.length > 0) lines.push('invalid candidates:', ...invalidText(res));
  if (res.best) {
    const t = res.best.totals;
    lines.push(`best: ${t.energy_pJ.toExponential(4)} pJ, ${t.cycles.toLocaleString('en-US')} cycles, ${t.offchip_bytes.toLocaleString('en-US')} off-chip bytes`);
    const why = info.stop === 'completed' ? '' : ` (stopped: ${info.stop})`;
    lines.push(res.optimal && info.stop === 'completed' ? 'optimal: the exhaustive search covered the whole mapspace' : `not proven optimal${why}`);
  }
  if (res.front.length > 0) lines.push(`pareto front: ${res.front.length} mapping${res.front.length === 1 ? '' : 's'} (energy, cycles, off-chip bytes)`);
  return lines.join('\n');
}

export function searchArtifacts(json: ReturnType<typeof searchJson>, bestYaml: string | undefined, pareto: boolean): Artifact[] {
  const out: Artifact[] = [{ name: 'search.json', mediaType: 'application/json', content: JSON.stringify(json, null, 2) + '\n' }];
  if (bestYaml) out.push({ name: 'best-mapping.yaml', mediaType: 'application/yaml', content: bestYaml });
  if (pareto) out.push({ name: 'pareto.json', mediaType: 'application/json', content: JSON.stringify(json.pareto, null, 2) + '\n' });
  return out;
}

export function bestHeader(arch: Arch, w: Workload, info: RunInfo): string[] {
  return [`found by spikeloop search for ${w.name} on ${arch.name}: ${info.strategy}, objective ${describeObjective(info.objective)}, seed ${info.seed}`];
}
