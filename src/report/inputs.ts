/**
 * What `spikeloop report` and `spikeloop compare` accept: any JSON document the other commands write, read into
 * views with only the fields the report draws. The kind is detected from `schema` (a string containing
 * `explore`, `search`/`pareto`/`mapper`, `network`, `train` or `evaluation`), else from the shape. Unknown fields
 * are ignored; an absent optional field (or `null`) leaves its chart or column out, never a 0. A field that is
 * present with the wrong type, a non-finite or a negative number is an error (SL-REPORT-FIELD) naming its full
 * JSON path (`layers[3].energy_pJ`) and line; every such problem of a file is listed (up to 20).
 *
 * - evaluation (`spikeloop evaluate --json`, schema `spikeloop.evaluation/1`): `totals {energy_pJ, cycles,
 *   offchip_bytes?, computes?}` (required: energy_pJ and cycles; also accepted at the top level, and cycles under
 *   `timing`), `workload?`, `arch?`, `energy_source?`, `levels[] {name, energy_pJ, energy_by_action? {read, fill,
 *   update}, cycles?, bandwidth_throttling?, capacity_used_bits?, capacity_bits? (null = unbounded), read_bits?,
 *   write_bits?, bandwidth_bits_per_cycle? ({read, write, shared}, each null = unlimited, or one number),
 *   transfer_cycles? (port cycles of the level's traffic alone: the bandwidth roofline), tensors? {<t>: {reads?,
 *   fills?, updates?, energy_pJ?, bytes?}}}` (or, without `levels`, `energy_by_level {<level>: pJ}`),
 *   `compute {<action>: {count?, energy_pJ}}`, `offchip_bytes_by_tensor`, `energy_by_tensor`, `utilization?`,
 *   `energy_static_pJ?` and `energy_static {levels {<level>: pJ}, compute_idle_pJ}`, `timing {model, cycles,
 *   compute_cycles, bottleneck}`. Pipeline model detail: `timing.levels[] {name, busy_cycles, stall_cycles,
 *   idle_cycles}` and `timing.compute_activity {...}` (also `busy`/`stall`/`idle`, or `timing.per_level {<level>:
 *   {...}}`), where idle = cycles - busy and stall = the compute array's waiting caused by the level; a timeline
 *   `timing.timeline {capped?, levels|lanes: [{name|level, spans_total?, spans|segments|tiles|events: [{start, end,
 *   state?}]}]}` or a flat array `[{level, start, end, state?}]` (a span without a state is `busy`);
 *   `roofline_cycles`, `prologue_cycles`, `epilogue_cycles`, `outer_tiles`, `simulated_tiles`,
 *   `stall_share_by_tensor`.
 * - provenance, in any kind (src/cli/provenance.ts writes it): `command` (the command line) and `inputs[] {path,
 *   sha256?}` (the spec files the result was computed from). Shown per result under "Reproducibility".
 * - network (issue 5, schema `spikeloop.network-evaluation/1`): an evaluation of the whole network (its `levels[]`
 *   may carry `tensors`, counted as words summed over instances and layers; `energy_by_tensor`, `energy_source`) with
 *   `layers[]`, each evaluation-like (`totals` or top-level `energy_pJ`, `cycles`, `offchip_bytes`) plus `name`,
 *   `op?`, `block?` (a block's name or index), `state_bytes?`, `weight_bytes?`, `peak_onchip_bytes?`,
 *   `state_placement?`, `offchip_bytes_by_kind?`, `chunks?`, `chunk_mapping?` and, when the producer adds them,
 *   `levels[]` (with `tensors`, `transfer_cycles`), `compute` and `timing` (per-layer energy is then stacked by
 *   level and action, and a per-layer bandwidth bound is tabulated). Network totals: `totals.state_bytes`,
 *   `weight_bytes`, `peak_onchip_bytes`, `onchip_capacity_bytes`, `streamed_ops`, `offchip_bytes_by_kind {weights,
 *   spikes, activations, psums, state}`; `timing.dram_bound_cycles`; `stems_compat?`, `chunk_mapper?`,
 *   `constraints?`, `spike_format?`, `final_state_writeback?`; `warnings[]` (text, or `{message}`); the schedule
 *   `schedule[] {block, time_batch, tile_rows (null = whole maps), tile_axis?, state? {<layer>: placement}}`; an
 *   on-chip occupancy series `occupancy[]` (or `schedule.occupancy[]`): `{step|label, bytes | by_kind {<kind>:
 *   bytes}}` (a label `layer@...` places the step in its layer's block), with `capacity_bytes` beside it.
 * - search (issue 4, schema `spikeloop.search/1`, or its `pareto.json`: a bare array of points): a Pareto set under
 *   `pareto`, `pareto_front`, `front`, `points` or `candidates`: points `{energy_pJ, cycles, offchip_bytes?,
 *   label?, chosen?}` (numbers directly or under `totals`); the chosen point as `best`/`chosen`/`selected` (the
 *   same fields, its full evaluation under `evaluation`, its mapping under `mapping_yaml`) or `chosen_index`;
 *   `objective`, `workload`, `arch`; statistics from the top-level fields `strategy`, `constraints`, `seed`,
 *   `threads`, `seconds`, `evaluations_per_second`, `stop`, `optimal`, `space {total, total_is_exact,
 *   log10_total}`, `explored {<counter>: n}`, `invalid[] {stage, level, count}`, or from `stats`/`summary`.
 * - explore (issue 5, schema `spikeloop.explore/1`): `network`, `arch`, `objective`, `space`, `chunk_mapper`,
 *   `constraints`, `spike_format`, `stems_compat`, `threads`, `seed`, `sweep` and `points[]`, one per sweep point
 *   (one without --sweep): `{label (`LEVEL.FIELD = V` with --sweep), value (V; null without a sweep; older results:
 *   capacity_bytes), method, space, evaluated, block_runs (or block_evaluations), optimal, stopped, seconds,
 *   placement_changes, uniform[] {name, energy_pJ, cycles, offchip_bytes} or {name, error} (reference schedules),
 *   best {energy_pJ, cycles, offchip_bytes (these are the point; `totals` is its full evaluation), schedule[] {block,
 *   time_batch, tile_rows, tile_axis, state?}, state_placement {<layer>: placement}, totals {...}}, pareto[]
 *   {energy_pJ, cycles, offchip_bytes, schedule {blocks: [{timeBatch, tileRows, tileAxis, state?}]}}}`, or `{label,
 *   value, error}` for a point that could not be scheduled.
 * - training (issue 6, schema `spikeloop.training/1`): `network`, `arch`, `batch`, `timesteps`, `decomposition`,
 *   `tt_mode`, `energy_source`, `totals {energy_pJ (with static), dynamic_energy_pJ, static_energy_pJ, cycles,
 *   offchip_bytes, params, dense_params, macs_per_timestep, dense_macs_per_timestep}`, `static {power_mw,
 *   energy_pJ}`; `phases` (array of `{name, energy_pJ, cycles?, offchip_bytes?, energy_by_level? | levels[]?,
 *   compute?}` or a record name -> the same); `schemes` (array or record of `{name, activation_bytes|memory_bytes?,
 *   dram_bytes?, recompute_ops?, memory[] {batch, activation_bytes, traffic_bytes}, step_energy_pJ,
 *   retention_energy_pJ, extra_forward_energy_pJ, recompute_energy_pJ, step_cycles}`); `layers[] {name, kind,
 *   params, dense_params, phases {<phase>: {energy_pJ}}}`.
 */
import type { Diagnostic } from '../core/diagnostics.ts';
import { fail, ok, type Result } from '../core/result.ts';
import { pathText } from './read/ctx.ts';
import { readEvaluation } from './read/evaluation.ts';
import { readExplore } from './read/explore.ts';
import { lineColAt, locatePath } from './read/locate.ts';
import { readNetwork } from './read/network.ts';
import { POINT_KEYS, readSearch } from './read/search.ts';
import { readTraining } from './read/training.ts';
import { isObj, str, type Json } from './read/value.ts';
import { isProblems, type EvalView, type ExploreView, type NetworkView, type ReadProblem, type SearchView, type TrainingView } from './views.ts';

export type { EvalView, ExploreView, NetworkView, SearchView, TrainingView } from './views.ts';

export type InputKind = 'evaluation' | 'network' | 'search' | 'explore' | 'training';

export type ReportInput =
  | { readonly kind: 'evaluation'; readonly name: string; readonly evaluation: EvalView }
  | { readonly kind: 'network'; readonly name: string; readonly network: NetworkView }
  | { readonly kind: 'search'; readonly name: string; readonly search: SearchView }
  | { readonly kind: 'explore'; readonly name: string; readonly explore: ExploreView }
  | { readonly kind: 'training'; readonly name: string; readonly training: TrainingView };

const isPoint = (x: Json): boolean => isObj(x) && (isObj(x.totals) || x.energy_pJ !== undefined);
const isSweepPoint = (x: Json): boolean => isObj(x) && (Array.isArray(x.uniform) || (isObj(x.best) && Array.isArray(x.pareto)));

export function detectKind(doc: Json): InputKind | undefined {
  if (Array.isArray(doc)) return doc.length > 0 && doc.every(isPoint) ? 'search' : undefined;
  if (!isObj(doc)) return undefined;
  const schema = str(doc, 'schema')?.toLowerCase() ?? '';
  if (/explore/.test(schema)) return 'explore';
  if (/search|pareto|mapper/.test(schema)) return 'search';
  if (/network/.test(schema)) return 'network';
  if (/train/.test(schema)) return 'training';
  if (/evaluation/.test(schema)) return Array.isArray(doc.layers) ? 'network' : 'evaluation';
  if (doc.phases !== undefined || doc.schemes !== undefined) return 'training';
  if (Array.isArray(doc.points) && doc.points.some(isSweepPoint)) return 'explore';
  if (Array.isArray(doc.layers)) return 'network';
  if (POINT_KEYS.some((k) => Array.isArray(doc[k]))) return 'search';
  if (isObj(doc.totals) && (doc.levels !== undefined || doc.compute !== undefined)) return 'evaluation';
  return undefined;
}

function parseError(text: string, file: string, e: unknown): Diagnostic {
  const msg = e instanceof Error ? e.message : String(e);
  const at = /position (\d+)/.exec(msg);
  const lc = /line (\d+) column (\d+)/.exec(msg);
  const pos = lc ? { line: Number(lc[1]), col: Number(lc[2]) } : at ? lineColAt(text, Number(at[1])) : { line: 1, col: 1 };
  return {
    code: 'SL-REPORT-JSON',
    severity: 'error',
    message: `not valid JSON: ${msg.replace(/\s*\(line \d+ column \d+\)/, '').replace(/ in JSON at position \d+/, '')}`,
    pos: { file, ...pos },
    hint: 'give a file written by `spikeloop evaluate --json` or `--out` (evaluation.json), or by search / explore',
  };
}

function read(kind: InputKind, doc: Json, name: string): ReportInput | ReadProblem[] {
  switch (kind) {
    case 'evaluation': {
      const v = readEvaluation(doc, name);
      return isProblems(v) ? v : { kind, name, evaluation: v };
    }
    case 'network': {
      const v = readNetwork(doc, name);
      return isProblems(v) ? v : { kind, name, network: v };
    }
    case 'search': {
      const v = readSearch(doc, name);
      return isProblems(v) ? v : { kind, name, search: v };
    }
    case 'explore': {
      const v = readExplore(doc, name);
      return isProblems(v) ? v : { kind, name, explore: v };
    }
    case 'training': {
      const v = readTraining(doc, name);
      return isProblems(v) ? v : { kind, name, training: v };
    }
  }
}

/** At most this many field problems are listed per file (then one line says how many more). */
const MAX_PROBLEMS = 20;

/**
 * Parse and read one result file's text. `file` is the path shown in diagnostics, `name` the short label in
 * the report. Pure: the CLI reads the file.
 */
export function readInput(text: string, file: string, name: string): Result<ReportInput> {
  let doc: Json;
  try {
    doc = JSON.parse(text) as Json;
  } catch (e) {
    return fail([parseError(text, file, e)]);
  }
  const kind = detectKind(doc);
  if (!kind) {
    return fail([
      {
        code: 'SL-REPORT-KIND',
        severity: 'error',
        message: 'cannot tell what kind of result this is (evaluation, network, search, explore or training)',
        pos: { file, line: 1, col: 1 },
        hint: 'expected `schema`, or the keys `totals` + `levels` (evaluation), `layers` (network), `pareto` (search), `points[] {uniform, best, pareto}` (explore) or `phases`/`schemes` (training)',
      },
    ]);
  }
  const r = read(kind, doc, name);
  if (Array.isArray(r)) {
    const ds: Diagnostic[] = r.slice(0, MAX_PROBLEMS).map((p) => ({ code: 'SL-REPORT-FIELD', severity: 'error', message: `${kind} result: ${p.message}`, pos: { file, ...locatePath(text, p.path) }, path: p.path, hint: p.hint }));
    if (r.length > MAX_PROBLEMS) {
      const last = r[MAX_PROBLEMS];
      ds.push({ code: 'SL-REPORT-FIELD', severity: 'error', message: `${kind} result: ${r.length - MAX_PROBLEMS} more problems (next: \`${pathText(last.path)}\`)`, pos: { file, ...locatePath(text, last.path) }, path: last.path });
    }
    return fail(ds);
  }
  return ok(r);
}
