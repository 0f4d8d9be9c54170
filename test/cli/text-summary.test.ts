import { describe, expect, it } from 'vitest';
import type { Evaluation, TensorLevelStats } from '../../src/model/types.ts';
import { energy, num } from '../../src/report/format.ts';
import { evaluationJson, jsonArtifact } from '../../src/report/json.ts';
import { markdownArtifact } from '../../src/report/markdown.ts';
import { briefSummary, textSummary } from '../../src/report/text-summary.ts';

const stats = (reads: number, fills: number, updates: number, tile: number, inst: number, e: number): TensorLevelStats => ({
  reads, fills, updates, utilized_capacity: tile, partition_size: tile, utilized_instances: inst, temporal_reductions: 0,
  multicast: 1, spatial_reductions: 0, link_transfers: 0, read_vectors: reads, fill_vectors: fills, update_vectors: updates,
  energy_pJ: e, bytes: 0, word_bits: 16,
});

/** A small hand-made evaluation: two levels, two tensors, one compute action. */
const EVAL: Evaluation = {
  schema: 'spikeloop.evaluation/1',
  workload: 'tiny-layer',
  arch: 'two-level',
  totals: { energy_pJ: 1_234_567.5, cycles: 4096, offchip_bytes: 12_288, computes: 65_536 },
  levels: [
    {
      name: 'DRAM', energy_pJ: 1_000_000, energy_by_action: { read: 900_000, fill: 0, update: 100_000 }, cycles: 4096,
      bandwidth_throttling: 1, capacity_used_bits: 0, capacity_bits: null,
      read_bits: 262_144, write_bits: 131_072, bandwidth_bits_per_cycle: { read: 64, write: 64, shared: null }, transfer_cycles: 4096,
      tensors: { Weights: stats(4096, 0, 0, 4096, 1, 600_000), Outputs: stats(0, 0, 2048, 2048, 1, 400_000) },
    },
    {
      name: 'Buffer', energy_pJ: 200_000, energy_by_action: { read: 150_000, fill: 50_000, update: 0 }, cycles: 2048,
      bandwidth_throttling: 0.5, capacity_used_bits: 8192, capacity_bits: 16384,
      read_bits: 2_064_384, write_bits: 1_114_112, bandwidth_bits_per_cycle: { read: null, write: null, shared: null }, transfer_cycles: 0,
      tensors: { Weights: stats(65_536, 4096, 0, 256, 4, 150_000), Outputs: stats(63_488, 0, 65_536, 256, 4, 50_000) },
    },
  ],
  compute: { mac: { count: 65_536, energy_pJ: 34_567.5 } },
  timing: { model: 'roofline', cycles: 4096, compute_cycles: 2048, bottleneck: 'DRAM' },
  utilization: 0.5,
  active_utilization: 0.5,
  offchip_bytes_by_tensor: { Weights: 8192, Outputs: 4096 },
  energy_by_tensor: { Weights: 750_000, Outputs: 450_000 },
  energy_source: 'hand-made ERT',
};

describe('report formatting', () => {
  it('uses thousands separators and energy units', () => {
    expect(num(1234567)).toBe('1,234,567');
    expect(num(1234.5678)).toBe('1,234.57');
    expect(energy(12.5)).toBe('12.50 pJ');
    expect(energy(1500)).toBe('1.500 nJ');
    expect(energy(2_500_000)).toBe('2.500 uJ');
    expect(energy(0)).toBe('0 pJ');
  });
});

describe('text summary', () => {
  const text = textSummary(EVAL, { mapping: 'm.yaml' });
  const lines = text.split('\n');

  it('has a header naming workload, arch, mapping and energy table', () => {
    expect(lines[0]).toContain('tiny-layer on two-level');
    expect(text).toMatch(/workload\s+tiny-layer/);
    expect(text).toMatch(/mapping\s+m\.yaml/);
    expect(text).toMatch(/energy table\s+hand-made ERT/);
  });

  it('lists levels outermost first with their tensors, aligned', () => {
    const dram = lines.findIndex((l) => /^\s+DRAM\s/.test(l));
    const buffer = lines.findIndex((l) => /^\s+Buffer\s/.test(l));
    expect(dram).toBeGreaterThan(0);
    expect(buffer).toBeGreaterThan(dram);
    const row = lines.slice(buffer).find((l) => /^\s+Weights\s/.test(l))!;
    expect(row).toMatch(/Weights\s+65,536\s+4,096\s+0\s+256\s+4\s+150\.000 nJ$/);
    expect(lines[buffer]).toContain('50.0% of 2.0 KiB');
    // Right-aligned numeric columns: every row of the access table ends at the same column.
    const header = lines.findIndex((l) => l.includes('level / tensor'));
    const table = lines.slice(header, buffer + 3);
    expect(new Set(table.map((l) => l.length)).size).toBe(1);
  });

  it('shows off-chip bytes, energy by level / tensor / compute action, cycles and utilization', () => {
    expect(text).toMatch(/Weights\s+8,192 B \(8\.0 KiB\)\s+66\.7%/);
    expect(text).toMatch(/total\s+12,288 B \(12\.0 KiB\)\s+100\.0%/);
    expect(text).toMatch(/Buffer\s+200\.000 nJ\s+200,000\s+16\.2%/);
    expect(text).toMatch(/mac\s+65,536 ops\s+34\.568 nJ\s+34,567\.5\s+2\.8%/);
    expect(text).toMatch(/total\s+1\.235 uJ\s+1,234,567\.5\s+100\.0%/);
    expect(text).toMatch(/cycles\s+4,096/);
    expect(text).toMatch(/compute cycles\s+2,048/);
    expect(text).toMatch(/bottleneck\s+DRAM/);
    expect(text).toMatch(/utilization\s+50\.0%/);
    expect(text).toMatch(/Buffer\s+2,048\s+50\.0% of compute rate/);
  });

  it('--brief is a few lines: energy, off-chip bytes, cycles', () => {
    const b = briefSummary(EVAL, { mapping: 'm.yaml' }).split('\n');
    expect(b.length).toBeLessThanOrEqual(5);
    expect(b.join('\n')).toMatch(/energy\s+1\.235 uJ/);
    expect(b.join('\n')).toMatch(/off-chip\s+12,288 B .*Weights 8,192, Outputs 4,096/);
    expect(b.join('\n')).toMatch(/cycles\s+4,096 \(bottleneck: DRAM/);
  });
});

describe('artifacts', () => {
  it('the JSON artifact is the Evaluation', () => {
    const a = jsonArtifact(EVAL);
    expect(a.name).toBe('evaluation.json');
    expect(a.mediaType).toBe('application/json');
    expect(JSON.parse(a.content)).toEqual(EVAL);
    expect(evaluationJson(EVAL)).toBe(a.content.trimEnd());
  });

  it('the Markdown artifact has the same sections as tables', () => {
    const a = markdownArtifact(EVAL, { mapping: 'm.yaml' });
    expect(a.name).toBe('summary.md');
    expect(a.mediaType).toBe('text/markdown');
    expect(a.content).toMatch(/^# spikeloop evaluation: tiny-layer on two-level\n/);
    for (const h of ['## Accesses per level', '## Off-chip traffic', '## Energy', '## Timing']) expect(a.content).toContain(h);
    expect(a.content).toContain('| **Buffer** |');
    expect(a.content).toMatch(/\| &nbsp;&nbsp;Weights \| 65,536 \| 4,096 \| 0 \| 256 \| 4 \| 150\.000 nJ \|/);
    expect(a.content).toContain('mac');
  });
});
