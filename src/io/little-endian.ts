/**
 * Little-endian float32 / uint16 copies between byte buffers and typed
 * arrays. Model files are little-endian on every platform; on little-endian
 * hosts (all mainstream ones) the copy is a plain byte copy, elsewhere it goes
 * through a `DataView`. Offsets need no alignment.
 */

const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Reads `count` float32 values starting at byte `offset` of `bytes`. The
 * caller has already checked that the range lies inside `bytes`.
 *
 * @example
 * ```ts
 * readFloat32LE(new Uint8Array([0, 0, 0x80, 0x3f]), 0, 1); // Float32Array [1]
 * ```
 */
export function readFloat32LE(bytes: Uint8Array, offset: number, count: number): Float32Array {
  const out = new Float32Array(count);
  if (HOST_IS_LITTLE_ENDIAN) {
    new Uint8Array(out.buffer).set(bytes.subarray(offset, offset + count * 4));
  } else {
    const view = new DataView(bytes.buffer, bytes.byteOffset + offset, count * 4);
    for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true);
  }
  return out;
}

/**
 * Writes float32 values into `bytes` at byte `offset`.
 *
 * @example
 * ```ts
 * const bytes = new Uint8Array(4);
 * writeFloat32LE(bytes, 0, new Float32Array([1])); // bytes = [0, 0, 0x80, 0x3f]
 * ```
 */
export function writeFloat32LE(bytes: Uint8Array, offset: number, values: Float32Array): void {
  if (HOST_IS_LITTLE_ENDIAN) {
    bytes.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), offset);
  } else {
    const view = new DataView(bytes.buffer, bytes.byteOffset + offset, values.length * 4);
    for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], true);
  }
}

/** Reads `count` uint16 values starting at byte `offset`. */
export function readUint16LE(bytes: Uint8Array, offset: number, count: number): Uint16Array {
  const out = new Uint16Array(count);
  for (let i = 0, o = offset; i < count; i++, o += 2) out[i] = bytes[o] | (bytes[o + 1] << 8);
  return out;
}

/** Writes uint16 values into `bytes` at byte `offset`. */
export function writeUint16LE(bytes: Uint8Array, offset: number, values: Uint16Array): void {
  for (let i = 0, o = offset; i < values.length; i++, o += 2) {
    bytes[o] = values[i] & 0xff;
    bytes[o + 1] = values[i] >>> 8;
  }
}
