import { describe, expect, it } from 'vitest';
import { A, cli, M_INNER, W } from './harness.ts';

describe('usage errors exit 2', () => {
  it.each([
    ['no command', []],
    ['an unknown command', ['evalute']],
    ['an unknown option', ['evaluate', '--arch', A, '--workload', W, '--mapping', M_INNER, '--fast']],
    ['missing spec options', ['evaluate', '--arch', A]],
    ['validate without files', ['validate']],
    ['an unknown timing model', ['evaluate', '--arch', A, '--workload', W, '--mapping', M_INNER, '--timing', 'exact']],
    ['--json with --brief', ['evaluate', '--arch', A, '--workload', W, '--mapping', M_INNER, '--json', '--brief']],
    ['--timeloop with two files', ['evaluate', '--timeloop', 'a.yaml', 'b.yaml']],
    ['--timeloop mixed with --arch', ['evaluate', '--arch', A, '--timeloop', 'a.yaml', 'b.yaml', 'c.yaml']],
    ['an option without its value', ['evaluate', '--arch']],
    ['a stray argument', ['evaluate', 'extra', '--arch', A, '--workload', W, '--mapping', M_INNER]],
  ])('%s', async (_name, args) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.length).toBeGreaterThan(0);
    expect(r.err).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('names the missing options', async () => {
    const r = await cli(['evaluate', '--arch', A]);
    expect(r.err).toContain('--workload');
    expect(r.err).toContain('--mapping');
  });
});

describe('unexpected exceptions', () => {
  const args = ['evaluate', '--arch', A, '--workload', W, '--mapping', M_INNER, '--json'];
  const boom = (): void => {
    throw new TypeError('boom');
  };

  it('are one line, exit 70', async () => {
    const r = await cli(args, { stdout: boom });
    expect(r.code).toBe(70);
    expect(r.err.split('\n')).toHaveLength(1);
    expect(r.err).toContain('internal error: boom');
  });

  it('show the stack with SPIKELOOP_DEBUG=1', async () => {
    const r = await cli(args, { stdout: boom, env: { SPIKELOOP_DEBUG: '1' } });
    expect(r.code).toBe(70);
    expect(r.err).toMatch(/internal error: boom\n.*TypeError: boom/s);
  });
});
