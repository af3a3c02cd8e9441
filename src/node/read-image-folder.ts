/**
 * Reads a folder of labelled drawings laid out as torchvision's `ImageFolder`
 * and Keras' `image_dataset_from_directory` expect: one subfolder per class,
 * here `0/` … `9/`, each holding PNG images of any size. Every image is read
 * like `predict` reads it (`decodePng`, then the pad's `toMnistPixels`).
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DigitClassifierError, FileReadError, ImageDecodeError, InvalidOptionError } from '../errors.js';
import { decodePng } from '../io/png.js';
import { toMnistPixels } from '../preprocess/to-mnist-pixels.js';
import { fsReason } from './fs-reason.js';

/** The drawings of a folder: `count × 784` floats in [0, 1], a digit each, and where each came from. */
export interface LabelledDrawings {
  images: Float32Array;
  labels: Uint8Array;
  files: string[];
  count: number;
}

const DIGIT_FOLDER = /^[0-9]$/;

/**
 * Reads `dir/0/*.png` … `dir/9/*.png` (a digit may have no folder; names
 * starting with a dot are skipped).
 *
 * @throws FileReadError when `dir` (or a digit folder) cannot be read;
 *   InvalidOptionError for something else in `dir` or a file that is not a
 *   `.png` in a digit folder, or no drawing at all; ImageDecodeError naming
 *   the file for a PNG that cannot be decoded or holds no ink.
 * @example
 * ```ts
 * const { images, labels, count } = await readImageFolder('my-digits'); // my-digits/3/a.png …
 * await trainer.adapt({ images, labels }, { replay: train });
 * ```
 */
export async function readImageFolder(dir: string): Promise<LabelledDrawings> {
  const entries = await list(dir);
  const found: { file: string; label: number }[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    if (!entry.isDirectory() || !DIGIT_FOLDER.test(entry.name)) {
      throw new InvalidOptionError(`${join(dir, entry.name)}: expected only the folders 0/ … 9/ in ${dir} (one per digit, holding PNG drawings), got ${entry.isDirectory() ? 'a folder' : 'a file'} "${entry.name}"`);
    }
    for (const file of await list(join(dir, entry.name))) {
      if (file.name.startsWith('.')) continue;
      const path = join(dir, entry.name, file.name);
      if (!file.isFile() || !/\.png$/i.test(file.name)) throw new InvalidOptionError(`${path}: expected only PNG images (.png) in ${join(dir, entry.name)}`);
      found.push({ file: path, label: Number(entry.name) });
    }
  }
  if (found.length === 0) throw new InvalidOptionError(`${dir}: holds no drawings: expected PNG images in subfolders 0/ … 9/, one folder per digit`);
  found.sort((a, b) => a.label - b.label || (a.file < b.file ? -1 : 1));
  const images = new Float32Array(found.length * 784);
  for (let i = 0; i < found.length; i++) images.set(await readDrawing(found[i].file), i * 784);
  return { images, labels: Uint8Array.from(found, (f) => f.label), files: found.map((f) => f.file), count: found.length };
}

async function list(dir: string) {
  try {
    return (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
  } catch (cause) {
    throw new FileReadError(dir, `${dir}: cannot read the folder: ${fsReason(cause)}`, { cause });
  }
}

/** One PNG as 784 pixels; every failure names the file. */
async function readDrawing(file: string): Promise<Float32Array> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (cause) {
    throw new FileReadError(file, `${file}: cannot read the file: ${fsReason(cause)}`, { cause });
  }
  try {
    return toMnistPixels(decodePng(bytes, file));
  } catch (e) {
    if (e instanceof DigitClassifierError && !e.message.startsWith(`${file}:`)) throw new ImageDecodeError(`${file}: ${e.message}`, { cause: e });
    throw e;
  }
}
