// `spikeloop report` and `spikeloop compare` through the CLI (in-process): files written, paths printed,
// hashes, default folder, diagnostics and exit codes.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { provenanceRecord } from '../../src/cli/provenance.ts';
import { makeHost } from '../../src/cli/io.ts';
import { labelOf, uniqueLabels } from '../../src/cli/report.ts';
import { evaluationJson } from '../../src/report/json.ts';
import { cli, DIAGNOSTIC_LINE, tempDir } from '../cli/harness.ts';
import { demoEvaluationText } from './fixtures.ts';

async function evalFiles(): Promise<{ dir: string; inner: string; outer: string }> {
  const dir = tempDir();
  const inner = join(dir, 't-inner.json');
  const outer = join(dir, 't-outer', 'evaluation.json');
  writeFileSync(inner, await demoEvaluationText('inner'));
  await cli(['evaluate', '--arch', 'arch-specs/eyeriss-like.yaml', '--workload', 'workloads/vgg-conv3-snn.yaml', '--mapping', 'mappings/eyeriss-like-vgg-conv3-t-outer.yaml', '--out', join(dir, 't-outer')]);
  return { dir, inner, outer };
}

describe('spikeloop report', () => {
  it('writes report.html, report.md and charts/*.svg, prints the HTML path, records the SHA-256 of the input', async () => {
    const { dir, inner } = await evalFiles();
    const out = join(dir, 'rep');
    const r = await cli(['report', inner, '--out', out]);
    expect(r.code).toBe(0);
    expect(r.out).toBe(join(out, 'report.html'));
    expect(r.err).toMatch(/^wrote .*report\.md and 3 charts in /);
    expect(readdirSync(join(out, 'charts')).sort()).toEqual(['r0-energy.svg', 'r0-offchip.svg', 'r0-roofline.svg']);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    const hash = createHash('sha256').update(readFileSync(inner)).digest('hex');
    expect(html).toContain(hash);
    expect(html).toContain(`spikeloop report ${inner} --out ${out}`);
    const version = JSON.parse(readFileSync('package.json', 'utf8')).version as string;
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain(`**spikeloop version**: ${version}`);
    // provenance.json: the command and each file read with its SHA-256, in the form results record it
    const prov = JSON.parse(readFileSync(join(out, 'provenance.json'), 'utf8'));
    expect(prov).toEqual({ schema: 'spikeloop.report-provenance/1', version, command: `spikeloop report ${inner} --out ${out}`, inputs: [{ path: inner, sha256: hash }] });
  });

  it('a result that records its command and spec files (with hashes) gets them in the report', async () => {
    const { dir, inner } = await evalFiles();
    const host = makeHost({ stdout: () => {}, stderr: () => {}, cwd: process.cwd() });
    const files = ['arch-specs/eyeriss-like.yaml', 'workloads/vgg-conv3-snn.yaml', 'mappings/eyeriss-like-vgg-conv3-t-inner.yaml'];
    const rec = provenanceRecord(host, ['evaluate', '--arch', files[0], '--workload', files[1], '--mapping', files[2], '--json'], [...files, undefined, files[0], 'no/such/file.yaml']);
    expect(rec.command).toBe(`spikeloop evaluate --arch ${files[0]} --workload ${files[1]} --mapping ${files[2]} --json`);
    expect(rec.inputs.map((i) => i.path)).toEqual(files); // undefined, duplicates and unreadable files skipped
    for (const i of rec.inputs) expect(i.sha256).toBe(createHash('sha256').update(readFileSync(i.path)).digest('hex'));
    const withProv = join(dir, 'with-prov.json');
    // the one-line change a writer makes: evaluationJson(e, provenanceRecord(host, args, files))
    writeFileSync(withProv, evaluationJson(JSON.parse(readFileSync(inner, 'utf8')), rec));
    expect(JSON.parse(readFileSync(withProv, 'utf8'))).toMatchObject({ command: rec.command, inputs: rec.inputs, totals: JSON.parse(readFileSync(inner, 'utf8')).totals });
    const r = await cli(['report', withProv, '--out', join(dir, 'rp')]);
    expect(r.code).toBe(0);
    const md = readFileSync(join(dir, 'rp', 'report.md'), 'utf8');
    expect(md).toContain('### How with-prov was produced');
    expect(md).toContain(`- **command**: \`${rec.command}\``);
    for (const i of rec.inputs) expect(md).toContain(`| ${i.path} | \`${i.sha256}\` |`);
    expect(md).toMatch(/\| eyeriss-normalized[^|]*\| with-prov \|/); // the energy table, linked to the result naming it
  });

  it('defaults to reports/<name>/ (name from the file, or its folder when the file is evaluation.json)', async () => {
    const { dir, outer } = await evalFiles();
    const r = await cli(['report', outer], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.out).toBe(join('reports', 't-outer', 'report.html'));
    expect(existsSync(join(dir, 'reports', 't-outer', 'report.html'))).toBe(true);
    expect(labelOf('a/b/search.json')).toBe('b');
    expect(labelOf('x/conv3.json')).toBe('conv3');
    expect(uniqueLabels(['a/x.json', 'b/x.json'])).toEqual(['x', 'x#2']);
    expect(uniqueLabels(['r/search.json', 'r/network.json', 'q/evaluation.json'])).toEqual(['r-search', 'r-network', 'q']);
  });

  it('bad inputs: every problem as file:line:col: error CODE, exit 1, nothing written', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'bad.json'), '{\n  "totals": {,\n}');
    writeFileSync(join(dir, 'other.json'), '{"x": 1}');
    const r = await cli(['report', 'bad.json', 'other.json', 'missing.json', '--out', 'o'], { cwd: dir });
    expect(r.code).toBe(1);
    const lines = r.err.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines.some((l) => l.includes('SL-REPORT-KIND') && l.includes('explore'))).toBe(true);
    for (const l of lines) expect(l).toMatch(DIAGNOSTIC_LINE);
    expect(lines.some((l) => l.startsWith('bad.json:2:') && l.includes('SL-REPORT-JSON'))).toBe(true);
    expect(lines.some((l) => l.startsWith('other.json:1:1: error SL-REPORT-KIND'))).toBe(true);
    expect(lines.some((l) => l.startsWith('missing.json:1:1: error SL-FILE-NOT-FOUND'))).toBe(true);
    expect(existsSync(join(dir, 'o'))).toBe(false);
  });

  it('--help shows examples; no argument is a usage error', async () => {
    const h = await cli(['report', '--help']);
    expect(h.code).toBe(0);
    expect(h.out).toMatch(/Examples:[\s\S]*\$ spikeloop report/);
    expect((await cli(['report'])).code).toBe(2);
    const c = await cli(['compare', '--help']);
    expect(c.code).toBe(0);
    expect(c.out).toMatch(/Examples:[\s\S]*\$ spikeloop compare/);
  });
});

describe('spikeloop compare', () => {
  it('writes a side-by-side report with ratios; one file is a usage error', async () => {
    const { dir, inner, outer } = await evalFiles();
    const r = await cli(['compare', inner, outer], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.out).toBe(join('reports', 'compare-t-inner-vs-t-outer', 'report.html'));
    const md = readFileSync(join(dir, r.out.replace(/html$/, 'md')), 'utf8');
    const a = JSON.parse(readFileSync(inner, 'utf8'));
    const b = JSON.parse(readFileSync(outer, 'utf8'));
    expect(md).toContain(`${(b.totals.energy_pJ / a.totals.energy_pJ).toFixed(3)}x`);
    const one = await cli(['compare', inner]);
    expect(one.code).toBe(2);
    expect(one.err).toMatch(/at least two/);
  });
});
