/** `digit-classifier train`, the work: the lesson's loop on real MNIST, once {@link parseTrainArgs} passed. */
import '../tfjs-production.js';
import * as tf from '@tensorflow/tfjs-core';
import { subsetMnist } from '../../data/mnist-set.js';
import { loadMnist } from '../../node/load-mnist.js';
import { saveModelDir } from '../../node/model-files.js';
import { useNodeBackend } from '../../node/node-backend.js';
import { nodeThreadHost } from '../../node/node-thread-host.js';
import { Trainer } from '../../train/trainer.js';
import { ProgressBar } from '../progress-bar.js';
import { formatConfusionMatrix, formatTopPairs } from '../report.js';
import type { TrainArgs } from './train.js';

/** Trains as `args` says, prints the lesson's epoch lines and report, saves the model. */
export async function runTrain({ model, config, backend, engineUse, threads, limit, out, quiet }: TrainArgs): Promise<void> {
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
  const share = typeof c.nonDigits === 'object' && c.nonDigits.share !== undefined ? ` share=${c.nonDigits.share}` : '';
  console.log(`recipe: ${c.optimizer} lr=${c.learningRate} batch=${c.batchSize} epochs=${c.epochs} seed=${c.seed}${c.augment ? ' augment' : ''}${c.nonDigits ? ` non-digits${share}` : ''}; train ${train.count}, test ${test.count}`);

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
