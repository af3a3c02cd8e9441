import { InvalidOptionError } from '../errors.js';
import { centerOfMass } from './center-of-mass.js';
import { inkBoundingBox, type PixelBox } from './ink-bounding-box.js';
import { inkMap, type Polarity } from './ink-map.js';
import { resampleIntoField } from './resample-into-field.js';
import { assertRgbaImage, type RgbaImage } from './rgba-image.js';

export { centerOfMass, type CenterOfMass } from './center-of-mass.js';
export { inkBoundingBox, type PixelBox } from './ink-bounding-box.js';
export type { Polarity } from './ink-map.js';
export type { RgbaImage } from './rgba-image.js';

/** Options of {@link toMnistPixels}. */
export interface ToMnistOptions {
  /** Where the ink is; `'auto'` (default) reads it off the alpha channel and the border. */
  polarity?: Polarity;
  /** Side of the box the digit's longer side is scaled to, 1–28; MNIST's is 20. */
  boxSize?: number;
}

/** MNIST's field is 28×28 … */
const FIELD = 28;
/** … and its digits are scaled to fit 20×20, the margin left for the centring shift. */
const DEFAULT_BOX = 20;
/**
 * Where MNIST put the centre of mass, in index coordinates (pixel i's centre is at i):
 * pixel 14, not the geometric centre 13.5. MNIST shifted by whole pixels, so across the
 * 10 000 test digits the centre of mass lies in [13.5, 14.5) on both axes, mean
 * (14.01, 13.99). Aiming at 13.5 would put every drawn digit half a pixel up and left
 * of everything a model saw in training: the MNIST round trip in the tests correlates
 * 0.83 with the originals aiming at 13.5 and 0.96 aiming at 14.
 */
export const MNIST_CENTER_OF_MASS = 14;
/**
 * The ink level (of 1) that outlines the strokes for scaling. MNIST boxed bilevel
 * NIST strokes and anti-aliased afterwards, so the faint fringe of a smooth drawing
 * must not count towards its size; 0.4 after the 15 % noise floor is taken out is
 * about half the raw stroke strength, the edge of an anti-aliased stroke. Ink below
 * it is still drawn, just not measured. (Round trip of MNIST drawn smooth: r 0.944
 * boxing everything, 0.959 boxing at 0.4; drawn in blocks: 0.964 either way.)
 */
const OUTLINE_LEVEL = 0.4;
/** Stop correcting the placement once the centre of mass is this close (pixels). */
const CENTRING_TOLERANCE = 0.01;
const MAX_CENTRING_STEPS = 4;
const POLARITIES: readonly Polarity[] = ['auto', 'dark-on-light', 'light-on-dark', 'alpha'];

/**
 * Turns a picture of one handwritten digit into what an MNIST model expects:
 * 784 values in [0, 1], row-major 28×28, ink 1 on background 0, made the way
 * MNIST itself was made.
 *
 * 1. Find the ink (see `inkMap`): pen on a pad, light chalk on a dark board,
 *    strokes in the alpha channel, or pencil photographed on paper.
 * 2. Take the bounding box of its strokes (their half-strength outline, see
 *    {@link OUTLINE_LEVEL}) and scale it so that its longer side is 20 pixels,
 *    keeping the aspect ratio (area-averaged when shrinking, bilinear when enlarging).
 * 3. Place it so that its centre of mass lands where MNIST's do, pixel (14, 14)
 *    (see {@link MNIST_CENTER_OF_MASS}), with a sub-pixel shift folded into that
 *    same resampling; the result is re-measured and nudged until within 0.01 px,
 *    unless that would push strokes off the field.
 * 4. Rescale so that the strongest output pixel is 1.
 *
 * Pure, with a handful of typed arrays a call and none a pixel: a 280×280 pad
 * converts in about a millisecond once warm, so it can run after every stroke.
 *
 * @throws {InvalidOptionError} for a malformed image or option.
 * @throws {ImageDecodeError} when the image holds no ink.
 * @example
 * ```ts
 * const pixels = toMnistPixels(ctx.getImageData(0, 0, 280, 280));
 * pixels.length; // 784, pixels[14 * 28 + 14] is the centre of the field
 * toMnistPixels(decodePng(bytes, 'seven.png'), { polarity: 'dark-on-light' });
 * ```
 */
export function toMnistPixels(image: RgbaImage, options: ToMnistOptions = {}): Float32Array {
  assertRgbaImage(image, 'image');
  const { polarity, boxSize } = checkOptions(options);
  const { ink } = inkMap(image, polarity);
  // inkMap only returns when some pixel reached 1, so both boxes exist.
  const box = inkBoundingBox(ink, image.width, image.height) as PixelBox;
  const outline = inkBoundingBox(ink, image.width, image.height, OUTLINE_LEVEL) as PixelBox;

  // Source centre of mass in continuous coordinates (pixel i spans [i, i + 1)).
  const com = centerOfMass(ink, image.width, image.height);
  const scale = boxSize / Math.max(outline.width, outline.height);
  // A lopsided drawing (a long tail, a stray dot) centred by mass could push strokes
  // off the field; keeping the outline inside wins over the last pixel of centring.
  const keepX = (offset: number) => keepInField(offset, (outline.x - box.x) * scale, outline.width * scale);
  const keepY = (offset: number) => keepInField(offset, (outline.y - box.y) * scale, outline.height * scale);
  let offsetX = keepX(MNIST_CENTER_OF_MASS + 0.5 - (com.x + 0.5 - box.x) * scale);
  let offsetY = keepY(MNIST_CENTER_OF_MASS + 0.5 - (com.y + 0.5 - box.y) * scale);

  const out = new Float32Array(FIELD * FIELD);
  const scratch = new Float32Array(box.height * FIELD);
  for (let step = 0; ; step++) {
    resampleIntoField(ink, image.width, box, { scale, offsetX, offsetY }, FIELD, out, scratch);
    // Filtering moves the centre of mass by a fraction of a pixel; measure and correct.
    const placed = centerOfMass(out, FIELD, FIELD);
    const nextX = keepX(offsetX + MNIST_CENTER_OF_MASS - placed.x);
    const nextY = keepY(offsetY + MNIST_CENTER_OF_MASS - placed.y);
    const moveX = Math.abs(nextX - offsetX);
    const moveY = Math.abs(nextY - offsetY);
    if (!(placed.mass > 0) || step === MAX_CENTRING_STEPS) break;
    if (moveX < CENTRING_TOLERANCE && moveY < CENTRING_TOLERANCE) break;
    offsetX = nextX;
    offsetY = nextY;
  }

  let max = 0;
  for (let i = 0; i < out.length; i++) if (out[i] > max) max = out[i];
  const gain = max > 0 ? 1 / max : 0;
  for (let i = 0; i < out.length; i++) out[i] = Math.min(1, Math.max(0, out[i] * gain));
  return out;
}

/** The offset nearest `offset` that keeps [start, start + length] (relative to it) in the field. */
function keepInField(offset: number, start: number, length: number): number {
  return Math.min(Math.max(offset, -start), FIELD - start - length);
}

function checkOptions(options: ToMnistOptions): Required<ToMnistOptions> {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidOptionError(`Expected options to be an object, got ${options === null ? 'null' : typeof options}`);
  }
  const polarity = options.polarity ?? 'auto';
  if (!POLARITIES.includes(polarity)) {
    throw new InvalidOptionError(
      `Expected options.polarity to be one of ${POLARITIES.map((p) => `'${p}'`).join(', ')}, got ${String(polarity)}`,
    );
  }
  const boxSize = options.boxSize ?? DEFAULT_BOX;
  if (typeof boxSize !== 'number' || !Number.isInteger(boxSize) || boxSize < 1 || boxSize > FIELD) {
    throw new InvalidOptionError(`Expected options.boxSize to be an integer from 1 to ${FIELD}, got ${String(boxSize)}`);
  }
  return { polarity, boxSize };
}
