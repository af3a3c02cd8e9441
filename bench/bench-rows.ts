// The rows of `npm run bench` (bench/bench-node.ts) that train in the bench's own child process:
// the CNN's fused engine against the tfjs path, interleaved, and the textbook tfjs-core autodiff MLP.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { subsetMnist } from '../src/data/mnist-set.js';
import { createRng } from '../src/data/rng.js';
import { permutation } from '../src/data/permutation.js';
import { loadMnist } from '../src/node/load-mnist.js';
import { nodeThreadHost } from '../src/node/node-thread-host.js';
import type { PresetName } from '../src/models/presets.js';
import { PRESET_RECIPES } from '../src/train/recipes.js';
import { Trainer } from '../src/train/trainer.js';

/** One printed row: a backend, model and training path, its speed, accuracy and memory. */
export interface Row {
  row: string;
  backend: string;
  model: string;
  path: string;
  epochs: number;
  secondsPerEpoch: number;
  samplesPerSecond: number;
  accuracy: number | null;
  totalSeconds: number;
  peakRssMB: number;
  tensorsStable: boolean | null;
  note: string;
  /** CPU seconds (this process, all threads) per epoch, where measured. */
  cpuSecondsPerEpoch?: number;
}

export type RowSpec = { row: string; backend: 'wasm' | 'cpu'; model: PresetName; mode: 'shipped' | 'autodiff' | 'cli' | 'cnn-compare' | 'adapt'; epochs?: number; steps?: number; args?: string[]; note?: string };

/**
 * The CNN recipe's steps on the fused engine (auto threads, and 1 thread) and on the tfjs path, in
 * alternating rounds in this one process, so that a busy machine slows all alike: wall time per epoch
 * (EpochResult.seconds) and CPU time of the steps (process.cpuUsage: this process, helper threads
 * included), extrapolated from the steps.
 */
export async function compareCnn(spec: RowSpec): Promise<Omit<Row, 'peakRssMB'>[]> {
  const data = await loadMnist({ split: 'both' });
  const recipe = PRESET_RECIPES.cnn;
  const batch = recipe.batchSize ?? 64;
  const test = subsetMnist(data.test!, 0, 100);
  const paths = [
    { row: 'cnn-wasm', engine: { use: 'fused' as const, threadHost: nodeThreadHost }, steps: 60, note: 'fused engine, threads auto' },
    { row: 'cnn-wasm-1-thread', engine: { use: 'fused' as const, threads: 1 }, steps: 60, note: 'fused engine, 1 thread' },
    { row: 'cnn-wasm-tfjs', engine: { use: 'tfjs' as const }, steps: 20, note: 'tfjs path (tfjs-backend-wasm + the GEMM/JS gradients)' },
  ];
  const rounds = 3;
  const acc = paths.map(() => ({ wall: 0, cpu: 0, samples: 0, cpuSamples: 0, engine: '' }));
  for (let round = 0; round < rounds; round++) {
    for (const [i, p] of paths.entries()) {
      const train = subsetMnist(data.train!, (round * 80 + i * 20) * batch, p.steps * batch);
      const trainer = new Trainer({ model: 'cnn', ...recipe, epochs: 1, seed: round, engine: p.engine });
      // CPU time from the end of the first step to the end of the last: the steps only (no engine start, data copy or evaluation).
      let c0: NodeJS.CpuUsage | undefined;
      let cpu = 0;
      const [epoch] = await trainer.fit({ train, test }, { onWarning: () => {}, onBatch: (b) => {
        if (b.batch === 1) c0 = process.cpuUsage();
        else if (b.batch === b.batches) {
          const c = process.cpuUsage(c0);
          cpu = (c.user + c.system) / 1e6;
        }
      } });
      acc[i].wall += epoch.seconds;
      acc[i].cpu += cpu;
      acc[i].cpuSamples += train.count - batch;
      acc[i].samples += train.count;
      acc[i].engine = `${epoch.engine}${trainer.lastTrainingEngine?.variant ? ` ${trainer.lastTrainingEngine.variant.simd}, ${trainer.lastTrainingEngine.variant.threads} thread(s)` : ''}`;
      trainer.dispose();
    }
  }
  return paths.map((p, i) => {
    const perEpoch = (acc[i].wall / acc[i].samples) * 60000;
    return {
      row: p.row, backend: 'wasm', model: 'cnn', path: acc[i].engine, epochs: 0, secondsPerEpoch: perEpoch, samplesPerSecond: acc[i].samples / acc[i].wall,
      accuracy: null, totalSeconds: acc[i].wall, tensorsStable: null, cpuSecondsPerEpoch: (acc[i].cpu / acc[i].cpuSamples) * 60000,
      note: `${p.note}; ${rounds}×${p.steps} steps interleaved`,
    };
  });
}

/** The textbook tfjs-core MLP: variables, tf ops, `optimizer.minimize` autodiff; batches built in JS. */
export function runAutodiff(spec: RowSpec, images: Uint8Array, labels: Uint8Array): Omit<Row, 'peakRssMB'> {
  const B = 64;
  const steps = spec.steps!;
  const rng = createRng(0);
  const w1 = tf.variable(tf.randomNormal([784, 128], 0, Math.sqrt(2 / 784)));
  const b1 = tf.variable(tf.zeros([128]));
  const w2 = tf.variable(tf.randomNormal([128, 10], 0, Math.sqrt(2 / 128)));
  const b2 = tf.variable(tf.zeros([10]));
  const opt = tf.train.sgd(0.1);
  const order = permutation(images.length / 784, rng);
  const x = new Float32Array(B * 784);
  const y = new Int32Array(B);
  const t0 = performance.now();
  for (let s = 0; s < steps; s++) {
    for (let r = 0; r < B; r++) {
      const idx = order[s * B + r];
      for (let k = 0; k < 784; k++) x[r * 784 + k] = images[idx * 784 + k] / 255;
      y[r] = labels[idx];
    }
    tf.tidy(() => {
      const xt = tf.tensor2d(x, [B, 784]);
      const onehot = tf.oneHot(tf.tensor1d(y, 'int32'), 10);
      opt.minimize(() => tf.losses.softmaxCrossEntropy(onehot, tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(xt, w1), b1)), w2), b2)) as tf.Scalar);
    });
  }
  w1.dataSync();
  const seconds = (performance.now() - t0) / 1000;
  const perEpoch = (seconds / steps) * Math.ceil(60000 / B);
  return { row: spec.row, backend: spec.backend, model: spec.model, path: 'autodiff', epochs: 0, secondsPerEpoch: perEpoch, samplesPerSecond: (steps * B) / seconds, accuracy: null, totalSeconds: seconds, tensorsStable: null, note: spec.note ?? '' };
}
