/**
 * The one options shape and the one result type of MNIST loading, shared by
 * `loadMnist` (Node, from files) and `fetchMnist` (browser, over HTTP): which
 * split, how many digits, cancellation and progress. Each adds only where the
 * files are (`dir` or `baseUrl`).
 */
import { AbortError, InvalidOptionError } from '../errors.js';
import { subsetMnist, type MnistSet } from './mnist-set.js';

/** Which part of MNIST to load: the 60,000 training digits, the 10,000 test digits, or both. */
export type MnistSplit = 'train' | 'test' | 'both';

/** Progress over all requested files. */
export interface DownloadProgress {
  /** Bytes received or read so far (compressed, for `.gz` files). */
  loaded: number;
  /** Bytes expected in all, when known; else null. */
  total: number | null;
  /** Files completely received. */
  filesDone: number;
  files: number;
}

/** Options common to `loadMnist` and `fetchMnist`. */
export interface MnistOptions<S extends MnistSplit = MnistSplit> {
  /** Which split to load (default `'both'`). */
  readonly split?: S;
  /** Keep only the first `limit` images of each split (copied, so the full file can be freed). */
  readonly limit?: number;
  /** Progress as files arrive. */
  readonly onProgress?: (progress: DownloadProgress) => void;
  /** Cancels the loading: it rejects with an `AbortError`. */
  readonly signal?: AbortSignal;
}

/** The loaded splits, typed as present when the split asks for them. */
export type LoadedMnist<S extends MnistSplit = 'both'> = S extends 'train'
  ? { train: MnistSet }
  : S extends 'test'
    ? { test: MnistSet }
    : { train: MnistSet; test: MnistSet };

/**
 * Checks the common options and returns the splits to load and the limit.
 * @internal
 */
export function checkMnistOptions(options: MnistOptions): { splits: ('train' | 'test')[]; limit: number | undefined } {
  const { split = 'both', limit } = options;
  if (split !== 'train' && split !== 'test' && split !== 'both') {
    throw new InvalidOptionError(`Expected split to be 'train', 'test' or 'both', got ${JSON.stringify(split)}`);
  }
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) {
    throw new InvalidOptionError(`Expected limit to be a non-negative integer, got ${String(limit)}`);
  }
  if (options.onProgress !== undefined && typeof options.onProgress !== 'function') {
    throw new InvalidOptionError(`Expected onProgress to be a function, got ${typeof options.onProgress}`);
  }
  return { splits: split === 'both' ? ['train', 'test'] : [split], limit };
}

/** Throws an `AbortError` naming `what` if `signal` is aborted. @internal */
export function throwIfAborted(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw new AbortError(`${what} aborted`, { cause: signal.reason });
}

/** The first `limit` digits of `set`, copied (so the full buffers can be freed); `set` itself when it is no longer. @internal */
export function limitMnist(set: MnistSet, limit: number | undefined): MnistSet {
  if (limit === undefined || limit >= set.count) return set;
  const head = subsetMnist(set, 0, limit);
  return { ...head, images: head.images.slice(), labels: head.labels.slice() };
}
