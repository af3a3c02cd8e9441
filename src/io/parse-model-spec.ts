/**
 * Rebuilds a {@link ModelSpec} from untrusted JSON (a compact model's header,
 * the `digitClassifier` field of a model.json), field by field: only the known
 * layer kinds and activations, bounded sizes, and a fresh object that holds no
 * key the JSON smuggled in.
 */
import type { LayerSpec, ModelSpec, NonDigitSpec, Normalization } from '../models/spec.js';
import { MAX_LAYERS, MAX_UNITS } from './model-checks.js';
import type { JsonReader } from './untrusted-json.js';

const KINDS = ['dense', 'conv2d', 'maxpool', 'flatten', 'dropout'] as const;
const ACTIVATIONS = ['relu', 'linear'] as const;

/**
 * Reads a whole spec: `{ name, inputShape, layers, normalization, nonDigit? }`.
 *
 * @example
 * ```ts
 * const spec = parseModelSpec(header.spec, new JsonReader('cnn.dcm'), 'header.spec');
 * ```
 * @internal
 */
export function parseModelSpec(value: unknown, r: JsonReader, field: string): ModelSpec {
  const obj = r.object(value, field);
  const name = r.string(r.get(obj, 'name'), `${field}.name`, 128);
  const rawShape = r.get(obj, 'inputShape');
  const inputShape = r.intArray(rawShape, `${field}.inputShape`, 1, 784);
  const isFlat = inputShape.length === 1 && inputShape[0] === 784;
  const isImage = inputShape.length === 3 && inputShape[0] === 28 && inputShape[1] === 28 && inputShape[2] === 1;
  if (!isFlat && !isImage) r.fail(`${field}.inputShape`, '[784] or [28, 28, 1]', rawShape);
  const rawLayers = r.array(r.get(obj, 'layers'), `${field}.layers`, MAX_LAYERS);
  const layers = rawLayers.map((l, i) => parseLayerSpec(l, r, `${field}.layers[${i}]`));
  const normalization = parseNormalization(r.get(obj, 'normalization'), r, `${field}.normalization`);
  const nonDigitValue = r.get(obj, 'nonDigit');
  if (r.absent(nonDigitValue)) return { name, inputShape, layers, normalization };
  return { name, inputShape, layers, normalization, nonDigit: parseNonDigit(nonDigitValue, r, `${field}.nonDigit`) };
}

/** Reads `{ threshold }` (in [0, 1]), the "not a digit" threshold. @internal */
export function parseNonDigit(value: unknown, r: JsonReader, field: string): NonDigitSpec {
  const obj = r.object(value, field);
  return { threshold: r.number(r.get(obj, 'threshold'), `${field}.threshold`, 0, 1) };
}

/** Reads one layer of a spec. @internal */
export function parseLayerSpec(value: unknown, r: JsonReader, field: string): LayerSpec {
  const obj = r.object(value, field);
  const kind = r.oneOf(r.get(obj, 'kind'), `${field}.kind`, KINDS);
  switch (kind) {
    case 'dense':
      return {
        kind,
        units: r.int(r.get(obj, 'units'), `${field}.units`, 1, MAX_UNITS),
        activation: r.oneOf(r.get(obj, 'activation'), `${field}.activation`, ACTIVATIONS),
      };
    case 'conv2d':
      return {
        kind,
        filters: r.int(r.get(obj, 'filters'), `${field}.filters`, 1, MAX_UNITS),
        kernelSize: r.int(r.get(obj, 'kernelSize'), `${field}.kernelSize`, 1, 28),
        padding: r.oneOf(r.get(obj, 'padding'), `${field}.padding`, ['same', 'valid'] as const),
        activation: r.oneOf(r.get(obj, 'activation'), `${field}.activation`, ACTIVATIONS),
      };
    case 'maxpool':
      return { kind, size: r.int(r.get(obj, 'size'), `${field}.size`, 1, 28) };
    case 'flatten':
      return { kind };
    case 'dropout':
      return { kind, rate: parseDropoutRate(r.get(obj, 'rate'), r, `${field}.rate`) };
  }
}

/** A dropout rate in [0, 1). @internal */
export function parseDropoutRate(value: unknown, r: JsonReader, field: string): number {
  const rate = r.number(value, field, 0, 1);
  if (rate >= 1) r.fail(field, 'a number in [0, 1)', value);
  return rate;
}

/**
 * Reads `{ mean, std }`: finite, `std` > 0 (it divides), both of sane size.
 * @internal
 */
export function parseNormalization(value: unknown, r: JsonReader, field: string): Normalization {
  const obj = r.object(value, field);
  const mean = r.number(r.get(obj, 'mean'), `${field}.mean`, -1e6, 1e6);
  const std = r.number(r.get(obj, 'std'), `${field}.std`, 1e-12, 1e6);
  return { mean, std };
}
