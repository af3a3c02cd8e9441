/**
 * digit-classifier/react: the four widgets as React components, made with
 * `@lit/react`'s `createComponent` (as Shoelace ships its React wrappers).
 * Properties are set as properties (`model`, `trainer`, `matrix`, `loss`…, not
 * attributes), and each widget event has a typed `on…` prop, which React 18
 * cannot bind on a raw custom element. Works with React 18 and 19.
 *
 * @example
 * ```tsx
 * import { DigitPad, SoftmaxBars } from 'digit-classifier/react';
 *
 * export function Pad({ weights }: { weights: ModelWeights | null }) {
 *   return (<>
 *     <DigitPad id="pad" model={weights} onDigitPrediction={(e) => console.log(e.detail.digit)} />
 *     <SoftmaxBars for="pad" />
 *   </>);
 * }
 * ```
 */
import * as React from 'react';
import { createComponent, type EventName } from '@lit/react';
import { DigitPad as DigitPadElement } from '../widgets/digit-pad/digit-pad.js';
import { SoftmaxBars as SoftmaxBarsElement } from '../widgets/softmax-bars/softmax-bars.js';
import { ConfusionMatrix as ConfusionMatrixElement } from '../widgets/confusion-matrix/confusion-matrix.js';
import { LossChart as LossChartElement } from '../widgets/loss-chart/loss-chart.js';
import type { WidgetEvent } from '../widgets/internal/events.js';

export type * from '../widgets/internal/events.js';
export type { DigitPadPrediction, DigitPredictor, Prediction } from '../widgets/digit-pad/digit-pad.js';
export type { ReactWebComponent, WebComponentProps } from '@lit/react';

/** `<digit-pad>`: draw a digit, read it. Events: `onDigitPrediction`, `onDigitClear`, `onDigitUndo`, `onDigitModelState`. */
export const DigitPad = createComponent({
  react: React,
  tagName: 'digit-pad',
  elementClass: DigitPadElement,
  displayName: 'DigitPad',
  events: {
    onDigitPrediction: 'digit-prediction' as EventName<WidgetEvent<'digit-prediction'>>,
    onDigitClear: 'digit-clear' as EventName<WidgetEvent<'digit-clear'>>,
    onDigitUndo: 'digit-undo' as EventName<WidgetEvent<'digit-undo'>>,
    onDigitModelState: 'digit-model-state' as EventName<WidgetEvent<'digit-model-state'>>,
  },
});

/** `<softmax-bars>`: ten probabilities as bars; `for="pad-id"` follows a pad. */
export const SoftmaxBars = createComponent({
  react: React,
  tagName: 'softmax-bars',
  elementClass: SoftmaxBarsElement,
  displayName: 'SoftmaxBars',
});

/** `<confusion-matrix>`: the confusion matrix as a table. Event: `onConfusionCellSelect`. */
export const ConfusionMatrix = createComponent({
  react: React,
  tagName: 'confusion-matrix',
  elementClass: ConfusionMatrixElement,
  displayName: 'ConfusionMatrix',
  events: {
    onConfusionCellSelect: 'confusion-cell-select' as EventName<WidgetEvent<'confusion-cell-select'>>,
  },
});

/** `<loss-chart>`: per-batch loss and per-epoch accuracy. */
export const LossChart = createComponent({
  react: React,
  tagName: 'loss-chart',
  elementClass: LossChartElement,
  displayName: 'LossChart',
});
