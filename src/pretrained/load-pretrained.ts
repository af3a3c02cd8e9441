import { InvalidOptionError } from '../errors.js';
import { compactModelFromBase64 } from '../io/compact-model.js';
import type { ModelWeights } from '../models/spec.js';
import { CNN_MODEL } from './cnn-model.js';
import { MLP_MODEL } from './mlp-model.js';
import type { PretrainedModel } from './pretrained-model.js';

/** The models shipped with the package (no download at run time). */
export const PRETRAINED_MODELS: Readonly<Record<'cnn' | 'mlp', PretrainedModel>> = Object.freeze({ cnn: CNN_MODEL, mlp: MLP_MODEL });

/**
 * Decodes a shipped pretrained model. `cnn` is the default for `predict` and
 * the widgets; `mlp` is the lesson's architecture.
 *
 * @example
 * ```ts
 * const inference = createInference(loadPretrained('cnn'));
 * ```
 */
export function loadPretrained(name: 'cnn' | 'mlp' = 'cnn'): ModelWeights {
  const model = PRETRAINED_MODELS[name];
  if (!model) throw new InvalidOptionError(`Unknown pretrained model "${String(name)}": expected cnn or mlp`);
  return compactModelFromBase64(model.base64, `pretrained ${name}`);
}
