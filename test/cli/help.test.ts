import { describe, expect, it } from 'vitest';
import { cli } from './harness.ts';

describe('spikeloop --help and --version', () => {
  it('prints the root help with commands, examples and exit codes', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Usage: spikeloop');
    expect(r.out).toMatch(/validate/);
    expect(r.out).toMatch(/evaluate/);
    expect(r.out).toContain('Examples:');
    expect(r.out).toContain('Exit codes:');
    expect(r.err).toBe('');
  });

  it.each(['validate', 'evaluate'])('prints the help of %s with examples', async (cmd) => {
    const r = await cli([cmd, '--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`Usage: spikeloop ${cmd}`);
    expect(r.out).toContain('Examples:');
    expect(r.out).toContain(`$ spikeloop ${cmd}`);
  });

  it('documents every evaluate option', async () => {
    const r = await cli(['evaluate', '--help']);
    for (const opt of ['--arch', '--workload', '--mapping', '--timeloop', '--json', '--out', '--timing', '--brief']) expect(r.out).toContain(opt);
  });

  it('`help <command>` works too', async () => {
    const r = await cli(['help', 'evaluate']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Usage: spikeloop evaluate');
  });

  it('prints the package version', async () => {
    const r = await cli(['--version']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^\d+\.\d+\.\d+/);
  });
});
