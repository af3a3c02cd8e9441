/**
 * Errors across the worker boundary. comlink's default handler for thrown
 * values sends `{ name, message, stack }` and rebuilds a plain `Error`: the
 * class and `code` are lost. This one keeps them: a {@link DigitClassifierError}
 * thrown in the worker is rethrown on the page as the same class (found by its
 * stable `code`, so minified class names do not matter), with the worker's
 * message, stack, extra fields such as `status`, and cause.
 *
 * Both sides call {@link registerErrorTransfer}: the worker to send, the page to
 * receive. `createTrainer` and the worker script do it for you.
 */
import { transferHandlers, type TransferHandler } from 'comlink';
import {
  AbortError,
  BackendError,
  DigitClassifierError,
  IdxFormatError,
  ImageDecodeError,
  InvalidOptionError,
  MissingDependencyError,
  ModelFormatError,
  TrainingDivergedError,
  UnsupportedEnvironmentError,
} from '../src/errors.js';
import { FetchError, WorkerCrashedError, WorkerTerminatedError } from './errors.js';

type ErrorClass = new (message: string, options?: { cause?: unknown }) => DigitClassifierError;

/** Every typed error of the package, by its `code`. */
const CLASSES_BY_CODE: Readonly<Record<string, ErrorClass>> = {
  IDX_FORMAT: IdxFormatError,
  INVALID_OPTION: InvalidOptionError,
  IMAGE_DECODE: ImageDecodeError,
  MODEL_FORMAT: ModelFormatError,
  TRAINING_DIVERGED: TrainingDivergedError,
  BACKEND: BackendError,
  MISSING_DEPENDENCY: MissingDependencyError,
  ABORTED: AbortError,
  WORKER_CRASHED: WorkerCrashedError,
  WORKER_TERMINATED: WorkerTerminatedError,
  FETCH: FetchError,
  UNSUPPORTED_ENVIRONMENT: UnsupportedEnvironmentError,
};

const BUILTIN_CLASSES: Readonly<Record<string, ErrorConstructor>> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

/** An error as it crosses the boundary (structured-cloneable). */
export interface SerializedError {
  kind: 'digit-classifier' | 'dom-exception' | 'error';
  name: string;
  message: string;
  stack?: string;
  code?: string;
  /** Other own fields with primitive values (e.g. `status`). */
  fields: Record<string, string | number | boolean | null>;
  cause?: SerializedError | { value: unknown };
}

const MAX_CAUSE_DEPTH = 4;

/** Turns any thrown value into a {@link SerializedError}, or `{ value }` for non-errors. */
export function serializeError(error: unknown, depth = 0): SerializedError | { value: unknown } {
  if (!(error instanceof Error) && !isDomException(error)) return { value: cloneable(error) };
  const e = error as Error & { code?: unknown; cause?: unknown };
  const kind = e instanceof DigitClassifierError ? 'digit-classifier' : isDomException(e) ? 'dom-exception' : 'error';
  const fields: SerializedError['fields'] = {};
  for (const [k, v] of Object.entries(e)) {
    if (k === 'code' || k === 'cause' || k === 'name' || k === 'message' || k === 'stack') continue;
    if (v === null || ['string', 'number', 'boolean'].includes(typeof v)) fields[k] = v as string | number | boolean | null;
  }
  const out: SerializedError = { kind, name: e.name, message: e.message, stack: e.stack, fields };
  if (typeof e.code === 'string') out.code = e.code;
  if (e.cause !== undefined && depth < MAX_CAUSE_DEPTH) out.cause = serializeError(e.cause, depth + 1);
  return out;
}

/** Rebuilds an error from {@link serializeError}: the package's classes by `code`, built-ins by name. */
export function deserializeError(s: SerializedError | { value: unknown }): unknown {
  if (!('kind' in s)) return s.value;
  const options = s.cause !== undefined ? { cause: deserializeError(s.cause) } : undefined;
  let error: Error;
  if (s.kind === 'digit-classifier') {
    const Class = s.code !== undefined ? CLASSES_BY_CODE[s.code] : undefined;
    error = Class ? new Class(s.message, options) : new DigitClassifierError(s.code ?? 'UNKNOWN', s.message, options);
  } else if (s.kind === 'dom-exception' && typeof DOMException === 'function') {
    error = new DOMException(s.message, s.name);
  } else {
    const Builtin = BUILTIN_CLASSES[s.name];
    error = Builtin ? new Builtin(s.message, options) : Object.assign(new Error(s.message, options), { name: s.name });
    if (s.code !== undefined) Object.assign(error, { code: s.code });
  }
  Object.assign(error, s.fields);
  // The worker's stack says where it was thrown, which is what a reader needs.
  if (s.stack) Object.defineProperty(error, 'stack', { value: s.stack, writable: true, configurable: true });
  return error;
}

/** What comlink's wire format carries for a rejected call. */
export function thrownWireValue(error: unknown): { type: 'HANDLER'; name: 'throw'; value: unknown } {
  return { type: 'HANDLER', name: 'throw', value: serializeError(error) };
}

let registered = false;

/**
 * Replaces comlink's handler for thrown values with one that keeps the error
 * class, `code` and cause. Idempotent; call it on both sides of the boundary.
 *
 * @example
 * ```ts
 * import { wrap } from 'comlink';
 * registerErrorTransfer();
 * const remote = wrap<WorkerTrainer>(myWorker); // errors arrive as BackendError, AbortError, …
 * ```
 */
export function registerErrorTransfer(): void {
  if (registered) return;
  const original = transferHandlers.get('throw');
  if (!original) throw new Error("comlink has no 'throw' transfer handler to replace");
  const handler: TransferHandler<{ value: unknown }, SerializedError | { value: unknown }> = {
    // comlink marks thrown values with a private symbol: let its own handler recognise them.
    canHandle: (value: unknown): value is { value: unknown } => original.canHandle(value),
    serialize: ({ value }) => [serializeError(value), []],
    deserialize: (serialized) => {
      throw deserializeError(serialized);
    },
  };
  transferHandlers.set('throw', handler as TransferHandler<unknown, unknown>);
  registered = true;
}

function isDomException(value: unknown): value is DOMException {
  return typeof DOMException === 'function' && value instanceof DOMException;
}

/** A thrown non-error crosses as itself when it can be cloned, else as its string form. */
function cloneable(value: unknown): unknown {
  if (value === null || ['string', 'number', 'boolean', 'undefined', 'bigint'].includes(typeof value)) return value;
  try {
    return structuredClone(value);
  } catch {
    return String(value);
  }
}
