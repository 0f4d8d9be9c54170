/** A readable terminal summary of an Evaluation (pure: returns text). */
import type { Evaluation } from '../model/types.ts';

const num = (x: number): string => (Number.isInteger(x) ? x.toLocaleString('en-US') : x.toLocaleString('en-US', { maximumFractionDigits: 2 }));
export const energy = (pj: number): string =>
  pj >= 1e6 ? `${(pj / 1e6).toFixed(3)} uJ` : pj >= 1e3 ? `${(pj / 1e3).toFixed(3)} nJ` : `${pj.toFixed(2)} pJ`;
const pct = (a: number, b: number): string => (b > 0 ? `${((100 * a) / b).toFixed(1)}%` : '-');

function table(rows: string[][]): string {
  const w = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(w[c]) : cell.padStart(w[c]))).join('  ')).join('\n');
}

export function briefSummary(e: Evaluation): string {
  return `${e.workload} on ${e.arch}: energy ${energy(e.totals.energy_pJ)}, off-chip ${num(e.totals.offchip_bytes)} B, ` +
    `${num(e.totals.cycles)} cycles (bottleneck: ${e.timing.bottleneck})`;
}

export function textSummary(e: Evaluation): string {
  const out: string[] = [];
  out.push(`spikeloop evaluation: ${e.workload} on ${e.arch}`);
  out.push(`energy table: ${e.energy_source}`);
  out.push('');
  const rows: string[][] = [['level / tensor', 'reads', 'fills', 'updates', 'tile (words)', 'instances', 'energy']];
  for (const l of e.levels) {
    rows.push([l.name, '', '', '', l.capacity_bits === null ? '' : `${pct(l.capacity_used_bits, l.capacity_bits)} full`, '', energy(l.energy_pJ)]);
    for (const [t, s] of Object.entries(l.tensors)) {
      rows.push([`  ${t}`, num(s.reads), num(s.fills), num(s.updates), num(s.utilized_capacity), num(s.utilized_instances), energy(s.energy_pJ)]);
    }
  }
  out.push(table(rows));
  out.push('');
  out.push(`off-chip traffic: ${num(e.totals.offchip_bytes)} B  (${Object.entries(e.offchip_bytes_by_tensor).map(([t, b]) => `${t} ${num(b)}`).join(', ')})`);
  const total = e.totals.energy_pJ;
  out.push(`energy: ${energy(total)}`);
  out.push(`  by level:   ${e.levels.map((l) => `${l.name} ${energy(l.energy_pJ)} (${pct(l.energy_pJ, total)})`).join(', ')}`);
  out.push(`  by tensor:  ${Object.entries(e.energy_by_tensor).map(([t, v]) => `${t} ${energy(v)} (${pct(v, total)})`).join(', ')}`);
  out.push(`  by compute: ${Object.entries(e.compute).map(([a, c]) => `${a} ${num(c.count)} ops ${energy(c.energy_pJ)} (${pct(c.energy_pJ, total)})`).join(', ')}`);
  out.push(`cycles: ${num(e.totals.cycles)} (compute ${num(e.timing.compute_cycles)}, bottleneck: ${e.timing.bottleneck}, model: ${e.timing.model})`);
  out.push(`utilization: ${(100 * e.utilization).toFixed(1)}%`);
  return out.join('\n');
}
