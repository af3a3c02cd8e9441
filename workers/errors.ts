/**
 * Errors of the worker runtime, in the {@link DigitClassifierError} family so
 * that one `instanceof` or `code` check covers the core and the worker.
 */
import { DigitClassifierError } from '../src/errors.js';

/**
 * The training worker stopped on its own: its script failed to load, it threw
 * an uncaught error, or it closed or was killed. Every call in flight rejects
 * with this error, and so does every later call.
 */
export class WorkerCrashedError extends DigitClassifierError {
  override name = 'WorkerCrashedError'; // a literal: minifiers rename classes
  constructor(message: string, options?: { cause?: unknown }) {
    super('WORKER_CRASHED', message, options);
  }
}

/** The page terminated the training worker; calls in flight or made afterwards reject with this error. */
export class WorkerTerminatedError extends DigitClassifierError {
  override name = 'WorkerTerminatedError'; // a literal: minifiers rename classes
  constructor(message = 'The training worker was terminated', options?: { cause?: unknown }) {
    super('WORKER_TERMINATED', message, options);
  }
}

/** A file (an MNIST `.gz`) that could not be downloaded: a network error or an HTTP error status. */
export class FetchError extends DigitClassifierError {
  override name = 'FetchError'; // a literal: minifiers rename classes
  /** HTTP status, when the server answered. */
  readonly status?: number;
  constructor(message: string, options?: { cause?: unknown; status?: number }) {
    super('FETCH', message, options);
    if (options?.status !== undefined) this.status = options.status;
  }
}
