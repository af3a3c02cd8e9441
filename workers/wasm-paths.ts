/**
 * Where the worker finds the three tfjs `.wasm` binaries by default: next to
 * the worker bundle, resolved from the bundle's own URL. Written as
 * `new URL('./file', import.meta.url)` so that bundlers which understand that
 * pattern (Vite, webpack 5, rollup with an import-meta-assets plugin) copy the
 * files along when they re-bundle the worker, and a CDN serves them from
 * beside the script.
 */
export function defaultWasmPaths(): Record<string, string> {
  return {
    'tfjs-backend-wasm.wasm': new URL('./tfjs-backend-wasm.wasm', import.meta.url).href,
    'tfjs-backend-wasm-simd.wasm': new URL('./tfjs-backend-wasm-simd.wasm', import.meta.url).href,
    'tfjs-backend-wasm-threaded-simd.wasm': new URL('./tfjs-backend-wasm-threaded-simd.wasm', import.meta.url).href,
  };
}
