/**
 * The `./worker` entry as built by rollup (dist/worker.js), which is
 * what consumers run, typed by its sources. The tests never import sources.
 */
import type * as WorkerApi from '../../../workers/index.js';

const builtEntry = new URL('/dist/worker.js', location.origin).href;
export const api: typeof WorkerApi = await import(builtEntry);

/** The worker script of the build, and test workers that wrap it. */
export const WORKER_URL = new URL('/dist/trainer-worker/trainer-worker.js', location.origin).href;
export const FIXTURE = (name: string): string => new URL(`/test/worker/fixtures/${name}`, location.origin).href;
export const MNIST_URL = new URL('/dist/mnist/', location.origin).href;
