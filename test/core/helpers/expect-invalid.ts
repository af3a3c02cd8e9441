import { expect } from 'vitest';
import { InvalidOptionError } from '../../../src/errors.js';

/** Asserts that `fn` throws an InvalidOptionError (code INVALID_OPTION) with exactly `message`. */
export function expectInvalid(fn: () => unknown, message: string): void {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(InvalidOptionError);
  expect((caught as InvalidOptionError).code).toBe('INVALID_OPTION');
  expect((caught as Error).message).toBe(message);
}
