/**
 * `<loss-chart>`: importing this module registers the element (once).
 *
 * @example
 * ```js
 * import 'digit-classifier/widgets/loss-chart';
 * const chart = document.querySelector('loss-chart');
 * await trainer.fit(data, { onBatch: (b) => chart.addBatch(b), onEpoch: (e) => chart.addEpoch(e) });
 * ```
 */
import { defineElement } from '../internal/define-element.js';
import { LossChart } from './loss-chart.component.js';

export { LossChart } from './loss-chart.component.js';

defineElement('loss-chart', LossChart);

declare global {
  interface HTMLElementTagNameMap {
    'loss-chart': LossChart;
  }
}
