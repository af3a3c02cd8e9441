/**
 * The "not a digit" output: a model whose last layer has 11 units reads the
 * 11th logit as "this drawing is not a digit" (trained on synthetic
 * non-digits, see `src/data/non-digits/`). The 10 digit logits keep their
 * meaning, so `digit` and `probabilities` are the softmax over them alone.
 */
import { InvalidOptionError } from '../errors.js';
import type { LayerSpec, ModelSpec, ModelWeights } from './spec.js';

/** Digit classes. */
export const DIGIT_CLASSES = 10;
/** The class index (and logit) of "not a digit" in a model that has the output. */
export const NON_DIGIT_CLASS = 10;

/**
 * Default thresholds when a model file stores none, per kind of score.
 * - `output`: 1 − P(not a digit) ≥ 0.5, the even-odds point of the 11-way softmax.
 * - `maxProbability`: a top digit probability below 0.7 reads as "not a digit";
 *   on the shipped models this flags about 1 % of MNIST test digits (see the README).
 */
export const DEFAULT_DIGIT_THRESHOLD: Readonly<{ output: number; maxProbability: number }> = Object.freeze({ output: 0.5, maxProbability: 0.7 });

/** Logits per image of `spec`: 10, or 11 with the "not a digit" output. */
export function outputUnits(spec: ModelSpec): 10 | 11 {
  const last = spec.layers[spec.layers.length - 1];
  return last && last.kind === 'dense' && last.units === 11 ? 11 : 10;
}

/** Whether `spec` has the "not a digit" output (an 11-unit last layer). */
export function hasNonDigitOutput(spec: ModelSpec): boolean {
  return outputUnits(spec) === 11;
}

/** How a model's readings turn into `isDigit` and `digitScore`. */
export interface DigitReading {
  /** Logits per image: 10 (score = top digit probability) or 11 (score = 1 − P(not a digit)). */
  readonly outputs: 10 | 11;
  /** `isDigit = digitScore >= threshold`. */
  readonly threshold: number;
}

/** The reading of a model without the "not a digit" output and no stored threshold. */
export const PLAIN_READING: DigitReading = Object.freeze({ outputs: 10, threshold: DEFAULT_DIGIT_THRESHOLD.maxProbability });

/** The {@link DigitReading} of `spec`: its stored threshold, else the default for its kind of score. */
export function digitReading(spec: ModelSpec): DigitReading {
  const outputs = outputUnits(spec);
  const threshold = spec.nonDigit?.threshold ?? (outputs === 11 ? DEFAULT_DIGIT_THRESHOLD.output : DEFAULT_DIGIT_THRESHOLD.maxProbability);
  return { outputs, threshold };
}

/**
 * `spec` with the "not a digit" output: its last dense layer widened from 10
 * to 11 units (a spec that has it already is returned as it is).
 *
 * @example
 * ```ts
 * withNonDigitOutput(mlpSpec()); // 784-128-ReLU-11
 * ```
 */
export function withNonDigitOutput(spec: ModelSpec): ModelSpec {
  if (hasNonDigitOutput(spec)) return spec;
  const layers: LayerSpec[] = [...spec.layers];
  const last = layers[layers.length - 1];
  if (!last || last.kind !== 'dense' || last.units !== DIGIT_CLASSES) {
    throw new InvalidOptionError(`Expected the model's last layer to be a dense layer of 10 units to add the "not a digit" output, got ${last ? `${last.kind}${last.kind === 'dense' ? ` of ${last.units} units` : ''}` : 'no layers'}`);
  }
  layers[layers.length - 1] = { ...last, units: DIGIT_CLASSES + 1 };
  return { ...spec, layers };
}

/** `spec` with `threshold` stored as its {@link NonDigitSpec}. */
export function withDigitThreshold(spec: ModelSpec, threshold: number): ModelSpec {
  if (!(threshold >= 0 && threshold <= 1)) throw new InvalidOptionError(`Expected a digit threshold in [0, 1], got ${String(threshold)}`);
  return { ...spec, nonDigit: { threshold } };
}

/**
 * Saved weights with the "not a digit" output added: the last layer's kernel
 * gains a zero column and its bias a zero (so the digits read as before and
 * training starts the new logit from even odds). Weights that have it already are returned as they are.
 *
 * @example
 * ```ts
 * const trainer = new Trainer({ model: withNonDigitWeights(loadPretrained('mlp')), nonDigits: true });
 * ```
 */
export function withNonDigitWeights(model: ModelWeights): ModelWeights {
  if (hasNonDigitOutput(model.spec)) return model;
  const spec = withNonDigitOutput(model.spec);
  const weights = [...model.weights];
  const kernel = weights[weights.length - 2];
  const bias = weights[weights.length - 1];
  const inUnits = kernel.shape[0];
  const widened = new Float32Array(inUnits * 11);
  for (let i = 0; i < inUnits; i++) widened.set(kernel.values.subarray(i * 10, i * 10 + 10), i * 11);
  const b = new Float32Array(11);
  b.set(bias.values);
  weights[weights.length - 2] = { name: kernel.name, shape: [inUnits, 11], values: widened };
  weights[weights.length - 1] = { name: bias.name, shape: [11], values: b };
  return { spec, weights };
}
