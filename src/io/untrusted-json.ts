/**
 * Typed reading of untrusted JSON (a model.json, a compact model's header):
 * every read names the field it wanted, what it expected and what came, and
 * fails with a {@link ModelFormatError} that also names the file. Only own
 * properties are read, so `__proto__` or `constructor` keys in hostile JSON
 * cannot reach the object prototype.
 */
import { ModelFormatError } from '../errors.js';
import { describeValue } from '../util/describe-value.js';

/** A plain JSON object, as read from untrusted input. */
export type JsonObject = { readonly [key: string]: unknown };

/**
 * Reads fields of untrusted JSON for one `source` (a path or a label).
 *
 * @example
 * ```ts
 * const r = new JsonReader('model.json');
 * const top = r.object(JSON.parse(text), 'model.json');
 * const units = r.int(r.field(top, 'units', 'config'), 'config.units', 1, 65536);
 * ```
 * @internal
 */
export class JsonReader {
  constructor(readonly source: string) {}

  /** Throws a {@link ModelFormatError} naming the source and `field`. */
  fail(field: string, expected: string, got: unknown): never {
    throw new ModelFormatError(`${this.source}: expected ${field} to be ${expected}, got ${describeValue(got)}`);
  }

  /** Throws a {@link ModelFormatError} with a free-form message about `field`. */
  error(field: string, message: string): never {
    throw new ModelFormatError(`${this.source}: ${field} ${message}`);
  }

  object(value: unknown, field: string): JsonObject {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) this.fail(field, 'an object', value);
    return value as JsonObject;
  }

  /** An own property of `obj`, or `undefined`. */
  get(obj: JsonObject, key: string): unknown {
    return Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
  }

  string(value: unknown, field: string, maxLength = 256): string {
    if (typeof value !== 'string' || value.length === 0 || value.length > maxLength) {
      this.fail(field, `a non-empty string of at most ${maxLength} characters`, value);
    }
    return value;
  }

  /** One of the listed literal strings. */
  oneOf<T extends string>(value: unknown, field: string, allowed: readonly T[]): T {
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
      this.fail(field, `one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`, value);
    }
    return value as T;
  }

  /** A finite number in `[min, max]`. */
  number(value: unknown, field: string, min = -Number.MAX_VALUE, max = Number.MAX_VALUE): number {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
      this.fail(field, `a finite number in [${min}, ${max}]`, value);
    }
    return value;
  }

  /** An integer in `[min, max]`. */
  int(value: unknown, field: string, min: number, max: number): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      this.fail(field, `an integer in [${min}, ${max}]`, value);
    }
    return value;
  }

  /** An array of at most `maxLength` items (checked before anything is read). */
  array(value: unknown, field: string, maxLength: number): readonly unknown[] {
    if (!Array.isArray(value)) this.fail(field, 'an array', value);
    if (value.length > maxLength) this.fail(field, `an array of at most ${maxLength} items`, value);
    return value;
  }

  /** An array of integers in `[min, max]`, optionally of an exact length. */
  intArray(value: unknown, field: string, min: number, max: number, length?: number): number[] {
    const items = this.array(value, field, length ?? 16);
    if (length !== undefined && items.length !== length) this.fail(field, `an array of ${length} integers`, value);
    return items.map((v, i) => this.int(v, `${field}[${i}]`, min, max));
  }

  /** `true` when `value` is `undefined` or `null` (an optional field left out). */
  absent(value: unknown): value is undefined | null {
    return value === undefined || value === null;
  }
}

/** Parses JSON text, turning a syntax error into a {@link ModelFormatError} naming `source`. */
export function parseJsonText(text: string, source: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new ModelFormatError(`${source}: not valid JSON (${(cause as Error).message})`, { cause });
  }
}
