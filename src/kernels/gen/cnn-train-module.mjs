// Assembles the WAT of one variant of the CNN training module (the preset `cnn`): the dense
// engine's kernels and step pieces, the conv data-movement kernels, the row-blocked dW update.
import { gemmNn, gemmNnDriver, gemmNt, gemmNtDriver, gemmDx, gemmDxDriver, packwTranspose, peakFma, INPUT_LDA } from './gemm-wat.mjs';
import { gemmTnUpdate, gemmTnUpdateBlocked, biasUpdate } from './update-wat.mjs';
import { mathWat } from './math-wat.mjs';
import { stepCommonWat } from './step-wat.mjs';
import { convWat } from './conv-wat.mjs';
import { cnnProgramWat } from './cnn-step-wat.mjs';
import { CNN, CNN_TABLE, CTRL_END } from './memory-map.mjs';

/** The four variants: instruction set × threads. */
export const CNN_VARIANTS = Object.freeze([
  { name: 'f32-cnn-train-wasmsimd', isa: 'simd', threads: false },
  { name: 'f32-cnn-train-wasmrelaxedsimd-fma', isa: 'relaxed', threads: false },
  { name: 'f32-cnn-train-wasmsimd-threads', isa: 'simd', threads: true },
  { name: 'f32-cnn-train-wasmrelaxedsimd-fma-threads', isa: 'relaxed', threads: true },
]);

/** WAT text of one variant. Memory is imported (`env.memory`), shared when threaded. */
export function cnnTrainWat({ isa, threads }) {
  if (CNN_TABLE + Object.keys(CNN).length * 4 > CTRL_END) throw new Error('The CNN record overflows the control block');
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
${gemmTnUpdateBlocked(isa)}
${peakFma(isa)}
${biasUpdate()}
${mathWat()}
${convWat()}
${stepCommonWat({ threads })}
${cnnProgramWat()}
)
`;
}
