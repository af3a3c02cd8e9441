/**
 * How the CLI reports a typed error: one line on stderr,
 * `digit-classifier <command>: <ErrorName>: <message>`, never a stack trace.
 */
import type { DigitClassifierError } from '../errors.js';

/**
 * Writes `error` as one stderr line for `command`.
 *
 * @example
 * ```ts
 * reportError('predict', new ImageDecodeError('a.png: empty input')); // digit-classifier predict: ImageDecodeError: a.png: empty input
 * ```
 */
export function reportError(command: string, error: DigitClassifierError): void {
  process.stderr.write(`digit-classifier ${command}: ${error.name}: ${error.message.replace(/\n+/g, ' ')}\n`);
}
