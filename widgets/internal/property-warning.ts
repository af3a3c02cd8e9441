/**
 * Bad input to a widget property (wrong length, a non-square matrix, NaN)
 * must not crash the page: the widget shows the problem and warns once in the
 * console, naming the element and the property.
 */
import { describeValue } from '../../src/util/describe-value.js';

/** A rejected property value: what to show and log. */
export interface PropertyProblem {
  readonly property: string;
  readonly message: string;
}

const warned = new WeakMap<HTMLElement, Set<string>>();

/**
 * Logs `problem` as a console warning naming `<tag>` and the property, once
 * per element and message, and returns the text to show.
 *
 * @example
 * ```ts
 * this.problem = warnProperty(this, { property: 'probabilities', message: 'expected 10 numbers, got 9' });
 * ```
 */
export function warnProperty(element: HTMLElement, problem: PropertyProblem): string {
  const text = `${problem.property}: ${problem.message}`;
  const seen = warned.get(element) ?? new Set<string>();
  warned.set(element, seen);
  if (!seen.has(text)) {
    seen.add(text);
    console.warn(`<${element.localName}> property "${problem.property}": ${problem.message}`);
  }
  return text;
}

/**
 * Checks a list of numbers: an array or typed array of `length` finite
 * numbers in [`min`, `max`] (NaN and ±Infinity let through with
 * `allowNonFinite`). Returns the problem, or null when it is fine.
 */
export function checkNumbers(property: string, value: unknown, length: number | null, min: number, max: number, allowNonFinite = false): PropertyProblem | null {
  if (!(Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView)))) {
    return { property, message: `expected an array of numbers, got ${describeValue(value)}` };
  }
  const list = value as ArrayLike<unknown>;
  if (length !== null && list.length !== length) {
    return { property, message: `expected ${length} numbers, got ${describeValue(value)}` };
  }
  for (let i = 0; i < list.length; i++) {
    const v = list[i];
    if (typeof v !== 'number' || (allowNonFinite ? false : !Number.isFinite(v)) || v < min || v > max) {
      return { property, message: `expected finite numbers in [${min}, ${max}], got ${String(v)} at index ${i}` };
    }
  }
  return null;
}
