/**
 * `<softmax-bars>`: importing this module registers the element (once).
 *
 * @example
 * ```html
 * <script type="module">import 'digit-classifier/widgets/softmax-bars';</script>
 * <softmax-bars for="pad"></softmax-bars>
 * ```
 */
import { defineElement } from '../internal/define-element.js';
import { SoftmaxBars } from './softmax-bars.component.js';

export { SoftmaxBars } from './softmax-bars.component.js';

defineElement('softmax-bars', SoftmaxBars);

declare global {
  interface HTMLElementTagNameMap {
    'softmax-bars': SoftmaxBars;
  }
}
