/**
 * Mutators shared by the fuzz targets: hostile 32-bit values and JSON values,
 * edits of byte strings (biased towards their headers) and of JSON trees,
 * each an arbitrary of edits plus a pure function that applies them, so
 * fast-check can shrink a failing case to its smallest edit list.
 */
import fc from 'fast-check';

/** 32-bit values that break headers: 0, 1, powers of two and their neighbours, the top of the range. */
export const hostileUint32 = fc.oneof(
  fc.constantFrom(0, 1, 2, 3, 27, 28, 29, 255, 256, 784, 60000, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff),
  fc.integer({ min: 0, max: 30 }).map((k) => 2 ** k),
  fc.integer({ min: 0, max: 30 }).map((k) => 2 ** k - 1),
  fc.integer({ min: 0, max: 0xffffffff }),
);

/** One edit of a byte string. Offsets are taken modulo the length when applied. */
export type ByteEdit =
  | { op: 'set'; at: number; value: number }
  | { op: 'flip'; at: number; bit: number }
  | { op: 'u32'; at: number; value: number; little: boolean }
  | { op: 'truncate'; at: number }
  | { op: 'insert'; at: number; bytes: Uint8Array }
  | { op: 'delete'; at: number; count: number }
  | { op: 'append'; bytes: Uint8Array };

/**
 * Edits of a byte string, biased towards its first `hot` bytes (the header)
 * where one wrong value does the most damage.
 */
export function byteEdits(hot: number, maxEdits = 4): fc.Arbitrary<ByteEdit[]> {
  const at = fc.oneof({ arbitrary: fc.nat({ max: Math.max(0, hot - 1) }), weight: 3 }, { arbitrary: fc.nat(), weight: 1 });
  const edit: fc.Arbitrary<ByteEdit> = fc.oneof(
    { arbitrary: fc.record({ op: fc.constant('set' as const), at, value: fc.integer({ min: 0, max: 255 }) }), weight: 3 },
    { arbitrary: fc.record({ op: fc.constant('flip' as const), at, bit: fc.integer({ min: 0, max: 7 }) }), weight: 2 },
    { arbitrary: fc.record({ op: fc.constant('u32' as const), at, value: hostileUint32, little: fc.boolean() }), weight: 3 },
    { arbitrary: fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }), weight: 1 },
    { arbitrary: fc.record({ op: fc.constant('insert' as const), at, bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }), weight: 1 },
    { arbitrary: fc.record({ op: fc.constant('delete' as const), at, count: fc.integer({ min: 1, max: 16 }) }), weight: 1 },
    { arbitrary: fc.record({ op: fc.constant('append' as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) }), weight: 1 },
  );
  return fc.array(edit, { minLength: 1, maxLength: maxEdits });
}

/** A copy of `base` with `edits` applied in order. */
export function applyByteEdits(base: Uint8Array, edits: readonly ByteEdit[]): Uint8Array {
  let bytes: Uint8Array = Uint8Array.from(base);
  for (const e of edits) {
    const n = bytes.length;
    switch (e.op) {
      case 'set':
        if (n > 0) bytes[e.at % n] = e.value;
        break;
      case 'flip':
        if (n > 0) bytes[e.at % n] ^= 1 << e.bit;
        break;
      case 'u32':
        if (n >= 4) new DataView(bytes.buffer).setUint32(e.at % (n - 3), e.value, e.little);
        break;
      case 'truncate':
        bytes = bytes.slice(0, n === 0 ? 0 : e.at % n);
        break;
      case 'insert': {
        const i = n === 0 ? 0 : e.at % (n + 1);
        bytes = concatBytes([bytes.subarray(0, i), e.bytes, bytes.subarray(i)]);
        break;
      }
      case 'delete': {
        if (n === 0) break;
        const i = e.at % n;
        bytes = concatBytes([bytes.subarray(0, i), bytes.subarray(Math.min(n, i + e.count))]);
        break;
      }
      case 'append':
        bytes = concatBytes([bytes, e.bytes]);
        break;
    }
  }
  return bytes;
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** A path into a JSON tree: keys and indices from the root. */
type JsonPath = (string | number)[];
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every path in `tree`, root first. */
function jsonPaths(tree: unknown, prefix: JsonPath = [], out: JsonPath[] = []): JsonPath[] {
  out.push(prefix);
  if (Array.isArray(tree)) tree.forEach((v, i) => jsonPaths(v, [...prefix, i], out));
  else if (tree !== null && typeof tree === 'object') for (const k of Object.keys(tree)) jsonPaths((tree as Record<string, unknown>)[k], [...prefix, k], out);
  return out;
}

/** Values that break model files: wrong types, absurd sizes, prototype keys, deep nesting. */
export const hostileJsonValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    null, true, false, 0, -1, 1, 1.5, -0.5, 1e9, 2 ** 31, 2 ** 32, 2 ** 53, 1e308, -1e308, 65536, 65537, 784, 28, 10,
    '', 'float32', 'int32', 'float16', 'uint8', 'int8', 'relu', 'softmax', 'same', 'valid', 'Dense', 'Conv2D', '__proto__',
    'dense_1/kernel', 'conv2d_1/kernel', '../weights.bin', [], {}, [null, 784], [28, 28, 1], [784, 128], [3, 3, 1, 32],
    [2 ** 31, 2 ** 31], [1e9], { __proto__: null, polluted: true },
  ),
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.string({ maxLength: 12 }),
  fc.array(fc.integer({ min: -2, max: 100000 }), { maxLength: 5 }),
  fc.jsonValue({ maxDepth: 3 }),
  // Deeper trees come as text (see the targets): fast-check's own reporter recurses into values.
  fc.integer({ min: 1, max: 400 }).map((depth) => {
    let v: unknown = 0;
    for (let i = 0; i < depth; i++) v = [v];
    return v;
  }),
);

/** One edit of a JSON tree; `pick` selects the path (modulo the path count when applied). */
export type JsonEdit =
  | { op: 'replace'; pick: number; value: unknown }
  | { op: 'delete'; pick: number }
  | { op: 'addKey'; pick: number; key: string; value: unknown }
  | { op: 'duplicate'; pick: number }
  | { op: 'scale'; pick: number; factor: number };

export function jsonEdits(maxEdits = 3): fc.Arbitrary<JsonEdit[]> {
  const pick = fc.nat();
  const edit: fc.Arbitrary<JsonEdit> = fc.oneof(
    { arbitrary: fc.record({ op: fc.constant('replace' as const), pick, value: hostileJsonValue }), weight: 4 },
    { arbitrary: fc.record({ op: fc.constant('delete' as const), pick }), weight: 2 },
    {
      arbitrary: fc.record({
        op: fc.constant('addKey' as const), pick,
        key: fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'quantization', 'batch_input_shape', 'use_bias', 'strides', 'extra'), fc.string({ maxLength: 8 })),
        value: hostileJsonValue,
      }),
      weight: 2,
    },
    { arbitrary: fc.record({ op: fc.constant('duplicate' as const), pick }), weight: 1 },
    { arbitrary: fc.record({ op: fc.constant('scale' as const), pick, factor: fc.constantFrom(0, -1, 2, 1000, 2 ** 20, 0.5) }), weight: 2 },
  );
  return fc.array(edit, { minLength: 1, maxLength: maxEdits });
}

/**
 * A deep copy of `tree` (plain JSON) with `edits` applied. `addKey` with
 * `__proto__` defines an own property, as `JSON.parse` would.
 */
export function applyJsonEdits(tree: unknown, edits: readonly JsonEdit[]): unknown {
  let root = JSON.parse(JSON.stringify(tree)) as Json;
  for (const e of edits) {
    const paths = jsonPaths(root);
    const path = paths[e.pick % paths.length];
    const parentPath = path.slice(0, -1);
    const key = path[path.length - 1];
    const parent = parentPath.reduce<unknown>((node, k) => (node as Record<string | number, unknown>)[k], root) as Record<string | number, unknown> | unknown[] | undefined;
    const current = path.reduce<unknown>((node, k) => (node as Record<string | number, unknown>)[k], root);
    const set = (value: unknown): void => {
      if (path.length === 0) root = value as Json;
      else Object.defineProperty(parent, key, { value, enumerable: true, writable: true, configurable: true });
    };
    switch (e.op) {
      case 'replace':
        set(e.value);
        break;
      case 'delete':
        if (path.length === 0) break;
        if (Array.isArray(parent)) parent.splice(key as number, 1);
        else delete (parent as Record<string, unknown>)[key];
        break;
      case 'addKey':
        if (current !== null && typeof current === 'object' && !Array.isArray(current)) {
          Object.defineProperty(current, e.key, { value: e.value, enumerable: true, writable: true, configurable: true });
        } else if (Array.isArray(current)) {
          current.push(e.value as Json);
        }
        break;
      case 'duplicate':
        if (Array.isArray(parent)) parent.splice(key as number, 0, JSON.parse(JSON.stringify(current ?? null)) as Json);
        break;
      case 'scale':
        if (typeof current === 'number') set(current * e.factor);
        else if (Array.isArray(current) && current.every((v) => typeof v === 'number')) set(current.map((v) => (v as number) * e.factor));
        break;
    }
  }
  return root;
}
