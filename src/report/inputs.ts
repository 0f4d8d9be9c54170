/**
 * What `spikeloop report` and `spikeloop compare` accept: any JSON document the other commands write, read
 * tolerantly into views with only the fields the report draws. The kind is detected from `schema` (a string
 * containing `evaluation`, `network`, `search`/`explore`/`pareto` or `training`), else from the shape:
 *
 * - evaluation (`spikeloop evaluate --json`, schema `spikeloop.evaluation/1`): `totals {energy_pJ, cycles,
 *   offchip_bytes, computes}` (required: energy_pJ and cycles), `levels[] {name, energy_pJ, energy_by_action,
 *   cycles, bandwidth_throttling, capacity_used_bits, capacity_bits, bandwidth_bits_per_cycle?, tensors {<t>:
 *   {reads, fills, updates, energy_pJ, bytes}}}`, `compute {<action>: {count, energy_pJ}}`,
 *   `offchip_bytes_by_tensor`, `energy_by_tensor`, `energy_source`, `timing {model, cycles, compute_cycles,
 *   bottleneck}`. Optional timing detail (pipeline model): `timing.levels[] {name, busy_cycles, stall_cycles,
 *   idle_cycles}` (or `timing.per_level {<level>: {...}}`, also `busy`/`stall`/`idle`), and a timeline
 *   `timing.timeline` as `{levels|lanes: [{name|level, segments|spans|tiles: [{start, end, state|kind?}]}],
 *   capped?}` or as a flat array `[{level, start, end, state?}]` (a span without a state is `busy`).
 * - network (issue 5): an evaluation whose document also has `layers[]` (each an evaluation-like object with
 *   `name` and optional `state_bytes`, `weight_bytes`, `peak_onchip_bytes`), optional `totals.state_bytes`,
 *   `totals.weight_bytes`, `totals.offchip_bytes_by_kind {weights, spikes, activations, psums, state}` and an
 *   on-chip occupancy series `occupancy[]` (or `schedule.occupancy[]`): `{step|label, bytes | by_kind {...}}`
 *   with optional `capacity_bytes` beside it.
 * - search (issue 4): a Pareto set under `pareto`, `pareto_front`, `front`, `points` or `candidates`: points
 *   `{energy_pJ, cycles, offchip_bytes?, label?, chosen?}` (numbers directly or under `totals`); the chosen point
 *   as `chosen`/`best`/`selected` (an object with the same fields, possibly a full evaluation under
 *   `evaluation`) or `chosen_index`; optional `objective` and numeric/string stats under `stats`/`summary`.
 * - training (issue 6): `phases` (array of `{name, energy_pJ, cycles?, offchip_bytes?, levels[]?}` or a record of
 *   name -> the same) and/or `schemes` (array or record of `{name, activation_bytes|memory_bytes,
 *   dram_bytes|offchip_bytes?, recompute_ops?}`).
 *
 * Missing optional parts simply leave their chart out; nothing is invented.
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
