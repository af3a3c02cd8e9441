import { ImageDecodeError } from '../errors.js';
import { estimateBackground } from './estimate-background.js';
import type { RgbaImage } from './rgba-image.js';

/** Where the ink is: darker than the paper, lighter than the board, or in the alpha channel. */
export type Polarity = 'auto' | 'dark-on-light' | 'light-on-dark' | 'alpha';

/** What {@link inkMap} found. */
export interface InkMap {
  /** `width × height` values in [0, 1]: 0 = background, 1 = the strongest ink. */
  readonly ink: Float32Array;
  /** The polarity used, `'auto'` resolved. */
  readonly polarity: Exclude<Polarity, 'auto'>;
}

/** An alpha channel whose range is at least this (of 255) holds the drawing. */
const ALPHA_RANGE_FOR_INK = 16;
/** The strongest ink must differ from the background by this many levels of 255. */
const MIN_CONTRAST = 16;
/** Ink below this fraction of the strongest is paper grain, shading or a smudge. */
const NOISE_FRACTION = 0.15;
/** …and so is ink within this many standard deviations of the border's noise. */
const NOISE_SIGMAS = 5;
/** The share of ink pixels stretched to full strength, so faint pencil reads like a pen. */
const SATURATED_SHARE = 0.05;

/**
 * Turns any picture of a digit into an ink map: one value a pixel, 0 on the
 * background and 1 on the strongest stroke. The signal is the alpha channel when
 * it varies (a transparent pad), otherwise luminance against the background seen
 * on the border (see `estimateBackground`), taken one-sided so that glare on paper
 * or a lighter patch of board is not ink, and for dark ink relative to the local
 * paper brightness so that strokes in a shadow count as much as those in the
 * light. Everything below a noise floor (15 % of the strongest ink, or 5σ of the
 * border's grain if higher) becomes 0 and the rest is stretched so that the
 * strongest 5 % of ink pixels reach 1.
 *
 * @throws {ImageDecodeError} when nothing stands out of the background.
 * @example
 * ```ts
 * const { ink, polarity } = inkMap(ctx.getImageData(0, 0, 280, 280));
 * ```
 */
export function inkMap(image: RgbaImage, polarity: Polarity = 'auto'): InkMap {
  const { width, height, data } = image;
  const size = width * height;
  const signal = new Float32Array(size);

  // 1. The signal: alpha, or luminance composited over the backdrop the polarity implies.
  let minAlpha = 255;
  let maxAlpha = 0;
  for (let i = 3; i < data.length; i += 4) {
    if (data[i] < minAlpha) minAlpha = data[i];
    if (data[i] > maxAlpha) maxAlpha = data[i];
  }
  const useAlpha =
    polarity === 'alpha' || (polarity === 'auto' && maxAlpha - minAlpha >= ALPHA_RANGE_FOR_INK);
  if (useAlpha) {
    for (let i = 0; i < size; i++) signal[i] = data[4 * i + 3];
  } else {
    const backdrop = polarity === 'light-on-dark' ? 0 : 255;
    for (let i = 0, j = 0; i < size; i++, j += 4) {
      const a = data[j + 3] / 255;
      const lum = 0.299 * data[j] + 0.587 * data[j + 1] + 0.114 * data[j + 2];
      signal[i] = a * lum + (1 - a) * backdrop;
    }
  }

  // 2. The background and which side of it the ink lies on.
  const bg = estimateBackground(signal, width, height);
  const resolved: InkMap['polarity'] = useAlpha
    ? 'alpha'
    : polarity === 'auto'
      ? bg.level >= 127.5 ? 'dark-on-light' : 'light-on-dark'
      : polarity;
  // Light falls on paper and graphite alike, so dark ink is read relative to the
  // local paper brightness (a pen on a white pad reads the same either way); a dark
  // background has no brightness to divide by, so light ink is read as a difference.
  const relative = resolved === 'dark-on-light';
  const noise = relative ? (bg.noise * 255) / Math.max(bg.level, 1) : bg.noise;

  // 3. Raw ink in levels: how far each pixel lies beyond the background plane.
  const ink = signal;
  let strongest = 0;
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  for (let y = 0, i = 0; y < height; y++) {
    let expected = bg.level + bg.slopeY * (y - cy) - bg.slopeX * cx;
    for (let x = 0; x < width; x++, i++, expected += bg.slopeX) {
      const v = relative ? ((expected - signal[i]) * 255) / (expected > 1 ? expected : 1) : signal[i] - expected;
      ink[i] = v > 0 ? v : 0;
      if (v > strongest) strongest = v;
    }
  }
  const floor = Math.max(NOISE_FRACTION * strongest, NOISE_SIGMAS * noise);
  if (strongest < MIN_CONTRAST || floor >= 0.75 * strongest) {
    throw new ImageDecodeError(
      `no ink found in the ${width}×${height} image (${resolved}): the strongest ink is ` +
        `${strongest.toFixed(1)} of 255 levels from the background, with noise σ = ${noise.toFixed(1)}; ` +
        `expected a stroke at least ${MIN_CONTRAST} levels and 5σ clear of it`,
    );
  }

  // 4. Stretch: floor → 0, the strongest few percent → 1.
  const top = saturationLevel(ink, floor, strongest);
  const scale = 1 / (top - floor);
  for (let i = 0; i < size; i++) {
    const v = (ink[i] - floor) * scale;
    ink[i] = v <= 0 ? 0 : v >= 1 ? 1 : v;
  }
  return { ink, polarity: resolved };
}

/** The ink level above which {@link SATURATED_SHARE} of the pixels above `floor` lie. */
function saturationLevel(ink: Float32Array, floor: number, strongest: number): number {
  const bins = 256;
  const counts = new Uint32Array(bins);
  const binWidth = (strongest - floor) / bins;
  let total = 0;
  for (let i = 0; i < ink.length; i++) {
    if (ink[i] <= floor) continue;
    counts[Math.min(bins - 1, Math.floor((ink[i] - floor) / binWidth))]++;
    total++;
  }
  let above = 0;
  for (let b = bins - 1; b > 0; b--) {
    above += counts[b];
    if (above >= SATURATED_SHARE * total) return floor + b * binWidth;
  }
  return strongest;
}
