import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Produces the real command outputs the report tests read, once per run.
    globalSetup: ['test/report/global-setup.ts'],
    // fast-check: a fixed seed under CI, fresh cases locally (test/setup-fast-check.ts).
    setupFiles: ['test/setup-fast-check.ts'],
    testTimeout: 60000,
    hookTimeout: 60000,
    // Forks isolate each test file in its own process; two workers fit a 2-core CI machine.
    pool: 'forks',
    maxWorkers: 2,
  },
});
