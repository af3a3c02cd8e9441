/**
 * Every event the widgets fire: one definition each, with its detail type,
 * dispatched by {@link emit} so that all bubble out of shadow roots
 * (`bubbles: true, composed: true`). Listeners are typed through
 * `HTMLElementEventMap`:
 *
 * @example
 * ```ts
 * pad.addEventListener('digit-prediction', (e) => console.log(e.detail.digit, e.detail.final));
 * ```
 */

import type { DigitPadPrediction } from '../digit-pad/digit-pad.component.js';

/** Which model produced a prediction. */
export type PredictionSource = 'pretrained' | 'model' | 'src' | 'trainer';

/**
 * `digit-prediction`: the pad read the drawing. The detail is the pad's
 * reading (`DigitPadPrediction`: the core's `Prediction`, `digit`,
 * `probabilities`, `isDigit`, `digitScore`, as every `predict` returns, and
 * the `pixels` the model saw) plus what the event adds.
 */
export interface DigitPredictionDetail extends DigitPadPrediction {
  /** The most likely digit, 0–9 (even when `isDigit` is false: the pad then claims none). */
  readonly digit: number;
  /** The ten class probabilities (a fresh copy per event). */
  readonly probabilities: Float32Array;
  /** Whether the drawing looks like a digit at all; false shows the "not a digit" state. */
  readonly isDigit: boolean;
  /** 0–1, how much the drawing looks like a digit (the model's score behind `isDigit`). */
  readonly digitScore: number;
  /** `true` after a stroke ended (or undo, or `predict()`), `false` for a live update while drawing. */
  readonly final: boolean;
  /** The model behind it: the shipped CNN, the `model` or `src` property, or the `trainer`. */
  readonly source: PredictionSource;
}

/** `digit-clear`: the pad became empty. */
export interface DigitClearDetail {
  /** `button`, `keyboard` (Escape or Delete), `undo` (the last stroke was undone) or `api` (`clear()`). */
  readonly reason: 'button' | 'keyboard' | 'undo' | 'api';
}

/** `digit-undo`: the last stroke was removed. */
export interface DigitUndoDetail {
  /** Strokes left on the pad. */
  readonly strokes: number;
}

/** `digit-model-state`: the pad's model finished loading or failed to. */
export interface DigitModelStateDetail {
  readonly state: 'ready' | 'error';
  readonly source: PredictionSource;
  /** Why it failed (for `error`), as shown on the pad. */
  readonly message?: string;
  readonly error?: unknown;
}

/** `confusion-cell-select`: a cell of the confusion matrix was clicked or activated with Enter/Space. */
export interface ConfusionCellDetail {
  /** Row: the true class. */
  readonly actual: number;
  /** Column: the predicted class. */
  readonly predicted: number;
  /** Examples of class `actual` predicted as `predicted`. */
  readonly count: number;
  /** `count` over the row total (0 for an empty row). */
  readonly fraction: number;
}

/** Event name → detail type, for every widget event. */
export interface WidgetEventMap {
  'digit-prediction': DigitPredictionDetail;
  'digit-clear': DigitClearDetail;
  'digit-undo': DigitUndoDetail;
  'digit-model-state': DigitModelStateDetail;
  'confusion-cell-select': ConfusionCellDetail;
}

/** A widget event by name, e.g. `WidgetEvent<'digit-prediction'>`. */
export type WidgetEvent<K extends keyof WidgetEventMap> = CustomEvent<WidgetEventMap[K]>;

/**
 * Dispatches widget event `name` from `target`, bubbling and composed (it
 * crosses shadow roots, so a page listener hears a pad nested in another
 * component). Returns the event.
 *
 * @example
 * ```ts
 * emit(this, 'digit-clear', { reason: 'button' });
 * ```
 */
export function emit<K extends keyof WidgetEventMap>(target: EventTarget, name: K, detail: WidgetEventMap[K]): WidgetEvent<K> {
  const event = new CustomEvent(name, { detail, bubbles: true, composed: true });
  target.dispatchEvent(event);
  return event;
}

declare global {
  interface HTMLElementEventMap {
    'digit-prediction': WidgetEvent<'digit-prediction'>;
    'digit-clear': WidgetEvent<'digit-clear'>;
    'digit-undo': WidgetEvent<'digit-undo'>;
    'digit-model-state': WidgetEvent<'digit-model-state'>;
    'confusion-cell-select': WidgetEvent<'confusion-cell-select'>;
  }
}
