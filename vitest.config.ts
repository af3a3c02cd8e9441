import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Files that need a module graph of their own: they mock modules (`vi.mock`, `vi.doMock`), turn on
 * V8 flags and re-run the kernels' feature test, or remove tfjs backends. Every other file shares
 * one process with the rest (`isolate: false`): tfjs, the engine and MNIST load once instead of once
 * per file (measured on 2 cores: 226 CPU-seconds for the 506 tests, against 245 with every file isolated).
 */
const ISOLATED = [
  'test/core/use-backend.test.ts',
  'test/core/png.test.ts',
  'test/core/load-mnist.test.ts',
  'test/core/kernels/dense-kernels.test.ts',
  'test/core/kernels/cnn-kernels.test.ts',
  'test/core/kernels/cnn-engine.test.ts',
];

/** Files in path order, always: the shared process sees the same sequence here and on CI (no timing cache decides it). */
class PathOrder extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const key = (f: TestSpecification) => `${f.project.name} ${f.moduleId}`;
    return [...files].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  }
}

export default defineConfig({
  test: {
    // The engine's WebAssembly is generated, not committed: build it first.
    globalSetup: ['test/core/kernels/build-kernels.global.ts'],
    // One event-loop turn between tests, so long runs of synchronous tests cannot starve vitest's own messages.
    setupFiles: ['test/core/helpers/turn-event-loop.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    sequence: { sequencer: PathOrder },
    projects: [
      { extends: true, test: { name: 'isolated', include: ISOLATED } },
      { extends: true, test: { name: 'shared', include: ['test/core/**/*.test.ts'], exclude: ISOLATED, isolate: false } },
    ],
  },
});
