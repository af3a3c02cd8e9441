/**
 * Where the training worker comes from: the package's own worker script beside
 * this module (in the form bundlers recognise), a URL the page names, or a
 * cross-origin script started through a same-origin `blob:` shim; and the
 * `.wasm` paths made absolute against the page, not the worker script.
 */
import type { WorkerInitOptions } from './protocol.js';

/**
 * Where the worker script sits beside this module, unbundled. A variable, not a
 * literal, so bundlers do not copy the script a second time as an asset: the
 * literal they must see is the one inside `new Worker(new URL(…))` below.
 */
const WORKER_PATH = '../trainer-worker/trainer-worker.js';

/**
 * Starts the worker script: the package's own (`workerUrl` undefined), or the one at `workerUrl`.
 * `cleanup` (a blob shim's URL) runs once the worker has loaded.
 */
export function spawnWorker(workerUrl: string | URL | undefined): { worker: Worker; url: string; cleanup?: () => void } {
  const options = { type: 'module', name: 'digit-classifier-trainer' } as const;
  if (workerUrl === undefined) {
    // `here` as a variable: bundlers treat `new URL('…', import.meta.url)` as a file to emit.
    const here = new URL(import.meta.url);
    const beside = new URL(WORKER_PATH, here);
    // This module loaded from another origin (a CDN, unbundled): start the worker through a blob shim.
    // (webpack turns import.meta.url into the source's file: URL, which says nothing about origins.)
    if (/^https?:$/.test(here.protocol) && here.origin !== location.origin) return shimWorker(beside);
    // One expression, literal options: the form Vite and webpack 5 recognise to bundle the worker.
    return { worker: new Worker(new URL('../trainer-worker/trainer-worker.js', import.meta.url), { type: 'module', name: 'digit-classifier-trainer' }), url: beside.href };
  }
  const url = new URL(String(workerUrl), location.href);
  if (url.origin !== location.origin) return shimWorker(url);
  return { worker: new Worker(url, options), url: url.href };
}

/** Browsers start workers from same-origin scripts only; a blob module may import a CORS-enabled one. */
function shimWorker(url: URL): { worker: Worker; url: string; cleanup: () => void } {
  const shim = URL.createObjectURL(new Blob([`import ${JSON.stringify(url.href)};\n`], { type: 'text/javascript' }));
  return { worker: new Worker(shim, { type: 'module', name: 'digit-classifier-trainer' }), url: url.href, cleanup: () => URL.revokeObjectURL(shim) };
}

/** Relative wasm paths mean "relative to the page", as a user expects, not to the worker script. */
export function absoluteWasmPaths(paths: WorkerInitOptions['wasmPaths']): WorkerInitOptions['wasmPaths'] {
  if (paths === undefined) return undefined;
  if (typeof paths === 'string') return absolute(paths);
  return Object.fromEntries(Object.entries(paths).map(([k, v]) => [k, absolute(v)]));
}

/** A URL as the page reads it (relative to the page). */
export function absolute(url: string | URL): string {
  return new URL(String(url), location.href).href;
}

