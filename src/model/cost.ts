/**
 * Access counts (the dense arrays of analysis/counts.ts) -> energy, off-chip bytes, capacity check and roofline
 * cycles, in dense arrays reused across mappings. evaluate() builds its result from these; the search scores with
 * them directly. Built once per (arch, workload).
 */
import type { LayerKernel } from '../analysis/counts.ts';
import type { Arch } from '../arch/types.ts';
import type { Workload } from '../workload/types.ts';
import { computeActions } from './compute.ts';
import { levelTables } from '../arch/level-tables.ts';

export class LayerCost {
  readonly L: number;
  readonly nT: number;
  // per (level, tensor) constants
  private readonly bits: Float64Array;
  private readonly wpv: Float64Array;
  private readonly eRead: Float64Array;
  private readonly eFill: Float64Array;
  private readonly eUpdate: Float64Array;
  private readonly width: Float64Array;
  private readonly offChip: Uint8Array;
  private readonly capacity: Float64Array; // Infinity = unbounded
  private readonly doubleBuffered: Uint8Array;
  private readonly readBw: Float64Array; // 0 = unlimited
  private readonly writeBw: Float64Array;
  private readonly sharedBw: Float64Array;
  /** Leakage power of all instances of each level and idle power of the compute array, mW. */
  private readonly leakMw: Float64Array;
  private readonly idleMw: number;
  private readonly clockMhz: number;
  /** Energy of each compute action (mapping-independent). */
  private readonly computeEnergies: readonly number[];

  // ---- outputs of run() ----
  readonly readVectors: Float64Array;
  readonly fillVectors: Float64Array;
  readonly updateVectors: Float64Array;
  /** Energy per (level, tensor) summed over instances, and per level by action. */
  readonly energy: Float64Array;
  readonly levelRead: Float64Array;
  readonly levelFill: Float64Array;
  readonly levelUpdate: Float64Array;
  readonly levelEnergy: Float64Array;
  readonly capacityUsed: Float64Array;
  readonly levelCycles: Float64Array;
  /** Bits read out of / written into one instance of each level over the run (what its bandwidths move). */
  readonly levelReadBits: Float64Array;
  readonly levelWriteBits: Float64Array;
  readonly offchipByTensor: Float64Array;
  /** -1 when every tile fits, else the outermost level whose kept tiles exceed its capacity. */
  overflowLevel = -1;
  overflowTensor = -1;
  overflowTensorBits = 0;
  dynamicEnergy = 0;
  cycles = 0;
  /** -1 = compute, else the level that sets the cycles. */
  bottleneck = -1;
  offchip = 0;
  staticEnergy = 0;
  totalEnergy = 0;

  constructor(arch: Arch, w: Workload) {
    const L = arch.levels.length;
    const nT = w.tensors.length;
    this.L = L;
    this.nT = nT;
    const n = L * nT;
    ({
      bits: this.bits, wpv: this.wpv, eRead: this.eRead, eFill: this.eFill, eUpdate: this.eUpdate, width: this.width, offChip: this.offChip,
      capacity: this.capacity, doubleBuffered: this.doubleBuffered, readBw: this.readBw, writeBw: this.writeBw, sharedBw: this.sharedBw,
      leakMw: this.leakMw,
    } = levelTables(arch, w.tensors.map((t) => t.bits)));
    this.idleMw = arch.compute.idleMw;
    this.clockMhz = arch.clockMhz;
    this.computeEnergies = Object.values(computeActions(arch, w).actions).map((a) => a.energy_pJ);
    this.readVectors = new Float64Array(n);
    this.fillVectors = new Float64Array(n);
    this.updateVectors = new Float64Array(n);
    this.energy = new Float64Array(n);
    this.levelRead = new Float64Array(L);
    this.levelFill = new Float64Array(L);
    this.levelUpdate = new Float64Array(L);
    this.levelEnergy = new Float64Array(L);
    this.capacityUsed = new Float64Array(L);
    this.levelCycles = new Float64Array(L);
    this.levelReadBits = new Float64Array(L);
    this.levelWriteBits = new Float64Array(L);
    this.offchipByTensor = new Float64Array(nT);
  }

  /** Cost the counts the kernel holds. On a capacity overflow, stops at that level (overflowLevel >= 0). */
  run(k: LayerKernel): void {
    const L = this.L;
    const nT = this.nT;
    this.overflowLevel = -1;
    this.offchipByTensor.fill(0);
    let dynamic = 0;
    let offchip = 0;
    const computeCycles = k.computeCycles;
    let cycles = computeCycles;
    let bottleneck = -1;
    for (let e = 0; e < L; e++) {
      let er = 0;
      let ef = 0;
      let eu = 0;
      let used = 0;
      let worst = -1;
      let worstBits = -1;
      let readBits = 0;
      let writeBits = 0;
      const inst0 = e * nT;
      for (let t = 0; t < nT; t++) {
        const i = inst0 + t;
        if (!k.kept[i]) {
          this.readVectors[i] = 0;
          this.fillVectors[i] = 0;
          this.updateVectors[i] = 0;
          this.energy[i] = 0;
          continue;
        }
        const wpv = this.wpv[i];
        const rv = vectors(k.reads[i], wpv);
        const fv = vectors(k.fills[i], wpv);
        const uv = vectors(k.updates[i], wpv);
        this.readVectors[i] = rv;
        this.fillVectors[i] = fv;
        this.updateVectors[i] = uv;
        const inst = k.instances[i];
        const r = rv * this.eRead[e] * inst;
        const f = fv * this.eFill[e] * inst;
        const u = uv * this.eUpdate[e] * inst;
        er += r;
        ef += f;
        eu += u;
        this.energy[i] = r + f + u;
        const bits = this.bits[i];
        const tileBits = k.size[i] * bits * (this.doubleBuffered[e] ? 2 : 1);
        used += tileBits;
        if (tileBits > worstBits) {
          worst = t;
          worstBits = tileBits;
        }
        if (this.offChip[e]) {
          const bytes = ((rv + fv + uv) * this.width[e] * inst) / 8;
          this.offchipByTensor[t] += bytes;
        }
        readBits += k.reads[i] * bits;
        writeBits += (k.fills[i] + k.updates[i]) * bits;
      }
      this.capacityUsed[e] = used;
      if (used > this.capacity[e]) {
        this.overflowLevel = e;
        this.overflowTensor = worst;
        this.overflowTensorBits = worstBits;
        return;
      }
      this.levelRead[e] = er;
      this.levelFill[e] = ef;
      this.levelUpdate[e] = eu;
      const le = er + ef + eu;
      this.levelEnergy[e] = le;
      dynamic += le;
      this.levelReadBits[e] = readBits;
      this.levelWriteBits[e] = writeBits;
      // Roofline: the level's traffic at its bandwidths, never faster than the compute.
      let need = computeCycles;
      need = limit(need, readBits, this.readBw[e]);
      need = limit(need, writeBits, this.writeBw[e]);
      need = limit(need, readBits + writeBits, this.sharedBw[e]);
      this.levelCycles[e] = need;
      if (need > cycles) {
        cycles = need;
        bottleneck = e;
      }
    }
    for (let t = 0; t < nT; t++) offchip += this.offchipByTensor[t];
    for (const c of this.computeEnergies) dynamic += c;
    this.dynamicEnergy = dynamic;
    this.cycles = cycles;
    this.bottleneck = bottleneck;
    this.offchip = offchip;
    this.setCycles(cycles);
  }

  /**
   * Static energy (leakage of every storage instance and idle power of the compute array over the run) and the total,
   * for a run of `cycles` (the pipeline model replaces the roofline's cycles). mW x us = nJ = 1000 pJ.
   */
  setCycles(cycles: number): void {
    const us = cycles / this.clockMhz;
    let s = this.idleMw * us * 1000;
    for (let e = 0; e < this.L; e++) s += this.leakMw[e] * us * 1000;
    this.staticEnergy = s;
    this.totalEnergy = this.dynamicEnergy + s;
  }
}

function limit(need: number, bits: number, bw: number): number {
  if (bw === 0 || bits === 0) return need;
  const c = Math.ceil(bits / bw - 1e-9);
  return c > need ? c : need;
}

/** Vector accesses for `scalars` words at `wpv` words per vector (exact for integer ratios; never -0). */
export function vectors(scalars: number, wpv: number): number {
  return scalars <= 0 ? 0 : Math.ceil(scalars / wpv - 1e-9);
}

const COSTS = new WeakMap<Arch, WeakMap<Workload, LayerCost>>();

export function layerCost(arch: Arch, w: Workload): LayerCost {
  let byWorkload = COSTS.get(arch);
  if (!byWorkload) COSTS.set(arch, (byWorkload = new WeakMap()));
  let c = byWorkload.get(w);
  if (!c) byWorkload.set(w, (c = new LayerCost(arch, w)));
  return c;
}
