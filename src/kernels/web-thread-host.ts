/**
 * A {@link ThreadHost} for pages and workers: each helper is a Web Worker
 * started from a blob: URL (nothing to bundle). It needs shared memory, so a
 * cross-origin isolated context; a Content-Security-Policy without `blob:` in
 * `worker-src` makes {@link ThreadHost.spawn} reject, and the engine falls back
 * to one thread and says why.
 *
 * A helper that stopped cleanly (its engine was disposed) goes back to the
 * host's pool and serves the next engine: `auto` measures the engine and then
 * trains on a new one, and a worker that creates a Web Worker right after
 * terminating one can block in the `Worker` constructor in Firefox ESR (its
 * thread never answers again), so the second engine must not need a new one.
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
/** How long a released helper may take to leave its loop before it is terminated instead of pooled. */
const STOP_GRACE_MS = 1_000;
/** Idle helpers kept for the next engine (the engine starts at most 2 threads: 1 helper). */
const POOL_SIZE = 2;

/** Why a blob: helper could not start: in practice always a Content-Security-Policy. */
const BLOB_FORBIDDEN = "the helper thread's blob: worker did not start: the Content-Security-Policy forbids blob: workers (allow blob: in worker-src)";

/** The Web Worker thread host, or undefined where `Worker`/`Blob` do not exist. */
export function webThreadHost(): ThreadHost | undefined {
  const g = globalThis as unknown as WebGlobals;
  if (typeof g.Worker !== 'function' || typeof g.Blob !== 'function' || typeof g.URL?.createObjectURL !== 'function') return undefined;
  /** Helpers that left their loop and wait for the next engine, by the source they run. */
  const idle: { source: string; worker: WorkerLike }[] = [];
  /** Why the first helper that failed to start failed; later spawns reject with it. */
  let failed: Error | undefined;

  const create = (source: string): WorkerLike => {
    // After each run the helper says 'idle': its loop has ended and it can take the next engine.
    const script = `${source}\nself.onmessage = function (e) { startHelper(e.data, function () { self.postMessage('ready'); }); self.postMessage('idle'); };`;
    let url = '';
    try {
      url = g.URL.createObjectURL!(new g.Blob!([script], { type: 'text/javascript' }));
      return new g.Worker!(url);
    } catch (e) {
      throw new Error(`${BLOB_FORBIDDEN} (${(e as Error).message})`);
    } finally {
      // A worker has fetched its script by the time it answers; revoking now is safe once it started.
      if (url) setTimeout(() => g.URL.revokeObjectURL?.(url), START_TIMEOUT_MS);
    }
  };

  return {
    name: 'web worker (blob: URL)',
    cores: g.navigator?.hardwareConcurrency,
    spawn(source: string, init: HelperInit): Promise<HelperThread> {
      return new Promise((resolve, reject) => {
        if (failed) {
          reject(failed);
          return;
        }
        const fail = (e: Error) => reject((failed = e));
        const pooled = idle.findIndex((h) => h.source === source);
        let worker: WorkerLike;
        try {
          worker = pooled >= 0 ? idle.splice(pooled, 1)[0].worker : create(source);
        } catch (e) {
          fail(e as Error);
          return;
        }
        let state: 'starting' | 'running' | 'released' | 'gone' = 'starting';
        const end = () => {
          state = 'gone';
          worker.terminate();
        };
        const timer = setTimeout(() => {
          end();
          fail(new Error(`${BLOB_FORBIDDEN} (no answer within ${START_TIMEOUT_MS} ms)`));
        }, START_TIMEOUT_MS);
        let grace: ReturnType<typeof setTimeout> | undefined;
        worker.onerror = (e) => {
          e.preventDefault?.();
          clearTimeout(timer);
          clearTimeout(grace);
          const starting = state === 'starting';
          end();
          if (starting) fail(new Error(`${BLOB_FORBIDDEN}${e.message ? ` (${e.message})` : ''}`));
        };
        worker.onmessage = (e) => {
          if (e.data === 'ready' && state === 'starting') {
            clearTimeout(timer);
            state = 'running';
            resolve({
              // The engine told the helper to stop first: pool it once it says idle, else end it.
              terminate: () => {
                if (state !== 'running') return;
                state = 'released';
                grace = setTimeout(end, STOP_GRACE_MS);
              },
            });
          } else if (e.data === 'idle' && state === 'released') {
            clearTimeout(grace);
            worker.onmessage = worker.onerror = null;
            if (idle.length < POOL_SIZE) idle.push({ source, worker });
            else worker.terminate();
          }
        };
        worker.postMessage(init);
      });
    },
  };
}
