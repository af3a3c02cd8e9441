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
  onerror: ((e: { message?: string; preventDefault?(): void }) => void) | null;
}
interface WebGlobals {
  Worker?: new (url: string) => WorkerLike;
  Blob?: new (parts: string[], options: { type: string }) => unknown;
  URL: { createObjectURL?(blob: unknown): string; revokeObjectURL?(url: string): void };
  navigator?: { hardwareConcurrency?: number };
}

/** How long a helper may take to say ready before we give up on it (a blocked blob: never errors in some browsers). */
const START_TIMEOUT_MS = 15_000;

/** Why a blob: helper could not start: in practice always a Content-Security-Policy. */
const BLOB_FORBIDDEN = "the helper thread's blob: worker did not start: the Content-Security-Policy forbids blob: workers (allow blob: in worker-src)";

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
          reject(new Error(`${BLOB_FORBIDDEN} (${(e as Error).message})`));
          return;
        }
        const timer = setTimeout(() => {
          worker.terminate();
          reject(new Error(`${BLOB_FORBIDDEN} (no answer within ${START_TIMEOUT_MS} ms)`));
        }, START_TIMEOUT_MS);
        worker.onerror = (e) => {
          e.preventDefault?.();
          clearTimeout(timer);
          worker.terminate();
          reject(new Error(`${BLOB_FORBIDDEN}${e.message ? ` (${e.message})` : ''}`));
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
