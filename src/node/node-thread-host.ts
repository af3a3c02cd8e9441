/**
 * The dense engine's {@link ThreadHost} for Node: helpers are `worker_threads`
 * workers evaluated from the helper script text. Workers are unref'd, so an
 * engine that is never disposed does not keep the process alive.
 *
 * @example
 * ```ts
 * import { nodeThreadHost } from 'digit-classifier/node';
 * const engine = await createDenseEngine({ ...options, threads: 2, threadHost: nodeThreadHost });
 * ```
 */
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import type { HelperInit, HelperThread, ThreadHost } from '../kernels/dense-engine.js';

export const nodeThreadHost: ThreadHost = {
  name: 'node worker_threads',
  cores: availableParallelism(),
  spawn(source: string, init: HelperInit): Promise<HelperThread> {
    return new Promise((resolve, reject) => {
      const script = `${source}\nconst { parentPort } = require('node:worker_threads');\nparentPort.once('message', (init) => startHelper(init, () => parentPort.postMessage('ready')));`;
      const worker = new Worker(script, { eval: true });
      worker.unref();
      // Before "ready" an error rejects the start; after it (a helper whose step trapped) the
      // engine's own barrier timeout reports it, so the event must not go unhandled.
      worker.on('error', (e) => reject(new Error(`the helper thread failed: ${e.message}`)));
      worker.once('message', () => resolve({ terminate: () => void worker.terminate() }));
      worker.postMessage(init);
    });
  },
};
