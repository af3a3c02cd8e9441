/**
 * `digit-classifier train`: its help, its flags and their checks. The work
 * itself is in train-run.ts, loaded (with tfjs) only once every flag passed.
 */
import { InvalidOptionError } from '../../errors.js';
import { PRESET_NAMES, type PresetName } from '../../models/presets.js';
import { OPTIMIZER_NAMES } from '../../train/optimizer-names.js';
import { PRESET_RECIPES } from '../../train/recipes.js';
import { resolveTrainConfig } from '../../train/train-config.js';
import { TRAINING_ENGINE_CHOICES, type TrainingEngineChoice } from '../../train/training-engine-choices.js';
import { choiceFlag, numberFlag, parseCommandLine, type ParsedCommandLine } from '../options.js';
import { checkOutputFolder } from '../output-path.js';

export const TRAIN_HELP = `Usage: digit-classifier train [options]

Trains a classifier on MNIST (60,000 training digits), reports held-out test
accuracy after every epoch, then the confusion matrix and the top confusion
pairs, and saves the model (model.json + weights.bin, loadable by tf.loadLayersModel).
With no flags: the lesson's MLP 784-128-ReLU-10, SGD 0.1, batch 64, 5 epochs, on WASM.

Options:
  --model mlp|mlp-deep|cnn   architecture (default mlp); each has its own recipe
  --epochs N                 epochs (mlp: 5)
  --batch N                  batch size (mlp: 64)
  --lr X                     learning rate (mlp: 0.1)
  --optimizer sgd|momentum|adam
  --momentum X               momentum coefficient (default 0.9; with --optimizer momentum only)
  --weight-decay X           decoupled weight decay on kernels (default 0)
  --lr-final X               cosine-decay the rate to this fraction (default: recipe's)
  --augment                  random shifts, scale, rotation, stroke width (for drawn digits)
  --non-digits               add the "not a digit" output: synthetic non-digits
                             (letters, shapes, scribbles, hatching) shuffled into
                             the batches; the last 5,000 training digits are held
                             out to choose the threshold (<= 1 % of them flagged)
  --non-digit-share X        with --non-digits: non-digits drawn per training
                             digit (default 0.1: 5,500 for 55,000 digits)
  --backend wasm|cpu         tfjs backend (default wasm)
  --engine auto|fused|tfjs   training engine (default auto: the fused SIMD-WASM
                             engine for mlp and mlp-deep on wasm, tfjs otherwise)
  --threads N|auto           fused engine threads (default auto: 2 where available)
  --seed N                   seed for init, shuffling, dropout, augmentation (default 0)
  --limit N                  train on the first N training digits only
  --out DIR                  where to save (default ./models/<model>)
  --quiet                    no progress bar
`;

/** The flags of `train`. */
export const TRAIN_OPTIONS = {
  model: { type: 'string' }, epochs: { type: 'string' }, batch: { type: 'string' }, lr: { type: 'string' },
  optimizer: { type: 'string' }, momentum: { type: 'string' }, 'weight-decay': { type: 'string' }, 'lr-final': { type: 'string' },
  augment: { type: 'boolean' }, backend: { type: 'string' }, seed: { type: 'string' }, limit: { type: 'string' },
  out: { type: 'string' }, quiet: { type: 'boolean' }, engine: { type: 'string' }, threads: { type: 'string' },
  'non-digits': { type: 'boolean' }, 'non-digit-share': { type: 'string' },
} as const;

/** The training recipe: the preset's, with the flags given on top. */
function configFrom(values: ParsedCommandLine<typeof TRAIN_OPTIONS>['values'], model: PresetName) {
  const recipe = PRESET_RECIPES[model];
  return {
    ...recipe,
    epochs: numberFlag(values.epochs, 'epochs', { min: 1, integer: true }) ?? recipe.epochs,
    batchSize: numberFlag(values.batch, 'batch', { min: 1, integer: true }) ?? recipe.batchSize,
    learningRate: numberFlag(values.lr, 'lr', { min: 0, exclusiveMin: true }) ?? recipe.learningRate,
    optimizer: choiceFlag(values.optimizer, 'optimizer', OPTIMIZER_NAMES) ?? recipe.optimizer,
    momentum: numberFlag(values.momentum, 'momentum', { min: 0, max: 0.999 }),
    weightDecay: numberFlag(values['weight-decay'], 'weight-decay', { min: 0 }),
    finalLearningRateFraction: numberFlag(values['lr-final'], 'lr-final', { min: 0, max: 1, exclusiveMin: true }) ?? recipe.finalLearningRateFraction,
    seed: numberFlag(values.seed, 'seed', { integer: true, min: 0 }) ?? 0,
    augment: values.augment ?? false,
    nonDigits: nonDigitsFrom(values),
  };
}

/** `--non-digits` (and its share, refused without it). */
function nonDigitsFrom(values: ParsedCommandLine<typeof TRAIN_OPTIONS>['values']): boolean | { share: number } {
  const share = numberFlag(values['non-digit-share'], 'non-digit-share', { min: 0, max: 1, exclusiveMin: true });
  if (share === undefined) return values['non-digits'] ?? false;
  if (!values['non-digits']) throw new InvalidOptionError('--non-digit-share: only applies with --non-digits');
  return { share };
}

/** What `train` was asked to do, every flag checked. */
export interface TrainArgs {
  model: PresetName;
  config: ReturnType<typeof configFrom>;
  backend: 'wasm' | 'cpu';
  engineUse: TrainingEngineChoice;
  threads: number | 'auto';
  limit: number | undefined;
  out: string;
  quiet: boolean;
}

/** Checks every flag of `train`, the output folder included, before any work (and before tfjs loads). */
export async function parseTrainArgs(argv: string[]): Promise<TrainArgs> {
  const { values } = parseCommandLine(argv, TRAIN_OPTIONS, 'train');
  const model: PresetName = choiceFlag(values.model, 'model', PRESET_NAMES) ?? 'mlp';
  const config = configFrom(values, model);
  // A momentum coefficient that the chosen optimizer would ignore is refused, not dropped.
  if (config.momentum !== undefined && config.optimizer !== 'momentum') throw new InvalidOptionError(`--momentum: only applies to --optimizer momentum (this run uses ${config.optimizer})`);
  const backend = choiceFlag(values.backend, 'backend', ['wasm', 'cpu'] as const) ?? 'wasm';
  const engineUse = choiceFlag(values.engine, 'engine', TRAINING_ENGINE_CHOICES) ?? 'auto';
  const threads = values.threads === 'auto' ? 'auto' : (numberFlag(values.threads, 'threads', { min: 1, max: 16, integer: true }) ?? 'auto');
  const limit = numberFlag(values.limit, 'limit', { min: 1, integer: true });
  const out = values.out ?? `models/${model}`;
  resolveTrainConfig(config); // throws a typed error naming the bad option
  await checkOutputFolder('out', out); // an unwritable --out fails now, not after the training
  return { model, config, backend, engineUse, threads, limit, out, quiet: values.quiet ?? false };
}
