/**
 * digit-classifier/widgets: all four elements, registered on import (each
 * once, however many copies are loaded), with their classes and event types.
 * Import one element alone from `digit-classifier/widgets/<tag>`.
 *
 * @example
 * ```html
 * <script type="module">import 'digit-classifier/widgets';</script>
 * <digit-pad id="pad" preview></digit-pad>
 * <softmax-bars for="pad"></softmax-bars>
 * ```
 */
export { DigitPad, type DigitPadPrediction, type DigitPredictor, type Prediction } from './digit-pad/digit-pad.js';
export { SoftmaxBars } from './softmax-bars/softmax-bars.js';
export { ConfusionMatrix } from './confusion-matrix/confusion-matrix.js';
export { LossChart } from './loss-chart/loss-chart.js';
export type * from './internal/events.js';
