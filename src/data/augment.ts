/**
 * Data augmentation for handwritten digits, tuned for what the shipped models
 * meet in use: digits drawn on a pad or photographed, which come tilted,
 * slanted, off-centre, squashed and with strokes thicker or thinner than
 * MNIST's. Each image gets one random affine map (rotation, scale with a
 * slight aspect change, shear, shift) about the image centre with bilinear
 * sampling, then, sometimes, a thicker or thinner stroke.
 *
 * It runs on every training image every epoch, so the hot path allocates
 * nothing: module-level scratch buffers, options read into a reused record.
 */
import { InvalidOptionError } from '../errors.js';
import { MNIST_PIXELS, MNIST_SIZE } from './mnist-set.js';
import type { Rng } from './rng.js';

/** Augmentation ranges; every field is optional and falls back to {@link AUGMENT_DEFAULTS}. */
export interface AugmentOptions {
  /** Largest rotation either way, in degrees. */
  readonly maxRotationDeg?: number;
  /** Smallest overall scale factor. */
  readonly minScale?: number;
  /** Largest overall scale factor. */
  readonly maxScale?: number;
  /** Largest relative aspect change: x scaled by (1 + a), y by (1 − a), |a| ≤ this. */
  readonly maxAspect?: number;
  /** Largest horizontal shear factor either way (x += shear · y). */
  readonly maxShear?: number;
  /** Largest shift either way along each axis, in pixels. */
  readonly maxShift?: number;
  /** Probability of thickening the stroke (3×3 grayscale dilation). */
  readonly thickenProbability?: number;
  /** Probability of thinning the stroke (cross-shaped grayscale erosion). */
  readonly thinProbability?: number;
  /** Thickening/thinning is blended in by a factor drawn from [this, 1]. */
  readonly minStrokeBlend?: number;
  /** Thinning's blend factor is further scaled by this (≤ 1). */
  readonly maxThinBlend?: number;
}

/** The defaults, frozen. Each chosen for digits drawn on a pad or photographed. */
export const AUGMENT_DEFAULTS: Readonly<Required<AugmentOptions>> = Object.freeze({
  maxRotationDeg: 12, // people tilt digits by ~±10°; much more and 1s and 7s start to trade places
  minScale: 0.85, // pad digits are drawn at varying sizes before the 20×20 box fit
  maxScale: 1.15, // larger still stays inside 28×28 (MNIST digits fit a centred 20×20 box)
  maxAspect: 0.08, // narrow or wide handwriting without turning 0 into 1
  maxShear: 0.2, // ~±11° slant, the main style difference between writers
  maxShift: 2, // centring on the pad is by bounding box, MNIST's by centre of mass
  thickenProbability: 0.3, // pad brushes and markers draw thicker strokes than MNIST's pens
  thinProbability: 0.15, // fine pens and downscaled photos give thinner ones
  minStrokeBlend: 0.5, // a partial blend gives in-between widths, not just ±1 px
  maxThinBlend: 0.6, // a full erosion halves the ink of MNIST's 2–3 px strokes; keep the digit legible
});

type Config = { -readonly [K in keyof AugmentOptions]-?: number };

const W = MNIST_SIZE;
const P = W + 2; // padded side: one zero pixel around the image, so no bounds checks
const CENTRE = (W - 1) / 2; // 13.5: rotate and scale about the image's geometric centre
const DEG = Math.PI / 180;

// Scratch, reused on every call (JS is single-threaded per realm, so sharing is safe).
const srcPad = new Float64Array(P * P);
const warped = new Float64Array(P * P);
const morph = new Float64Array(P * P);
const rowMax = new Float64Array(P * P); // rows 0 and P-1 stay 0
const cfg: Config = { ...AUGMENT_DEFAULTS };

/**
 * Writes a randomly augmented copy of one 28×28 uint8 digit into `out`.
 * `src` and `out` may be the same array. Draws exactly 8 numbers from `rng`,
 * whatever the options, so changing an option does not reshuffle the other draws.
 *
 * @throws InvalidOptionError on arrays that are not 784 long or options out of range.
 * @example
 * ```ts
 * const rng = createRng(7);
 * const out = new Uint8Array(784);
 * augmentDigit(train.images.subarray(0, 784), out, rng);
 * ```
 */
export function augmentDigit(src: Uint8Array, out: Uint8Array, rng: Rng, options?: AugmentOptions): void {
  checkImage('src', src, MNIST_PIXELS);
  checkImage('out', out, MNIST_PIXELS);
  readOptions(options);
  augmentInto(src, 0, out, 0, rng);
}

/**
 * Augments `size` images, `images[indices[start + k]]` for k in 0..size−1,
 * into `out` one after another (`out` holds at least `size * 784` bytes).
 * Typically `indices` is the epoch's permutation and `start` the batch offset.
 *
 * @throws InvalidOptionError on an out-of-range `start`/`size`, index, buffer or option.
 * @example
 * ```ts
 * const batch = new Uint8Array(64 * 784);
 * for (let b = 0; b + 64 <= order.length; b += 64) {
 *   augmentBatch(train.images, order, b, 64, batch, rng);
 * }
 * ```
 */
export function augmentBatch(
  images: Uint8Array,
  indices: Int32Array,
  start: number,
  size: number,
  out: Uint8Array,
  rng: Rng,
  options?: AugmentOptions,
): void {
  if (!(images instanceof Uint8Array) || images.length % MNIST_PIXELS !== 0) {
    throw new InvalidOptionError(`Expected images to be a Uint8Array of n * 784 pixels, got length ${images?.length}`);
  }
  if (!Number.isInteger(start) || start < 0 || start > indices.length) {
    throw new InvalidOptionError(`Expected start to be an integer in 0..${indices.length}, got ${start}`);
  }
  if (!Number.isInteger(size) || size < 0 || start + size > indices.length) {
    throw new InvalidOptionError(`Expected size to be an integer in 0..${indices.length - start}, got ${size}`);
  }
  checkImage('out', out, size * MNIST_PIXELS, true);
  readOptions(options);
  const count = images.length / MNIST_PIXELS;
  for (let k = 0; k < size; k++) {
    const index = indices[start + k];
    if (!(index >= 0 && index < count)) {
      throw new InvalidOptionError(`Expected indices[${start + k}] to be in 0..${count - 1}, got ${index}`);
    }
    augmentInto(images, index * MNIST_PIXELS, out, k * MNIST_PIXELS, rng);
  }
}

function checkImage(name: string, a: Uint8Array, length: number, atLeast = false): void {
  if (!(a instanceof Uint8Array) || (atLeast ? a.length < length : a.length !== length)) {
    const got = a instanceof Uint8Array ? `length ${a.length}` : Object.prototype.toString.call(a);
    throw new InvalidOptionError(`Expected ${name} to be a Uint8Array of ${atLeast ? 'at least ' : ''}${length}, got ${got}`);
  }
}

/** Validates `options` over the defaults into `cfg`, without allocating. */
function readOptions(o: AugmentOptions | undefined): void {
  for (const key in AUGMENT_DEFAULTS) {
    const k = key as keyof Config;
    const v = o?.[k] ?? AUGMENT_DEFAULTS[k];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new InvalidOptionError(`Expected ${k} to be a finite number >= 0, got ${String(v)}`);
    }
    cfg[k] = v;
  }
  const fail = (what: string): never => {
    throw new InvalidOptionError(what);
  };
  if (cfg.minScale <= 0 || cfg.minScale > cfg.maxScale) {
    fail(`Expected 0 < minScale <= maxScale, got minScale ${cfg.minScale} and maxScale ${cfg.maxScale}`);
  }
  if (cfg.maxAspect >= 1) fail(`Expected maxAspect below 1, got ${cfg.maxAspect}`);
  if (cfg.minStrokeBlend > 1) fail(`Expected minStrokeBlend in 0..1, got ${cfg.minStrokeBlend}`);
  if (cfg.maxThinBlend > 1) fail(`Expected maxThinBlend in 0..1, got ${cfg.maxThinBlend}`);
  if (cfg.thickenProbability + cfg.thinProbability > 1) {
    fail(
      `Expected thickenProbability + thinProbability <= 1, got ${cfg.thickenProbability} + ${cfg.thinProbability}`,
    );
  }
}

/** Augments src[so .. so+784) into out[oo .. oo+784) with the settings in `cfg`. */
function augmentInto(src: Uint8Array, so: number, out: Uint8Array, oo: number, rng: Rng): void {
  // 1. Draw every parameter first: always 8 draws, whatever the options.
  const angle = (2 * rng.next() - 1) * cfg.maxRotationDeg * DEG;
  const scale = cfg.minScale + rng.next() * (cfg.maxScale - cfg.minScale);
  const aspect = (2 * rng.next() - 1) * cfg.maxAspect;
  const shear = (2 * rng.next() - 1) * cfg.maxShear;
  const tx = (2 * rng.next() - 1) * cfg.maxShift;
  const ty = (2 * rng.next() - 1) * cfg.maxShift;
  const strokeDraw = rng.next();
  const blend = cfg.minStrokeBlend + rng.next() * (1 - cfg.minStrokeBlend);

  // 2. Forward map M = rotate · shear · scale about the centre c, then shift by t.
  const sx = scale * (1 + aspect);
  const sy = scale * (1 - aspect);
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const m00 = cos * sx;
  const m01 = (cos * shear - sin) * sy;
  const m10 = sin * sx;
  const m11 = (sin * shear + cos) * sy;
  const det = sx * sy; // rotation and shear preserve area
  const i00 = m11 / det;
  const i01 = -m01 / det;
  const i10 = -m10 / det;
  const i11 = m00 / det;

  // 3. Copy the source into the zero-bordered buffer. (Tracking the ink's bounding box
  //    to skip background samples was measured slower than sampling everything.)
  for (let y = 0; y < W; y++) {
    const s = so + y * W;
    const d = (y + 1) * P + 1;
    for (let x = 0; x < W; x++) srcPad[d + x] = src[s + x];
  }

  // 4. Warp: bilinear sampling at M⁻¹(p − c − t) + c, in padded coordinates (+1).
  for (let y = 0; y < W; y++) {
    const dy = y - CENTRE - ty;
    const u0 = i01 * dy + i00 * (-CENTRE - tx) + CENTRE + 1;
    const v0 = i11 * dy + i10 * (-CENTRE - tx) + CENTRE + 1;
    const d = (y + 1) * P + 1;
    for (let x = 0; x < W; x++) {
      const u = u0 + i00 * x;
      const v = v0 + i10 * x;
      // Outside [0, P-1) a sample only sees the zero border; inside, all four taps are in the buffer.
      if (u < 0 || v < 0 || u >= P - 1 || v >= P - 1) {
        warped[d + x] = 0;
        continue;
      }
      const xi = u | 0;
      const yi = v | 0;
      const fx = u - xi;
      const fy = v - yi;
      const k = yi * P + xi;
      const top = srcPad[k] + fx * (srcPad[k + 1] - srcPad[k]);
      const bottom = srcPad[k + P] + fx * (srcPad[k + P + 1] - srcPad[k + P]);
      warped[d + x] = top + fy * (bottom - top);
    }
  }

  // 5. Stroke width: blend towards a dilation (thicker) or an erosion (thinner).
  const thicken = strokeDraw < cfg.thickenProbability;
  const thin = !thicken && strokeDraw < cfg.thickenProbability + cfg.thinProbability;
  if (thicken) dilate3x3();
  else if (thin) erodeCross();
  const alpha = thin ? blend * cfg.maxThinBlend : blend;
  for (let y = 0; y < W; y++) {
    const d = (y + 1) * P + 1;
    const o = oo + y * W;
    for (let x = 0; x < W; x++) {
      const w = warped[d + x];
      const value = thicken || thin ? w + alpha * (morph[d + x] - w) : w;
      out[o + x] = (value + 0.5) | 0; // value is in [0, 255]: round half up
    }
  }
}

/** morph ← 3×3 max of warped, separable: row maxima, then column maxima (flat loops over the interior rows). */
function dilate3x3(): void {
  for (let k = P; k < P * (W + 1); k++) {
    const a = warped[k - 1], b = warped[k], c = warped[k + 1];
    const ab = a > b ? a : b;
    rowMax[k] = ab > c ? ab : c;
  }
  for (let k = P; k < P * (W + 1); k++) {
    const a = rowMax[k - P], b = rowMax[k], c = rowMax[k + P];
    const ab = a > b ? a : b;
    morph[k] = ab > c ? ab : c;
  }
}

/** morph ← min over the pixel and its 4 neighbours: thins a stroke by ~1 px without erasing it. */
function erodeCross(): void {
  for (let k = P; k < P * (W + 1); k++) {
    const a = warped[k - 1], b = warped[k], c = warped[k + 1], d = warped[k - P], e = warped[k + P];
    const ab = a < b ? a : b;
    const cd = c < d ? c : d;
    const abcd = ab < cd ? ab : cd;
    morph[k] = abcd < e ? abcd : e;
  }
}
