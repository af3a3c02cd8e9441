/**
 * Top-1 accuracy: the fraction of predictions that equal their label.
 */
import { InvalidOptionError } from '../errors.js';

/**
 * Fraction of positions where `predicted[i] === labels[i]`, in [0, 1].
 *
 * Takes predicted class indices, not probabilities: pass logits or
 * probabilities through {@link argmaxRows} first. An empty input has no
 * accuracy and throws rather than returning NaN.
 *
 * @example
 * ```ts
 * accuracy([3, 1, 4, 1], [3, 1, 4, 7]);               // 0.75
 * accuracy(argmaxRows(logits), testLabels);           // test accuracy
 * ```
 */
export function accuracy(predicted: ArrayLike<number>, labels: ArrayLike<number>): number {
  if (predicted == null || typeof predicted.length !== 'number') {
    throw new InvalidOptionError(`Expected predicted to be an array or typed array, got ${String(predicted)}`);
  }
  if (labels == null || typeof labels.length !== 'number') {
    throw new InvalidOptionError(`Expected labels to be an array or typed array, got ${String(labels)}`);
  }
  if (labels.length !== predicted.length) {
    throw new InvalidOptionError(`Expected labels of length ${predicted.length}, got ${labels.length}`);
  }
  if (predicted.length === 0) {
    throw new InvalidOptionError('Expected at least one prediction, got 0');
  }
  let correct = 0;
  for (let i = 0; i < predicted.length; i++) {
    if (predicted[i] === labels[i]) correct++;
  }
  return correct / predicted.length;
}
