import * as tf from '@tensorflow/tfjs-core';
import { subsetMnist } from '../../data/mnist-set.js';
import { InvalidOptionError } from '../../errors.js';
import { PRESET_NAMES, type PresetName } from '../../models/presets.js';
import { loadMnist } from '../../node/load-mnist.js';
import { saveModelDir } from '../../node/model-files.js';
import { useNodeBackend } from '../../node/node-backend.js';
import { OPTIMIZER_NAMES } from '../../train/optimizer.js';
import { PRESET_RECIPES } from '../../train/recipes.js';
import { resolveTrainConfig } from '../../train/train-config.js';
import { Trainer } from '../../train/trainer.js';
import { TRAINING_ENGINE_CHOICES } from '../../train/training-engine.js';
import { nodeThreadHost } from '../../node/node-thread-host.js';
import { choiceFlag, numberFlag, parseCommandLine } from '../options.js';
import { checkOutputFolder } from '../output-path.js';
import { ProgressBar } from '../progress-bar.js';
import { formatConfusionMatrix, formatTopPairs } from '../report.js';

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
  'non-digits': { type: 'boolean' },
} as const;

/** `digit-classifier train`: the lesson's loop on real MNIST, from the command line. */
export async function trainCommand(argv: string[]): Promise<void> {
  const { values } = parseCommandLine(argv, TRAIN_OPTIONS, 'train');
  // 1. Validate every option before any work starts.
  const model: PresetName = choiceFlag(values.model, 'model', PRESET_NAMES) ?? 'mlp';
  const recipe = PRESET_RECIPES[model];
  const config = {
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
    nonDigits: values['non-digits'] ?? false,
  };
  // A momentum coefficient that the chosen optimizer would ignore is refused, not dropped.
  if (config.momentum !== undefined && config.optimizer !== 'momentum') throw new InvalidOptionError(`--momentum: only applies to --optimizer momentum (this run uses ${config.optimizer})`);
  const backend = choiceFlag(values.backend, 'backend', ['wasm', 'cpu'] as const) ?? 'wasm';
  const engineUse = choiceFlag(values.engine, 'engine', TRAINING_ENGINE_CHOICES) ?? 'auto';
  const threads = values.threads === 'auto' ? 'auto' : (numberFlag(values.threads, 'threads', { min: 1, max: 16, integer: true }) ?? 'auto');
  const limit = numberFlag(values.limit, 'limit', { min: 1, integer: true });
  const out = values.out ?? `models/${model}`;
  const quiet = values.quiet ?? false;
  resolveTrainConfig(config); // throws a typed error naming the bad option, before any work
  await checkOutputFolder('out', out); // an unwritable --out fails now, not after the training

  // 2. Backend and data.
  const info = await useNodeBackend(backend);
  const data = await loadMnist({ split: 'both' });
  const train = limit && limit < data.train!.count ? subsetMnist(data.train!, 0, limit) : data.train!;
  const test = data.test!;
  const tensorsBefore = tf.memory().numTensors;
  const trainer = new Trainer({ model, ...config, engine: { use: engineUse, threads, threadHost: nodeThreadHost } });
  const c = trainer.config;
  console.log(`model ${model} (${trainer.network.parameterCount.toLocaleString('en-US')} parameters) on ${info.name}${info.wasmVariant ? ` (${info.wasmVariant}, ${info.threads} thread${info.threads === 1 ? '' : 's'})` : ''}`);
  const engine = await trainer.trainingEngine();
  const variant = engine.variant ? ` (${engine.variant.simd}, ${engine.variant.threads} thread${engine.variant.threads === 1 ? '' : 's'})` : '';
  console.log(`training engine: ${engine.name}${variant}: ${engine.reasons.join('; ')}`);
  console.log(`recipe: ${c.optimizer} lr=${c.learningRate} batch=${c.batchSize} epochs=${c.epochs} seed=${c.seed}${c.augment ? ' augment' : ''}${c.nonDigits ? ' non-digits' : ''}; train ${train.count}, test ${test.count}`);

  // 3. Train, one line per epoch like the lesson; Ctrl-C stops after the current batch.
  const abort = new AbortController();
  const onSigint = () => abort.abort(new Error('interrupted'));
  process.once('SIGINT', onSigint);
  let bar: ProgressBar | null = null;
  try {
    await trainer.fit({ train, test }, {
      signal: abort.signal,
      onBatch: (p) => {
        if (quiet) return;
        bar ??= new ProgressBar(`epoch ${p.epoch}`, p.batches);
        bar.update(p.batch, `loss=${p.loss.toFixed(4)}`);
      },
      onEpoch: (e) => {
        bar?.done();
        bar = null;
        const nd = e.nonDigit ? ` threshold=${e.nonDigit.threshold.toFixed(4)} held_out_non_digits_flagged=${e.nonDigit.nonDigitsFlagged.toFixed(4)} test_digits_flagged=${e.digitsFlagged.toFixed(4)}` : '';
        console.log(`epoch ${e.epoch} train_loss=${e.trainLoss.toFixed(4)} test_acc=${e.accuracy.toFixed(4)} time=${e.seconds.toFixed(2)}s${nd}`);
      },
    });
  } finally {
    process.off('SIGINT', onSigint);
  }
  const last = trainer.history[trainer.history.length - 1];
  console.log('\nconfusion matrix (rows true, columns predicted):');
  console.log(formatConfusionMatrix(last.confusion));
  console.log('\ntop 3 confusion pairs:');
  console.log(formatTopPairs(last.confusion, 3));
  const weights = await trainer.getWeights();
  const paths = await saveModelDir(out, weights);
  trainer.dispose();
  console.log(`\nsaved ${paths.modelJsonPath} and ${paths.weightsPath}`);
  if (tf.memory().numTensors !== tensorsBefore) console.warn(`warning: ${tf.memory().numTensors - tensorsBefore} tensors still allocated`);
}
