/** Native workload spec (YAML) -> Workload: SNN conv/FC layers and generic (Timeloop-like) problems. */
import { fail, ok, type Result } from '../core/result.ts';
import { SNN_DIMS, snnConvWorkload } from '../workload/conv.ts';
import type { ProjectionTerm, Tensor, TensorRole, Workload } from '../workload/types.ts';
import { Reader } from './reader.ts';
import { parseYaml, type PMap, type PNode } from './yaml-source.ts';


function pair(r: Reader, node: PNode | undefined, what: string): [number, number] {
  if (!node) return [1, 1];
  if (node.kind === 'seq' && node.items.length === 2) {
    return [r.number(node.items[0], what, { positive: true, integer: true }) ?? 1, r.number(node.items[1], what, { positive: true, integer: true }) ?? 1];
  }
  const v = r.number(node, what, { positive: true, integer: true }) ?? 1;
  return [v, v];
}

function snnLayer(r: Reader, w: PMap, name: string, type: string): Workload | undefined {
  r.keys(w, ['name', 'type', 'dims', 'stride', 'dilation', 'precision', 'density', 'accumulation', 'stateless', 'keep_final_state', 'zero_skipping', 'spiking_input', 'description'], 'an SNN layer');
  const dm = r.map(r.required(w, 'dims', 'the workload'), 'dims');
  const sizes = SNN_DIMS.map(() => 1);
  if (dm) {
    r.keys(dm, SNN_DIMS, 'dims');
    for (const e of dm.entries) {
      const i = SNN_DIMS.indexOf(e.key);
      if (i >= 0) sizes[i] = r.number(e.value, `dimension ${e.key}`, { positive: true, integer: true }) ?? 1;
    }
    if (type === 'snn-fc') for (const d of ['P', 'Q', 'R', 'S']) if (r.get(dm, d) && sizes[SNN_DIMS.indexOf(d)] !== 1) r.error(r.get(dm, d), 'SL-SPEC-FC', `an FC layer has ${d} = 1`);
  }
  const [sh, sw] = pair(r, r.get(w, 'stride'), 'stride');
  const [dh, dw] = pair(r, r.get(w, 'dilation'), 'dilation');
  const prec: Record<string, number> = { Weights: 8, Inputs: 1, Psum: 16, State: 16, Outputs: 1 };
  const pm = r.get(w, 'precision') ? r.map(r.get(w, 'precision'), 'precision') : undefined;
  if (pm) {
    r.keys(pm, Object.keys(prec), 'precision');
    for (const e of pm.entries) if (e.key in prec) prec[e.key] = r.number(e.value, `precision of ${e.key} (bits)`, { positive: true, integer: true }) ?? prec[e.key];
  }
  const dens: Record<string, number> = { Inputs: 1 };
  const dnode = r.get(w, 'density') ? r.map(r.get(w, 'density'), 'density') : undefined;
  if (dnode) {
    r.keys(dnode, ['Inputs'], 'density');
    const v = r.number(r.get(dnode, 'Inputs'), 'density of Inputs (spike rate)', { positive: true });
    if (v !== undefined && v > 1) r.error(r.get(dnode, 'Inputs'), 'SL-SPEC-RANGE', `a density is a fraction in (0, 1], found ${v}`);
    else if (v !== undefined) dens.Inputs = v;
  }
  const accNode = r.get(w, 'accumulation');
  const acc = accNode ? r.string(accNode, 'accumulation') : 'psum';
  if (acc !== 'psum' && acc !== 'membrane') r.error(accNode, 'SL-SPEC-ENUM', `unknown accumulation '${acc}'`, 'use psum or membrane');
  const stateless = r.bool(r.get(w, 'stateless'), 'stateless', false);
  const spiking = r.bool(r.get(w, 'spiking_input'), 'spiking_input', true);
  if (!spiking && !pm?.entries.some((e) => e.key === 'Inputs')) prec.Inputs = 8;
  const at = (n: string): number => sizes[SNN_DIMS.indexOf(n)];
  return snnConvWorkload({
    name, shape: type,
    sizes: { N: at('N'), T: at('T'), K: at('K'), C: at('C'), P: at('P'), Q: at('Q'), R: at('R'), S: at('S') },
    stride: [sh, sw], dilation: [dh, dw],
    precision: { Weights: prec.Weights, Inputs: prec.Inputs, Psum: prec.Psum, State: prec.State, Outputs: prec.Outputs },
    inputDensity: dens.Inputs,
    accumulation: acc === 'membrane' ? 'membrane' : 'psum', stateless,
    keepFinalState: r.bool(r.get(w, 'keep_final_state'), 'keep_final_state', false),
    spikingInput: spiking,
    zeroSkipping: r.bool(r.get(w, 'zero_skipping'), 'zero_skipping', true),
  });
}

function generic(r: Reader, w: PMap, name: string): Workload | undefined {
  r.keys(w, ['name', 'type', 'dims', 'coefficients', 'tensors', 'description'], 'a generic workload');
  const dm = r.map(r.required(w, 'dims', 'the workload'), 'dims');
  if (!dm) return undefined;
  const dims = dm.entries.map((e) => e.key);
  const sizes = dm.entries.map((e) => r.number(e.value, `dimension ${e.key}`, { positive: true, integer: true }) ?? 1);
  const coef: Record<string, number> = {};
  const cm = r.get(w, 'coefficients') ? r.map(r.get(w, 'coefficients'), 'coefficients') : undefined;
  if (cm) for (const e of cm.entries) coef[e.key] = r.number(e.value, `coefficient ${e.key}`, { integer: true, min: 0 }) ?? 1;
  const tn = r.required(w, 'tensors', 'a generic workload');
  const tensors: Tensor[] = [];
  if (tn && tn.kind !== 'seq') r.error(tn, 'SL-SPEC-TYPE', 'tensors must be a list');
  else if (tn) for (const item of tn.items) {
    const tm = r.map(item, 'a tensor');
    if (!tm) continue;
    r.keys(tm, ['name', 'projection', 'read_write', 'bits', 'density', 'role'], 'a tensor');
    const nameNode = r.required(tm, 'name', 'a tensor');
    const tname = r.string(nameNode, 'tensor name') ?? '?';
    if (tensors.some((t) => t.name === tname)) r.error(nameNode, 'SL-SPEC-DUPLICATE', `two tensors are named '${tname}'`, 'give every tensor its own name: mappings and results refer to tensors by name');
    const pn = r.required(tm, 'projection', `tensor ${tname}`);
    const projection: ProjectionTerm[][] = [];
    if (pn && pn.kind === 'seq') for (const rank of pn.items) {
      // A rank is a list of terms; a term is [Dim] or [Dim, coefficient]; a bare name is a one-term rank.
      const terms = rank.kind === 'seq' ? (rank.items.every((x) => x.kind === 'seq') ? rank.items : [rank]) : [rank];
      const out: ProjectionTerm[] = [];
      for (const term of terms) {
        const parts = term.kind === 'seq' ? term.items : [term];
        const di = r.oneOf(parts[0], dims, 'dimension', 'SL-SPEC-UNKNOWN-DIM');
        let c = 1;
        if (parts[1]) {
          const v = parts[1];
          if (v.kind === 'scalar' && typeof v.value === 'string' && v.value in coef) c = coef[v.value];
          else c = r.number(v, 'projection coefficient', { integer: true, min: 0 }) ?? 1;
        }
        if (di >= 0) out.push({ dim: di, coeff: c });
      }
      projection.push(out);
    } else if (pn) r.error(pn, 'SL-SPEC-TYPE', `projection of ${tname} must be a list of ranks, e.g. [[K], [C]]`);
    const rw = r.bool(r.get(tm, 'read_write'), 'read_write', false);
    const roleNode = r.get(tm, 'role');
    // Generic problems have Timeloop's operand roles; psum, state and spike roles come with SNN layers (snn-conv/fc).
    const ROLES = ['input', 'weight', 'output'] as const;
    const role: TensorRole = roleNode ? (ROLES[r.oneOf(roleNode, ROLES, 'tensor role (generic problems)', 'SL-SPEC-ENUM')] ?? 'input') : rw ? 'output' : 'input';
    const bits = r.number(r.get(tm, 'bits'), `bits of ${tname}`, { positive: true, integer: true }) ?? 16;
    const dn = r.get(tm, 'density');
    const density = r.number(dn, `density of ${tname}`, { positive: true }) ?? 1;
    if (density > 1) r.error(dn, 'SL-SPEC-RANGE', `a density is a fraction in (0, 1], found ${density}`);
    tensors.push({ name: tname, role, projection, readWrite: rw, bits, density });
  }
  return { name, shape: 'generic', dims, sizes, tensors };
}

export function parseWorkload(text: string, file: string): Result<Workload> {
  const tree = parseYaml(text, file);
  if (!tree.ok) return tree;
  const r = new Reader();
  const root = r.map(tree.value, 'the workload file');
  const w = root && r.map(r.required(root, 'workload', 'the workload file'), 'workload');
  if (!root || !w) return fail(r.diags);
  const name = r.string(r.required(w, 'name', 'workload'), 'workload name') ?? 'layer';
  const typeNode = r.required(w, 'type', 'workload');
  const type = r.string(typeNode, 'workload type');
  let out: Workload | undefined;
  if (type === 'snn-conv' || type === 'snn-fc') out = snnLayer(r, w, name, type);
  else if (type === 'generic') out = generic(r, w, name);
  else if (type !== undefined) r.error(typeNode, 'SL-SPEC-ENUM', `unknown workload type '${type}'`, 'use snn-conv, snn-fc or generic');
  if (r.failed || !out) return fail(r.diags);
  return ok(out, r.diags);
}
