/**
 * Reader for the IDX format, MNIST's binary container: a 4-byte magic
 * `00 00 <type> <rank>`, then `rank` big-endian uint32 dimensions, then the
 * data, row-major. Only the unsigned-byte type (0x08) is supported; MNIST uses
 * nothing else.
 *
 * Every check runs on the header before anything is allocated, so a hostile or
 * corrupt header (say, 2^32 images) costs nothing but an error.
 */
import { IdxFormatError, InvalidOptionError } from '../errors.js';
import { concatBytes } from '../util/concat-bytes.js';
import { yieldToEventLoop } from '../util/yield-to-event-loop.js';

/** A decoded IDX tensor: unsigned bytes, row-major, with its dimensions. */
export interface IdxArray {
  readonly dtype: 'uint8';
  /** Dimensions from the header, outermost first, e.g. `[60000, 28, 28]`. */
  readonly dims: number[];
  /** `dims` product bytes; a view into the input where possible. */
  readonly data: Uint8Array;
}

/** Options of {@link decodeIdx}. */
export interface DecodeIdxOptions {
  /** Largest decompressed size accepted from a gzip file, in bytes (default 64 MiB). */
  readonly maxBytes?: number;
}

/** Default {@link DecodeIdxOptions.maxBytes}: MNIST's largest file is 47 MB, so 64 MiB fits it with room. */
export const DEFAULT_IDX_MAX_BYTES = 64 * 1024 * 1024;

const IDX_TYPE_NAMES: Readonly<Record<number, string>> = {
  0x08: 'unsigned byte',
  0x09: 'signed byte',
  0x0b: 'int16',
  0x0c: 'int32',
  0x0d: 'float32',
  0x0e: 'float64',
};

const hex = (b: number): string => b.toString(16).padStart(2, '0');

/**
 * Parses an uncompressed IDX file of unsigned bytes. The returned `data` is a
 * zero-copy view into `bytes`.
 *
 * @param source Name used in error messages (a file name or URL).
 * @throws IdxFormatError on a bad magic, an unsupported type, a truncated
 *   header or payload, or trailing bytes.
 * @example
 * ```ts
 * const labels = parseIdx(await readFile('train-labels-idx1-ubyte'), 'train-labels');
 * labels.dims; // [60000]
 * ```
 */
export function parseIdx(bytes: ArrayBuffer | Uint8Array, source: string): IdxArray {
  const u8 = toUint8Array(bytes, source);
  const fail = (what: string): never => {
    throw new IdxFormatError(`${source}: ${what}`);
  };
  if (u8.length < 4) fail(`expected an IDX header of at least 4 bytes, got ${u8.length} bytes`);
  if (u8[0] !== 0 || u8[1] !== 0) {
    const hint = u8[0] === 0x1f && u8[1] === 0x8b ? ' (gzip-compressed: use decodeIdx)' : '';
    fail(`expected the IDX magic 00 00 <type> <rank>, got ${[...u8.subarray(0, 4)].map(hex).join(' ')}${hint}`);
  }
  const type = u8[2];
  if (type !== 0x08) {
    const name = IDX_TYPE_NAMES[type] ?? 'unknown';
    fail(`unsupported IDX data type 0x${hex(type)} (${name}); only 0x08 (unsigned byte) is supported`);
  }
  const rank = u8[3];
  if (rank < 1 || rank > 4) fail(`expected an IDX rank of 1 to 4, got ${rank}`);
  const headerLength = 4 + 4 * rank;
  if (u8.length < headerLength) {
    fail(`truncated header: rank ${rank} needs ${headerLength} bytes, got ${u8.length} bytes`);
  }
  const view = new DataView(u8.buffer, u8.byteOffset, headerLength);
  const dims: number[] = [];
  for (let i = 0; i < rank; i++) dims.push(view.getUint32(4 + 4 * i, false));

  // Multiply with an early exit: once the product passes the payload the file
  // cannot be valid, and no float rounding can bring it back down.
  const payload = u8.length - headerLength;
  let expected = dims.includes(0) ? 0 : 1;
  for (let i = 0; i < rank && expected !== 0; i++) {
    expected *= dims[i];
    if (expected > payload) {
      const bound = i === rank - 1 ? `${expected}` : `more than ${payload}`;
      fail(`truncated data: dims [${dims.join(', ')}] need ${bound} bytes, but only ${payload} bytes follow the header`);
    }
  }
  if (expected < payload) {
    fail(`expected ${expected} bytes of data for dims [${dims.join(', ')}], got ${payload} (${payload - expected} trailing bytes)`);
  }
  return { dtype: 'uint8', dims, data: u8.subarray(headerLength, headerLength + expected) };
}

/**
 * Decodes an IDX file that may be gzip-compressed (`.gz`, detected by its
 * `1f 8b` magic). Decompression uses the standard `DecompressionStream`, so
 * the same code runs in Node 20+ and browsers; the size cap is enforced while
 * streaming, so a gzip bomb stops at `maxBytes`.
 *
 * @throws IdxFormatError on corrupt gzip, output over `maxBytes`, or any
 *   {@link parseIdx} error; InvalidOptionError on a bad `maxBytes`.
 * @example
 * ```ts
 * const images = await decodeIdx(await (await fetch(url)).arrayBuffer(), url);
 * images.dims; // [10000, 28, 28]
 * ```
 */
export async function decodeIdx(
  bytes: ArrayBuffer | Uint8Array,
  source: string,
  options: DecodeIdxOptions = {},
): Promise<IdxArray> {
  const maxBytes = options.maxBytes ?? DEFAULT_IDX_MAX_BYTES;
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 1) {
    throw new InvalidOptionError(`Expected maxBytes to be a positive integer, got ${String(maxBytes)}`);
  }
  const u8 = toUint8Array(bytes, source);
  const gzipped = u8.length >= 2 && u8[0] === 0x1f && u8[1] === 0x8b;
  return parseIdx(gzipped ? await gunzip(u8, source, maxBytes) : u8, source);
}

function toUint8Array(bytes: ArrayBuffer | Uint8Array, source: string): Uint8Array {
  if (bytes instanceof Uint8Array) {
    // A subclass such as Node's Buffer (whose slice() is a view) becomes a plain view.
    return bytes.constructor === Uint8Array ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
  }
  if (bytes instanceof ArrayBuffer || Object.prototype.toString.call(bytes) === '[object ArrayBuffer]') {
    return new Uint8Array(bytes);
  }
  throw new InvalidOptionError(
    `${source}: expected bytes as an ArrayBuffer or Uint8Array, got ${Object.prototype.toString.call(bytes)}`,
  );
}

/**
 * Compressed bytes handed to the decompressor at a time. Browsers inflate a
 * whole written chunk in one task, and their streams then hand the output on
 * in microtasks, so one 9.8 MB chunk (MNIST's training images) held a page's
 * main thread 0.4-0.7 s in Chromium, Firefox and WebKit. 64 KiB inflates to at
 * most ~0.3 MB of MNIST (a few ms), and the event loop runs between slices.
 */
const GUNZIP_SLICE_BYTES = 64 * 1024;

async function gunzip(u8: Uint8Array, source: string, maxBytes: number): Promise<Uint8Array> {
  // DecompressionStream takes ArrayBuffer-backed views; copy a SharedArrayBuffer-backed one.
  const bytes = u8.buffer instanceof ArrayBuffer ? (u8 as Uint8Array<ArrayBuffer>) : new Uint8Array(u8);
  let offset = 0;
  const input = new ReadableStream<BufferSource>(
    {
      async pull(controller) {
        if (offset > 0) await yieldToEventLoop(); // a page's input, timers and aborts run between slices
        if (offset >= bytes.length) return controller.close();
        controller.enqueue(bytes.subarray(offset, (offset += GUNZIP_SLICE_BYTES)));
      },
    },
    { highWaterMark: 0 }, // pulled as the decompressor takes it, not queued ahead
  );
  const reader = input.pipeThrough(new DecompressionStream('gzip')).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    let step: ReadableStreamReadResult<Uint8Array>;
    try {
      step = await reader.read();
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message : String(cause);
      throw new IdxFormatError(`${source}: corrupt gzip data (${reason})`, { cause });
    }
    if (step.done) break;
    total += step.value.length;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new IdxFormatError(`${source}: expected at most ${maxBytes} bytes after gunzip (maxBytes), got more`);
    }
    chunks.push(step.value);
  }
  return concatBytes(chunks);
}
