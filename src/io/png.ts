import { decode, encode, hasPngSignature, type DecodedPng } from 'fast-png';

import { ImageDecodeError, InvalidOptionError } from '../errors.js';
import { assertRgbaImage, type RgbaImage } from '../preprocess/rgba-image.js';
import { describeValue } from '../util/describe-value.js';

/**
 * The most pixels {@link decodePng} accepts: 40 megapixels (a 160 MB RGBA buffer),
 * far above any photo of a digit and far below what would take a tab down.
 */
export const MAX_PNG_PIXELS = 40_000_000;

/** Channels of each PNG colour type: grey, RGB, palette index, grey + alpha, RGBA. */
const CHANNELS: Readonly<Record<number, number>> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/** Deflate's ceiling: at best 2 bits encode a 258-byte match, so one compressed byte inflates to at most 1032. */
const MAX_INFLATE_RATIO = 1032;

/** Bit depths each PNG colour type allows (PNG spec, table 11.1), by colour type. */
const DEPTHS: Readonly<Record<number, readonly number[]>> = {
  0: [1, 2, 4, 8, 16], // grey
  2: [8, 16], // RGB
  3: [1, 2, 4, 8], // palette
  4: [8, 16], // grey + alpha
  6: [8, 16], // RGBA
};

/**
 * Decodes a PNG of any colour type (grey, grey + alpha, RGB, RGBA, palette, with
 * `tRNS` transparency) and bit depth (1, 2, 4, 8, 16) into 8-bit RGBA. The
 * header is read and checked before any pixel is inflated, so a file claiming
 * to be 100 000 × 100 000 is refused without allocating for it, and CRCs are
 * verified, so corruption is reported rather than decoded into garbage.
 *
 * The declared size must also fit what the compressed data can hold at
 * deflate's 1032:1 ceiling, so memory stays proportional to the file's bytes
 * (a 70-byte file claiming 6000 × 6000 RGBA at 16 bits is refused, rather than
 * getting the 288 MB buffer the decoder would set aside for it); a server
 * taking uploads should still cap the byte count it accepts.
 *
 * @param source - names the input in error messages: a file name or `'upload'`.
 * @throws {ImageDecodeError} for empty, non-PNG, truncated, corrupt or oversized input.
 * @example
 * ```ts
 * const image = decodePng(readFileSync('seven.png'), 'seven.png');
 * const pixels = toMnistPixels(image);
 * ```
 */
export function decodePng(bytes: Uint8Array | ArrayBuffer, source: string): RgbaImage {
  if (typeof source !== 'string') {
    throw new InvalidOptionError(`Expected source to be a string naming the input, got ${typeof source}`);
  }
  const data = asBytes(bytes);
  if (data.length === 0) throw new ImageDecodeError(`${source}: empty input (0 bytes), expected a PNG image`);
  if (!hasPngSignature(data)) {
    const head = Array.from(data.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new ImageDecodeError(
      `${source}: not a PNG image, expected the signature 89 50 4e 47 0d 0a 1a 0a, got ${head}`,
    );
  }
  const header = readHeader(data, source);
  let png: DecodedPng;
  try {
    png = decode(data, { checkCrc: true });
  } catch (cause) {
    throw new ImageDecodeError(`${source}: corrupt PNG (${reason(cause)})`, { cause });
  }
  if (header.colourType === 3 && !png.palette) {
    throw new ImageDecodeError(`${source}: corrupt PNG (palette image without a PLTE chunk)`);
  }
  return { width: png.width, height: png.height, data: toRgba(png, source) };
}

/**
 * Encodes an RGBA image as a PNG, in the smallest colour type that loses nothing:
 * grey when every pixel is grey, RGB when all are opaque, with alpha only when
 * needed. `decodePng(encodePng(image), …)` gives back the same pixels.
 *
 * @throws {InvalidOptionError} for a malformed image.
 * @example
 * ```ts
 * writeFileSync('pad.png', encodePng(ctx.getImageData(0, 0, 280, 280)));
 * ```
 */
export function encodePng(image: RgbaImage): Uint8Array {
  assertRgbaImage(image, 'image');
  const { width, height, data } = image;
  let grey = true;
  let opaque = true;
  for (let i = 0; i < data.length && (grey || opaque); i += 4) {
    if (data[i] !== data[i + 1] || data[i] !== data[i + 2]) grey = false;
    if (data[i + 3] !== 255) opaque = false;
  }
  const channels = (grey ? 1 : 3) + (opaque ? 0 : 1);
  const packed = channels === 4 ? new Uint8Array(data.buffer, data.byteOffset, data.length) : new Uint8Array(width * height * channels);
  if (channels !== 4) {
    for (let i = 0, j = 0; i < data.length; i += 4) {
      packed[j++] = data[i];
      if (!grey) {
        packed[j++] = data[i + 1];
        packed[j++] = data[i + 2];
      }
      if (!opaque) packed[j++] = data[i + 3];
    }
  }
  return encode({ width, height, data: packed, channels, depth: 8 });
}

/** fast-png wraps zlib's errors as `'Error while decompressing the data:'` + cause. */
function reason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const inner = error.cause instanceof Error ? ` ${error.cause.message}` : '';
  return (error.message + inner).trim();
}

function asBytes(bytes: Uint8Array | ArrayBuffer): Uint8Array {
  if (bytes instanceof Uint8Array) return bytes;
  if (bytes instanceof ArrayBuffer) return new Uint8Array(bytes);
  throw new InvalidOptionError(`Expected bytes to be a Uint8Array or ArrayBuffer, got ${describeValue(bytes)}`);
}

interface Header {
  width: number;
  height: number;
  colourType: number;
}

/**
 * Reads and checks IHDR, which the PNG spec requires to come first, then walks
 * the chunk lengths to the end so that truncation is named as such.
 */
function readHeader(data: Uint8Array, source: string): Header {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const fail = (why: string) => new ImageDecodeError(`${source}: ${why}`);
  if (data.length < 33) throw fail(`truncated PNG: ${data.length} bytes, too short for its header`);
  if (view.getUint32(8) !== 13 || chunkType(data, 12) !== 'IHDR') {
    throw fail(`corrupt PNG: expected the IHDR chunk first, got '${chunkType(data, 12)}'`);
  }
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  const depth = data[24];
  const colourType = data[25];
  const interlace = data[28];
  if (width === 0 || height === 0) throw fail(`corrupt PNG: image size ${width}×${height}`);
  if (width * height > MAX_PNG_PIXELS) {
    throw fail(
      `image is ${width}×${height} = ${((width * height) / 1e6).toFixed(1)} megapixels, ` +
        `more than the limit of ${MAX_PNG_PIXELS / 1e6}`,
    );
  }
  if (!(colourType in DEPTHS)) throw fail(`corrupt PNG: unknown colour type ${colourType}`);
  if (!DEPTHS[colourType].includes(depth)) {
    throw fail(`corrupt PNG: bit depth ${depth} is not allowed for colour type ${colourType}`);
  }
  if (interlace === 1 && depth < 8) {
    throw fail(`unsupported PNG: interlaced (Adam7) with bit depth ${depth}; only 8 and 16 are supported`);
  }
  // Walk the chunks: each is length, type, payload, CRC.
  let offset = 8;
  let compressed = 0;
  while (offset + 12 <= data.length) {
    const type = chunkType(data, offset + 4);
    const length = view.getUint32(offset);
    if (type === 'IDAT') compressed += length;
    offset += 12 + length;
    if (type === 'IEND') {
      // The decoder allocates for the declared size before it inflates anything, so a
      // declared size that the compressed data cannot possibly fill is refused here.
      const pixelBytes = Math.ceil((width * height * CHANNELS[colourType] * depth) / 8);
      if (pixelBytes > compressed * MAX_INFLATE_RATIO) {
        throw fail(
          `corrupt PNG: a ${width}×${height} image needs at least ${pixelBytes} bytes of pixel data, ` +
            `more than its ${compressed} bytes of IDAT can hold`,
        );
      }
      return { width, height, colourType };
    }
  }
  throw fail(`truncated PNG: the file ends after ${data.length} bytes, before its IEND chunk`);
}

function chunkType(data: Uint8Array, offset: number): string {
  return String.fromCharCode(...data.subarray(offset, offset + 4));
}

/** Expands any decoded colour type and depth to 8-bit RGBA. */
function toRgba(png: DecodedPng, source: string): Uint8ClampedArray {
  const { width, height, depth, channels, palette, transparency } = png;
  const samples = png.data;
  const out = new Uint8ClampedArray(width * height * 4);
  if (depth === 8 && channels === 4) {
    out.set(samples);
    return out;
  }
  const max = 2 ** depth - 1;
  // Rows of packed samples (depth < 8) are padded to whole bytes.
  const rowBytes = Math.ceil((width * channels * depth) / 8);
  const sample = (x: number, y: number, c: number): number => {
    if (depth >= 8) return samples[(y * width + x) * channels + c];
    const bit = x * depth;
    return (samples[y * rowBytes + (bit >> 3)] >> (8 - depth - (bit & 7))) & max;
  };
  const to8 = (v: number) => (depth === 8 ? v : Math.round((v * 255) / max));
  if (palette && channels === 1) {
    for (let y = 0, j = 0; y < height; y++) {
      for (let x = 0; x < width; x++, j += 4) {
        const colour = palette[sample(x, y, 0)];
        if (colour === undefined) {
          throw new ImageDecodeError(
            `${source}: corrupt PNG (palette index ${sample(x, y, 0)} at (${x}, ${y}), palette has ${palette.length} colours)`,
          );
        }
        out[j] = colour[0];
        out[j + 1] = colour[1];
        out[j + 2] = colour[2];
        out[j + 3] = colour.length > 3 ? colour[3] : 255;
      }
    }
    return out;
  }
  const hasAlpha = channels === 2 || channels === 4;
  const colour = channels >= 3;
  for (let y = 0, j = 0; y < height; y++) {
    for (let x = 0; x < width; x++, j += 4) {
      const r = sample(x, y, 0);
      const g = colour ? sample(x, y, 1) : r;
      const b = colour ? sample(x, y, 2) : r;
      out[j] = to8(r);
      out[j + 1] = to8(g);
      out[j + 2] = to8(b);
      if (hasAlpha) out[j + 3] = to8(sample(x, y, channels - 1));
      else out[j + 3] = isKeyColour(transparency, colour, r, g, b) ? 0 : 255;
    }
  }
  return out;
}

/** tRNS for grey and RGB images names one colour, in the image's own depth, that is transparent. */
function isKeyColour(key: Uint16Array | undefined, colour: boolean, r: number, g: number, b: number): boolean {
  if (key === undefined || key.length === 0) return false;
  return colour ? key.length >= 3 && key[0] === r && key[1] === g && key[2] === b : key[0] === r;
}
