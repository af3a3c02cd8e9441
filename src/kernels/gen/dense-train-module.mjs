// Assembles the WAT of one variant of the dense training module and names it as XNNPACK would.
import { gemmNn, gemmNnDriver, gemmNt, gemmNtDriver, gemmDx, gemmDxDriver, packwTranspose, peakFma, INPUT_LDA } from './gemm-wat.mjs';
import { gemmTnUpdate, biasUpdate } from './update-wat.mjs';
import { mathWat } from './math-wat.mjs';
import { stepWat } from './step-wat.mjs';

/** The four variants: instruction set × threads. */
export const VARIANTS = Object.freeze([
  { name: 'f32-dense-train-wasmsimd', isa: 'simd', threads: false },
  { name: 'f32-dense-train-wasmrelaxedsimd-fma', isa: 'relaxed', threads: false },
  { name: 'f32-dense-train-wasmsimd-threads', isa: 'simd', threads: true },
  { name: 'f32-dense-train-wasmrelaxedsimd-fma-threads', isa: 'relaxed', threads: true },
]);

/** WAT text of one variant. Memory is imported (`env.memory`), shared when threaded. */
export function denseTrainWat({ isa, threads }) {
  return `(module
  (import "env" "memory" (memory 1 65536${threads ? ' shared' : ''}))
${gemmNn(isa, 4)}
${gemmNn(isa, 4, INPUT_LDA)}
${gemmNn(isa, 1)}
${gemmNnDriver()}
${gemmNt(isa, 4)}
${gemmNt(isa, 1)}
${gemmNtDriver()}
${gemmDx(isa, 4)}
${gemmDx(isa, 1)}
${gemmDxDriver()}
${packwTranspose()}
${gemmTnUpdate(isa)}
${peakFma(isa)}
${biasUpdate()}
${mathWat()}
${stepWat({ threads })}
)
`;
}

/** A module that only validates where f32x4.relaxed_madd is supported (the run-time feature test). */
export const RELAXED_PROBE_WAT = `(module (func (param v128 v128 v128) (result v128)
  (f32x4.relaxed_madd (local.get 0) (local.get 1) (local.get 2))))`;
/** A module that only validates where SIMD128 is supported. */
export const SIMD_PROBE_WAT = `(module (func (param v128) (result v128) (f32x4.add (local.get 0) (local.get 0))))`;
