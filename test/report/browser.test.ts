// The demo's HTML report, and a report of every kind of real command output, in a real browser: headless
// Chromium (Debian's `chromium` package) loads them without console errors or blocked requests, and every chart
// has a non-zero size. Skipped when Chromium is absent, except under CI=true (.ci/run exports it and installs
// Chromium), where a missing browser fails the test.
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { A, cli, M_INNER, tempDir, W } from '../cli/harness.ts';
import { demoEvaluation, syntheticNetwork } from './fixtures.ts';
import { REAL_FILES, realOutputs } from './real.ts';

// SPIKELOOP_CHROMIUM names the only browser to use (set it to a missing path to check the CI failure).
const CANDIDATES = process.env.SPIKELOOP_CHROMIUM ? [process.env.SPIKELOOP_CHROMIUM] : ['/usr/bin/chromium', '/usr/bin/chromium-browser'];
const executable = CANDIDATES.find((p) => existsSync(p));
const ci = process.env.CI === 'true';

describe('HTML report in headless Chromium', () => {
  it.runIf(ci && !executable)('CI has Chromium (.ci/run installs the Debian package)', () => {
    expect.fail(`CI=true but no Chromium at ${CANDIDATES.join(', ')}; install it with apt-get install chromium`);
  });

  describe.skipIf(!executable)(`with ${executable ?? 'no Chromium'}`, () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await chromium.launch({ executablePath: executable!, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
    });
    afterAll(async () => {
      await browser?.close();
    });

    async function check(htmlPath: string): Promise<{ charts: number; sizes: { id: string; w: number; h: number }[] }> {
      const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
      const problems: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
      const requests: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(pathToFileURL(htmlPath).href, { waitUntil: 'load' });
      const sizes = await page.$$eval('figure.chart svg', (els) =>
        els.map((el) => {
          const b = el.getBoundingClientRect();
          return { id: el.getAttribute('data-chart') ?? '', w: b.width, h: b.height };
        }),
      );
      await page.close();
      expect(problems).toEqual([]);
      expect(requests).toEqual([pathToFileURL(htmlPath).href]); // the page itself, nothing else
      for (const s of sizes) {
        expect(s.w, `${s.id} width`).toBeGreaterThan(100);
        expect(s.h, `${s.id} height`).toBeGreaterThan(50);
      }
      return { charts: sizes.length, sizes };
    }

    it('the demo report (npm run demo: evaluate T innermost, then report) loads cleanly, every chart visible', async () => {
      const dir = tempDir();
      const ev = await cli(['evaluate', '--arch', A, '--workload', W, '--mapping', M_INNER, '--json', '--out', join(dir, 'demo', 't-inner')]);
      expect(ev.code).toBe(0);
      const r = await cli(['report', join(dir, 'demo', 't-inner', 'evaluation.json'), '--out', join(dir, 'demo', 'report')]);
      expect(r.code).toBe(0);
      const { charts } = await check(r.out);
      expect(charts).toBe(readdirSync(join(dir, 'demo', 'report', 'charts')).length);
      expect(charts).toBeGreaterThanOrEqual(3);
    });

    it('a report of every kind of real command output (and the synthetic network with occupancy) loads cleanly', async () => {
      const { dir } = await realOutputs();
      writeFileSync(join(dir, 'synthetic-network.json'), JSON.stringify(syntheticNetwork(await demoEvaluation(), await demoEvaluation('outer'))));
      const files = [REAL_FILES.pipeline, REAL_FILES.network, REAL_FILES.explore, REAL_FILES.sweep, REAL_FILES.search, REAL_FILES.training, 'synthetic-network.json'];
      const r = await cli(['report', ...files, '--out', 'all'], { cwd: dir });
      expect(r.code).toBe(0);
      const { sizes } = await check(join(dir, r.out));
      expect(sizes.map((s) => s.id)).toEqual(
        expect.arrayContaining(['r0-timeline', 'r0-activity', 'r0-roofline', 'r1-layers', 'r1-layer-offchip', 'r1-occupancy', 'r2-p0-pareto', 'r3-sweep-energy', 'r3-sweep-offchip', 'r4-pareto', 'r5-phases', 'r5-scheme-energy', 'r6-occupancy']),
      );
      expect(sizes.length).toBe(readdirSync(join(dir, 'all', 'charts')).length);
      const cmp = await cli(['compare', REAL_FILES.network, REAL_FILES.explore, REAL_FILES.training, '--out', 'cmp'], { cwd: dir });
      expect(cmp.code).toBe(0);
      await check(join(dir, cmp.out));
    });
  });
});
