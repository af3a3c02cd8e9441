import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/core/**/*.test.ts'],
    // The engine's WebAssembly is generated, not committed: build it first.
    globalSetup: ['test/core/kernels/build-kernels.global.ts'],
    // One event-loop turn between tests, so long runs of synchronous tests cannot starve vitest's own messages.
    setupFiles: ['test/core/helpers/turn-event-loop.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
