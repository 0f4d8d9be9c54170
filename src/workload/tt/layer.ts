/**
 * One network layer: a dense conv, or a TT conv run as G1 -> G2 -> G3 -> G4 (STT), G1 -> (G2 || G3) -> avg -> G4
 * (PTT), or PTT for the first timesteps and G1 -> G4 for the rest (HTT); its training dataflow is built by
 * workload/training/graph.ts. Parameters and MACs follow the reference's convention (README, "TT-SNN training").
 */
import { denseMacsPerTimestep, denseParams, type ConvSpec } from './conv-spec.ts';
import { coreParams, type CoreName } from './cores.ts';

export type TtMode = 'stt' | 'ptt' | 'htt';
export const TT_MODES: readonly TtMode[] = ['stt', 'ptt', 'htt'];

/**
 * How PTT merges G2 and G3: `fused` (default): an adder on the output path of the two PE groups sums the results
 * as they drain (r*H*W adds per timestep, one write, no extra memory pass); `separate`: an elementwise pass that
 * reads both results and writes the average through the memory hierarchy (the layer-by-layer worst case).
 */
export type PttMerge = 'fused' | 'separate';
export const PTT_MERGES: readonly PttMerge[] = ['fused', 'separate'];

export interface TtLayerInfo {
  readonly rank: number;
  readonly mode: TtMode;
  /** Timesteps that run G2 and G3 (T for STT and PTT; fewer for HTT). */
  readonly fullTimesteps: number;
  readonly merge: PttMerge;
}

export interface TtLayer {
  readonly name: string;
  /** `conv` (dense conv, stem, shortcut), `fc` (classifier) or `tt` (TT-decomposed 3x3 conv). */
  readonly kind: 'conv' | 'fc' | 'tt';
  readonly conv: ConvSpec;
  readonly tt?: TtLayerInfo;
}

export function denseLayer(conv: ConvSpec, kind: 'conv' | 'fc' = 'conv'): TtLayer {
  return { name: conv.name, kind, conv };
}

/** HTT's default: G2/G3 (PTT) for the first half of the timesteps, rounded up. */
export function defaultFullTimesteps(T: number): number {
  return Math.ceil(T / 2);
}

export function ttLayer(conv: ConvSpec, rank: number, mode: TtMode, fullTimesteps = mode === 'htt' ? defaultFullTimesteps(conv.T) : conv.T, merge: PttMerge = 'fused'): TtLayer {
  const tf = mode === 'htt' ? Math.min(Math.max(1, fullTimesteps), conv.T) : conv.T;
  return { name: conv.name, kind: 'tt', conv, tt: { rank, mode, fullTimesteps: tf, merge } };
}

export interface LayerCounts {
  readonly params: number;
  readonly denseParams: number;
  /** Multiply-accumulates (or accumulates) per timestep per sample, averaged over T (HTT runs G2/G3 less). */
  readonly macsPerTimestep: number;
  readonly denseMacsPerTimestep: number;
  /** PTT/HTT's averaging adds per timestep per sample (r*H*W, averaged over T). */
  readonly addsPerTimestep: number;
  /** Per core (TT layers): parameters and MACs per timestep. */
  readonly cores?: Readonly<Record<CoreName, { readonly params: number; readonly macsPerTimestep: number }>>;
}

/** Parameters and operations of a layer with the reference's convention: every conv at its output resolution. */
export function layerCounts(l: TtLayer): LayerCounts {
  const c = l.conv;
  const dp = denseParams(c);
  const dm = denseMacsPerTimestep(c);
  if (!l.tt) return { params: dp, denseParams: dp, macsPerTimestep: dm, denseMacsPerTimestep: dm, addsPerTimestep: 0 };
  const { rank, mode, fullTimesteps } = l.tt;
  const p = coreParams(c, rank);
  const hw = c.hOut * c.wOut;
  const frac = fullTimesteps / c.T;
  const cores = {
    G1: { params: p.G1, macsPerTimestep: p.G1 * hw },
    G2: { params: p.G2, macsPerTimestep: p.G2 * hw * frac },
    G3: { params: p.G3, macsPerTimestep: p.G3 * hw * frac },
    G4: { params: p.G4, macsPerTimestep: p.G4 * hw },
  };
  return {
    params: p.G1 + p.G2 + p.G3 + p.G4,
    denseParams: dp,
    macsPerTimestep: cores.G1.macsPerTimestep + cores.G2.macsPerTimestep + cores.G3.macsPerTimestep + cores.G4.macsPerTimestep,
    denseMacsPerTimestep: dm,
    addsPerTimestep: mode === 'stt' ? 0 : rank * hw * frac,
    cores,
  };
}
