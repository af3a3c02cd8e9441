/**
 * Demo settings read from the page's URL, so a link (or an end-to-end test)
 * can preset the train panel: `?train=2000&epochs=1&backend=wasm`.
 *
 * | parameter | meaning |
 * |---|---|
 * | `train` | training images (the first N of MNIST's 60,000) |
 * | `epochs`, `batch`, `lr` | the run's epochs, batch size, learning rate |
 * | `model` | `mlp`, `mlp-deep` or `cnn` |
 * | `optimizer` | `sgd`, `momentum` or `adam` |
 * | `backend` | `auto`, `webgpu`, `wasm` or `cpu` |
 * | `compare` | training images of the backend comparison (default 2000) |
 *
 * A value that does not parse is ignored with a console warning naming it.
 */
import type { BackendChoice } from '../../workers/index.js';
import type { PresetName } from '../../src/models/presets.js';
import type { OptimizerName } from '../../src/train/optimizer.js';

export interface DemoUrlOptions {
  trainSize?: number;
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  model?: PresetName;
  optimizer?: OptimizerName;
  backend?: BackendChoice;
  compareSize?: number;
}

const MODELS: readonly PresetName[] = ['mlp', 'mlp-deep', 'cnn'];
const OPTIMIZERS: readonly OptimizerName[] = ['sgd', 'momentum', 'adam'];
const BACKENDS: readonly BackendChoice[] = ['auto', 'webgpu', 'wasm', 'cpu'];

/** Reads {@link DemoUrlOptions} from a query string. */
export function readUrlOptions(search: string = location.search): DemoUrlOptions {
  const params = new URLSearchParams(search);
  const out: DemoUrlOptions = {};
  const int = (name: string, min: number, max: number): number | undefined => {
    const raw = params.get(name);
    if (raw === null) return undefined;
    const v = Number(raw);
    if (Number.isInteger(v) && v >= min && v <= max) return v;
    console.warn(`demo: ignoring ?${name}=${raw} (expected an integer in ${min}..${max})`);
    return undefined;
  };
  const oneOf = <T extends string>(name: string, values: readonly T[]): T | undefined => {
    const raw = params.get(name);
    if (raw === null) return undefined;
    if ((values as readonly string[]).includes(raw)) return raw as T;
    console.warn(`demo: ignoring ?${name}=${raw} (expected one of ${values.join(', ')})`);
    return undefined;
  };
  out.trainSize = int('train', 1, 60_000);
  out.epochs = int('epochs', 1, 100);
  out.batchSize = int('batch', 1, 4096);
  out.compareSize = int('compare', 64, 9_000);
  const lr = params.get('lr');
  if (lr !== null) {
    const v = Number(lr);
    if (v > 0 && Number.isFinite(v)) out.learningRate = v;
    else console.warn(`demo: ignoring ?lr=${lr} (expected a number > 0)`);
  }
  out.model = oneOf('model', MODELS);
  out.optimizer = oneOf('optimizer', OPTIMIZERS);
  out.backend = oneOf('backend', BACKENDS);
  return out;
}
