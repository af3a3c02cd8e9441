import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import '../backend/register-backends.js';
import { useBackend, type BackendInfo, type BackendName } from '../backend/use-backend.js';

/** Directory (with trailing slash) of the installed tfjs WASM binaries. */
export function nodeWasmPaths(): string {
  const require = createRequire(import.meta.url);
  const entry = require.resolve('@tensorflow/tfjs-backend-wasm');
  // Node's WASM loader reads the path with fs, so a plain directory path works.
  return dirname(entry) + '/';
}

/**
 * Starts `name` in Node, pointing the WASM backend at its installed binaries.
 *
 * @example
 * ```ts
 * import { useNodeBackend } from 'digit-classifier/node';
 * const info = await useNodeBackend('wasm'); // { name: 'wasm', wasmVariant: 'simd', threads: 1, ... }
 * ```
 */
export function useNodeBackend(name: Exclude<BackendName, 'webgpu'> = 'wasm'): Promise<BackendInfo> {
  return useBackend(name, name === 'wasm' ? { wasmPaths: nodeWasmPaths() } : {});
}

