// Vitest config of the end-to-end tests (test/e2e/): the built demo, served by
// scripts/serve-demo.mjs, driven in Debian's headless Chromium through
// playwright-core. Needs a build (`npm run build` or `npm run build:demo`).
//
//   npm run test:e2e
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    environment: 'node',
    // One browser, one page, steps in order: nothing runs in parallel on a 2-core machine.
    fileParallelism: false,
    pool: 'forks',
    testTimeout: 150_000,
    hookTimeout: 90_000,
  },
});
