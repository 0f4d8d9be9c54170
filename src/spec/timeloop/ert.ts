/**
 * Accelergy energy reference tables (ERT v0.2 map form, v0.3/v0.4 list form) -> per-action energies of the
 * storage levels and the compute unit, following Timeloop v3's `ParseAccelergyERT`:
 * - a table matches the component named by the last dotted part of its name, `[a..b]` ranges stripped;
 * - an action with several argument variants costs its largest energy;
 * - storage: read <- random_read | read; fill <- random_fill | write; update <- random_update | random_fill | write;
 * - compute: mac <- mac_random | mult_random | mac | mult | compute (then, beyond Timeloop, any other mac_* action).
 * `vector-access-energy` in the architecture overrides the table for read, fill and update.
 */
import type { LevelEnergy } from '../../arch/types.ts';
import type { PNode } from '../yaml-source.ts';
import type { ArchDraft } from './arch.ts';
import { msg } from './messages.ts';
import { ertComponentName } from './names.ts';
import { asMap, asSeq, Diags, field, num, required, str, type Located } from './tree.ts';

export interface ErtTable {
  readonly name: string;
  /** The component name the table applies to. */
  readonly component: string;
  readonly node: PNode;
  /** Action -> energy in pJ (largest over argument variants). */
  readonly actions: ReadonlyMap<string, number>;
}

function energyOf(d: Diags, n: PNode | undefined, what: string): number | undefined {
  if (!n) return undefined;
  if (n.kind === 'map') {
    const e = field(n, 'energy');
    if (e) return num(d, e, `${what} energy`, 'non-negative number');
    const args = field(n, 'arguments');
    return args?.kind === 'seq' ? energyOf(d, args, what) : undefined;
  }
  if (n.kind === 'seq') {
    let best: number | undefined;
    for (const it of n.items) {
      const e = energyOf(d, it, what);
      if (e !== undefined) best = Math.max(best ?? e, e);
    }
    return best;
  }
  return num(d, n, `${what} energy`, 'non-negative number');
}

function addAction(actions: Map<string, number>, name: string, e: number | undefined): void {
  if (e === undefined) return;
  actions.set(name, Math.max(actions.get(name) ?? e, e));
}

/** `root` is the value of the top-level `ERT` key. */
export function readErt(d: Diags, root: PNode): ErtTable[] {
  const ert = asMap(d, root, "'ERT'");
  if (!ert) return [];
  const tables = required(d, ert, 'tables', "'ERT'");
  const out: ErtTable[] = [];
  if (tables?.kind === 'map') {
    // v0.2: tables: { <name>: { <action>: [ {arguments, energy} ] | {energy} } }
    for (const t of tables.entries) {
      const acts = asMap(d, t.value, `the ERT table '${t.key}'`);
      const actions = new Map<string, number>();
      for (const a of acts?.entries ?? []) addAction(actions, a.key, energyOf(d, a.value, `${t.key} ${a.key}`));
      out.push({ name: t.key, component: ertComponentName(t.key), node: t.value, actions });
    }
    return out;
  }
  for (const item of asSeq(d, tables, "the ERT 'tables'")?.items ?? []) {
    const t = asMap(d, item, 'an ERT table');
    if (!t) continue;
    const name = str(d, required(d, t, 'name', 'an ERT table'), 'the name of an ERT table');
    const list = asSeq(d, required(d, t, 'actions', `the ERT table '${name ?? '?'}'`), `the actions of '${name ?? '?'}'`);
    if (name === undefined) continue;
    const actions = new Map<string, number>();
    for (const a of list?.items ?? []) {
      const am = asMap(d, a, `an action of '${name}'`);
      const an = am && str(d, required(d, am, 'name', `an action of '${name}'`), 'an action name');
      if (am && an !== undefined) addAction(actions, an, energyOf(d, am, `${name} ${an}`));
    }
    out.push({ name, component: ertComponentName(name), node: t, actions });
  }
  return out;
}

export interface Energies {
  /** Parallel to the draft's levels (outermost first). */
  readonly levels: readonly LevelEnergy[];
  readonly compute: Readonly<Record<string, number>>;
  readonly source: string;
}

const pick = (t: ErtTable, names: readonly string[]): { action: string; energy: number } | undefined => {
  for (const n of names) {
    const e = t.actions.get(n);
    if (e !== undefined) return { action: n, energy: e };
  }
  return undefined;
};

const READ = ['random_read', 'read'];
const FILL = ['random_fill', 'write'];
const UPDATE = ['random_update', 'random_fill', 'write'];
const MAC = ['mac_random', 'mult_random', 'mac', 'mult', 'compute'];

export function assignEnergies(d: Diags, draft: ArchDraft, tables: readonly ErtTable[] | undefined, archAt: Located, ertFile?: string): Energies {
  const byComponent = new Map<string, ErtTable>();
  for (const t of tables ?? []) byComponent.set(t.component, t);
  if (!tables) d.add(archAt, msg.noErt());
  const levels = draft.levels.map((l): LevelEnergy => {
    const t = byComponent.get(l.name);
    if (l.vectorAccessEnergy) {
      if (t) d.add(l.vectorAccessEnergy.node, msg.vectorEnergy(l.name, l.vectorAccessEnergy.value));
      const e = l.vectorAccessEnergy.value;
      return { read: e, fill: e, update: e };
    }
    if (!tables) return { read: 0, fill: 0, update: 0 };
    if (!t) {
      d.add(l.node, msg.ertMissing(l.name, 'no ERT table matches this level: its access energies are 0 pJ'));
      return { read: 0, fill: 0, update: 0 };
    }
    const get = (names: readonly string[], what: string): number => {
      const p = pick(t, names);
      if (p) return p.energy;
      d.add(t.node, msg.ertMissing(l.name, `the ERT table '${t.name}' has no ${names.map((n) => `'${n}'`).join(' or ')} action: ${what} energy 0 pJ`));
      return 0;
    };
    return { read: get(READ, 'read'), fill: get(FILL, 'fill'), update: get(UPDATE, 'update') };
  });
  let mac = 0;
  const ct = byComponent.get(draft.compute.name);
  if (tables && !ct) d.add(draft.compute.node, msg.ertMissing(draft.compute.name, 'no ERT table matches the compute unit: MAC energy 0 pJ'));
  if (ct) {
    const p = pick(ct, MAC);
    const other = [...ct.actions.keys()].find((a) => a.startsWith('mac'));
    if (p) mac = p.energy;
    else if (other !== undefined) {
      mac = ct.actions.get(other) ?? 0;
      d.add(ct.node, msg.ertMissing(draft.compute.name, `no 'mac_random' action: using '${other}' (${mac} pJ) per compute; Timeloop would not`));
    } else d.add(ct.node, msg.ertMissing(draft.compute.name, `the ERT table '${ct.name}' has no 'mac_random' action: MAC energy 0 pJ`));
  }
  const known = new Set([...draft.levels.map((l) => l.name), draft.compute.name]);
  const unused = (tables ?? []).filter((t) => !known.has(t.component) && t.component !== 'wire' && t.component !== 'Wire');
  if (unused.length > 0) d.add(unused[0].node, msg.ertUnused(unused.map((t) => t.name)));
  for (const t of tables ?? []) {
    if ((t.component === 'wire' || t.component === 'Wire') && [...t.actions.values()].some((e) => e > 0)) {
      d.add(t.node, msg.ignored(`the wire energy in '${t.name}'`, 'spikeloop models no network energy (0 in the reference cases)'));
    }
  }
  const overridden = draft.levels.filter((l) => l.vectorAccessEnergy).map((l) => l.name);
  const base = tables ? `ERT ${ertFile ?? ''}`.trim() : 'none (no ERT given: energies are 0 pJ)';
  const source = overridden.length > 0 ? `${base}; vector-access-energy from the architecture for ${overridden.join(', ')}` : base;
  return { levels, compute: { mac }, source };
}
