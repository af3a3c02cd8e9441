import { InvalidOptionError } from '../errors.js';
import type { Normalization } from '../models/spec.js';

/** Pixels per MNIST image. */
export const PIXELS = 784;

/** One training batch as plain typed arrays, ready to upload. */
export interface Batch {
  size: number;
  /** `[size, 784]` normalised pixels. */
  x: Float32Array;
  /** `[784, size]` the same pixels transposed (only when requested). */
  xT?: Float32Array;
  /** `[size]` class labels. */
  labels: Int32Array;
}

/**
 * A lookup table from a raw pixel (0–255) to its normalised value
 * `(p / 255 − mean) / std`. Normalising per batch through it keeps the data set
 * as uint8 (47 MB) instead of float32 (188 MB).
 */
export function normalizationTable(n: Normalization): Float32Array {
  if (!(n.std > 0) || !Number.isFinite(n.mean)) {
    throw new InvalidOptionError(`Expected normalization std > 0 and a finite mean, got mean=${n.mean} std=${n.std}`);
  }
  const lut = new Float32Array(256);
  for (let i = 0; i < 256; i++) lut[i] = (i / 255 - n.mean) / n.std;
  return lut;
}

/**
 * Builds batches from uint8 images into reused buffers (no allocation per
 * batch). Copying in JS beats `tf.gather`/`tf.slice` on WASM by far, and
 * writing the transposed copy here spares the first layer's `tf.transpose`.
 */
export class BatchBuilder {
  private readonly lut: Float32Array;
  private readonly x: Float32Array;
  private readonly xT: Float32Array | undefined;
  private readonly labels: Int32Array;

  constructor(readonly maxSize: number, normalization: Normalization, readonly withTranspose: boolean) {
    if (!Number.isInteger(maxSize) || maxSize < 1) throw new InvalidOptionError(`Expected batch size to be a positive integer, got ${maxSize}`);
    this.lut = normalizationTable(normalization);
    this.x = new Float32Array(maxSize * PIXELS);
    this.xT = withTranspose ? new Float32Array(maxSize * PIXELS) : undefined;
    this.labels = new Int32Array(maxSize);
  }

  /**
   * Fills a batch with examples `order[start .. start+size)` (or
   * `start .. start+size` when `order` is null) of `images`/`labels`. When
   * `pixels` is given, example r's pixels are read from `pixels[r·784 …]`
   * instead (a contiguous, e.g. augmented, copy of the batch).
   */
  fill(images: Uint8Array, labels: Uint8Array, order: Int32Array | null, start: number, size: number, pixels?: Uint8Array): Batch {
    if (size > this.maxSize) throw new InvalidOptionError(`Expected a batch of at most ${this.maxSize} examples, got ${size}`);
    const { lut, x, xT } = this;
    const source = pixels ?? images;
    for (let r = 0; r < size; r++) {
      const idx = order ? order[start + r] : start + r;
      const src = (pixels ? r : idx) * PIXELS;
      const dst = r * PIXELS;
      if (xT) {
        // One pass writes both layouts: reads stay sequential, only xT's writes stride.
        for (let k = 0; k < PIXELS; k++) {
          const v = lut[source[src + k]];
          x[dst + k] = v;
          xT[k * size + r] = v;
        }
      } else {
        for (let k = 0; k < PIXELS; k++) x[dst + k] = lut[source[src + k]];
      }
      this.labels[r] = labels[idx];
    }
    return {
      size,
      x: x.subarray(0, size * PIXELS),
      xT: xT?.subarray(0, size * PIXELS),
      labels: this.labels.subarray(0, size),
    };
  }
}
