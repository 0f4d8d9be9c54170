/**
 * Benchmarks (npm run bench). Writes JSON to reports/bench/. Never a timed assertion: figures are measured here
 * and quoted from the JSON.
 *
 * 1. Single-mapping evaluation throughput of the analytical model (one thread) on the Eyeriss-like arch with the
 *    VGG-style 3x3 SNN conv layer (both shipped mappings).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import { parseArch } from '../src/spec/arch.ts';
import { parseWorkload } from '../src/spec/workload.ts';
import { parseMapping } from '../src/spec/mapping.ts';
import { evaluate } from '../src/model/evaluate.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const read = (p: string): string => readFileSync(join(root, p), 'utf8');

function must<T>(r: { ok: true; value: T } | { ok: false; diagnostics: readonly unknown[] }, what: string): T {
  if (!r.ok) throw new Error(`${what}: ${JSON.stringify(r.diagnostics)}`);
  return r.value;
}

function throughput(archFile: string, workloadFile: string, mappingFile: string, seconds: number) {
  const arch = must(parseArch(read(archFile), archFile), archFile);
  const workload = must(parseWorkload(read(workloadFile), workloadFile), workloadFile);
  const { mapping } = must(parseMapping(read(mappingFile), mappingFile, arch, workload), mappingFile);
  const first = evaluate(arch, workload, mapping);
  if (first.status !== 'ok') throw new Error(`${mappingFile}: ${first.reason}`);
  for (let i = 0; i < 3; i++) evaluate(arch, workload, mapping); // warm-up
  const t0 = performance.now();
  let n = 0;
  while (performance.now() - t0 < seconds * 1000) {
    evaluate(arch, workload, mapping);
    n++;
  }
  const elapsed = (performance.now() - t0) / 1000;
  return {
    arch: archFile,
    workload: workloadFile,
    mapping: mappingFile,
    evaluations: n,
    seconds: elapsed,
    evaluations_per_second: n / elapsed,
    ms_per_evaluation: (elapsed * 1000) / n,
    energy_pJ: first.evaluation.totals.energy_pJ,
    offchip_bytes: first.evaluation.totals.offchip_bytes,
    cycles: first.evaluation.totals.cycles,
  };
}

const seconds = Number(process.env.BENCH_SECONDS ?? 3);
const result = {
  schema: 'spikeloop.bench/1',
  date: new Date().toISOString(),
  machine: { node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model },
  evaluation_throughput: [
    throughput('arch-specs/eyeriss-like.yaml', 'workloads/vgg-conv3-snn.yaml', 'mappings/eyeriss-like-vgg-conv3-t-inner.yaml', seconds),
    throughput('arch-specs/eyeriss-like.yaml', 'workloads/vgg-conv3-snn.yaml', 'mappings/eyeriss-like-vgg-conv3-t-outer.yaml', seconds),
  ],
  target_evaluations_per_second: 100000,
};
mkdirSync(join(root, 'reports/bench'), { recursive: true });
const out = join(root, 'reports/bench/evaluate.json');
writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
for (const t of result.evaluation_throughput) {
  console.log(`${t.mapping}: ${t.evaluations_per_second.toFixed(1)} evaluations/s (${t.ms_per_evaluation.toFixed(2)} ms each, one thread)`);
}
console.log(`wrote ${out}`);
