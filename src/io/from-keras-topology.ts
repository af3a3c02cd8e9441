/**
 * Reads a Keras `Sequential` topology (the `modelTopology` of a TensorFlow.js
 * Layers model.json) back into our layer specs, treating it as untrusted:
 * only the layer classes and options our models can express are accepted
 * (Dense, Conv2D with stride 1, MaxPooling2D with stride = size, Flatten,
 * Dropout, plus a leading InputLayer or Reshape to [28, 28, 1]); anything else
 * is a {@link ModelFormatError} naming the file and the field.
 */
import type { LayerSpec } from '../models/spec.js';
import { MAX_LAYERS, MAX_UNITS, shapeText } from './model-checks.js';
import { parseDropoutRate } from './parse-model-spec.js';
import type { JsonObject, JsonReader } from './untrusted-json.js';

/** What a Keras topology says about a model, before weights. */
export interface ParsedKerasTopology {
  /** The Sequential's `config.name`, or `'custom'`. */
  readonly name: string;
  readonly inputShape: number[];
  readonly layers: LayerSpec[];
  /** The Keras layer name of each layer that owns weights, in order (their weights are `<name>/kernel`, `<name>/bias`). */
  readonly weightLayerNames: string[];
}

const CLASSES = ['InputLayer', 'Reshape', 'Dense', 'Conv2D', 'MaxPooling2D', 'Flatten', 'Dropout'] as const;
const ACTIVATIONS = ['relu', 'linear'] as const;

/**
 * Parses `modelTopology`.
 *
 * @example
 * ```ts
 * const { layers, inputShape } = fromKerasTopology(json.modelTopology, new JsonReader('model.json'));
 * ```
 * @internal
 */
export function fromKerasTopology(value: unknown, r: JsonReader, field = 'modelTopology'): ParsedKerasTopology {
  const top = r.object(value, field);
  r.oneOf(r.get(top, 'class_name'), `${field}.class_name`, ['Sequential'] as const);
  const config = r.object(r.get(top, 'config'), `${field}.config`);
  const rawName = r.get(config, 'name');
  const name = r.absent(rawName) ? 'custom' : r.string(rawName, `${field}.config.name`, 128);
  const rawLayers = r.array(r.get(config, 'layers'), `${field}.config.layers`, MAX_LAYERS + 2);
  if (rawLayers.length === 0) r.fail(`${field}.config.layers`, 'a non-empty array', rawLayers);

  let inputShape: number[] = [];
  const layers: LayerSpec[] = [];
  const weightLayerNames: string[] = [];
  const seenNames = new Set<string>();
  rawLayers.forEach((raw, i) => {
    const where = `${field}.config.layers[${i}]`;
    const layer = r.object(raw, where);
    const cls = r.oneOf(r.get(layer, 'class_name'), `${where}.class_name`, CLASSES);
    const c = r.object(r.get(layer, 'config'), `${where}.config`);
    const at = (key: string): unknown => r.get(c, key);
    const layerName = r.string(at('name'), `${where}.config.name`, 128);
    if (seenNames.has(layerName)) r.error(`${where}.config.name`, `repeats the layer name "${layerName}"`);
    seenNames.add(layerName);
    if (!r.absent(at('dtype'))) r.oneOf(at('dtype'), `${where}.config.dtype`, ['float32'] as const);

    // The first layer carries the input shape; no later layer may.
    const batchShape = at('batch_input_shape');
    if (i === 0) inputShape = readBatchInputShape(batchShape, r, `${where}.config.batch_input_shape`);
    else if (!r.absent(batchShape)) r.error(`${where}.config.batch_input_shape`, 'is only allowed on the first layer');

    // A Reshape must come before every other layer (after an optional InputLayer).
    const first = layers.length === 0 && (i === 0 || (i === 1 && isInputLayer(rawLayers[0])));
    switch (cls) {
      case 'InputLayer':
        if (i !== 0) r.error(`${where}.class_name`, 'InputLayer is only allowed as the first layer');
        return;
      case 'Reshape': {
        const target = r.intArray(at('target_shape'), `${where}.config.target_shape`, 1, 784);
        if (!first || shapeText(inputShape) !== '[784]' || shapeText(target) !== '[28, 28, 1]') {
          r.error(where, `must be a Reshape of the [784] input to [28, 28, 1] before any other layer, got a Reshape to ${shapeText(target)}`);
        }
        inputShape = target;
        return;
      }
      case 'Dense':
        checkUseBias(c, r, where);
        layers.push({
          kind: 'dense',
          units: r.int(at('units'), `${where}.config.units`, 1, MAX_UNITS),
          activation: readActivation(at('activation'), r, `${where}.config.activation`),
        });
        weightLayerNames.push(layerName);
        return;
      case 'Conv2D': {
        checkUseBias(c, r, where);
        checkChannelsLast(at('data_format'), r, `${where}.config.data_format`);
        const [kh, kw] = r.intArray(at('kernel_size'), `${where}.config.kernel_size`, 1, 28, 2);
        if (kh !== kw) r.fail(`${where}.config.kernel_size`, 'a square kernel [k, k]', at('kernel_size'));
        checkPair(at('strides'), 1, r, `${where}.config.strides`);
        checkPair(at('dilation_rate'), 1, r, `${where}.config.dilation_rate`);
        layers.push({
          kind: 'conv2d',
          filters: r.int(at('filters'), `${where}.config.filters`, 1, MAX_UNITS),
          kernelSize: kh,
          padding: r.absent(at('padding')) ? 'valid' : r.oneOf(at('padding'), `${where}.config.padding`, ['valid', 'same'] as const),
          activation: readActivation(at('activation'), r, `${where}.config.activation`),
        });
        weightLayerNames.push(layerName);
        return;
      }
      case 'MaxPooling2D': {
        checkChannelsLast(at('data_format'), r, `${where}.config.data_format`);
        const [sh, sw] = r.intArray(at('pool_size'), `${where}.config.pool_size`, 1, 28, 2);
        if (sh !== sw) r.fail(`${where}.config.pool_size`, 'a square window [s, s]', at('pool_size'));
        checkPair(at('strides'), sh, r, `${where}.config.strides`);
        if (!r.absent(at('padding'))) r.oneOf(at('padding'), `${where}.config.padding`, ['valid'] as const);
        layers.push({ kind: 'maxpool', size: sh });
        return;
      }
      case 'Flatten':
        checkChannelsLast(at('data_format'), r, `${where}.config.data_format`);
        layers.push({ kind: 'flatten' });
        return;
      case 'Dropout':
        layers.push({ kind: 'dropout', rate: parseDropoutRate(at('rate'), r, `${where}.config.rate`) });
        return;
    }
  });
  return { name, inputShape, layers, weightLayerNames };
}

function isInputLayer(raw: unknown): boolean {
  return typeof raw === 'object' && raw !== null && (raw as JsonObject)['class_name'] === 'InputLayer';
}

/** `[null, 784]` or `[null, 28, 28, 1]` → the per-example shape. */
function readBatchInputShape(value: unknown, r: JsonReader, field: string): number[] {
  const items = r.array(value, field, 4);
  if (items.length < 2 || items[0] !== null) r.fail(field, '[null, 784] or [null, 28, 28, 1]', value);
  const shape = r.intArray(items.slice(1), field, 1, 784);
  const text = shapeText(shape);
  if (text !== '[784]' && text !== '[28, 28, 1]') r.fail(field, '[null, 784] or [null, 28, 28, 1]', value);
  return shape;
}

/** Keras leaves out `activation` for linear layers in some writers. */
function readActivation(value: unknown, r: JsonReader, field: string): 'relu' | 'linear' {
  return r.absent(value) ? 'linear' : r.oneOf(value, field, ACTIVATIONS);
}

function checkUseBias(c: JsonObject, r: JsonReader, where: string): void {
  const useBias = r.get(c, 'use_bias');
  if (!r.absent(useBias) && useBias !== true) r.fail(`${where}.config.use_bias`, 'true (layers without bias are not supported)', useBias);
}

function checkChannelsLast(value: unknown, r: JsonReader, field: string): void {
  if (!r.absent(value)) r.oneOf(value, field, ['channels_last'] as const);
}

/** An optional `[n, n]` option (strides, dilation) that must equal `n`. */
function checkPair(value: unknown, n: number, r: JsonReader, field: string): void {
  if (r.absent(value)) return;
  const pair = r.intArray(value, field, 1, 28, 2);
  if (pair[0] !== n || pair[1] !== n) r.fail(field, `[${n}, ${n}]`, value);
}
