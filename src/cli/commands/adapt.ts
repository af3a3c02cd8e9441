import * as tf from '@tensorflow/tfjs-core';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeCompactModel } from '../../io/compact-model.js';
import { InvalidOptionError } from '../../errors.js';
import { loadMnist } from '../../node/load-mnist.js';
import { saveModelDir } from '../../node/model-files.js';
import { useNodeBackend } from '../../node/node-backend.js';
import { readImageFolder } from '../../node/read-image-folder.js';
import { ADAPT_DEFAULTS } from '../../train/adapt-types.js';
import { Trainer } from '../../train/trainer.js';
import { loadModelArg } from '../model-arg.js';
import { choiceFlag, numberFlag, parseCommandLine } from '../options.js';
import { checkOutputFolder } from '../output-path.js';
import { ProgressBar } from '../progress-bar.js';

export const ADAPT_HELP = `Usage: digit-classifier adapt --model cnn|mlp|DIR --examples DIR --out DIR [options]

Learns one person's handwriting: fine-tunes a model to a few labelled drawings
(one of each digit is enough), rehearsing MNIST training digits so that it keeps
what it knew, reports MNIST test accuracy before and after, and saves the
adapted model: model.json + weights.bin, which predict and evaluate read (and
tf.loadLayersModel), and the same as model.dcm (float16), which the widgets
read (<digit-pad src="DIR/model.dcm">).

The examples folder has one subfolder per digit, 0/ … 9/, of PNG images of any
size (the layout of torchvision's ImageFolder and Keras'
image_dataset_from_directory); each is read the way predict reads an image.
A digit may have no folder.

Options:
  --model cnn|mlp|DIR   the model to adapt: a shipped one (cnn, mlp) or a saved
                        one (directory, model.json or .dcm); default cnn
  --examples DIR        the labelled drawings (required)
  --out DIR             where to save the adapted model (required)
  --steps N             optimizer steps (default ${ADAPT_DEFAULTS.steps})
  --lr X                learning rate (default ${ADAPT_DEFAULTS.learningRate} for the cnn, whose
                        convolutions stay frozen; ${ADAPT_DEFAULTS.learningRateAllLayers} for an mlp, tuned whole)
  --replay N            MNIST training digits rehearsed (default ${ADAPT_DEFAULTS.replayCount})
  --seed N              seed for the copies, the replay sample, the batches (default 0)
  --backend wasm|cpu    tfjs backend (default wasm)
  --quiet               no progress bar
`;

/** The compact copy `adapt` writes beside model.json, which `<digit-pad src>` reads. */
export const COMPACT_FILE = 'model.dcm';

/** The flags of `adapt`. */
export const ADAPT_OPTIONS = {
  model: { type: 'string' }, examples: { type: 'string' }, out: { type: 'string' }, steps: { type: 'string' }, lr: { type: 'string' },
  replay: { type: 'string' }, seed: { type: 'string' }, backend: { type: 'string' }, quiet: { type: 'boolean' },
} as const;

/** `digit-classifier adapt`: "learn my handwriting" from a folder of labelled PNGs. */
export async function adaptCommand(argv: string[]): Promise<void> {
  const { values } = parseCommandLine(argv, ADAPT_OPTIONS, 'adapt');
  // 1. Every option checked before any work.
  if (!values.examples) throw new InvalidOptionError('adapt: --examples is required: a folder with subfolders 0/ … 9/ of PNG drawings');
  if (!values.out) throw new InvalidOptionError('adapt: --out is required: the folder to save the adapted model in');
  const steps = numberFlag(values.steps, 'steps', { min: 1, integer: true });
  const learningRate = numberFlag(values.lr, 'lr', { min: 0, exclusiveMin: true });
  const replayCount = numberFlag(values.replay, 'replay', { min: 0, max: 60_000, integer: true }) ?? ADAPT_DEFAULTS.replayCount;
  const seed = numberFlag(values.seed, 'seed', { min: 0, integer: true }) ?? 0;
  const backend = choiceFlag(values.backend, 'backend', ['wasm', 'cpu'] as const) ?? 'wasm';
  await checkOutputFolder('out', values.out);
  const { weights, label } = await loadModelArg(values.model ?? 'cnn');
  const drawings = await readImageFolder(values.examples);
  const perDigit = Array.from({ length: 10 }, (_, d) => drawings.labels.filter((y) => y === d).length);
  console.log(`model ${label}; ${drawings.count} drawing${drawings.count === 1 ? '' : 's'} from ${values.examples} (${perDigit.map((n, d) => `${d}: ${n}`).join(', ')})`);

  // 2. Backend, MNIST (the digits to rehearse, the test digits to check nothing was forgotten).
  const info = await useNodeBackend(backend);
  // The replay sample is drawn from the first 10,000 training digits (or as many as --replay asks for).
  const { train } = await loadMnist({ split: 'train', limit: Math.max(replayCount, 10_000) });
  const { test } = await loadMnist({ split: 'test' });
  const tensorsBefore = tf.memory().numTensors;
  const trainer = new Trainer({ model: weights });
  try {
    const before = await trainer.evaluate(test);
    console.log(`backend ${info.name}; MNIST test accuracy before ${(before.accuracy * 100).toFixed(2)}%`);

    // 3. Adapt; Ctrl-C stops after the current step and saves nothing.
    const abort = new AbortController();
    const onSigint = () => abort.abort(new Error('interrupted'));
    process.once('SIGINT', onSigint);
    const bar = values.quiet ? null : new ProgressBar('adapt', steps ?? ADAPT_DEFAULTS.steps);
    let result;
    try {
      result = await trainer.adapt(drawings, {
        replay: train, replayCount, seed, steps, learningRate, signal: abort.signal,
        onProgress: (p) => bar?.update(p.step, `loss=${p.loss.toFixed(4)}`),
      });
    } finally {
      bar?.done();
      process.off('SIGINT', onSigint);
    }
    const after = await trainer.evaluate(test);
    const right = (f: number) => `${Math.round(f * drawings.count)} of ${drawings.count}`;
    console.log(`adapted in ${result.seconds.toFixed(2)}s (${result.steps} steps, ${result.replay} MNIST digits rehearsed, tuned ${result.tuned.join(', ')})`);
    console.log(`drawings read right: ${right(result.examplesAccuracyBefore)} before, ${right(result.examplesAccuracy)} after`);
    console.log(`MNIST test accuracy ${(before.accuracy * 100).toFixed(2)}% -> ${(after.accuracy * 100).toFixed(2)}% (${((after.accuracy - before.accuracy) * 100).toFixed(2)} points)`);
    const adapted = await trainer.getWeights();
    const paths = await saveModelDir(values.out, adapted);
    // The same model compactly, for the widgets: <digit-pad src=".../model.dcm">.
    const compactPath = join(values.out, COMPACT_FILE);
    await writeFile(compactPath, encodeCompactModel(adapted, { dtype: 'float16' }));
    console.log(`saved ${paths.modelJsonPath}, ${paths.weightsPath} and ${compactPath}`);
  } finally {
    trainer.dispose();
  }
  if (tf.memory().numTensors !== tensorsBefore) console.warn(`warning: ${tf.memory().numTensors - tensorsBefore} tensors still allocated`);
}
