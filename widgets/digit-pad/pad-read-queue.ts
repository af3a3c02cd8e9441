/**
 * When the pad reads its drawing: a final reading in a microtask after a
 * stroke ends (once for strokes ended together), live readings skipped while a
 * slow predictor works, the latest drawing read again once it settles, and
 * answers dropped when the drawing changed meanwhile. What a reading does
 * (state, message, event) is the element's: {@link PadReadHost.deliver}.
 */
import type { Prediction } from '../../src/inference/prediction.js';
import type { PadPredictor } from './pad-predictor.js';

/** What the queue asks of its element. */
export interface PadReadHost<R> {
  /** The predictor, or null while the model loads or failed. */
  predictor(): PadPredictor | null;
  /** The drawing as the model reads it, or null when the pad holds no ink. */
  pixels(): Float32Array | null;
  /** A fresh answer: the element shows it and fires its event. */
  deliver(prediction: Prediction, pixels: Float32Array, final: boolean, predictor: PadPredictor): R;
  /** The predictor threw or rejected (a fresh failure, not a stale one). */
  fail(error: unknown, predictor: PadPredictor): void;
}

export class PadReadQueue<R> {
  /** Bumped by every reading and every change of the drawing: an answer whose number is not the latest is stale. */
  private seq = 0;
  private queued = false;
  private inFlight = false;
  private rereadPending = false;

  constructor(private readonly host: PadReadHost<R>) {}

  /** The drawing changed: readings in flight are stale. */
  invalidate(): void {
    this.seq++;
  }

  /**
   * A final reading in a microtask: right after the handler that ended the
   * stroke (so nothing waits for a frame), and once for strokes ended together
   * (a replayed drawing), not once per stroke.
   */
  soon(): void {
    if (this.queued) return;
    this.queued = true;
    queueMicrotask(() => {
      this.queued = false;
      // A slow predictor: do not queue one reading per stroke; read the latest drawing once the current one settles.
      if (this.inFlight) this.rereadPending = true;
      else void this.read(true);
    });
  }

  /** Reads the drawing; stale answers (the drawing changed meanwhile) are dropped (null). */
  async read(final: boolean): Promise<R | null> {
    const predictor = this.host.predictor();
    if (!predictor) return null;
    if (!final && this.inFlight) return null; // a slow trainer: skip live readings, never final ones
    const pixels = this.host.pixels();
    if (!pixels) return null;
    const seq = ++this.seq;
    try {
      let result = predictor.predict(pixels);
      if (result instanceof Promise) {
        this.inFlight = true;
        try {
          result = await result;
        } finally {
          this.inFlight = false;
          if (this.rereadPending) {
            this.rereadPending = false;
            this.soon();
          }
        }
      }
      if (seq !== this.seq || this.host.predictor() !== predictor) return null;
      return this.host.deliver(result as Prediction, pixels, final, predictor);
    } catch (error) {
      if (seq !== this.seq) return null;
      this.host.fail(error, predictor);
      return null;
    }
  }
}
