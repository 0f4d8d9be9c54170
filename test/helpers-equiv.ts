// Compare fast vs slow engine on random nests.
import { runNestAnalysis } from '../src/analysis/nest-analysis.ts';
import { NestKernel } from '../src/analysis/kernel-nest.ts';
import { collapse } from '../src/analysis/collapse.ts';
import type { NestProblem, NestLoop } from '../src/analysis/nest-types.ts';
let seed = 1;
const rnd = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
const pick = <T,>(a: T[]) => a[Math.floor(rnd() * a.length)];
let bad = 0;
export function compareEngines(trials: number, s: number): number {
  seed = s; bad = 0;
for (let trial = 0; trial < trials; trial++) {
  const dims = ['N','K','C','P','Q','R','S'];
  const tensors = [
    { projection: [[{dim:1,coeff:1}],[{dim:2,coeff:1}],[{dim:5,coeff:1}],[{dim:6,coeff:1}]], readWrite: false },
    { projection: [[{dim:0,coeff:1}],[{dim:2,coeff:1}],[{dim:3,coeff:pick([1,2])},{dim:5,coeff:1}],[{dim:4,coeff:1},{dim:6,coeff:1}]], readWrite: false },
    { projection: [[{dim:0,coeff:1}],[{dim:1,coeff:1}],[{dim:3,coeff:1}],[{dim:4,coeff:1}]], readWrite: true },
  ];
  const L = pick([2,3]);
  const loops: NestLoop[] = [];
  const fanoutX: number[] = [], fanoutY: number[] = [];
  for (let level = 0; level < L; level++) {
    const sp: NestLoop[] = [];
    if (level > 0 || rnd() < 0.3) {
      if (rnd() < 0.6) sp.push({ dim: Math.floor(rnd()*7), end: pick([2,3,4]), kind: 'X', level });
      if (rnd() < 0.4) sp.push({ dim: Math.floor(rnd()*7), end: pick([2,3]), kind: 'Y', level });
    }
    fanoutX.push(sp.filter(s=>s.kind==='X').reduce((a,s)=>a*s.end,1));
    fanoutY.push(sp.filter(s=>s.kind==='Y').reduce((a,s)=>a*s.end,1));
    for (const s of sp.filter(s=>s.kind==='X')) loops.push(s);
    for (const s of sp.filter(s=>s.kind==='Y')) loops.push(s);
    const used = new Set<number>();
    const nt = 1 + Math.floor(rnd()*4);
    const ts: NestLoop[] = [];
    for (let k = 0; k < nt; k++) { const d = Math.floor(rnd()*7); if (used.has(d)) continue; used.add(d); ts.push({ dim: d, end: pick([2,3,4]), kind: 'T', level }); }
    if (ts.length === 0) ts.push({ dim: 0, end: 1, kind: 'T', level });
    loops.push(...ts);
  }
  const keep = Array.from({length: L}, (_, l) => tensors.map(() => l === 0 || l === L-1 || rnd() < 0.7));
  const p: NestProblem = { dimCount: 7, tensors, levelCount: L, loops, fanoutX, fanoutY, keep };
  const a = collapse(p, runNestAnalysis(p));
  const b = kernelCounts(p);
  const sa = JSON.stringify(a), sb = JSON.stringify(b);
  if (sa !== sb) { bad++; if (false) {
    a.perLevel.forEach((lv, l) => lv.forEach((c, t) => { const d = b.perLevel[l][t]; if (JSON.stringify(c) !== JSON.stringify(d)) console.log(l, t, JSON.stringify(c), JSON.stringify(d)); }));
    if (a.computeCycles !== b.computeCycles) console.log('cc', a.computeCycles, b.computeCycles); } }
}
return bad; }

/** The kernel's counts of a nest, in the shape collapse() returns. */
export function kernelCounts(p: NestProblem): ReturnType<typeof collapse> {
  const k = new NestKernel(p.levelCount, p.dimCount, p.tensors, p.fanoutX, p.fanoutY, []);
  k.runProblem(p);
  const o = k.out;
  const nT = p.tensors.length;
  const perLevel = Array.from({ length: p.levelCount }, (_, l) =>
    p.tensors.map((_, t) => {
      const i = l * nT + t;
      return {
        kept: o.kept[i] === 1, reads: o.reads[i], fills: o.fills[i], updates: o.updates[i], size: o.size[i],
        partitionSize: o.partition[i], instances: o.instances[i], temporalReductions: o.temporalReductions[i],
        multicast: o.multicast[i], spatialReductions: o.spatialReductions[i], linkTransfers: o.linkTransfers[i],
      };
    }),
  );
  return { perLevel, computeCycles: k.computeCycles, computeInstances: k.computeInstances };
}
