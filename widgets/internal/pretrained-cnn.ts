/**
 * The shipped pretrained CNN, decoded on first use and shared by every pad on
 * the page. Only the core's pure modules are imported (compact-model decoding
 * and tensor-free inference), so the embed path carries no tfjs.
 */
import { createInference, type Inference } from '../../src/inference/create-inference.js';
import { compactModelFromBase64, decodeCompactModel } from '../../src/io/compact-model.js';
import { CNN_MODEL } from '../../src/pretrained/cnn-model.js';

let shared: Inference | undefined;

/**
 * The shipped CNN, ready to predict (about 2–5 ms to decode, once).
 *
 * @example
 * ```ts
 * const { digit } = pretrainedCnn().predict(pixels);
 * ```
 */
export function pretrainedCnn(): Inference {
  const source = 'the shipped pretrained CNN';
  const bytes = nativeBase64(CNN_MODEL.base64);
  shared ??= createInference(bytes ? decodeCompactModel(bytes, source) : compactModelFromBase64(CNN_MODEL.base64, source));
  return shared;
}

/**
 * The browser's own base64 decoder (`Uint8Array.fromBase64`, else `atob`):
 * some 20× faster than the core's portable one on a cold page, which is most
 * of the time to a first possible prediction. The bytes are still checked by
 * `decodeCompactModel`. Null where neither exists.
 */
function nativeBase64(text: string): Uint8Array | null {
  const fromBase64 = (Uint8Array as unknown as { fromBase64?: (s: string) => Uint8Array }).fromBase64;
  if (typeof fromBase64 === 'function') return fromBase64(text);
  if (typeof atob !== 'function') return null;
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Held-out MNIST test accuracy of the shipped CNN as shipped (int8). */
export const PRETRAINED_CNN_ACCURACY: number = CNN_MODEL.testAccuracy.shipped;
