import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths, getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { BackendError, InvalidOptionError } from '../errors.js';

/** Backends the core can run on. WebGPU is added by the worker runtime. */
export type BackendName = 'wasm' | 'cpu' | 'webgpu';

/** What actually runs after {@link useBackend}. */
export interface BackendInfo {
  /** The backend tfjs really uses (checked, never assumed). */
  name: BackendName;
  /** For WASM: which binary loaded. */
  wasmVariant?: 'simd' | 'threaded-simd' | 'plain';
  /** For WASM: worker threads in use (1 = single-threaded). */
  threads?: number;
  /** Milliseconds spent initialising. */
  initMs: number;
}

/** Options of {@link useBackend}. */
export interface UseBackendOptions {
  /**
   * Where the three tfjs `.wasm` binaries are: a URL or directory prefix ending
   * with `/`, or a map of file name to URL. In Node the CLI points it at the
   * installed `@tensorflow/tfjs-backend-wasm/dist/`.
   */
  wasmPaths?: string | Record<string, string>;
}

let wasmPathsSet: string | Record<string, string> | undefined;

/**
 * Switches tfjs to `name` and checks that it really runs. `tf.setBackend`
 * resolves `false` instead of throwing and tfjs then silently activates another
 * registered backend; here a backend that cannot start is a {@link BackendError}.
 * Import `register-backends.js` (or the package's `./node` entry) first.
 *
 * @example
 * ```ts
 * const info = await useBackend('wasm', { wasmPaths: '/assets/tfjs/' });
 * console.log(info.name, info.wasmVariant);
 * ```
 */
export async function useBackend(name: BackendName, options: UseBackendOptions = {}): Promise<BackendInfo> {
  if (!['wasm', 'cpu', 'webgpu'].includes(name)) {
    throw new InvalidOptionError(`Unknown backend "${name}": expected wasm, cpu or webgpu`);
  }
  const t0 = performance.now();
  if (name === 'wasm' && options.wasmPaths !== undefined && wasmPathsSet !== options.wasmPaths) {
    // setWasmPaths must run before the WASM backend initialises.
    setWasmPaths(options.wasmPaths as string);
    wasmPathsSet = options.wasmPaths;
  }
  if (tf.findBackendFactory(name) === null) {
    throw new BackendError(`Backend "${name}" is not registered: import digit-classifier's backend registration (or @tensorflow/tfjs-backend-${name}) first`);
  }
  let ok = false;
  let cause: unknown;
  const origWarn = console.warn;
  try {
    // tfjs logs init failures with console.warn and resolves false; capture them for the error.
    const warnings: string[] = [];
    console.warn = (...args: unknown[]) => warnings.push(args.map(String).join(' '));
    ok = await tf.setBackend(name);
    if (!ok) cause = warnings.join('\n');
  } catch (e) {
    cause = e;
  } finally {
    console.warn = origWarn;
  }
  await tf.ready();
  if (!ok || tf.getBackend() !== name) {
    const detail = cause instanceof Error ? cause.message : String(cause ?? '');
    throw new BackendError(`Backend "${name}" failed to start${detail ? `: ${detail.trim()}` : ''} (tfjs is on "${tf.getBackend()}")`, { cause });
  }
  const info: BackendInfo = { name, initMs: performance.now() - t0 };
  if (name === 'wasm') {
    const threads = getThreadsCount();
    const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    // tfjs loads the threaded build whenever SharedArrayBuffer works (a cross-origin
    // isolated page), even when it then runs a single thread.
    const multithread = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
    info.threads = threads;
    info.wasmVariant = simd && multithread ? 'threaded-simd' : simd ? 'simd' : 'plain';
  }
  return info;
}
