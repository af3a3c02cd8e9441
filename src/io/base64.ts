/**
 * Standard base64 (RFC 4648, `+/`, `=` padding) for embedding binary models in
 * a JS module as a string. Written out because the core may use neither
 * Node's `Buffer` nor the DOM; decoding is strict, so a corrupted string fails
 * with a message instead of silently yielding different bytes.
 */
import { ModelFormatError } from '../errors.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;

/**
 * Encodes bytes as a padded base64 string.
 *
 * @example
 * ```ts
 * bytesToBase64(new Uint8Array([0x44, 0x43, 0x4d, 0x31])); // 'RENNMQ=='
 * ```
 */
export function bytesToBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  const CHUNK = 3 * 4096; // build the string in chunks to keep join cheap
  for (let start = 0; start < bytes.length; start += CHUNK) {
    const end = Math.min(start + CHUNK, bytes.length);
    let s = '';
    for (let i = start; i < end; i += 3) {
      const b0 = bytes[i];
      const b1 = i + 1 < end ? bytes[i + 1] : 0;
      const b2 = i + 2 < end ? bytes[i + 2] : 0;
      s += ALPHABET[b0 >> 2] + ALPHABET[((b0 & 3) << 4) | (b1 >> 4)];
      s += i + 1 < end ? ALPHABET[((b1 & 15) << 2) | (b2 >> 6)] : '=';
      s += i + 2 < end ? ALPHABET[b2 & 63] : '=';
    }
    parts.push(s);
  }
  return parts.join('');
}

/**
 * Decodes a padded base64 string. ASCII whitespace is ignored (so a string
 * wrapped over lines works); any other character outside the alphabet, a
 * length that is not a multiple of 4, or misplaced padding throws a
 * {@link ModelFormatError} naming `source`.
 *
 * @example
 * ```ts
 * base64ToBytes('RENNMQ==', 'embedded model'); // Uint8Array [0x44, 0x43, 0x4d, 0x31]
 * ```
 */
export function base64ToBytes(text: string, source: string): Uint8Array {
  if (typeof text !== 'string') {
    throw new ModelFormatError(`${source}: expected a base64 string, got ${typeof text}`);
  }
  const clean = /\s/.test(text) ? text.replace(/\s+/g, '') : text;
  if (clean.length % 4 !== 0) {
    throw new ModelFormatError(`${source}: expected base64 of a length divisible by 4, got ${clean.length} characters`);
  }
  const pad = clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((clean.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < clean.length; i += 4) {
    const last = i + 4 === clean.length;
    const v = [0, 0, 0, 0];
    for (let j = 0; j < 4; j++) {
      const code = clean.charCodeAt(i + j);
      if (last && code === 61 /* = */ && j >= 4 - pad) continue;
      const d = code < 128 ? LOOKUP[code] : -1;
      if (d < 0) {
        throw new ModelFormatError(`${source}: expected base64, got ${JSON.stringify(clean[i + j])} at character ${i + j}`);
      }
      v[j] = d;
    }
    const n = (v[0] << 18) | (v[1] << 12) | (v[2] << 6) | v[3];
    out[o++] = n >> 16;
    if (o < out.length) out[o++] = (n >> 8) & 0xff;
    if (o < out.length) out[o++] = n & 0xff;
  }
  return out;
}
