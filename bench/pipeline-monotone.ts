/**
 * How often the pipeline timing model breaks monotonicity (`npm run bench -- pipeline-monotone`, writes
 * reports/bench/pipeline-monotone.json). On random (layer, arch, mapping) cases of the pipeline property tests
 * (test/model/pipeline/gen.ts), one knob is turned the better way (bandwidth doubled, latency halved, burst rounding
 * off, double buffering on, DRAM latency not raised by 50) and the cycles are compared with the slower setting.
 * Earliest-need-first scheduling of shared ports is work-conserving, so Graham's scheduling anomalies can make the
 * better setting slower; this counts them per knob and reports how much slower. Measured, never asserted (the
 * property test bounds it on a fixed sample).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { evaluate } from '../src/model/evaluate.ts';
import type { Arch } from '../src/arch/types.ts';
import { caseArb, KNOBS, knobPair, type Case, type Knob } from '../test/model/pipeline/gen.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PAIRS = Number(process.env.BENCH_MONOTONE_PAIRS ?? 20000);
const SEED = 7;

const cycles = (a: Arch, c: Case): number | undefined => {
  const r = evaluate(a, c.w, c.m, { timing: 'pipeline' });
  return r.status === 'ok' ? r.evaluation.totals.cycles : undefined;
};

const per: Record<Knob, { pairs: number; worse: number; ratios: number[] }> = Object.fromEntries(KNOBS.map((k) => [k, { pairs: 0, worse: 0, ratios: [] as number[] }])) as never;
const samples = fc.sample(fc.tuple(caseArb, fc.nat(), fc.constantFrom(...KNOBS)), { numRuns: PAIRS * 2, seed: SEED });
const t0 = performance.now();
let pairs = 0;
for (const [c, li, knob] of samples) {
  if (pairs >= PAIRS) break;
  if (evaluate(c.a, c.w, c.m).status !== 'ok') continue;
  const { better, slower } = knobPair(c.a, knob, li);
  const b = cycles(better, c);
  const s = cycles(slower, c);
  if (b === undefined || s === undefined) continue;
  pairs++;
  per[knob].pairs++;
  if (b > s) {
    per[knob].worse++;
    per[knob].ratios.push(b / s);
  }
}
const all = KNOBS.flatMap((k) => per[k].ratios).sort((x, y) => x - y);
const worse = all.length;
const r4 = (x: number): number => Math.round(x * 1e4) / 1e4;
const result = {
  schema: 'spikeloop.bench.pipeline-monotone/1',
  date: new Date().toISOString(),
  seed: SEED,
  pairs,
  worse,
  worse_share: r4(worse / Math.max(1, pairs)),
  pairs_per_worse: worse > 0 ? Math.round(pairs / worse) : null,
  slowdown_max: all.length > 0 ? r4(all[all.length - 1] - 1) : 0,
  slowdown_median: all.length > 0 ? r4(all[Math.floor(all.length / 2)] - 1) : 0,
  share_of_worse_under_4pct: all.length > 0 ? r4(all.filter((x) => x < 1.04).length / all.length) : null,
  per_knob: Object.fromEntries(KNOBS.map((k) => [k, { pairs: per[k].pairs, worse: per[k].worse, slowdown_max: per[k].ratios.length > 0 ? r4(Math.max(...per[k].ratios) - 1) : 0 }])),
  seconds: Math.round((performance.now() - t0) / 100) / 10,
};
mkdirSync(join(root, 'reports/bench'), { recursive: true });
const out = join(root, 'reports/bench/pipeline-monotone.json');
writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
console.log(`${pairs} (case, knob) pairs: the better setting was slower in ${worse} (1 in ${result.pairs_per_worse ?? '-'}), by at most ${(100 * result.slowdown_max).toFixed(1)} % (median ${(100 * result.slowdown_median).toFixed(1)} %)`);
console.log(`wrote ${out}`);
