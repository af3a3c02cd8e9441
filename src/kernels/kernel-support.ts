/**
 * Run-time feature tests of the dense engine's WebAssembly variants, the way
 * XNNPACK's hardware-config does it: `WebAssembly.validate` on a tiny module per
 * feature, never the user agent. Node 20 validates relaxed SIMD only with
 * `--experimental-wasm-relaxed-simd`; Chromium and Firefox do by default.
 *
 * @example
 * ```ts
 * const s = await kernelSupport();
 * console.log(s.relaxedSimd, s.reasons.join('; '));
 * ```
 */
import { CNN_TRAIN_WASM, DENSE_TRAIN_WASM, RELAXED_SIMD_PROBE, SIMD128_PROBE } from './generated/dense-train-wasm.js';

/** What {@link kernelSupport} found. */
export interface KernelSupport {
  relaxedSimd: boolean;
  simd128: boolean;
  /** SharedArrayBuffer and a shared WebAssembly.Memory can be created (threads possible). */
  sharedMemory: boolean;
  reasons: string[];
}

/** Decodes base64 without Buffer (works in Node, pages and workers). */
export function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

let cached: KernelSupport | undefined;

/** Feature tests, run once: which variants this runtime can run, with reasons. */
export async function kernelSupport(): Promise<KernelSupport> {
  if (cached) return { ...cached, reasons: [...cached.reasons] };
  const reasons: string[] = [];
  const hasWasm = typeof WebAssembly === 'object' && typeof WebAssembly.validate === 'function';
  const simd128 = hasWasm && WebAssembly.validate(decodeBase64(SIMD128_PROBE));
  const relaxedSimd = simd128 && WebAssembly.validate(decodeBase64(RELAXED_SIMD_PROBE));
  reasons.push(
    relaxedSimd
      ? 'relaxed SIMD: WebAssembly.validate accepts f32x4.relaxed_madd'
      : simd128
        ? 'no relaxed SIMD: WebAssembly.validate rejects f32x4.relaxed_madd (Node 20: --experimental-wasm-relaxed-simd)'
        : 'no SIMD128: WebAssembly.validate rejects f32x4 (the engine cannot run here)',
  );
  let sharedMemory = false;
  if (typeof SharedArrayBuffer === 'undefined') {
    reasons.push('no SharedArrayBuffer: not cross-origin isolated (or disabled)');
  } else if ((globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === false) {
    reasons.push('no shared memory: the page is not cross-origin isolated (COOP/COEP headers)');
  } else {
    try {
      sharedMemory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }).buffer instanceof SharedArrayBuffer;
      reasons.push('shared WebAssembly.Memory available');
    } catch (e) {
      reasons.push(`no shared WebAssembly.Memory: ${(e as Error).message}`);
    }
  }
  cached = { relaxedSimd, simd128, sharedMemory, reasons };
  return { ...cached, reasons: [...reasons] };
}

const compiled = new Map<string, Promise<WebAssembly.Module>>();

/** The fused engines' modules: dense networks, and the preset CNN (its kernels include the dense ones). */
export type EngineFamily = 'dense' | 'cnn';

/** The compiled module of one variant (compiled once per name). */
export function compileVariant(simd: 'relaxed-simd' | 'simd128', threads: boolean, family: EngineFamily = 'dense'): Promise<WebAssembly.Module> {
  const name = `f32-${family}-train-${simd === 'relaxed-simd' ? 'wasmrelaxedsimd-fma' : 'wasmsimd'}${threads ? '-threads' : ''}`;
  let m = compiled.get(name);
  if (!m) {
    m = WebAssembly.compile(decodeBase64((family === 'cnn' ? CNN_TRAIN_WASM : DENSE_TRAIN_WASM)[name]));
    compiled.set(name, m);
  }
  return m;
}
