import { InvalidOptionError } from '../errors.js';
import type { LayerSpec, ModelSpec } from './spec.js';

/** Name and shape of one weight a {@link ModelSpec} needs. */
export interface WeightShape {
  readonly name: string;
  readonly shape: readonly number[];
}

/** Activation shape after a layer, per example (no batch dimension). */
export type ActivationShape = readonly number[];

/**
 * Walks a spec and returns, per layer, the activation shape it outputs and the
 * weights it owns (Keras names and layouts). Throws {@link InvalidOptionError}
 * for a spec that cannot be wired (a conv after flatten, a kernel larger than
 * its input, a last layer that does not output 10 or 11 logits...).
 *
 * @example
 * ```ts
 * const { weights } = layerShapes(mlpSpec());
 * // [{ name: 'dense_1/kernel', shape: [784, 128] }, { name: 'dense_1/bias', shape: [128] }, ...]
 * ```
 */
export function layerShapes(spec: ModelSpec): {
  outputs: ActivationShape[];
  weights: WeightShape[];
} {
  let shape: number[] = [...spec.inputShape];
  const flatIn = shape.length === 1;
  if (!(flatIn && shape[0] === 784) && !(shape.length === 3 && shape[0] === 28 && shape[1] === 28 && shape[2] === 1)) {
    throw new InvalidOptionError(`Expected model inputShape [784] or [28, 28, 1], got [${shape.join(', ')}]`);
  }
  const outputs: ActivationShape[] = [];
  const weights: WeightShape[] = [];
  let dense = 0;
  let conv = 0;
  spec.layers.forEach((layer: LayerSpec, i: number) => {
    const where = `layers[${i}] (${layer.kind})`;
    switch (layer.kind) {
      case 'dense': {
        if (shape.length !== 1) throw new InvalidOptionError(`${where}: dense needs flat input, got [${shape.join(', ')}]; add a flatten layer first`);
        if (!Number.isInteger(layer.units) || layer.units < 1) throw new InvalidOptionError(`${where}: units must be a positive integer, got ${layer.units}`);
        dense++;
        weights.push({ name: `dense_${dense}/kernel`, shape: [shape[0], layer.units] });
        weights.push({ name: `dense_${dense}/bias`, shape: [layer.units] });
        shape = [layer.units];
        break;
      }
      case 'conv2d': {
        if (shape.length !== 3) throw new InvalidOptionError(`${where}: conv2d needs [h, w, c] input, got [${shape.join(', ')}]`);
        const k = layer.kernelSize;
        if (!Number.isInteger(k) || k < 1) throw new InvalidOptionError(`${where}: kernelSize must be a positive integer, got ${k}`);
        if (!Number.isInteger(layer.filters) || layer.filters < 1) throw new InvalidOptionError(`${where}: filters must be a positive integer, got ${layer.filters}`);
        const [h, w, c] = shape;
        const oh = layer.padding === 'same' ? h : h - k + 1;
        const ow = layer.padding === 'same' ? w : w - k + 1;
        if (oh < 1 || ow < 1) throw new InvalidOptionError(`${where}: kernel ${k} is larger than its input ${h}×${w}`);
        conv++;
        weights.push({ name: `conv2d_${conv}/kernel`, shape: [k, k, c, layer.filters] });
        weights.push({ name: `conv2d_${conv}/bias`, shape: [layer.filters] });
        shape = [oh, ow, layer.filters];
        break;
      }
      case 'maxpool': {
        if (shape.length !== 3) throw new InvalidOptionError(`${where}: maxpool needs [h, w, c] input, got [${shape.join(', ')}]`);
        const s = layer.size;
        if (!Number.isInteger(s) || s < 1 || s > shape[0] || s > shape[1]) throw new InvalidOptionError(`${where}: size must be an integer in [1, ${Math.min(shape[0], shape[1])}], got ${s}`);
        shape = [Math.floor(shape[0] / s), Math.floor(shape[1] / s), shape[2]];
        break;
      }
      case 'flatten':
        shape = [shape.reduce((a, b) => a * b, 1)];
        break;
      case 'dropout':
        if (!(layer.rate >= 0 && layer.rate < 1)) throw new InvalidOptionError(`${where}: rate must be in [0, 1), got ${layer.rate}`);
        break;
      default:
        throw new InvalidOptionError(`${where}: unknown layer kind ${(layer as { kind: unknown }).kind}`);
    }
    outputs.push(shape);
  });
  const final: readonly number[] = shape;
  if (final.length !== 1 || (final[0] !== 10 && final[0] !== 11)) {
    throw new InvalidOptionError(`Expected the last layer to output 10 logits (or 11: 10 digits and "not a digit"), got [${shape.join(', ')}]`);
  }
  return { outputs, weights };
}
