/**
 * From per-loop delta statistics to per-level access counts: Timeloop v3.0.3's CollapseTiles, partition sizes,
 * parent access shares, bypass masking and the read/fill/update split (first-read elision per element).
 */
import type { AccessStats, RawNestResult } from './nest-analysis.ts';
import type { NestCounts, NestProblem, TensorLevelCounts } from './nest-types.ts';

interface Tile {
  size: number;
  access: AccessStats;
  content: number;
  link: number;
  replication: number;
  fanout: number;
  pfd: number;
  partition: number;
  parentShare: number;
  peerAccesses: number;
  peerFills: number;
}

const total = (m: AccessStats): number => {
  let s = 0;
  for (const a of m.values()) s += a;
  return s;
};
const weighted = (m: AccessStats): number => {
  let s = 0;
  for (const [k, a] of m) s += a * k;
  return s;
};

export function collapse(p: NestProblem, raw: RawNestResult): NestCounts {
  const L = p.levelCount;
  // innermost valid loop and boundary loop of each level
  const inner: number[] = new Array<number>(L).fill(-1);
  const bound: number[] = new Array<number>(L).fill(-1);
  p.loops.forEach((l, i) => {
    const info = raw.loops[i];
    if (!info) return;
    if (inner[l.level] < 0) inner[l.level] = i;
    if (info.boundary) bound[l.level] = i;
  });
  const perLevel: TensorLevelCounts[][] = [];
  for (let l = 0; l < L; l++) perLevel.push([]);
  for (let t = 0; t < p.tensors.length; t++) {
    const tiles: Tile[] = [];
    for (let l = 0; l < L; l++) {
      const innerInfo = raw.loops[inner[l]]!;
      const boundInfo = raw.loops[bound[l]]!;
      const access = innerInfo.access[t]; // copied before bypass masking changes it
      tiles.push({
        size: boundInfo.maxSize[t],
        access,
        content: total(access),
        link: innerInfo.link[t],
        replication: boundInfo.replication,
        fanout: innerInfo.fanout,
        pfd: 0,
        partition: 0,
        parentShare: 0,
        peerAccesses: 0,
        peerFills: 0,
      });
      if (l > 0) tiles[l - 1].pfd = innerInfo.master ? innerInfo.maxSize[t] : tiles[l - 1].size;
    }
    // Partition sizes, outermost inward.
    let partition = tiles[L - 1].size;
    tiles[L - 1].partition = partition;
    for (let l = L - 2; l >= 0; l--) {
      if (tiles[l].pfd !== 0) partition = Math.floor((partition * tiles[l].size) / tiles[l].pfd);
      tiles[l].partition = partition;
    }
    // Parent access shares.
    for (let l = 0; l < L - 1; l++) {
      const outer = tiles[l + 1];
      let share = 0;
      for (const [m, a] of outer.access) share += (a * m) / outer.fanout;
      tiles[l].parentShare = share;
    }
    // Bypass masking.
    const keepT = p.keep;
    const masked = new Array<boolean>(L).fill(false);
    for (let cur = 0; cur < L; cur++) {
      if (keepT[cur][t]) continue;
      let outer = cur + 1;
      while (outer < L && masked[outer]) outer++;
      if (outer >= L) {
        masked[cur] = true;
        break;
      }
      const o = tiles[outer];
      o.access = new Map(o.access);
      const w = weighted(o.access);
      const factor = w === 0 ? 0 : (tiles[cur].content * o.fanout) / w;
      for (const [m, a] of o.access) o.access.set(m, a * factor);
      o.link = 0;
      o.content = total(o.access);
      masked[cur] = true;
    }
    // Outermost masked levels lose everything; the first kept level below them has no parent.
    for (let l = L - 1; l >= 0; l--) {
      if (keepT[l][t]) {
        tiles[l].parentShare = 0;
        break;
      }
      masked[l] = true;
    }
    // Peer (link-transfer) accesses land on the child level.
    for (let l = L - 1; l > 0; l--) {
      if (masked[l] || tiles[l].link === 0) continue;
      const spatial = tiles[l - 1].replication;
      const per = tiles[l].link / spatial;
      tiles[l - 1].peerAccesses += per;
      tiles[l - 1].peerFills += per;
    }
    let outermostKept = -1;
    for (let l = L - 1; l >= 0; l--) if (keepT[l][t]) {
      outermostKept = l;
      break;
    }
    for (let l = 0; l < L; l++) {
      const tl = tiles[l];
      const kept = keepT[l][t];
      if (!kept) {
        perLevel[l].push({
          kept: false, reads: 0, fills: 0, updates: 0, size: 0, partitionSize: 0, instances: tl.replication,
          temporalReductions: 0, multicast: 1, spatialReductions: 0, linkTransfers: 0,
        });
        continue;
      }
      let reads: number;
      let fills: number;
      let updates: number;
      let temporalReductions = 0;
      if (p.tensors[t].readWrite) {
        updates = Math.round(tl.content);
        reads = Math.round(tl.content + tl.peerAccesses - tl.partition);
        temporalReductions = reads;
        fills = l === outermostKept ? 0 : Math.round(tl.parentShare + tl.peerFills - tl.partition);
      } else {
        reads = Math.round(tl.content + tl.peerAccesses);
        updates = 0;
        fills = l === outermostKept ? 0 : tl.parentShare + tl.peerFills;
      }
      let multicast = 1;
      let spatialReductions = 0;
      for (const [m, a] of tl.access) {
        if (a > 0 && m > multicast) multicast = m;
        if (p.tensors[t].readWrite) spatialReductions += (m - 1) * a;
      }
      perLevel[l].push({
        kept: true,
        reads,
        fills,
        updates,
        size: tl.size,
        partitionSize: tl.partition,
        instances: tl.replication,
        temporalReductions,
        multicast,
        spatialReductions: Math.round(spatialReductions),
        linkTransfers: tl.link,
      });
    }
  }
  let computeInstances = 1;
  for (const l of p.loops) if (l.kind !== 'T') computeInstances *= l.end;
  return { perLevel, computeCycles: raw.computeCycles, computeInstances };
}
