// Small builders for domain objects in tests: archs, workloads (generic and SNN conv) and mappings written as
// loop strings. Domain objects are plain data, so tests build them directly instead of going through YAML.
import type { Arch, StorageLevel } from '../../src/arch/types.ts';
import type { Loop, LevelMapping, Mapping, SpatialLoop } from '../../src/mapping/types.ts';
import type { Evaluation, EvalOutcome, TensorLevelStats } from '../../src/model/types.ts';
import type { Accumulation, ProjectionTerm, Tensor, TensorRole, Workload } from '../../src/workload/types.ts';

// ---------------------------------------------------------------------------------------------------- arch

export interface LevelSpec {
  readonly name: string;
  /** Instances of this level (default 1). */
  readonly instances?: number;
  /** Instances along X (default = instances, i.e. a 1-row mesh). */
  readonly meshX?: number;
  /** Capacity in 16-bit words per instance; null/undefined = unbounded (and off-chip unless `offChip` says otherwise). */
  readonly capacity?: number | null;
  /** Capacity in bits (overrides `capacity`). */
  readonly capacityBits?: number | null;
  /** pJ per vector read. */
  readonly read: number;
  /** pJ per vector write, used for fill and update unless they are given. */
  readonly write?: number;
  readonly fill?: number;
  readonly update?: number;
  /** Words of `wordBits` per vector (Timeloop block size), default 1. */
  readonly blockWords?: number;
  /** Bits per vector; default `blockWords * 16`. */
  readonly widthBits?: number;
  /** Word width of the level; default 16 (Timeloop style); null = each tensor uses its own bits. */
  readonly wordBits?: number | null;
  /** Bandwidths in bits per cycle per instance. */
  readonly readBw?: number;
  readonly writeBw?: number;
  readonly sharedBw?: number;
  readonly offChip?: boolean;
  readonly doubleBuffered?: boolean;
}

export interface ComputeSpec {
  readonly instances?: number;
  readonly meshX?: number;
  readonly energy: Readonly<Record<string, number>>;
}

export function level(s: LevelSpec): StorageLevel {
  const instances = s.instances ?? 1;
  const meshX = s.meshX ?? instances;
  const capacityBits = s.capacityBits !== undefined ? s.capacityBits : s.capacity == null ? null : s.capacity * 16;
  const write = s.write ?? 0;
  return {
    name: s.name,
    instances,
    meshX,
    meshY: instances / meshX,
    capacityBits,
    widthBits: s.widthBits ?? 16 * (s.blockWords ?? 1),
    wordBits: s.wordBits === undefined ? 16 : s.wordBits,
    readBandwidth: s.readBw ?? null,
    writeBandwidth: s.writeBw ?? null,
    sharedBandwidth: s.sharedBw ?? null,
    energy: { read: s.read, fill: s.fill ?? write, update: s.update ?? write },
    doubleBuffered: s.doubleBuffered ?? false,
    leakageMw: 0,
    latencyCycles: 0,
    offChip: s.offChip ?? capacityBits === null,
  };
}

/** Levels outermost first. */
export function arch(levels: readonly LevelSpec[], compute: ComputeSpec, name = 'test-arch'): Arch {
  const instances = compute.instances ?? 1;
  const meshX = compute.meshX ?? instances;
  return {
    name,
    levels: levels.map(level),
    compute: { name: 'PE', instances, meshX, meshY: instances / meshX, energy: compute.energy, idleMw: 0 },
    clockMhz: 1000,
    energySource: 'test ERT',
  };
}

// ---------------------------------------------------------------------------------------------------- workload

export interface TensorSpec {
  readonly name: string;
  /** One string per rank: a sum of dims with optional integer coefficients, e.g. 'K', 'P+R', '2*P+R'. */
  readonly proj: readonly string[];
  readonly rw?: boolean;
  readonly role?: TensorRole;
  readonly bits?: number;
  readonly density?: number;
}

function parseRank(dims: readonly string[], rank: string): ProjectionTerm[] {
  return rank.split('+').map((raw) => {
    const term = raw.trim();
    const m = /^(?:(\d+)\s*\*\s*)?([A-Za-z_]\w*)$/.exec(term);
    if (!m) throw new Error(`bad projection term '${term}'`);
    const dim = dims.indexOf(m[2]);
    if (dim < 0) throw new Error(`unknown dim '${m[2]}'`);
    return { dim, coeff: m[1] ? Number(m[1]) : 1 };
  });
}

/** A generic (Timeloop-style) workload; dims in insertion order. */
export function workload(sizes: Readonly<Record<string, number>>, tensors: readonly TensorSpec[], name = 'test-workload'): Workload {
  const dims = Object.keys(sizes);
  return {
    name,
    shape: 'generic',
    dims,
    sizes: dims.map((d) => sizes[d]),
    tensors: tensors.map(
      (t): Tensor => ({
        name: t.name,
        role: t.role ?? (t.rw ? 'output' : 'input'),
        projection: t.proj.map((r) => parseRank(dims, r)),
        readWrite: t.rw ?? false,
        bits: t.bits ?? 16,
        density: t.density ?? 1,
      }),
    ),
  };
}

/** Generic FC: Weights[K,C], Inputs[N,C], Outputs[N,K] (read-write). */
export function fc(N: number, K: number, C: number): Workload {
  return workload({ N, K, C }, [
    { name: 'Weights', proj: ['K', 'C'] },
    { name: 'Inputs', proj: ['N', 'C'] },
    { name: 'Outputs', proj: ['N', 'K'], rw: true },
  ], 'fc');
}

/** Generic conv (stride s): Weights[K,C,R,S], Inputs[N,C,sP+R,sQ+S], Outputs[N,K,P,Q]. */
export function conv(sizes: { N?: number; K?: number; C?: number; P?: number; Q?: number; R?: number; S?: number }, stride = 1): Workload {
  const z = { N: 1, K: 1, C: 1, P: 1, Q: 1, R: 1, S: 1, ...sizes };
  const st = stride === 1 ? '' : `${stride}*`;
  return workload(z, [
    { name: 'Weights', proj: ['K', 'C', 'R', 'S'] },
    { name: 'Inputs', proj: ['N', 'C', `${st}P+R`, `${st}Q+S`] },
    { name: 'Outputs', proj: ['N', 'K', 'P', 'Q'], rw: true },
  ], 'conv');
}

export const SNN_DIMS = ['N', 'T', 'K', 'C', 'P', 'Q', 'R', 'S'] as const;

export interface SnnOptions {
  /** Input spike rate (default 1). */
  readonly density?: number;
  readonly stateless?: boolean;
  readonly keepFinalState?: boolean;
  readonly accumulation?: Accumulation;
  readonly spikingInput?: boolean;
  readonly zeroSkipping?: boolean;
  readonly weightBits?: number;
  readonly stride?: number;
}

/**
 * An SNN conv layer: Weights[K,C,R,S] (weight), Inputs[N,T,C,P+R,Q+S] (input, 1 bit), Psum[N,T,K,P,Q] (psum, rw,
 * 16 bit; absent with membrane accumulation), State[N,K,P,Q] (state, rw, 16 bit; absent when stateless),
 * Outputs[N,T,K,P,Q] (spikes-out, rw, 1 bit).
 */
export function snnConv(sizes: Partial<Record<(typeof SNN_DIMS)[number], number>>, o: SnnOptions = {}): Workload {
  const dims: string[] = [...SNN_DIMS];
  const sz = SNN_DIMS.map((n) => sizes[n] ?? 1);
  const d = (n: string): number => dims.indexOf(n);
  const t1 = (n: string): ProjectionTerm[] => [{ dim: d(n), coeff: 1 }];
  const stride = o.stride ?? 1;
  const acc = o.accumulation ?? 'psum';
  const spiking = o.spikingInput ?? true;
  const mk = (name: string, role: TensorRole, projection: ProjectionTerm[][], rw: boolean, bits: number, density = 1): Tensor => ({
    name, role, projection, readWrite: rw, bits, density,
  });
  const tensors: Tensor[] = [
    mk('Weights', 'weight', [t1('K'), t1('C'), t1('R'), t1('S')], false, o.weightBits ?? 8),
    mk('Inputs', 'input', [t1('N'), t1('T'), t1('C'),
      [{ dim: d('P'), coeff: stride }, { dim: d('R'), coeff: 1 }],
      [{ dim: d('Q'), coeff: stride }, { dim: d('S'), coeff: 1 }]], false, spiking ? 1 : 8, o.density ?? 1),
  ];
  if (acc === 'psum') tensors.push(mk('Psum', 'psum', [t1('N'), t1('T'), t1('K'), t1('P'), t1('Q')], true, 16));
  if (!o.stateless) tensors.push(mk('State', 'state', [t1('N'), t1('K'), t1('P'), t1('Q')], true, 16));
  tensors.push(mk('Outputs', 'spikes-out', [t1('N'), t1('T'), t1('K'), t1('P'), t1('Q')], true, 1));
  return {
    name: 'snn-conv',
    shape: 'snn-conv',
    dims,
    sizes: sz,
    tensors,
    snn: {
      accumulation: acc,
      stateless: o.stateless ?? false,
      keepFinalState: o.keepFinalState ?? false,
      reductionDims: [d('C'), d('R'), d('S')],
      timeDim: d('T'),
      spikingInput: spiking,
      zeroSkipping: o.zeroSkipping ?? true,
      inputTensor: 1,
    },
  };
}

// ---------------------------------------------------------------------------------------------------- mapping

export interface LevelMapSpec {
  /** Temporal loops, outer to inner, e.g. "K2 N2 C2". */
  readonly t?: string;
  /** Spatial loops per axis, outer to inner, e.g. { X: "K4", Y: "C2" }. */
  readonly s?: { readonly X?: string; readonly Y?: string };
  /** Tensors kept (default: all unless `bypass` lists them). */
  readonly keep?: readonly string[];
  readonly bypass?: readonly string[];
}

export function loops(w: Workload, s: string | undefined): Loop[] {
  if (!s) return [];
  return s.split(/\s+/).filter(Boolean).map((tok) => {
    const m = /^([A-Za-z_]+?)(\d+)$/.exec(tok);
    if (!m) throw new Error(`bad loop '${tok}'`);
    const dim = w.dims.indexOf(m[1]);
    if (dim < 0) throw new Error(`unknown dim '${m[1]}' in '${s}'`);
    return { dim, factor: Number(m[2]) };
  });
}

/** One entry per arch level, outermost first; a string is shorthand for temporal loops only. */
export function mapping(w: Workload, levels: readonly (LevelMapSpec | string)[]): Mapping {
  return {
    levels: levels.map((spec): LevelMapping => {
      const l: LevelMapSpec = typeof spec === 'string' ? { t: spec } : spec;
      const spatial: SpatialLoop[] = [
        ...loops(w, l.s?.Y).map((x) => ({ ...x, axis: 'Y' as const })),
        ...loops(w, l.s?.X).map((x) => ({ ...x, axis: 'X' as const })),
      ];
      for (const n of [...(l.keep ?? []), ...(l.bypass ?? [])]) {
        if (!w.tensors.some((t) => t.name === n)) throw new Error(`unknown tensor '${n}'`);
      }
      const keep = w.tensors.map((t) => (l.keep ? l.keep.includes(t.name) : !(l.bypass ?? []).includes(t.name)));
      return { temporal: loops(w, l.t), spatial, keep };
    }),
  };
}

// ---------------------------------------------------------------------------------------------------- results

export function ok(r: EvalOutcome): Evaluation {
  if (r.status !== 'ok') throw new Error(`evaluation invalid (${r.stage}): ${r.reason}`);
  return r.evaluation;
}

/** The stats of one tensor at one level (throws if the tensor is not kept there). */
export function at(ev: Evaluation, levelName: string, tensor: string): TensorLevelStats {
  const l = ev.levels.find((x) => x.name === levelName);
  if (!l) throw new Error(`no level ${levelName}`);
  const s = l.tensors[tensor];
  if (!s) throw new Error(`${tensor} is not kept at ${levelName}`);
  return s;
}

export function levelOf(ev: Evaluation, levelName: string) {
  const l = ev.levels.find((x) => x.name === levelName);
  if (!l) throw new Error(`no level ${levelName}`);
  return l;
}

/** reads / fills / updates of one tensor at one level. */
export function rfu(ev: Evaluation, levelName: string, tensor: string): [number, number, number] {
  const s = at(ev, levelName, tensor);
  return [s.reads, s.fills, s.updates];
}
