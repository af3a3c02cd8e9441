/**
 * The fused CNN training engine: a whole step of the preset `cnn` (uint8
 * gather + normalisation, both convolutions as im2col + our SIMD GEMM with
 * bias and ReLU, max-pools, the dense head with dropout, softmax
 * cross-entropy, the backward pass — conv2's input gradient as a GEMM on the
 * transposed kernel + col2im, the pools' and ReLUs' masks — and every
 * optimizer update folded into the filter-gradient GEMMs) in ONE WebAssembly
 * call per batch. Same interface, variants, threads and reports as the dense
 * engine ({@link DenseEngine}); weights come back in Keras layout.
 *
 * @example
 * ```ts
 * const engine = await createCnnEngine({ spec: presetSpec('cnn'), maxBatchSize: 64, seed: 0,
 *   optimizer: { name: 'adam', learningRate: 2e-3, momentum: 0.9, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay: 0 } });
 * engine.setWeights(await network.getWeights());
 * engine.setData(train.images, train.labels);
 * const loss = engine.step(order, 0, 64);
 * ```
 */
import { InvalidOptionError } from '../errors.js';
import { checkOptions, startFusedEngine, type DenseEngine, type DenseEngineOptions } from './dense-engine.js';
import { isCnnSpec, planCnnEngine } from './cnn-layout.js';

export { isCnnSpec } from './cnn-layout.js';

/** Starts the CNN engine (the best variant, or the forced one); the spec must pass {@link isCnnSpec}. */
export async function createCnnEngine(options: DenseEngineOptions): Promise<DenseEngine> {
  checkOptions(options);
  if (!isCnnSpec(options.spec)) {
    throw new InvalidOptionError(
      `Expected the preset CNN's conv stage (28×28×1, conv 5×5·16 valid ReLU, max-pool 2, conv 5×5·32 valid ReLU, max-pool 2, flatten) then dense/dropout layers ending in 10 logits, got "${options.spec?.name}"`,
    );
  }
  return startFusedEngine(options, 'cnn', planCnnEngine(options.spec, options.maxBatchSize));
}
