/**
 * `<digit-pad>`: importing this module registers the element (once, however
 * often it is imported).
 *
 * @example
 * ```html
 * <script type="module">import 'digit-classifier/widgets/digit-pad';</script>
 * <digit-pad preview></digit-pad>
 * ```
 */
import { defineElement } from '../internal/define-element.js';
import { DigitPad } from './digit-pad.component.js';

export { DigitPad, type DigitPadPrediction } from './digit-pad.component.js';
export type { DigitPredictor } from './pad-predictor.js';
export type { Prediction } from '../../src/inference/prediction.js';
export type * from '../internal/events.js';

defineElement('digit-pad', DigitPad);

declare global {
  interface HTMLElementTagNameMap {
    'digit-pad': DigitPad;
  }
}
