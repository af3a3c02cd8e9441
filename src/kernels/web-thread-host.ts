/**
 * A {@link ThreadHost} for pages and workers: each helper is a Web Worker
 * started from a blob: URL (nothing to bundle). It needs shared memory, so a
 * cross-origin isolated context; a Content-Security-Policy without `blob:` in
 * `worker-src` makes {@link ThreadHost.spawn} reject, and the engine falls back
 * to one thread and says why.
 *
 * @example
 * ```ts
 * const engine = await createDenseEngine({ ...options, threads: 'auto', threadHost: webThreadHost() });
 * ```
 */
import type { HelperInit, HelperThread, ThreadHost } from './dense-engine.js';

interface WorkerLike {
  postMessage(message: unknown): void;
  terminate(): void;
  onmessage: ((e: { data: unknown }) => void) | null;
  onerror: ((e: { message?: string }) => void) | null;
}
interface WebGlobals {
  Worker?: new (url: string) => WorkerLike;
  Blob?: new (parts: string[], options: { type: string }) => unknown;
  URL: { createObjectURL?(blob: unknown): string; revokeObjectURL?(url: string): void };
  navigator?: { hardwareConcurrency?: number };
}

/** How long a helper may take to say ready before we give up on it (a blocked blob: never errors in some browsers). */
const START_TIMEOUT_MS = 5000;

/** The Web Worker thread host, or undefined where `Worker`/`Blob` do not exist. */
export function webThreadHost(): ThreadHost | undefined {
  const g = globalThis as unknown as WebGlobals;
  if (typeof g.Worker !== 'function' || typeof g.Blob !== 'function' || typeof g.URL?.createObjectURL !== 'function') return undefined;
  return {
    name: 'web worker (blob: URL)',
    cores: g.navigator?.hardwareConcurrency,
    spawn(source: string, init: HelperInit): Promise<HelperThread> {
      return new Promise((resolve, reject) => {
        const script = `${source}\nself.onmessage = function (e) { startHelper(e.data, function () { self.postMessage('ready'); }); };`;
        let url = '';
        let worker: WorkerLike;
        try {
          url = g.URL.createObjectURL!(new g.Blob!([script], { type: 'text/javascript' }));
          worker = new g.Worker!(url);
        } catch (e) {
          reject(new Error(`cannot start a blob: worker (Content-Security-Policy worker-src?): ${(e as Error).message}`));
          return;
        }
        const timer = setTimeout(() => {
          worker.terminate();
          reject(new Error(`the helper worker did not start within ${START_TIMEOUT_MS} ms (blob: blocked by Content-Security-Policy?)`));
        }, START_TIMEOUT_MS);
        worker.onerror = (e) => {
          clearTimeout(timer);
          worker.terminate();
          reject(new Error(`the helper worker failed: ${e.message ?? 'error event (blob: blocked by Content-Security-Policy?)'}`));
        };
        worker.onmessage = () => {
          clearTimeout(timer);
          g.URL.revokeObjectURL?.(url);
          resolve({ terminate: () => worker.terminate() });
        };
        worker.postMessage(init);
      });
    },
  };
}
