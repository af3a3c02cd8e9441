/**
 * A minimal PNG writer for the PNG fuzz target: chunks with correct CRCs,
 * headers no encoder would write, and `fixCrcs` to re-sign a mutated file so
 * that mutations reach the inflater, the unfilterer and the palette code
 * instead of stopping at the CRC check.
 */
import { deflateSync } from 'node:zlib';
import { concatBytes } from './mutators.js';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export const PNG_SIGNATURE = Uint8Array.of(137, 80, 78, 71, 13, 10, 26, 10);

export function chunk(type: string, payload: Uint8Array | readonly number[]): Uint8Array {
  const out = new Uint8Array(12 + payload.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, payload.length);
  out.set(Array.from(type, (ch) => ch.charCodeAt(0)), 4);
  out.set(payload, 8);
  view.setUint32(8 + payload.length, crc32(out.subarray(4, 8 + payload.length)));
  return out;
}

export function ihdr(width: number, height: number, depth: number, colourType: number, interlace = 0): Uint8Array {
  const payload = new Uint8Array(13);
  const view = new DataView(payload.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  payload.set([depth, colourType, 0, 0, interlace], 8);
  return chunk('IHDR', payload);
}

/** An IDAT holding `raw` (filter bytes included) deflated. */
export function idat(raw: Uint8Array): Uint8Array {
  return chunk('IDAT', new Uint8Array(deflateSync(raw)));
}

export function png(...chunks: Uint8Array[]): Uint8Array {
  return concatBytes([PNG_SIGNATURE, ...chunks, chunk('IEND', [])]);
}

/** Channels per colour type. */
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/**
 * A non-interlaced PNG of any colour type and depth whose samples come from
 * `sample(x, y, channel)` (clamped to the depth), with a palette of
 * `paletteSize` colours (and tRNS alpha) for type 3.
 */
export function craftPng(width: number, height: number, depth: number, colourType: number, sample: (x: number, y: number, c: number) => number, paletteSize = 4): Uint8Array {
  const channels = CHANNELS[colourType];
  const max = 2 ** depth - 1;
  const rowBytes = Math.ceil((width * channels * depth) / 8);
  const raw = new Uint8Array(height * (1 + rowBytes));
  for (let y = 0; y < height; y++) {
    let bitPos = (y * (1 + rowBytes) + 1) * 8;
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++) {
        const v = Math.max(0, Math.min(max, Math.round(sample(x, y, c))));
        if (depth === 16) {
          raw[bitPos >> 3] = v >> 8;
          raw[(bitPos >> 3) + 1] = v & 0xff;
        } else {
          raw[bitPos >> 3] |= v << (8 - depth - (bitPos & 7));
        }
        bitPos += depth;
      }
    }
  }
  const chunks = [ihdr(width, height, depth, colourType)];
  if (colourType === 3) {
    chunks.push(chunk('PLTE', Array.from({ length: paletteSize * 3 }, (_, i) => (i * 97) % 256)));
    chunks.push(chunk('tRNS', Array.from({ length: paletteSize }, (_, i) => (i * 61) % 256)));
  }
  chunks.push(idat(raw));
  return png(...chunks);
}

/** `bytes` with every complete chunk's CRC recomputed (the signature and any broken tail left as they are). */
export function fixCrcs(bytes: Uint8Array): Uint8Array {
  const out = Uint8Array.from(bytes);
  const view = new DataView(out.buffer);
  let offset = 8;
  while (offset + 12 <= out.length) {
    const length = view.getUint32(offset);
    const end = offset + 12 + length;
    if (end > out.length) break;
    view.setUint32(offset + 8 + length, crc32(out.subarray(offset + 4, offset + 8 + length)));
    offset = end;
  }
  return out;
}
