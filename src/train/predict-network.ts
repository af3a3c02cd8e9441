/**
 * `predict` and `predictBatch` of a trainer's network (core `Trainer`, and
 * through it the worker's): the same inputs and the same {@link Prediction}s
 * as the tensor-free `Inference`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { predictionsFromLogits, unitPixels, type Prediction } from '../inference/prediction.js';
import type { Network } from '../models/network.js';
import { digitReading } from '../models/non-digit-output.js';

/** Images per forward pass: bounds the memory of a large batch. */
const CHUNK = 1000;

/**
 * Classifies `pixels` (bytes 0–255 or floats in [0, 1], `count × 784`) with
 * `net` in inference mode (no dropout). `images: 1` requires one image.
 *
 * @example
 * ```ts
 * const [first] = await predictWithNetwork(trainer.network, test.images.subarray(0, 784), 1);
 * ```
 */
export async function predictWithNetwork(net: Network, pixels: unknown, images?: 1): Promise<Prediction[]> {
  const { values, count } = unitPixels(pixels, 'pixels', images);
  const { mean, std } = net.spec.normalization;
  const reading = digitReading(net.spec);
  const units = reading.outputs;
  const logits = new Float32Array(count * units);
  for (let start = 0; start < count; start += CHUNK) {
    const size = Math.min(CHUNK, count - start);
    const x = values.subarray(start * 784, (start + size) * 784).map((v) => (v - mean) / std);
    const z = tf.tidy(() => net.forward(tf.tensor2d(x, [size, 784]), false).logits);
    logits.set(await z.data(), start * units);
    z.dispose();
  }
  return predictionsFromLogits(logits, count, reading);
}
