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
  /** For WASM: threads XNNPACK uses (1 = single-threaded; tfjs's pool holds min(4, cores / 2)). */
  threads?: number;
  /** Milliseconds spent starting the backend. */
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

/** The `wasmPaths` the WASM backend was (or will be) started with, as JSON for comparison. */
let wasmPathsSet: string | undefined;

/** Why each backend's last initialisation failed, recorded by {@link recordInitFailures}. */
const initFailures = new Map<string, unknown>();
const wrappedFactories = new WeakSet<object>();

/**
 * tfjs reports a failed backend start only through `console.warn` and a
 * `false`. Rather than swap `console.warn` (a global every other part of the
 * page owns too), wrap the backend's factory once, before it first runs, and
 * keep the error it throws.
 */
function recordInitFailures(name: BackendName): void {
  const engine = tf.engine();
  const entry = engine.registryFactory[name];
  if (!entry || wrappedFactories.has(entry.factory) || engine.registry[name] !== undefined) return;
  const original = entry.factory;
  const wrapped = () => {
    initFailures.delete(name);
    try {
      const backend = original();
      return backend instanceof Promise ? backend.catch((e: unknown) => Promise.reject(record(e))) : backend;
    } catch (e) {
      throw record(e);
    }
  };
  const record = (e: unknown) => (initFailures.set(name, e), e);
  wrappedFactories.add(wrapped);
  engine.registryFactory[name] = { factory: wrapped, priority: entry.priority };
}

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
  if (name === 'wasm' && options.wasmPaths !== undefined) {
    const paths = JSON.stringify(options.wasmPaths);
    if (tf.engine().registry.wasm !== undefined && paths !== (wasmPathsSet ?? '')) {
      // setWasmPaths only takes effect before the WASM backend initialises: say so rather than ignore it.
      throw new InvalidOptionError(`wasmPaths ${paths} cannot apply: the WASM backend already started${wasmPathsSet ? ` with wasmPaths ${wasmPathsSet}` : ''}; pass wasmPaths to the first useBackend('wasm') call`);
    }
    if (paths !== wasmPathsSet) {
      try {
        setWasmPaths(options.wasmPaths as string);
      } catch (cause) {
        throw new InvalidOptionError(`wasmPaths ${paths} cannot apply: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
      }
      wasmPathsSet = paths;
    }
  }
  if (tf.findBackendFactory(name) === null) {
    throw new BackendError(`Backend "${name}" is not registered: import digit-classifier's backend registration (or @tensorflow/tfjs-backend-${name}) first`);
  }
  recordInitFailures(name);
  let ok = false;
  let cause: unknown;
  try {
    ok = await tf.setBackend(name);
    if (!ok) cause = initFailures.get(name);
  } catch (e) {
    cause = e;
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
