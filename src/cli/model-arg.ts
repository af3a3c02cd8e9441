/**
 * What `--model` names, read the same way by every command: a shipped model
 * (`cnn`, `mlp`) or a saved one (a folder with model.json + weights.bin, a
 * model.json, or a compact `.dcm` file). A saved model in a folder that is
 * itself called `cnn` is reached as `./cnn`.
 */
import type { ModelWeights } from '../models/spec.js';
import { loadModelDir } from '../node/model-files.js';
import { loadPretrained, PRETRAINED_MODELS } from '../pretrained/load-pretrained.js';

/** The names of the shipped models, as `--model` takes them. */
export const SHIPPED_MODEL_NAMES = Object.keys(PRETRAINED_MODELS) as (keyof typeof PRETRAINED_MODELS)[];

/** A model named on the command line, and how to describe where it came from. */
export interface ModelArg {
  weights: ModelWeights;
  /** `"mlp (shipped)"` or `"mlp from models/mlp"`. */
  label: string;
}

/**
 * Loads the model `--model` names. A path that cannot be read is a
 * `ModelFileError` naming it; a malformed file a `ModelFormatError`.
 *
 * @example
 * ```ts
 * const { weights, label } = await loadModelArg('cnn'); // the shipped CNN
 * ```
 */
export async function loadModelArg(arg: string): Promise<ModelArg> {
  if ((SHIPPED_MODEL_NAMES as string[]).includes(arg)) {
    const name = arg as (typeof SHIPPED_MODEL_NAMES)[number];
    return { weights: loadPretrained(name), label: `${name} (shipped)` };
  }
  const weights = await loadModelDir(arg);
  return { weights, label: `${weights.spec.name} from ${arg}` };
}
