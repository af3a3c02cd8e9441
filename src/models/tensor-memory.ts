/**
 * Reading tensors and staging results without a fresh allocation each step.
 * Large `ArrayBuffer`s are expensive where page faults are (a sandboxed or busy
 * machine: a 2.4 MB `slice` measured 12–23 ms), and `dataSync()` on WASM makes
 * one per call. On the WASM backend {@link readTensor} returns a view of the
 * tensor's own bytes in the WebAssembly heap instead (valid until the next
 * tfjs allocation; read it at once).
 */
import * as tf from '@tensorflow/tfjs-core';

interface WasmBackendInternals {
  wasm?: { HEAPF32?: Float32Array };
  dataIdMap?: { get(dataId: object): { memoryOffset: number | null } | undefined };
}

/** The values of a float32 tensor: a heap view on WASM, `dataSync()` elsewhere. Do not keep it. */
export function readTensor(t: tf.Tensor): Float32Array {
  if (tf.getBackend() === 'wasm' && t.dtype === 'float32') {
    const b = tf.backend() as unknown as WasmBackendInternals;
    const heap = b.wasm?.HEAPF32;
    const offset = b.dataIdMap?.get(t.dataId)?.memoryOffset;
    if (heap && typeof offset === 'number' && offset % 4 === 0) return heap.subarray(offset / 4, offset / 4 + t.size);
  }
  return t.dataSync() as Float32Array;
}

const buffers = new Map<string, Float32Array>();

/**
 * A reusable buffer of at least `size` floats for `slot` (a caller's own
 * name), returned as exactly `size` floats. Its contents are whatever the last
 * user left: clear it when that matters. Tensors made from it copy it.
 */
export function scratchBuffer(slot: string, size: number): Float32Array {
  let b = buffers.get(slot);
  if (!b || b.length < size) {
    b = new Float32Array(size);
    buffers.set(slot, b);
  }
  return b.subarray(0, size);
}
