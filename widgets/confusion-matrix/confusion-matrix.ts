/**
 * `<confusion-matrix>`: importing this module registers the element (once).
 *
 * @example
 * ```js
 * import 'digit-classifier/widgets/confusion-matrix';
 * document.querySelector('confusion-matrix').matrix = epoch.confusion;
 * ```
 */
import { defineElement } from '../internal/define-element.js';
import { ConfusionMatrix } from './confusion-matrix.component.js';

export { ConfusionMatrix } from './confusion-matrix.component.js';

defineElement('confusion-matrix', ConfusionMatrix);

declare global {
  interface HTMLElementTagNameMap {
    'confusion-matrix': ConfusionMatrix;
  }
}
