import { caseDir } from './spec/timeloop/reference.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Arch, StorageLevel } from '../src/arch/types.ts';
import type { Workload, Tensor } from '../src/workload/types.ts';
import type { Mapping } from '../src/mapping/types.ts';
import { evaluate } from '../src/model/evaluate.ts';

const lvl = (name: string, inst: number, meshX: number, depth: number | null, r: number, w: number): StorageLevel => ({
  name, instances: inst, meshX, meshY: inst / meshX, capacityBits: depth === null ? null : depth * 16, widthBits: 16, wordBits: 16,
  readBandwidth: null, writeBandwidth: null, sharedBandwidth: null, energy: { read: r, fill: w, update: w },
  doubleBuffered: false, leakageMw: 0, latencyCycles: 0, offChip: depth === null,
});
const arch = (levels: StorageLevel[], inst: number, meshX: number, mac: number): Arch => ({
  name: 'x', levels, compute: { name: 'MAC', instances: inst, meshX, meshY: inst / meshX, energy: { mac }, idleMw: 0 }, clockMhz: 1000, energySource: 'ERT',
});
const T = (name: string, proj: [string, number][][], dims: string[], rw = false): Tensor => ({
  name, role: rw ? 'output' : 'input', readWrite: rw, bits: 16, density: 1,
  projection: proj.map((rank) => rank.map(([d, c]) => ({ dim: dims.indexOf(d), coeff: c }))),
});
const loops = (dims: string[], s: string) => s.split(' ').filter(Boolean).map((x) => ({ dim: dims.indexOf(x[0]), factor: Number(x.slice(1)) }));

export const mismatches: Record<string, string[]> = {};
function check(name: string, a: Arch, w: Workload, m: Mapping) {
  const out: string[] = (mismatches[name] = []);
  const log = (...x: unknown[]) => out.push(x.join(' '));
  const exp = JSON.parse(readFileSync(join(caseDir(name), 'expected.json'), 'utf8'));
  const r = evaluate(a, w, m);
  if (r.status !== 'ok') { log(name, r.reason); return; }
  const ev = r.evaluation;
  let bad = 0;
  for (const el of exp.levels) {
    const got = ev.levels.find((l) => l.name === el.name)!;
    for (const [ds, v] of Object.entries<any>(el.dataspaces)) {
      const g = got.tensors[ds];
      for (const f of ['reads', 'fills', 'updates', 'utilized_capacity', 'partition_size', 'utilized_instances', 'temporal_reductions', 'multicast', 'spatial_reductions']) {
        if (g?.[f as keyof typeof g] !== v[f]) { bad++; log(`${name} ${el.name}.${ds}.${f}: got ${g?.[f as keyof typeof g]} want ${v[f]}`); }
      }
    }
    if (Math.abs(got.energy_pJ - el.energy_pJ) > 1e-6) { bad++; log(`${name} ${el.name} energy got ${got.energy_pJ} want ${el.energy_pJ}`); }
  }
  if (ev.totals.cycles !== exp.cycles) { bad++; log(name, 'cycles', ev.totals.cycles, exp.cycles); }
  if (Math.abs(ev.totals.energy_pJ - exp.energy_pJ) > 1e-6) { bad++; log(name, 'energy', ev.totals.energy_pJ, exp.energy_pJ); }
}

{ // case02
  const d = ['N', 'K', 'C'];
  const w: Workload = { name: 'fc', shape: 'fc', dims: d, sizes: [4, 8, 16], tensors: [T('Weights', [[['K', 1]], [['C', 1]]], d), T('Inputs', [[['N', 1]], [['C', 1]]], d), T('Outputs', [[['N', 1]], [['K', 1]]], d, true)] };
  const a = arch([lvl('DRAM', 1, 1, null, 64, 80), lvl('Buffer', 1, 1, 64, 2, 3)], 1, 1, 2);
  const k = [true, true, true];
  check('case02', a, w, { levels: [{ temporal: loops(d, 'K2 N2 C2'), spatial: [], keep: k }, { temporal: loops(d, 'N2 K4 C8'), spatial: [], keep: k }] });
}
{ // case04
  const d = ['N', 'K', 'C', 'P', 'Q', 'R', 'S'];
  const w: Workload = { name: 'conv', shape: 'conv', dims: d, sizes: [1, 4, 2, 6, 6, 3, 3], tensors: [
    T('Weights', [[['K', 1]], [['C', 1]], [['R', 1]], [['S', 1]]], d), T('Inputs', [[['N', 1]], [['C', 1]], [['R', 1], ['P', 1]], [['S', 1], ['Q', 1]]], d),
    T('Outputs', [[['N', 1]], [['K', 1]], [['P', 1]], [['Q', 1]]], d, true)] };
  const a = arch([lvl('DRAM', 1, 1, null, 64, 80), lvl('GlobalBuffer', 1, 1, 512, 4, 5), lvl('RegisterFile', 1, 1, 64, 0.5, 0.75)], 1, 1, 2);
  const k = [true, true, true];
  check('case04', a, w, { levels: [{ temporal: loops(d, 'P2'), spatial: [], keep: k }, { temporal: loops(d, 'K4 C2 Q2'), spatial: [], keep: k }, { temporal: loops(d, 'C1 K1 N1 P3 Q3 R3 S3'), spatial: [], keep: k }] });
}
{ // case08
  const d = ['N', 'K', 'C'];
  const w: Workload = { name: 'fc', shape: 'fc', dims: d, sizes: [4, 8, 8], tensors: [T('Weights', [[['K', 1]], [['C', 1]]], d), T('Inputs', [[['N', 1]], [['C', 1]]], d), T('Outputs', [[['N', 1]], [['K', 1]]], d, true)] };
  const a = arch([lvl('DRAM', 1, 1, null, 64, 80), lvl('GlobalBuffer', 1, 1, 256, 4, 5), lvl('RegisterFile', 8, 4, 16, 0.5, 0.75)], 8, 4, 2);
  const k = [true, true, true];
  check('case08', a, w, { levels: [{ temporal: [], spatial: [], keep: k }, { temporal: loops(d, 'K2 C2'), spatial: [{ dim: 2, factor: 2, axis: 'Y' }, { dim: 1, factor: 4, axis: 'X' }], keep: k }, { temporal: loops(d, 'C2 N4'), spatial: [], keep: k }] });
}
{ // case13
  const d = ['N', 'T', 'K', 'C', 'P', 'Q', 'R', 'S'];
  const w: Workload = { name: 'snn', shape: 'snn', dims: d, sizes: [1, 4, 8, 4, 4, 4, 1, 1], tensors: [
    T('Weights', [[['K', 1]], [['C', 1]], [['R', 1]], [['S', 1]]], d), T('Inputs', [[['N', 1]], [['T', 1]], [['C', 1]], [['P', 1], ['R', 1]], [['Q', 1], ['S', 1]]], d),
    T('Outputs', [[['N', 1]], [['T', 1]], [['K', 1]], [['P', 1]], [['Q', 1]]], d, true), T('State', [[['N', 1]], [['K', 1]], [['P', 1]], [['Q', 1]]], d, true)] };
  const a = arch([lvl('DRAM', 1, 1, null, 64, 80), lvl('Buffer', 1, 1, 1024, 2, 3)], 1, 1, 0.5);
  const k = [true, true, true, true];
  check('case13', a, w, { levels: [{ temporal: loops(d, 'T4 K2'), spatial: [], keep: k }, { temporal: loops(d, 'K4 P4 Q4 C4'), spatial: [], keep: k }] });
}
