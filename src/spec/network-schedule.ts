/**
 * Network schedule spec (YAML, top-level key `schedule:`), checked against its network:
 *   schedule:
 *     stems_compat: false                       # STEMS conventions (see README)
 *     default: { time_batch: T, tile_rows: 1 }  # every block unless overridden; tile_rows: whole | k
 *     blocks:
 *       b0: { time_batch: 1, tile_rows: whole, state: { conv1: spill, conv2: stateless } }
 *       b1: { tile_rows: 1, tile_axis: cols }   # fused over 1-column tiles (STEMS's F)
 * time_batch is a divisor of T (or `T`); tile_axis: rows (default) | cols; state placements: auto, onchip, spill,
 * stateless.
 */
import { fail, ok, type Result } from '../core/result.ts';
import { STATE_PLACEMENTS, TILE_AXES, type BlockSchedule, type NetworkSchedule, type StatePlacement } from '../workload/network-schedule.ts';
import type { Network } from '../workload/network.ts';
import { Reader } from './reader.ts';
import { parseYaml, type PMap, type PNode } from './yaml-source.ts';

export interface ParsedSchedule {
  readonly schedule: NetworkSchedule;
  readonly stemsCompat: boolean;
}

function blockChoice(r: Reader, m: PMap, net: Network, base: BlockSchedule, blockIdx: number | null): BlockSchedule {
  r.keys(m, blockIdx === null ? ['time_batch', 'tile_rows', 'tile_axis'] : ['time_batch', 'tile_rows', 'tile_axis', 'state'], 'a block schedule');
  let timeBatch = base.timeBatch;
  const tb = r.get(m, 'time_batch');
  if (tb) {
    if (tb.kind === 'scalar' && tb.value === 'T') timeBatch = net.timesteps;
    else {
      const v = r.number(tb, 'time_batch', { positive: true, integer: true });
      if (v !== undefined && net.timesteps % v !== 0) r.error(tb, 'SL-SCHED-BLOCK', `time_batch ${v} does not divide T = ${net.timesteps}`, `use a divisor of ${net.timesteps} (1 = step by step, T = time-batched)`);
      else if (v !== undefined) timeBatch = v;
    }
  }
  let tileRows = base.tileRows;
  const tr = r.get(m, 'tile_rows');
  if (tr) {
    if (tr.kind === 'scalar' && tr.value === 'whole') tileRows = null;
    else tileRows = r.number(tr, 'tile_rows', { positive: true, integer: true }) ?? tileRows;
  }
  let tileAxis = base.tileAxis;
  const ta = r.get(m, 'tile_axis');
  if (ta) {
    const ai = r.oneOf(ta, TILE_AXES, 'tile axis', 'SL-SPEC-ENUM');
    if (ai >= 0) tileAxis = TILE_AXES[ai];
  }
  const state: Record<number, StatePlacement> = {};
  const sn = r.get(m, 'state');
  const sm = sn ? r.map(sn, 'state') : undefined;
  if (sm && blockIdx !== null) {
    const inBlock = net.blocks[blockIdx].layers.map((i) => net.layers[i].name);
    for (const e of sm.entries) {
      const li = inBlock.indexOf(e.key);
      if (li < 0) {
        r.error(e.value, 'SL-SCHED-BLOCK', `layer '${e.key}' is not in block ${net.blocks[blockIdx].name}`, `layers of this block: ${inBlock.join(', ')}`);
        continue;
      }
      const pi = r.oneOf(e.value, STATE_PLACEMENTS, 'state placement', 'SL-SPEC-ENUM');
      const layer = net.layers[net.blocks[blockIdx].layers[li]];
      if (pi >= 0 && !layer.stateful && STATE_PLACEMENTS[pi] !== 'stateless') r.error(e.value, 'SL-SCHED-BLOCK', `layer '${layer.name}' has no state to place`, 'remove this entry');
      else if (pi >= 0) state[layer.index] = STATE_PLACEMENTS[pi];
    }
  }
  return { timeBatch, tileRows, ...(tileAxis ? { tileAxis } : {}), ...(Object.keys(state).length > 0 ? { state } : {}) };
}

export function parseNetworkSchedule(text: string, file: string, net: Network): Result<ParsedSchedule> {
  const tree = parseYaml(text, file);
  if (!tree.ok) return tree;
  const r = new Reader();
  const root = r.map(tree.value, 'the schedule file');
  const s = root && r.map(r.required(root, 'schedule', 'the schedule file'), 'schedule');
  if (!root || !s) return fail(r.diags);
  r.keys(s, ['default', 'blocks', 'stems_compat', 'description'], 'schedule');
  const stemsCompat = r.bool(r.get(s, 'stems_compat'), 'stems_compat', false);
  let base: BlockSchedule = { timeBatch: net.timesteps, tileRows: 1 };
  const dn = r.get(s, 'default');
  const dm = dn ? r.map(dn, 'default') : undefined;
  if (dm) base = blockChoice(r, dm, net, base, null);
  const blocks: BlockSchedule[] = net.blocks.map(() => base);
  const bn = r.get(s, 'blocks');
  const bm: PNode | undefined = bn;
  const bmap = bm ? r.map(bm, 'blocks') : undefined;
  if (bmap) {
    const names = net.blocks.map((b) => b.name);
    for (const e of bmap.entries) {
      const bi = names.indexOf(e.key);
      if (bi < 0) {
        r.error(e.value, 'SL-SCHED-BLOCK', `the network has no block '${e.key}'`, `blocks: ${names.join(', ')}`);
        continue;
      }
      const m = r.map(e.value, `block ${e.key}`);
      if (m) blocks[bi] = blockChoice(r, m, net, base, bi);
    }
  }
  if (r.diags.length > 0) return fail(r.diags);
  return ok({ schedule: { blocks }, stemsCompat });
}
