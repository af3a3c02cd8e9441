/** `digit-classifier adapt`, the work: "learn my handwriting" from a folder of labelled PNGs. */
import '../tfjs-production.js';
import * as tf from '@tensorflow/tfjs-core';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeCompactModel } from '../../io/compact-model.js';
import { loadMnist } from '../../node/load-mnist.js';
import { saveModelDir } from '../../node/model-files.js';
import { useNodeBackend } from '../../node/node-backend.js';
import { readImageFolder } from '../../node/read-image-folder.js';
import { ADAPT_DEFAULTS } from '../../train/adapt-types.js';
import { Trainer } from '../../train/trainer.js';
import { loadModelArg } from '../model-arg.js';
import { ProgressBar } from '../progress-bar.js';
import type { AdaptArgs } from './adapt.js';

/** The compact copy `adapt` writes beside model.json, which `<digit-pad src>` reads. */
export const COMPACT_FILE = 'model.dcm';

/** Adapts the model `model` names to the drawings in `examples`, saves it in `out`. */
export async function runAdapt({ model, examples, out, steps, learningRate, replayCount, seed, backend, quiet }: AdaptArgs): Promise<void> {
  const { weights, label } = await loadModelArg(model);
  const drawings = await readImageFolder(examples);
  const perDigit = Array.from({ length: 10 }, (_, d) => drawings.labels.filter((y) => y === d).length);
  console.log(`model ${label}; ${drawings.count} drawing${drawings.count === 1 ? '' : 's'} from ${examples} (${perDigit.map((n, d) => `${d}: ${n}`).join(', ')})`);

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
    const bar = quiet ? null : new ProgressBar('adapt', steps ?? ADAPT_DEFAULTS.steps);
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
    const paths = await saveModelDir(out, adapted);
    // The same model compactly, for the widgets: <digit-pad src=".../model.dcm">.
    const compactPath = join(out, COMPACT_FILE);
    await writeFile(compactPath, encodeCompactModel(adapted, { dtype: 'float16' }));
    console.log(`saved ${paths.modelJsonPath}, ${paths.weightsPath} and ${compactPath}`);
  } finally {
    trainer.dispose();
  }
  if (tf.memory().numTensors !== tensorsBefore) console.warn(`warning: ${tf.memory().numTensors - tensorsBefore} tensors still allocated`);
}
