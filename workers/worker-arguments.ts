/**
 * What the worker checks of the values a page sends it, and how it lets go of
 * the page's callbacks: the architecture a `model` option names, a data set's
 * shape, and ending a comlink proxy once a run is over.
 *
 * @example
 * ```ts
 * checkSet(options.replay, 'options.replay'); // InvalidOptionError naming what was wrong
 * release(onProgress);
 * ```
 */
import { releaseProxy } from 'comlink';
import { MNIST_PIXELS, type MnistSet } from '../src/data/mnist-set.js';
import { InvalidOptionError } from '../src/errors.js';
import { presetSpec } from '../src/models/presets.js';
import type { ModelSpec } from '../src/models/spec.js';
import type { TrainerOptions } from '../src/train/trainer.js';
import { describeValue } from '../src/util/describe-value.js';

/** The architecture a trainer's `model` option describes (a preset name, a spec or saved weights). */
export function specOf(model: TrainerOptions['model']): ModelSpec {
  if (model === undefined || typeof model === 'string') return presetSpec(model ?? 'mlp');
  return 'weights' in model ? model.spec : model;
}

/** Throws an InvalidOptionError naming `name` unless `set` is a whole MnistSet. */
export function checkSet(set: MnistSet, name: string): void {
  const ok = set && Number.isInteger(set.count) && set.count > 0 && set.images instanceof Uint8Array && set.labels instanceof Uint8Array;
  if (!ok) throw new InvalidOptionError(`Expected ${name} to be an MnistSet { images: Uint8Array, labels: Uint8Array, count }, got ${describeValue(set)}`);
  if (set.images.length !== set.count * MNIST_PIXELS || set.labels.length !== set.count) {
    throw new InvalidOptionError(`Expected ${name} to hold ${set.count} images of 784 pixels and ${set.count} labels, got ${set.images.length} pixels and ${set.labels.length} labels`);
  }
}

/** Ends a comlink proxy the page sent (a no-op for a plain function). */
export function release(callback: unknown): void {
  const p = callback as { [releaseProxy]?: () => void } | undefined;
  if (typeof p === 'function' || (p && typeof p === 'object')) p[releaseProxy]?.();
}
