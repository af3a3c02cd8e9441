/**
 * The run state of a trainer's `fit`: at most one run at a time, pause and
 * resume, and the checkpoints where a run stops on an abort or a dispose.
 * Shared by the core `Trainer` and the worker's trainer, so both refuse a
 * second run and settle an abort the same way.
 */
import { AbortError, InvalidOptionError } from '../errors.js';

/** The message of the error a second concurrent `fit` rejects with (core and worker alike). */
export const FIT_ALREADY_RUNNING = 'fit() is already running: await it, or abort() it first';

/** The `InvalidOptionError` of a second concurrent `fit`. */
export function fitAlreadyRunningError(): InvalidOptionError {
  return new InvalidOptionError(FIT_ALREADY_RUNNING);
}

/**
 * Pause, abort and dispose for one trainer. A paused run waits in
 * {@link checkpoint} until it is resumed, its signal aborts, or the trainer is
 * disposed, whichever comes first, so an abort settles a paused run too.
 *
 * @example
 * ```ts
 * const control = new FitControl();
 * control.begin();
 * try {
 *   for (const batch of batches) {
 *     await control.checkpoint(signal, () => `batch ${batch}`);
 *     // ... one step
 *   }
 * } finally {
 *   control.end();
 * }
 * ```
 */
export class FitControl {
  private paused: { promise: Promise<void>; resolve: () => void } | null = null;
  private running = false;
  private disposeRequested = false;
  private onIdle: (() => void) | null = null;

  /** Whether a `fit` is under way. */
  get isRunning(): boolean {
    return this.running;
  }

  get isPaused(): boolean {
    return this.paused !== null;
  }

  /** Marks a run as started; throws the worker's error if one already runs. */
  begin(): void {
    if (this.running) throw fitAlreadyRunningError();
    this.running = true;
  }

  /** Marks the run as over; runs a dispose deferred while it was running. */
  end(): void {
    this.running = false;
    const idle = this.onIdle;
    this.onIdle = null;
    idle?.();
  }

  pause(): void {
    if (this.paused) return;
    let resolve!: () => void;
    const promise = new Promise<void>((r) => (resolve = r));
    this.paused = { promise, resolve };
  }

  resume(): void {
    const p = this.paused;
    this.paused = null;
    p?.resolve();
  }

  /**
   * Releases resources with `release` now, or, while a run is in a step, as
   * soon as that run stops (at its next checkpoint, within one batch).
   */
  dispose(release: () => void): void {
    this.disposeRequested = true;
    if (this.running) this.onIdle = release;
    else release();
    this.resume();
  }

  /**
   * Throws an `AbortError` when `signal` is aborted or the trainer disposed;
   * while paused, waits for resume, abort or dispose, then checks again.
   * `where` words the position for the message ("epoch 2, batch 5 of 94").
   */
  async checkpoint(signal: AbortSignal | undefined, where: () => string): Promise<void> {
    this.throwIfStopped(signal, where);
    while (this.paused) {
      const paused = this.paused.promise;
      if (signal) {
        let onAbort!: () => void;
        const aborted = new Promise<void>((resolve) => signal.addEventListener('abort', (onAbort = () => resolve()), { once: true }));
        await Promise.race([paused, aborted]);
        signal.removeEventListener('abort', onAbort);
      } else {
        await paused;
      }
      this.throwIfStopped(signal, where);
    }
  }

  private throwIfStopped(signal: AbortSignal | undefined, where: () => string): void {
    if (this.disposeRequested) throw new AbortError(`Training stopped ${where()}: the Trainer was disposed`, { cause: 'disposed' });
    if (signal?.aborted) throw new AbortError(`Training aborted ${where()}`, { cause: signal.reason });
  }
}

/** How often a run hands control back to the event loop by default (ms), so pause, abort and messages get through. */
export const DEFAULT_YIELD_EVERY_MS = 20;
