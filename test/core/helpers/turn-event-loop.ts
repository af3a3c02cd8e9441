// Every core test file: one turn of the event loop after each test. Vitest's
// runner moves from test to test on promises alone, so a file of synchronous
// tests (the CLI's, each blocking in spawnSync) never lets the worker read
// the main process's answers; past 60 s of that, vitest reports
// `Timeout calling "onTaskUpdate"` and fails a run whose tests all passed.
import { afterEach } from 'vitest';

afterEach(() => new Promise<void>((resolve) => setImmediate(resolve)));
