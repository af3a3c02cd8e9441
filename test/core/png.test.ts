import { deflateSync } from 'node:zlib';

import { encode } from 'fast-png';
import * as fastPng from 'fast-png';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { ImageDecodeError, InvalidOptionError } from '../../src/errors.js';
import { decodePng, encodePng, MAX_PNG_PIXELS } from '../../src/io/png.js';
import type { RgbaImage } from '../../src/preprocess/rgba-image.js';
import { chunk, idat as idatOfRaw, ihdr, png } from './fuzz/png-craft.js';

// Watch fast-png's decoder, to prove oversized files are refused before it runs.
vi.mock('fast-png', async (importOriginal) => {
  const original = await importOriginal<typeof import('fast-png')>();
  return { ...original, decode: vi.fn(original.decode) };
});
beforeEach(() => {
  vi.mocked(fastPng.decode).mockClear();
});

// --- crafting what encoders will not (the PNG writer the fuzz target uses) ---

/** Rows of samples packed at `depth` bits, each behind filter byte 0, then deflated. */
function idat(rows: number[][], depth: number): Uint8Array {
  const bytes: number[] = [];
  for (const row of rows) {
    bytes.push(0);
    let acc = 0;
    let bits = 0;
    for (const s of row) {
      acc = (acc << depth) | s;
      bits += depth;
      while (bits >= 8) {
        bytes.push((acc >> (bits - 8)) & 0xff);
        bits -= 8;
      }
    }
    if (bits > 0) bytes.push((acc << (8 - bits)) & 0xff);
  }
  return idatOfRaw(Uint8Array.from(bytes));
}

/** The RGBA of pixel `i`. */
const px = (image: RgbaImage, i: number) => Array.from(image.data.subarray(4 * i, 4 * i + 4));

function testImage(width: number, height: number, pixel: (x: number, y: number) => number[]): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(pixel(x, y), (y * width + x) * 4);
  return { width, height, data };
}

describe('encodePng → decodePng', () => {
  const cases = {
    RGBA: [6, testImage(37, 23, (x, y) => [x * 7, y * 11, (x * y) % 256, (x + y * 3) % 256])],
    RGB: [2, testImage(5, 4, (x, y) => [x * 50, y * 60, 255 - x, 255])],
    grey: [0, testImage(31, 17, (x, y) => [(x * y) % 256, (x * y) % 256, (x * y) % 256, 255])],
    'grey + alpha': [4, testImage(3, 3, (x, y) => [x * 90, x * 90, x * 90, y * 100])],
  } as const;
  for (const [name, [colourType, image]] of Object.entries(cases)) {
    it(`round-trips ${name} losslessly, stored as PNG colour type ${colourType}`, () => {
      const bytes = encodePng(image);
      expect(bytes[25]).toBe(colourType);
      const back = decodePng(bytes, `${name}.png`);
      expect(back.width).toBe(image.width);
      expect(back.height).toBe(image.height);
      expect(back.data).toBeInstanceOf(Uint8ClampedArray);
      expect(Array.from(back.data)).toEqual(Array.from(image.data));
    });
  }

  it('accepts an ArrayBuffer and a Uint8Array view into a larger buffer', () => {
    const bytes = encodePng(cases.RGB[1]);
    const padded = new Uint8Array(bytes.length + 10);
    padded.set(bytes, 7);
    expect(decodePng(bytes.slice().buffer, 'buffer').data).toEqual(cases.RGB[1].data);
    expect(decodePng(padded.subarray(7, 7 + bytes.length), 'view').data).toEqual(cases.RGB[1].data);
  });

  it('decodes an Adam7-interlaced PNG', () => {
    const image = cases.RGBA[1];
    const bytes = encode({ width: image.width, height: image.height, data: image.data, channels: 4 }, { interlace: 'Adam7' });
    expect(bytes[28]).toBe(1);
    expect(decodePng(bytes, 'interlaced.png').data).toEqual(image.data);
  });
});

describe('decodePng reads every colour type and depth', () => {
  it('scales 16-bit grey and RGBA to 8 bits, rounding', () => {
    const grey = encode({ width: 3, height: 1, depth: 16, channels: 1, data: Uint16Array.of(0, 32896, 65535) });
    expect(Array.from(decodePng(grey, 'grey16.png').data)).toEqual([0, 0, 0, 255, 128, 128, 128, 255, 255, 255, 255, 255]);
    const rgba = encode({ width: 1, height: 1, depth: 16, channels: 4, data: Uint16Array.of(257 * 10, 257 * 200, 65535, 257 * 128 + 100) });
    expect(px(decodePng(rgba, 'rgba16.png'), 0)).toEqual([10, 200, 255, 128]);
  });

  it('expands 1-, 2- and 4-bit grey to the full 0–255 range', () => {
    const one = decodePng(png(ihdr(10, 1, 1, 0), idat([[1, 0, 1, 1, 0, 0, 0, 0, 1, 1]], 1)), 'one-bit.png');
    expect(Array.from({ length: 10 }, (_, i) => one.data[4 * i])).toEqual([255, 0, 255, 255, 0, 0, 0, 0, 255, 255]);
    const two = decodePng(png(ihdr(4, 2, 2, 0), idat([[0, 1, 2, 3], [3, 2, 1, 0]], 2)), 'two-bit.png');
    expect(Array.from({ length: 8 }, (_, i) => two.data[4 * i])).toEqual([0, 85, 170, 255, 255, 170, 85, 0]);
    const four = decodePng(png(ihdr(3, 1, 4, 0), idat([[0, 7, 15]], 4)), 'four-bit.png');
    expect(Array.from({ length: 3 }, (_, i) => four.data[4 * i])).toEqual([0, 119, 255]);
  });

  it('expands palettes of every depth, with tRNS alpha', () => {
    const palette = chunk('PLTE', [255, 0, 0, 0, 255, 0, 0, 0, 255, 9, 9, 9]);
    const alpha = chunk('tRNS', [0, 128]); // entries 2 and 3 stay opaque
    const eight = decodePng(png(ihdr(4, 1, 8, 3), palette, alpha, idat([[3, 2, 1, 0]], 8)), 'pal8.png');
    expect([0, 1, 2, 3].map((i) => px(eight, i))).toEqual([[9, 9, 9, 255], [0, 0, 255, 255], [0, 255, 0, 128], [255, 0, 0, 0]]);
    const two = decodePng(png(ihdr(5, 1, 2, 3), palette, idat([[1, 2, 3, 0, 1]], 2)), 'pal2.png');
    expect(px(two, 2)).toEqual([9, 9, 9, 255]);
    expect(px(two, 4)).toEqual([0, 255, 0, 255]);
    const fastPngPalette = encode({ width: 2, height: 1, channels: 1, depth: 8, data: Uint8Array.of(1, 0), palette: [[1, 2, 3, 40], [4, 5, 6, 255]] });
    expect([0, 1].map((i) => px(decodePng(fastPngPalette, 'fast-png-palette.png'), i))).toEqual([[4, 5, 6, 255], [1, 2, 3, 40]]);
  });

  it('makes the tRNS key colour of grey and RGB images transparent', () => {
    const grey = decodePng(png(ihdr(3, 1, 4, 0), chunk('tRNS', [0, 7]), idat([[0, 7, 15]], 4)), 'grey-key.png');
    expect([0, 1, 2].map((i) => grey.data[4 * i + 3])).toEqual([255, 0, 255]);
    // (fast-png refuses an RGB key in images of fewer than 3 pixels, so 3 it is.)
    const row = [1, 2, 3, 1, 2, 4, 1, 2, 3];
    const rgb = decodePng(png(ihdr(3, 1, 8, 2), chunk('tRNS', [0, 1, 0, 2, 0, 3]), idat([row], 8)), 'rgb-key.png');
    expect([0, 1, 2].map((i) => px(rgb, i))).toEqual([[1, 2, 3, 0], [1, 2, 4, 255], [1, 2, 3, 0]]);
  });
});

describe('decodePng refuses bad input with ImageDecodeError naming the source', () => {
  const good = encodePng(testImage(40, 40, (x, y) => [x * 6, y * 6, 0, 255]));

  it.each([
    ['empty input', new Uint8Array(0), /^upload\.png: empty input \(0 bytes\)/],
    ['a GIF', new TextEncoder().encode('GIF89a\x01\x00\x01\x00'), /^upload\.png: not a PNG image.*got 47 49 46 38 39 61/],
    ['just the signature', good.subarray(0, 8), /^upload\.png: truncated PNG/],
    ['a file cut in half', good.subarray(0, good.length >> 1), /^upload\.png: truncated PNG: the file ends after \d+ bytes, before its IEND/],
  ])('%s', (_, bytes, message) => {
    expect(() => decodePng(bytes, 'upload.png')).toThrow(ImageDecodeError);
    expect(() => decodePng(bytes, 'upload.png')).toThrow(message);
  });

  it('a flipped bit in the compressed pixels, or in a chunk its CRC protects', () => {
    const corrupt = good.slice();
    corrupt[60] ^= 0x10;
    expect(() => decodePng(corrupt, 'flipped.png')).toThrow(/^flipped\.png: corrupt PNG \(.*decompress/);
    const text = png(ihdr(1, 1, 8, 0), chunk('tEXt', [65, 0, 66]), idat([[7]], 8));
    expect(decodePng(text, 'text.png').data[0]).toBe(7);
    text[38] ^= 1; // inside the tEXt payload, which nothing else checks
    expect(() => decodePng(text, 'text.png')).toThrow(/^text\.png: corrupt PNG \(.*CRC/);
  });

  it('a header claiming 100 000 × 100 000, before anything is inflated', () => {
    const bomb = png(ihdr(100_000, 100_000, 8, 6), idat([[0, 0, 0, 0]], 8));
    expect(() => decodePng(bomb, 'bomb.png')).toThrow(
      /^bomb\.png: image is 100000×100000 = 10000\.0 megapixels, more than the limit of 40/,
    );
    expect(fastPng.decode).not.toHaveBeenCalled();
    expect(MAX_PNG_PIXELS).toBe(40_000_000);
    decodePng(good, 'good.png');
    expect(fastPng.decode).toHaveBeenCalledTimes(1); // the spy does watch the real decoder
  });

  it('regression: a 70-byte file claiming 6000 × 6000 (under the pixel cap) is refused before the decoder allocates for it', () => {
    // fast-png sets aside width × height × channels × bytes per sample before it inflates:
    // 288 MB for this file, found by test/core/fuzz/png.test.ts.
    const tiny = png(ihdr(6000, 6000, 16, 6), chunk('IDAT', deflateSync(new Uint8Array(10))));
    expect(tiny.length).toBeLessThan(80);
    expect(() => decodePng(tiny, 'tiny.png')).toThrow(
      /^tiny\.png: corrupt PNG: a 6000×6000 image needs at least 288000000 bytes of pixel data, more than its \d+ bytes of IDAT can hold/,
    );
    expect(fastPng.decode).not.toHaveBeenCalled();
    // The most compressible real image, one flat colour, still fits deflate's ceiling and decodes.
    const flat = encodePng(testImage(2000, 1500, () => [255, 255, 255, 255]));
    expect(flat.length * 1032).toBeGreaterThan(2000 * 1500);
    expect(decodePng(flat, 'flat.png').width).toBe(2000);
  });

  it('headers the PNG spec forbids or fast-png cannot decode', () => {
    expect(() => decodePng(png(ihdr(4, 4, 16, 3), idat([[0]], 8)), 'a.png')).toThrow(/bit depth 16 is not allowed for colour type 3/);
    expect(() => decodePng(png(ihdr(4, 4, 8, 5), idat([[0]], 8)), 'a.png')).toThrow(/unknown colour type 5/);
    expect(() => decodePng(png(ihdr(0, 4, 8, 0), idat([[0]], 8)), 'a.png')).toThrow(/image size 0×4/);
    expect(() => decodePng(png(ihdr(8, 8, 1, 0, 1), idat([[0]], 8)), 'a.png')).toThrow(/interlaced \(Adam7\) with bit depth 1/);
    expect(() => decodePng(png(chunk('tEXt', [65, 0, 66]), ihdr(1, 1, 8, 0)), 'a.png')).toThrow(/expected the IHDR chunk first, got 'tEXt'/);
  });

  it('palette indices past the palette, and a palette image with no palette', () => {
    const palette = chunk('PLTE', [255, 0, 0, 0, 255, 0]);
    expect(() => decodePng(png(ihdr(2, 1, 8, 3), palette, idat([[1, 5]], 8)), 'p.png')).toThrow(
      /^p\.png: corrupt PNG \(palette index 5 at \(1, 0\), palette has 2 colours\)/,
    );
    expect(() => decodePng(png(ihdr(2, 1, 8, 3), idat([[1, 0]], 8)), 'p.png')).toThrow(/without a PLTE chunk/);
  });
});

describe('bad arguments throw InvalidOptionError', () => {
  it('names the argument', () => {
    expect(() => decodePng('not bytes' as never, 'x.png')).toThrow(InvalidOptionError);
    expect(() => decodePng([137, 80] as never, 'x.png')).toThrow(/Expected bytes to be a Uint8Array or ArrayBuffer, got an array of length 2/);
    expect(() => decodePng(new Uint8Array(4), undefined as never)).toThrow(/Expected source to be a string/);
    expect(() => encodePng({ width: 2, height: 2, data: new Uint8Array(3) })).toThrow(/image\.data of length 16/);
  });
});
