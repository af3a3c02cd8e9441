import type { LayerSpec } from '../models/spec.js';

/**
 * Whether `layers` are what the fused engines' layer table trains: dense layers
 * (ReLU or linear) and dropout right after a ReLU dense layer (the backward mask
 * is then `(output > 0)·scale`), the last a linear dense layer of 10 logits.
 */
export function isDenseHead(layers: readonly LayerSpec[]): boolean {
  const last = layers[layers.length - 1];
  if (!last || last.kind !== 'dense' || last.units !== 10 || last.activation !== 'linear') return false;
  return layers.every((l, i) => {
    if (l.kind === 'dense') return Number.isInteger(l.units) && l.units >= 1;
    if (l.kind !== 'dropout' || !(l.rate >= 0 && l.rate < 1)) return false;
    const prev = layers[i - 1];
    return prev?.kind === 'dense' && prev.activation === 'relu';
  });
}
