/**
 * The background of a picture of a digit as seen from its border: a level, a
 * linear lighting gradient and the noise around them. A drawing pad gives a flat
 * background with no noise; a phone photo of pencil on paper gives a tilted,
 * grainy one, and this is what keeps its shading and grain from counting as ink.
 */
export interface Background {
  /** Level at the image centre, in the signal's units (0–255). */
  readonly level: number;
  /** Change of level per column, left to right. */
  readonly slopeX: number;
  /** Change of level per row, top to bottom. */
  readonly slopeY: number;
  /** Robust standard deviation of the pixel-to-pixel grain along the border. */
  readonly noise: number;
}

/** The largest gradient believed, in levels across the whole image: more is ink on the border. */
const MAX_GRADIENT_SPAN = 64;
/** Below this size a side is too short for its medians to mean anything. */
const MIN_SIDE_FOR_GRADIENT = 8;

/**
 * Fits the background of a `width × height` signal (luminance or alpha, 0–255,
 * row-major) to its one-pixel border, with medians throughout so that ink on
 * the border moves nothing unless it covers half of what is measured:
 *
 * 1. Each slope is the median of three estimates (for `slopeX`: the top row's
 *    right half against its left half, the same on the bottom row, and the right
 *    column against the left one), so a stroke lying along one side is outvoted.
 * 2. The level is the median of the border with the slopes taken out.
 * 3. The noise is 1.4826 × the median of neighbour-to-neighbour differences
 *    along the border, ÷ √2: blind to gradients and to the inside of strokes.
 *
 * @example
 * ```ts
 * const bg = estimateBackground(luminance, 280, 280);
 * const expected = bg.level + bg.slopeX * (x - 139.5) + bg.slopeY * (y - 139.5);
 * ```
 */
export function estimateBackground(signal: Float32Array, width: number, height: number): Background {
  const top = copySide(signal, 0, 1, width);
  const bottom = copySide(signal, (height - 1) * width, 1, width);
  const left = copySide(signal, 0, width, height);
  const right = copySide(signal, width - 1, width, height);

  // 3 first, while the sides are still in order (medians sort in place).
  const steps = new Float32Array(2 * (width - 1) + 2 * (height - 1));
  let n = 0;
  for (const side of [top, bottom, left, right]) {
    for (let i = 1; i < side.length; i++) steps[n++] = Math.abs(side[i] - side[i - 1]);
  }
  const noise = n === 0 ? 0 : (1.4826 * median(steps)) / Math.SQRT2;

  // 1. Slopes.
  let slopeX = 0;
  let slopeY = 0;
  if (width >= MIN_SIDE_FOR_GRADIENT && height >= MIN_SIDE_FOR_GRADIENT) {
    const across = (a: Float32Array, b: Float32Array, distance: number) => (median(b.slice()) - median(a.slice())) / distance;
    slopeX = clampSlope(median3(halfSlope(top), halfSlope(bottom), across(left, right, width - 1)), width);
    slopeY = clampSlope(median3(halfSlope(left), halfSlope(right), across(top, bottom, height - 1)), height);
  }

  // 2. Level: every border pixel once, slopes removed.
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  const border = new Float32Array(width === 1 || height === 1 ? width * height : 2 * (width + height) - 4);
  const flat = (x: number, y: number) => signal[y * width + x] - slopeX * (x - cx) - slopeY * (y - cy);
  n = 0;
  for (let x = 0; x < width; x++) {
    border[n++] = flat(x, 0);
    if (height > 1) border[n++] = flat(x, height - 1);
  }
  for (let y = 1; y < height - 1; y++) {
    border[n++] = flat(0, y);
    if (width > 1) border[n++] = flat(width - 1, y);
  }
  return { level: median(border), slopeX, slopeY, noise };
}

function copySide(signal: Float32Array, start: number, stride: number, count: number): Float32Array {
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = signal[start + i * stride];
  return out;
}

/** Slope along one side: the median of its second half against its first, half a side apart. */
function halfSlope(side: Float32Array): number {
  const half = side.length >> 1;
  return (median(side.slice(side.length - half)) - median(side.slice(0, half))) / (side.length - half);
}

function clampSlope(slope: number, length: number): number {
  const limit = MAX_GRADIENT_SPAN / (length - 1);
  return Math.max(-limit, Math.min(limit, slope));
}

function median3(a: number, b: number, c: number): number {
  return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
}

/** Median of a non-empty array; sorts it in place. */
function median(values: Float32Array): number {
  values.sort();
  const mid = values.length >> 1;
  return values.length % 2 === 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}
