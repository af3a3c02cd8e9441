/**
 * Direct access to the micro-kernels of the dense engine's module, for tests
 * and the kernel benchmark: one instance on a private memory, a bump allocator,
 * and the raw exports (`f32_gemm_4x8`, `f32_gemm_nt_4x2`, `f32_gemm_dx_4x8`, `x32_packw_transpose`,
 * `f32_gemm_tn_update_4x8`, `f32_dropout`, `f32_softmax_ce`, `exp_f64`, `log_f64`).
 *
 * @example
 * ```ts
 * const k = await loadDenseKernels('simd128');
 * const a = k.alloc(64 * 784 * 4);
 * ```
 */
import { CTRL, CTRL_END } from './generated/dense-train-wasm.js';
import { compileVariant, type EngineFamily } from './kernel-support.js';

/** The raw kernel exports (byte addresses, see src/kernels/gen/). */
export interface DenseKernelExports {
  f32_gemm_4x8(A: number, lda: number, K: number, W: number, bias: number, C: number, ldc: number, panels: number, relu: number, r0: number, r1: number): void;
  f32_gemm_nt_4x2(G: number, ldg: number, panels: number, W: number, K: number, O: number, ldo: number, D: number, relu: number, scale: number, r0: number, r1: number): void;
  f32_gemm_dx_4x8(A: number, lda: number, K: number, WT: number, C: number, ldc: number, panels: number, D: number, relu: number, scale: number, r0: number, r1: number): void;
  x32_packw_transpose(W: number, K: number, N: number, WT: number, k0: number, k1: number): void;
  f32_gemm_tn_update_4x8(X: number, ldx: number, G: number, ldg: number, B: number, W: number, S1: number, S2: number, K: number, panels: number, k0: number, k1: number): void;
  f32_bias_update(G: number, ldg: number, B: number, bias: number, S1: number, S2: number, N: number): void;
  f32_dropout(layerRecord: number, layer: number, r0: number, r1: number): void;
  f32_softmax_ce(Z: number, G: number, ld: number, r0: number, r1: number, B: number, order: number, labels: number): number;
  f32_peak_fma(iters: number): number;
  exp_f64(x: number): number;
  log_f64(x: number): number;
}

/** The CNN module's kernels besides the dense ones (byte addresses, see src/kernels/gen/conv-wat.mjs). */
export interface CnnKernelExports extends DenseKernelExports {
  f32_im2col(cols: number, ldc: number, X: number, H: number, W: number, C: number, KS: number, s0: number, s1: number): void;
  f32_col2im(dCols: number, ldc: number, dX: number, H: number, W: number, C: number, KS: number, s0: number, s1: number): void;
  f32_maxpool_2x2(X: number, Y: number, H: number, W: number, C: number, s0: number, s1: number): void;
  f32_maxpool_2x2_backward_relu(X: number, Y: number, dY: number, dX: number, H: number, W: number, C: number, s0: number, s1: number): void;
  f32_gemm_tn_update_4x8_rb(X: number, ldx: number, G: number, ldg: number, B: number, W: number, S1: number, S2: number, K: number, panels: number, k0: number, k1: number, D: number): void;
}

export interface DenseKernels<E extends DenseKernelExports = DenseKernelExports> {
  readonly exports: E;
  readonly memory: WebAssembly.Memory;
  /** Reserves `bytes` (64-byte aligned) and returns the address. */
  alloc(bytes: number): number;
  f32(addr: number, length: number): Float32Array;
  i32(addr: number, length: number): Int32Array;
  u8(addr: number, length: number): Uint8Array;
  /** Writes the optimizer hyper-parameters the update kernels read. */
  setHyper(h: { kind: 0 | 1 | 2; lr: number; decay: number; momentum?: number; beta1?: number; beta2?: number; epsilon?: number; adamLr?: number }): void;
}

export function loadDenseKernels(simd: 'relaxed-simd' | 'simd128', pages = 256): Promise<DenseKernels> {
  return loadKernels<DenseKernelExports>(simd, pages, 'dense');
}

/** The CNN module's kernels (it holds the dense ones too), one instance on a private memory. */
export function loadCnnKernels(simd: 'relaxed-simd' | 'simd128', pages = 256): Promise<DenseKernels<CnnKernelExports>> {
  return loadKernels<CnnKernelExports>(simd, pages, 'cnn');
}

async function loadKernels<E extends DenseKernelExports>(simd: 'relaxed-simd' | 'simd128', pages: number, family: EngineFamily): Promise<DenseKernels<E>> {
  const memory = new WebAssembly.Memory({ initial: pages, maximum: 65536 });
  const instance = await WebAssembly.instantiate(await compileVariant(simd, false, family), { env: { memory } });
  let top = CTRL_END;
  const view = <T>(C: new (b: ArrayBuffer, o: number, l: number) => T) => (addr: number, length: number) => new C(memory.buffer, addr, length);
  return {
    exports: instance.exports as unknown as E,
    memory,
    alloc(bytes) {
      const at = top;
      top = Math.ceil((top + bytes) / 64) * 64;
      if (top > memory.buffer.byteLength) memory.grow(Math.ceil((top - memory.buffer.byteLength) / 65536));
      return at;
    },
    f32: view(Float32Array),
    i32: view(Int32Array),
    u8: view(Uint8Array),
    setHyper(h) {
      const f = new Float32Array(memory.buffer);
      new Int32Array(memory.buffer)[CTRL.optKind / 4] = h.kind;
      const b1 = h.beta1 ?? 0.9;
      const b2 = h.beta2 ?? 0.999;
      const values: [number, number][] = [
        [CTRL.lr, h.lr], [CTRL.decay, h.decay], [CTRL.momentum, h.momentum ?? 0.9], [CTRL.beta1, b1], [CTRL.oneMinusBeta1, 1 - b1],
        [CTRL.beta2, b2], [CTRL.oneMinusBeta2, 1 - b2], [CTRL.epsilon, h.epsilon ?? 1e-7], [CTRL.adamLr, h.adamLr ?? h.lr],
      ];
      for (const [at, v] of values) f[at / 4] = v;
    },
  };
}
