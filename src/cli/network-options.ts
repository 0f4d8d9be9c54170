/**
 * Options shared by `evaluate` on a network and `explore`: the chunk mapper's bounds (a constraints file, by default
 * mappings/constraints/<arch file name>.yaml beside the arch's folder), the spike format, the chunk mapper, the
 * STEMS conventions; and the cost function and simulator built from them.
 */
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Arch } from '../arch/types.ts';
import type { Diagnostic } from '../core/diagnostics.ts';
import type { ChunkBounds, NamedBound, NamedLevelBounds } from '../schedule/chunk-mapper.ts';
import type { ScheduleSim } from '../schedule/block-sim.ts';
import type { ScheduleOptions } from '../schedule/types.ts';
import type { ConstraintsSpec } from '../spec/constraints.ts';
import { SPIKE_FORMATS, type Network, type SpikeFormat } from '../workload/network.ts';
import type { Workload } from '../workload/types.ts';
import { readSources } from './files.ts';
import type { Host } from './io.ts';

/**
 * `--chunk-mapper`: `greedy` (or absent: null), or `search[:N]` with N >= 1 candidates per shape (default
 * `defaultBudget`); a string is the usage problem. Shared by network and TT-network evaluations.
 */
export function chunkMapperOption(value: string | undefined, defaultBudget: number, per: string): { readonly budget: number } | null | string {
  if (value === undefined || value === 'greedy') return null;
  const m = /^search(?::([1-9]\d*))?$/.exec(value);
  if (!m) return `--chunk-mapper must be greedy or search[:N] (N >= 1 candidates per ${per}), got '${value}'`;
  return { budget: m[1] ? Number(m[1]) : defaultBudget };
}

export interface NetworkRunFlags {
  /** A constraints file, or `none`; default: the arch's file under mappings/constraints/ when it exists. */
  readonly constraints?: string;
  readonly spikeFormat?: string;
  /** `greedy` (default) or `search[:N]`: refine each chunk shape's mapping with N candidates of the intra-layer mapper. */
  readonly chunkMapper?: string;
  readonly seed?: string;
  readonly stemsCompat?: boolean;
  readonly finalStateWriteback?: boolean;
}

export interface NetworkRun {
  readonly bounds?: ChunkBounds;
  /** Name and file of the constraints used (for the result), or null. */
  readonly constraints: { readonly name: string; readonly file: string } | null;
  readonly schedule: ScheduleOptions & { readonly wholeTileLines?: number };
  readonly mapper: { readonly kind: 'greedy' } | { readonly kind: 'search'; readonly budget: number; readonly seed: number };
}

/** The default constraints file of an arch file: ../mappings/constraints/<name>.yaml from the arch's folder. */
export function defaultConstraintsFile(archFile: string): string {
  return join(dirname(archFile), '..', 'mappings', 'constraints', basename(archFile));
}

/** Bounds by dim and tensor name, from constraints parsed against a reference workload. */
export function namedBounds(c: ConstraintsSpec, ref: Workload): ChunkBounds {
  const rec = (arr: readonly ({ fixed?: number; min?: number; max?: number } | undefined)[]): Record<string, NamedBound> | undefined => {
    const out: Record<string, NamedBound> = {};
    arr.forEach((b, d) => {
      if (b) out[ref.dims[d]] = b;
    });
    return Object.keys(out).length > 0 ? out : undefined;
  };
  const levels: NamedLevelBounds[] = c.levels.map((l) => {
    const keep: Record<string, boolean> = {};
    l.keep.forEach((k, t) => {
      if (k !== undefined) keep[ref.tensors[t].name] = k;
    });
    return { temporal: rec(l.temporal), spatialX: rec(l.spatialX), spatialY: rec(l.spatialY), keep: Object.keys(keep).length > 0 ? keep : undefined };
  });
  return { name: c.name, levels };
}

/** The line count of a layer the P-unrolling allows (the whole-layer chunk size), from the bounds; 16 without. */
function wholeTileLines(bounds: ChunkBounds | undefined): number {
  let p = 1;
  let any = false;
  for (const l of bounds?.levels ?? []) {
    for (const axis of [l.spatialX, l.spatialY]) {
      const b = axis?.P;
      const m = b?.fixed ?? b?.max;
      if (m !== undefined) {
        any = true;
        p *= m;
      }
    }
  }
  return any && p > 1 ? p : 16;
}

export async function networkRun(host: Host, archFile: string, arch: Arch, net: Network, f: NetworkRunFlags): Promise<NetworkRun | Diagnostic[] | string> {
  let spikeFormat: SpikeFormat = 'dense';
  if (f.spikeFormat !== undefined) {
    if (!SPIKE_FORMATS.includes(f.spikeFormat as SpikeFormat)) return `--spike-format must be one of ${SPIKE_FORMATS.join(', ')}, got '${f.spikeFormat}'`;
    spikeFormat = f.spikeFormat as SpikeFormat;
  }
  let mapper: NetworkRun['mapper'] = { kind: 'greedy' };
  const seed = f.seed !== undefined ? Number(f.seed) : 1;
  if (!Number.isInteger(seed)) return `--seed must be a whole number, got '${f.seed}'`;
  const choice = chunkMapperOption(f.chunkMapper, 400, 'chunk shape');
  if (typeof choice === 'string') return choice;
  if (choice) mapper = { kind: 'search', budget: choice.budget, seed };
  let bounds: ChunkBounds | undefined;
  let constraints: NetworkRun['constraints'] = null;
  const file = f.constraints ?? defaultConstraintsFile(host.resolve(archFile));
  const explicit = f.constraints !== undefined;
  if (f.constraints !== 'none' && (explicit || existsSync(file))) {
    const { sources, diagnostics } = readSources(host, [file]);
    if (diagnostics.length > 0) return diagnostics;
    const ref = net.layers.find((l) => l.op === 'conv' || l.op === 'fc') ?? net.layers[0];
    const { parseConstraints } = await import('../spec/constraints.ts');
    const r = parseConstraints(sources[0].text, sources[0].file, arch, ref.workload);
    if (!r.ok) return [...r.diagnostics];
    bounds = namedBounds(r.value, ref.workload);
    constraints = { name: r.value.name, file: sources[0].file };
  }
  return {
    bounds,
    constraints,
    mapper,
    schedule: {
      stemsCompat: f.stemsCompat === true,
      finalStateWriteback: f.finalStateWriteback === true,
      spikeFormat,
      wholeTileLines: wholeTileLines(bounds),
    },
  };
}

/** The simulator of a run: the layer model wired in with the chosen chunk mapper (cli/network-wiring.ts). */
export async function makeRunSim(net: Network, arch: Arch, run: NetworkRun, objective: 'energy' | 'cycles' | 'edp' | 'offchip' = 'energy'): Promise<ScheduleSim | string> {
  const [{ layerCostFn }, { makeSim }, { searchRefiner }] = await Promise.all([import('./network-wiring.ts'), import('../schedule/simulate.ts'), import('./chunk-search.ts')]);
  const cost = layerCostFn(arch, {
    objective: objective === 'offchip' ? 'energy' : objective,
    bounds: run.bounds,
    zeroSkipCycles: run.schedule.spikeFormat !== 'dense' && !run.schedule.stemsCompat,
    refine: run.mapper.kind === 'search' ? searchRefiner(run.bounds, run.mapper.budget, run.mapper.seed) : undefined,
  });
  return makeSim(net, arch, cost, run.schedule);
}
