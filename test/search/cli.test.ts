import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { A, W, cli, tempDir, DIAGNOSTIC_LINE, ROOT, TIMELOOP } from '../cli/harness.ts';

// The Timeloop reference cases sit beside the repository (../shared), or two folders up from a worktree.
const REFERENCE = [TIMELOOP, resolve(ROOT, '..', '..', 'shared', 'reference', 'timeloop')].find((d) => existsSync(join(d, 'case08')));

// A small SNN layer and a small arch keep these CLI runs fast.
const ARCH = `arch:
  name: mini
  clock_mhz: 200
  levels:
    - name: DRAM
      kind: dram
      width: 64
      energy: { read: 200, write: 200 }
    - name: Buffer
      capacity_bytes: 256
      width: 16
      energy: { read: 6, write: 6 }
    - name: RF
      mesh: [2, 2]
      capacity_bytes: 32
      width: 16
      energy: { read: 1, write: 1 }
  compute:
    name: PE
    mesh: [2, 2]
    energy: { mac: 1, ac: 0.5, neuron_update: 1 }
`;
const LAYER = `workload:
  name: mini-snn
  type: snn-conv
  dims: { N: 1, T: 2, K: 4, C: 2, P: 4, Q: 1, R: 3, S: 1 }
  stride: 1
`;

function files(): { dir: string; arch: string; layer: string } {
  const dir = tempDir();
  writeFileSync(join(dir, 'arch.yaml'), ARCH);
  writeFileSync(join(dir, 'layer.yaml'), LAYER);
  return { dir, arch: join(dir, 'arch.yaml'), layer: join(dir, 'layer.yaml') };
}

/** Loops of one level of a native mapping YAML: { temporal: {dim: factor}, spatial: {dim: factor}, bypass }. */
function level(yaml: string, name: string): { temporal: Record<string, number>; spatial: Record<string, number>; bypass: string[]; order: string[] } {
  const block = yaml.split(`- level: ${name}`)[1].split('- level:')[0];
  const loops = (s: string | undefined): [string, number][] => (s ?? '').trim().split(/\s+/).filter(Boolean).map((x) => [x.replace(/\d+$/, ''), Number(x.match(/\d+$/)![0])]);
  const t = /temporal: "([^"]*)"/.exec(block)?.[1];
  const sp = [...block.matchAll(/[XY]: "([^"]*)"/g)].flatMap((m) => loops(m[1]));
  const spatial: Record<string, number> = {};
  for (const [d, f] of sp) spatial[d] = (spatial[d] ?? 1) * f;
  return { temporal: Object.fromEntries(loops(t)), spatial, bypass: /bypass: \[([^\]]*)\]/.exec(block)?.[1].split(',').map((s) => s.trim()) ?? [], order: loops(t).map(([d]) => d) };
}

describe('spikeloop search', () => {
  it('writes a best mapping that spikeloop evaluate accepts unchanged, with the same totals', async () => {
    const f = files();
    const out = join(f.dir, 'out');
    const r = await cli(['search', '--arch', f.arch, '--workload', f.layer, '--max-evals', '600', '--out', out, '--pareto', '--json']);
    expect(r.code, r.err).toBe(0);
    const json = JSON.parse(r.out);
    expect(json.schema).toBe('spikeloop.search/1');
    expect(BigInt(json.space.total)).toBeGreaterThan(0n);
    expect(json.explored.considered).toBe(600);
    const ev = await cli(['evaluate', '--arch', f.arch, '--workload', f.layer, '--mapping', join(out, 'best-mapping.yaml'), '--json']);
    expect(ev.code, ev.err).toBe(0);
    const totals = JSON.parse(ev.out).totals;
    expect(totals.energy_pJ).toBeCloseTo(json.best.totals.energy_pJ, 6);
    expect(totals.cycles).toBe(json.best.totals.cycles);
    expect(totals.offchip_bytes).toBe(json.best.totals.offchip_bytes);
    const pareto = JSON.parse(readFileSync(join(out, 'pareto.json'), 'utf8'));
    expect(pareto.length).toBeGreaterThan(0);
  });

  it('is deterministic for a seed, and --threads 2 gives the same result as one thread (anneal and capped exhaustive)', async () => {
    const f = files();
    for (const extra of [['--max-evals', '400'], ['--strategy', 'exhaustive', '--max-evals', '3000']]) {
      const args = ['search', '--arch', f.arch, '--workload', f.layer, ...extra, '--seed', '7', '--json'];
      const a = JSON.parse((await cli(args)).out);
      const b = JSON.parse((await cli(args)).out);
      const c = await cli([...args, '--threads', '2']);
      expect(c.code, c.err).toBe(0);
      const cj = JSON.parse(c.out);
      for (const x of [b, cj]) {
        expect(x.best.mapping_yaml).toBe(a.best.mapping_yaml);
        expect(x.best.totals).toEqual(a.best.totals);
        expect(x.explored.considered).toBe(a.explored.considered);
      }
      expect(b.explored).toEqual(a.explored);
    }
  });

  it('exhaustive on a tiny layer says optimal; threads do not change the optimum', async () => {
    const f = files();
    writeFileSync(f.layer, LAYER.replace('K: 4, C: 2, P: 4', 'K: 2, C: 1, P: 2').replace('R: 3', 'R: 1'));
    const args = ['search', '--arch', f.arch, '--workload', f.layer, '--strategy', 'exhaustive', '--json'];
    const one = JSON.parse((await cli(args)).out);
    const two = JSON.parse((await cli([...args, '--threads', '2'])).out);
    expect(one.optimal).toBe(true);
    expect(one.space.total_is_exact).toBe(true);
    // Every candidate of the exact space is accounted for (evaluated, rejected or pruned), unless whole partial
    // tilings were cut by the bound.
    if (one.explored.pruned_subtrees === 0) expect(one.explored.considered).toBe(Number(one.space.total));
    else expect(one.explored.considered).toBeLessThan(Number(one.space.total));
    expect(two.optimal).toBe(true);
    expect(two.best.totals).toEqual(one.best.totals);
    expect(two.best.mapping_yaml).toBe(one.best.mapping_yaml);
  });

  it('says why when there is no valid mapping (exit 3), also as JSON and search.json', async () => {
    const f = files();
    writeFileSync(f.arch, ARCH.replace('capacity_bytes: 32', 'capacity_bytes: 0.5'));
    const c = join(f.dir, 'keep.yaml');
    writeFileSync(c, 'constraints:\n  levels:\n    - level: RF\n      keep: [Weights, Psum]\n');
    const r = await cli(['search', '--arch', f.arch, '--workload', f.layer, '--constraints', c, '--max-evals', '200']);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/no valid mapping among 200 candidates; why:/);
    expect(r.err).toMatch(/capacity at RF/);
    const out = join(f.dir, 'out');
    const j = await cli(['search', '--arch', f.arch, '--workload', f.layer, '--constraints', c, '--max-evals', '200', '--json', '--out', out]);
    expect(j.code).toBe(3);
    const json = JSON.parse(j.out);
    expect(json.best).toBeNull();
    expect(json.invalid[0]).toMatchObject({ stage: 'capacity', level: 'RF' });
    expect(JSON.parse(readFileSync(join(out, 'search.json'), 'utf8')).best).toBeNull();
    // An empty space says why before searching.
    writeFileSync(c, 'constraints:\n  min_utilization: 1\n  levels:\n    - level: Buffer\n      spatial: { X: { K: 1, P: 1, C: 1, R: 1, T: 1 } }\n');
    const e = await cli(['search', '--arch', f.arch, '--workload', f.layer, '--constraints', c, '--json']);
    expect(e.code).toBe(3);
    expect(e.err).toMatch(/no valid mapping: /);
    expect(JSON.parse(e.out).empty_space.length).toBeGreaterThan(0);
  });

  it('reports constraint problems with file, line and code', async () => {
    const f = files();
    const c = join(f.dir, 'c.yaml');
    writeFileSync(c, ['constraints:', '  min_utilization: 2', '  levels:', '    - level: Bufer', '    - level: RF', '      temporal: { K: 3, Z: 2 }', '      keep: [Weights]', '      bypass: [Weights]', ''].join('\n'));
    const r = await cli(['search', '--arch', f.arch, '--workload', f.layer, '--constraints', c]);
    expect(r.code).toBe(1);
    const lines = r.err.split('\n');
    for (const l of lines) expect(l).toMatch(DIAGNOSTIC_LINE);
    const codes = lines.map((l) => `${DIAGNOSTIC_LINE.exec(l)![4]}:${DIAGNOSTIC_LINE.exec(l)![2]}`);
    expect(codes).toEqual(expect.arrayContaining(['SL-CON-UTILIZATION:2', 'SL-CON-UNKNOWN-LEVEL:4', 'SL-CON-FACTOR:6', 'SL-CON-UNKNOWN-DIM:6', 'SL-CON-KEEP:8']));
    expect(r.err).toMatch(/did you mean 'Buffer'/);
  });

  it('names the line of impossible factor constraints: over the size across levels, over the fan-out, T spatial', async () => {
    const cases: [string, string, RegExp][] = [
      ['constraints:\n  levels:\n    - level: DRAM\n      temporal: { K: 64 }\n    - level: GlobalBuffer\n      temporal: { K: 64 }\n', 'SL-CON-BOUNDS:6', /factors of K asked for \(64 at DRAM temporal, 64 at GlobalBuffer temporal\) need 4096/],
      ['constraints:\n  levels:\n    - level: GlobalBuffer\n      spatial: { X: { K: { min: 20 } } }\n', 'SL-CON-FANOUT:4', /min 20 of K .* exceeds the fan-out 14/],
      ['constraints:\n  levels:\n    - level: GlobalBuffer\n      spatial: { Y: { T: { min: 2 } } }\n', 'SL-CON-TIME:4', /timesteps of a stateful neuron run in order/],
    ];
    const dir = tempDir();
    for (const [text, code, message] of cases) {
      const c = join(dir, 'c.yaml');
      writeFileSync(c, text);
      const r = await cli(['search', '--arch', A, '--workload', W, '--constraints', c]);
      expect(r.code).toBe(1);
      const m = DIAGNOSTIC_LINE.exec(r.err.split('\n')[0])!;
      expect(`${m[4]}:${m[2]}`).toBe(code);
      expect(r.err).toMatch(message);
    }
  });

  it('a network file: says search maps one layer and points to explore', async () => {
    const r = await cli(['search', '--arch', A, '--workload', 'workloads/sew-resnet-5plif.yaml']);
    // A usage error (the wrong command for this file), caught before any spec is read.
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/is a network: search maps one layer; .*spikeloop explore/);
  });

  it('the shipped dataflow constraints give the loop nests they name (Eyeriss-like, VGG layer)', async () => {
    const run = async (name: string) => {
      const r = await cli(['search', '--arch', A, '--workload', W, '--constraints', `mappings/constraints/${name}-stationary.yaml`, '--max-evals', '600', '--json']);
      expect(r.code, `${name}: ${r.err}`).toBe(0);
      const json = JSON.parse(r.out);
      expect(json.constraints).toBe(`${name}-stationary`);
      return json.best.mapping_yaml as string;
    };
    const ws = await run('weight');
    const wsRf = level(ws, 'RegisterFile');
    // weight stationary: only Weights live in the register file, and its loops never change the weight
    expect(wsRf.bypass).toEqual(['Inputs', 'Psum', 'State', 'Outputs']);
    for (const d of ['K', 'C', 'R', 'S']) expect(wsRf.temporal[d] ?? 1).toBe(1);
    // output stationary: every reduction loop inside the register file, which keeps the partial sum
    const os = await run('output');
    for (const l of ['DRAM', 'GlobalBuffer']) {
      const x = level(os, l);
      for (const d of ['C', 'R', 'S']) expect((x.temporal[d] ?? 1) * (x.spatial[d] ?? 1), `${l} ${d}`).toBe(1);
    }
    const osRf = level(os, 'RegisterFile');
    expect(osRf.bypass).not.toContain('Psum');
    expect((osRf.temporal.C ?? 1) * (osRf.temporal.R ?? 1) * (osRf.temporal.S ?? 1)).toBe(64 * 9);
    for (const d of ['N', 'T', 'K', 'P', 'Q']) expect(osRf.temporal[d] ?? 1).toBe(1);
    // row stationary: the whole row (all of Q and S) in the register file, Q outside S; R down the PE columns
    const rs = await run('row');
    const rsRf = level(rs, 'RegisterFile');
    expect(rsRf.temporal.Q).toBe(28);
    expect(rsRf.temporal.S).toBe(3);
    expect(rsRf.order.indexOf('Q')).toBeLessThan(rsRf.order.indexOf('S'));
    expect(level(rs, 'GlobalBuffer').spatial.R).toBe(3);
    expect(level(rs, 'GlobalBuffer').spatial.P).toBeGreaterThanOrEqual(2);
    for (const d of ['Weights', 'Inputs', 'Psum']) expect(rsRf.bypass).not.toContain(d);
  });

  it('honours order and minimum-utilization constraints in the mapping it writes', async () => {
    const f = files();
    const c = join(f.dir, 'c.yaml');
    writeFileSync(c, 'constraints:\n  min_utilization: 1\n  levels:\n    - level: DRAM\n      order: "K T"\n');
    const r = await cli(['search', '--arch', f.arch, '--workload', f.layer, '--constraints', c, '--max-evals', '400', '--json']);
    expect(r.code, r.err).toBe(0);
    const yaml = JSON.parse(r.out).best.mapping_yaml as string;
    const dram = level(yaml, 'DRAM');
    if (dram.order.includes('K') && dram.order.includes('T')) expect(dram.order.indexOf('K')).toBeLessThan(dram.order.indexOf('T'));
    const buf = level(yaml, 'Buffer');
    expect(Object.values(buf.spatial).reduce((a, b) => a * b, 1)).toBe(4); // all 4 PEs
  });

  it('--time-limit stops the search, reports the best so far and why it stopped', async () => {
    const f = files();
    const r = await cli(['search', '--arch', A, '--workload', W, '--max-evals', '100000000', '--time-limit', '1', '--json']);
    expect(r.code, r.err).toBe(0);
    const json = JSON.parse(r.out);
    expect(json.stop).toBe('time-limit');
    expect(json.best).not.toBeNull();
    expect(json.optimal).toBe(false);
    void f;
  });

  it('--tolerance and --offchip-exclude reach the objective', async () => {
    const f = files();
    const r = await cli(['search', '--arch', f.arch, '--workload', f.layer, '--objective', 'energy,cycles', '--tolerance', '0.05', '--offchip-exclude', 'State', '--max-evals', '300', '--json']);
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out).objective).toBe('energy then cycles (each within 5% of its best)');
    expect((await cli(['search', '--arch', f.arch, '--workload', f.layer, '--offchip-exclude', 'Stat'])).code).toBe(2);
  });

  it('--rerank re-evaluates the best candidates with the pipeline timing model and reports both cycle counts', async () => {
    const f = files();
    const r = await cli(['search', '--arch', f.arch, '--workload', f.layer, '--objective', 'cycles', '--max-evals', '500', '--rerank', '5', '--pareto', '--json']);
    expect(r.code, r.err).toBe(0);
    const json = JSON.parse(r.out);
    expect(json.rerank.model).toBe('pipeline');
    expect(json.rerank.candidates.length).toBeGreaterThanOrEqual(5);
    for (const c of json.rerank.candidates) if (c.pipeline) expect(c.pipeline.cycles).toBeGreaterThanOrEqual(c.roofline.cycles);
    expect(json.best.timing.roofline_cycles).toBe(json.best.totals.cycles);
    expect(json.best.timing.pipeline_cycles).toBe(json.evaluation?.timing?.cycles ?? json.best.evaluation.timing.cycles);
    expect(json.best.evaluation.timing.model).toBe('pipeline');
  });

  it.skipIf(!REFERENCE)('--timeloop: searches Timeloop inputs and writes a Timeloop mapping that evaluate --timeloop accepts, same totals', async () => {
    const dir = join(REFERENCE!, 'case08');
    const out = join(tempDir(), 'tl');
    const files4 = ['arch.yaml', 'problem.yaml', 'ERT.yaml'].map((x) => join(dir, x));
    const r = await cli(['search', '--timeloop', ...files4, '--max-evals', '400', '--out', out, '--json']);
    expect(r.code, r.err).toBe(0);
    const json = JSON.parse(r.out);
    const tl = readFileSync(join(out, 'best-mapping.yaml'), 'utf8');
    expect(tl).toMatch(/type: temporal/);
    expect(json.best.timeloop_mapping_yaml).toBe(tl);
    const ev = await cli(['evaluate', '--timeloop', join(dir, 'arch.yaml'), join(dir, 'problem.yaml'), join(out, 'best-mapping.yaml'), join(dir, 'ERT.yaml'), '--json']);
    expect(ev.code, ev.err).toBe(0);
    const totals = JSON.parse(ev.out).totals;
    expect(totals.energy_pJ).toBeCloseTo(json.best.totals.energy_pJ, 6);
    expect(totals.cycles).toBe(json.best.totals.cycles);
    expect(totals.offchip_bytes).toBe(json.best.totals.offchip_bytes);
  });

  it('rejects bad options as usage errors', async () => {
    expect((await cli(['search', '--arch', A])).code).toBe(2);
    expect((await cli(['search', '--arch', A, '--workload', W, '--threads', '0'])).code).toBe(2);
    expect((await cli(['search', '--arch', A, '--workload', W, '--objective', 'speed'])).code).toBe(2);
    expect((await cli(['search', '--arch', A, '--workload', W, '--timing', 'fast'])).code).toBe(2);
    expect((await cli(['search', '--arch', A, '--workload', W, '--timing', 'roofline', '--rerank', '3'])).code).toBe(2);
    expect((await cli(['search', '--arch', A, '--workload', W, '--objective', 'energy', '--tolerance', '0.1'])).code).toBe(2);
  });
});
