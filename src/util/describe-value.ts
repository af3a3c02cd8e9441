/**
 * How an error message names the value that came instead of the one expected:
 * the one description used by every boundary check of the core, the worker
 * and the widgets, so the same wrong value reads the same everywhere.
 *
 * @example
 * ```ts
 * describeValue(new Uint8Array(100)); // 'a Uint8Array of length 100'
 * describeValue([0.1, 0.9]);          // 'an array of length 2'
 * describeValue('0.1,0.9');           // 'a string "0.1,0.9"'
 * describeValue(-2);                  // '-2'
 * describeValue({ digit: 7 });        // 'an object with keys digit'
 * ```
 */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  switch (typeof value) {
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'string':
      return `a string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
    case 'function':
    case 'symbol':
      return `a ${typeof value}`;
  }
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (value instanceof DataView) return `a DataView of ${value.byteLength} bytes`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name} of length ${(value as unknown as ArrayLike<number>).length}`;
  if (value instanceof ArrayBuffer) return `an ArrayBuffer of ${value.byteLength} bytes`;
  const kind = (Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null)?.constructor?.name;
  if (kind && kind !== 'Object') return `a ${kind}`;
  const keys = Object.keys(value as object);
  if (keys.length === 0) return 'an empty object';
  return `an object with keys ${keys.slice(0, 8).join(', ')}${keys.length > 8 ? ', …' : ''}`;
}
