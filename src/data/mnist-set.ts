/**
 * An MNIST split as plain typed arrays: the pixels exactly as stored in the
 * IDX file (uint8, row-major, 0 = background) and one label per image.
 */
import { IdxFormatError, InvalidOptionError } from '../errors.js';
import { decodeIdx, type DecodeIdxOptions, type IdxArray } from './idx.js';

/** Image side length of MNIST digits. */
export const MNIST_SIZE = 28;
/** Pixels per MNIST image (28 × 28). */
export const MNIST_PIXELS = MNIST_SIZE * MNIST_SIZE;

/** A set of MNIST digits: `count` images of 28×28 uint8 pixels and their labels 0–9. */
export interface MnistSet {
  /** `count * 784` pixels, image after image, row-major, 0–255 as in the file. */
  images: Uint8Array;
  /** `count` labels, each 0–9. */
  labels: Uint8Array;
  count: number;
  rows: 28;
  cols: 28;
}

/**
 * Checks a pair of decoded IDX files and wraps them as a {@link MnistSet}
 * (no copy). `source` names the pair in error messages.
 *
 * @throws IdxFormatError when the images are not `[count, 28, 28]`, the labels
 *   not `[count]`, the counts differ, or a label is outside 0–9.
 * @example
 * ```ts
 * const set = mnistSetFromIdx(parseIdx(img, 'train-images'), parseIdx(lbl, 'train-labels'), 'train');
 * set.count; // 60000
 * ```
 */
export function mnistSetFromIdx(images: IdxArray, labels: IdxArray, source: string): MnistSet {
  const fail = (what: string): never => {
    throw new IdxFormatError(`${source}: ${what}`);
  };
  const id = images.dims;
  const ld = labels.dims;
  if (id.length !== 3) fail(`expected images of rank 3 [count, 28, 28], got rank ${id.length} [${id.join(', ')}]`);
  if (id[1] !== MNIST_SIZE || id[2] !== MNIST_SIZE) fail(`expected 28×28 images, got ${id[1]}×${id[2]}`);
  if (ld.length !== 1) fail(`expected labels of rank 1 [count], got rank ${ld.length} [${ld.join(', ')}]`);
  const count = id[0];
  if (ld[0] !== count) fail(`expected as many labels as images (${count}), got ${ld[0]} labels`);
  const lab = labels.data;
  for (let i = 0; i < lab.length; i++) {
    if (lab[i] > 9) fail(`expected labels in 0..9, got ${lab[i]} at index ${i}`);
  }
  return { images: images.data, labels: lab, count, rows: MNIST_SIZE, cols: MNIST_SIZE };
}

/**
 * The images `start .. start + count - 1` of a set, as zero-copy views.
 *
 * @throws InvalidOptionError when the range is not inside the set.
 * @example
 * ```ts
 * const validation = subsetMnist(train, 55_000, 5_000);
 * ```
 */
export function subsetMnist(set: MnistSet, start: number, count: number): MnistSet {
  if (!Number.isInteger(start) || start < 0 || start > set.count) {
    throw new InvalidOptionError(`Expected start to be an integer in 0..${set.count}, got ${start}`);
  }
  if (!Number.isInteger(count) || count < 0 || start + count > set.count) {
    throw new InvalidOptionError(
      `Expected count to be an integer in 0..${set.count - start} (set of ${set.count} from ${start}), got ${count}`,
    );
  }
  return {
    images: set.images.subarray(start * MNIST_PIXELS, (start + count) * MNIST_PIXELS),
    labels: set.labels.subarray(start, start + count),
    count,
    rows: MNIST_SIZE,
    cols: MNIST_SIZE,
  };
}

/** File names used in {@link decodeMnist} error messages. */
export interface MnistSourceNames {
  readonly images?: string;
  readonly labels?: string;
}

/**
 * Decodes an images file and a labels file (plain or gzip IDX) into a
 * {@link MnistSet}. Works on bytes from anywhere: `fetch`, `fs`, a bundle.
 *
 * @throws IdxFormatError naming the offending file.
 * @example
 * ```ts
 * const [img, lbl] = await Promise.all([fetch(imagesUrl), fetch(labelsUrl)].map(async (r) => (await r).arrayBuffer()));
 * const test = await decodeMnist(img, lbl, { images: imagesUrl, labels: labelsUrl });
 * ```
 */
export async function decodeMnist(
  imagesBytes: ArrayBuffer | Uint8Array,
  labelsBytes: ArrayBuffer | Uint8Array,
  names: MnistSourceNames = {},
  options: DecodeIdxOptions = {},
): Promise<MnistSet> {
  const imagesName = names.images ?? 'images';
  const labelsName = names.labels ?? 'labels';
  const [images, labels] = await Promise.all([
    decodeIdx(imagesBytes, imagesName, options),
    decodeIdx(labelsBytes, labelsName, options),
  ]);
  return mnistSetFromIdx(images, labels, `${imagesName} + ${labelsName}`);
}
