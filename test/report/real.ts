// Real command output for the report tests: every kind of result the other commands write, produced through the
// CLI (in-process) once per test run by test/report/global-setup.ts (or once per test file when a file runs without
// it). Reports of these are what users see, so the tests look at them rather than at hand-made documents only.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { A, cli, M_INNER, M_OUTER, tempDir, W } from '../cli/harness.ts';
// A tiny arch and two-layer network for a sweep that runs in well under a second.
import { TINY_ARCH, TWO_LAYER } from '../schedule/fixtures.ts';

export const META = 'arch-specs/meta-prototype-like.yaml';
export const SEW5 = 'workloads/sew-resnet-5plif.yaml';
export const TT_ARCH = 'arch-specs/ttsnn-accelerator.yaml';
/** A small TT network of the same format as the shipped ones (one stage of one block), so training runs in seconds. */
const TT_SMALL = `tt_network:
  name: tt-small
  architecture: resnet
  input: { height: 8, width: 8, channels: 3, encoding: direct }
  timesteps: 2
  batch: 1
  classes: 10
  stem: { channels: 16, kernel: 3, stride: 1 }
  stages:
    - { channels: 16, blocks: 1, stride: 1, ranks: [6, 5] }
  decomposition: tt
  tt_mode: ptt
  sparsity: { spikes: 0.9, membrane_gradient: 0.7 }
  precision: { weights: 8, activations: 16 }
`;

export type RealKind = 'inner' | 'outer' | 'pipeline' | 'network' | 'explore' | 'sweep' | 'training' | 'search' | 'pareto';

/** File name of each real result in the folder `realOutputs` writes. */
export const REAL_FILES: Record<RealKind, string> = {
  inner: 't-inner.json',
  outer: 't-outer.json',
  pipeline: 'pipeline.json',
  network: 'sew5-network.json',
  explore: 'sew5-explore.json',
  sweep: 'tiny-sweep.json',
  training: 'resnet18-tt-training.json',
  search: 'conv3-search.json',
  pareto: 'conv3-pareto.json',
};

async function run(args: readonly string[]): Promise<string> {
  const r = await cli(args);
  if (r.code !== 0) throw new Error(`spikeloop ${args.join(' ')} failed (${r.code}): ${r.err}`);
  return r.out;
}

let cached: Promise<{ dir: string; text: Record<RealKind, string> }> | undefined;

/** The folder the global setup filled (SPIKELOOP_REAL_OUTPUTS), else undefined. */
function prepared(): string | undefined {
  const dir = process.env.SPIKELOOP_REAL_OUTPUTS;
  return dir && (Object.values(REAL_FILES) as string[]).every((f) => existsSync(join(dir, f))) ? dir : undefined;
}

/** The real outputs: read from the folder the global setup wrote, or produced now (once per test file). */
export function realOutputs(): Promise<{ dir: string; text: Record<RealKind, string> }> {
  const ready = prepared();
  if (ready) {
    cached ??= Promise.resolve({ dir: ready, text: Object.fromEntries((Object.keys(REAL_FILES) as RealKind[]).map((k) => [k, readFileSync(join(ready, REAL_FILES[k]), 'utf8')])) as Record<RealKind, string> });
    return cached;
  }
  cached ??= produceRealOutputs(tempDir());
  return cached;
}

/** Runs the commands and writes their JSON into `dir`. */
export function produceRealOutputs(dir: string): Promise<{ dir: string; text: Record<RealKind, string> }> {
  return (async () => {
    writeFileSync(join(dir, 'tiny.yaml'), TINY_ARCH);
    writeFileSync(join(dir, 'tiny.sweep.yaml'), 'sweep:\n  parameter: gb_size\n  level: GB\n  capacity_bytes: [50, 100, 1000]\n');
    writeFileSync(join(dir, 'two.yaml'), TWO_LAYER);
    writeFileSync(join(dir, 'tt-small.yaml'), TT_SMALL);
    const searchDir = join(dir, 'search');
    const [inner, outer, pipeline, network, explore, sweep, training, search] = [
      await run(['evaluate', '--arch', A, '--workload', W, '--mapping', M_INNER, '--json']),
      await run(['evaluate', '--arch', A, '--workload', W, '--mapping', M_OUTER, '--json']),
      await run(['evaluate', '--arch', A, '--workload', W, '--mapping', M_OUTER, '--timing', 'pipeline', '--json']),
      await run(['evaluate', '--arch', META, '--workload', SEW5, '--json']),
      await run(['explore', '--arch', META, '--workload', SEW5, '--pareto', '--json']),
      await run(['explore', '--arch', join(dir, 'tiny.yaml'), '--workload', join(dir, 'two.yaml'), '--sweep', 'gb_size', '--objective', 'offchip', '--pareto', '--json']),
      await run(['evaluate', '--arch', TT_ARCH, '--workload', join(dir, 'tt-small.yaml'), '--json']),
      await run(['search', '--arch', A, '--workload', W, '--pareto', '--max-evals', '400', '--seed', '1', '--json', '--out', searchDir]),
    ];
    const text: Record<RealKind, string> = { inner, outer, pipeline, network, explore, sweep, training, search, pareto: readFileSync(join(searchDir, 'pareto.json'), 'utf8') };
    for (const k of Object.keys(REAL_FILES) as RealKind[]) writeFileSync(join(dir, REAL_FILES[k]), text[k]);
    return { dir, text };
  })();
}
