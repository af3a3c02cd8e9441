import * as tf from '@tensorflow/tfjs-core';
import { augmentBatch, AUGMENT_DEFAULTS, type AugmentOptions } from '../data/augment.js';
import { BatchBuilder, normalizationTable } from '../data/batch-builder.js';
import type { MnistSet } from '../data/mnist-set.js';
import { permutation } from '../data/permutation.js';
import { createRng, type Rng } from '../data/rng.js';
import { AbortError, InvalidOptionError } from '../errors.js';
import { Network } from '../models/network.js';
import { presetSpec, type PresetName } from '../models/presets.js';
import type { ModelSpec, ModelWeights } from '../models/spec.js';
import type { DigitPixels, Prediction } from '../inference/prediction.js';
import { yieldToEventLoop } from '../util/yield-to-event-loop.js';
import { checkInputRange, LossWatch, ShuffleCheck, type TrainingWarning } from './diagnostics.js';
import type { BatchProgress, EpochResult, FailurePoint, FitOptions, TrainData } from './fit-types.js';
import { evaluateNetwork, type Evaluation } from './evaluate.js';
import { DEFAULT_YIELD_EVERY_MS, FitControl } from './fit-control.js';
import { predictWithNetwork } from './predict-network.js';
import { createOptimizer, type Optimizer, type OptimizerState } from './optimizer.js';
import { softmaxCrossEntropy } from './softmax-cross-entropy.js';
import { resolveTrainConfig, type TrainConfig } from './train-config.js';

export type { BatchProgress, EpochResult, FailurePoint, FitOptions, TrainData } from './fit-types.js';

/** Recoveries allowed per {@link Trainer.fit} before the error is final. */
const MAX_RECOVERIES = 3;

/** Options of a {@link Trainer}. */
export interface TrainerOptions extends Partial<TrainConfig> {
  /** A preset name, an architecture, or saved weights to continue from. Default `'mlp'`. */
  model?: PresetName | ModelSpec | ModelWeights;
}

/**
 * Owns a network, its optimizer and every long-lived tensor; trains it on
 * MNIST with the four-beat loop (forward, loss, backward, step) and disposes
 * everything in {@link dispose}.
 *
 * @example
 * ```ts
 * const trainer = new Trainer({ model: 'mlp', epochs: 5 });
 * const history = await trainer.fit({ train, test }, { onEpoch: (e) => console.log(e.epoch, e.accuracy) });
 * trainer.dispose();
 * ```
 */
export class Trainer {
  readonly config: TrainConfig;
  readonly network: Network;
  readonly history: EpochResult[] = [];
  /** Which parameters take weight decay: kernels, never biases. */
  private readonly decayMask: boolean[];
  private optimizer: Optimizer | null = null;
  private readonly rng: Rng;
  /** One run at a time; pause, abort and dispose reach it at its checkpoints. */
  private readonly control = new FitControl();
  private disposed = false;
  private epochsDone = 0;

  constructor(options: TrainerOptions = {}) {
    const { model = 'mlp', ...config } = options;
    this.config = resolveTrainConfig(config);
    this.rng = createRng(this.config.seed);
    if (typeof model === 'string') this.network = Network.create(presetSpec(model), this.rng);
    else if ('weights' in model) this.network = Network.fromWeights(model);
    else this.network = Network.create(model, this.rng);
    this.decayMask = this.network.params.map((p) => p.rank > 1);
  }

  /**
   * Trains for `config.epochs` epochs and returns this run's epochs. One run
   * at a time: a second concurrent call rejects with an `InvalidOptionError`.
   * An abort (or {@link dispose}) settles the run with an `AbortError` within
   * one batch, whether it is training, paused, between epochs or evaluating.
   */
  async fit(data: TrainData, options: FitOptions = {}): Promise<EpochResult[]> {
    this.assertUsable();
    this.control.begin();
    try {
      return await this.run(data, options);
    } finally {
      this.control.end();
    }
  }

  private async run(data: TrainData, options: FitOptions): Promise<EpochResult[]> {
    const { train, test } = data;
    if (!train || train.count < 1) throw new InvalidOptionError('Expected a non-empty training set');
    if (!test || test.count < 1) throw new InvalidOptionError('Expected a non-empty held-out set (data.test): accuracy is always measured on held-out data');
    const c = this.config;
    const warn = options.onWarning ?? ((w: TrainingWarning) => console.warn(`digit-classifier: ${w.message}`));
    const inputWarning = checkInputRange(normalizationTable(this.network.spec.normalization), train.images);
    if (inputWarning) warn(inputWarning);
    if (!c.shuffle) warn({ code: 'not-shuffled', message: 'shuffle is off: every epoch sees the examples in stored order; an ordered curriculum makes training fail.' });
    this.optimizer ??= createOptimizer({ name: c.optimizer, learningRate: c.learningRate, momentum: c.momentum, weightDecay: c.weightDecay });
    const net = this.network;
    const batchSize = Math.min(c.batchSize, train.count);
    const builder = new BatchBuilder(batchSize, net.spec.normalization, net.firstLayerIsDense);
    const augment: AugmentOptions | null = c.augment ? { ...AUGMENT_DEFAULTS, ...(c.augment === true ? {} : c.augment) } : null;
    const scratch = augment ? new Uint8Array(batchSize * 784) : undefined;
    const grad = new Float32Array(batchSize * 10);
    const order = new Int32Array(train.count);
    for (let i = 0; i < train.count; i++) order[i] = i;
    const batches = Math.ceil(train.count / batchSize);
    const lossWatch = new LossWatch();
    const shuffleCheck = new ShuffleCheck();
    const yieldEvery = options.yieldEveryMs ?? DEFAULT_YIELD_EVERY_MS;
    const results: EpochResult[] = [];
    // Weights and optimizer state after the last completed batch, read back to plain arrays: what a new backend starts from.
    const snapshot = async () => ({ weights: await net.getWeights(), optimizer: await this.optimizer!.getState() });
    const recovery = options.onBackendFailure ? { handler: options.onBackendFailure, snapshot: await snapshot(), left: MAX_RECOVERIES } : null;
    // Runs `work`; with recovery on, a failure moves to a new backend and repeats `work` there.
    const guarded = async <T>(work: () => Promise<T>, at: FailurePoint): Promise<T> => {
      for (;;) {
        try {
          return await work();
        } catch (error) {
          if (!recovery || error instanceof AbortError || recovery.left-- <= 0 || !(await recovery.handler(error, at))) throw error;
          this.restore(recovery.snapshot.weights, recovery.snapshot.optimizer, this.optimizer!.options.learningRate);
        }
      }
    };

    for (let e = 0; e < c.epochs; e++) {
      const epoch = ++this.epochsDone;
      const lr = this.learningRateFor(e);
      this.optimizer.setLearningRate(lr);
      if (c.shuffle) permutation(train.count, this.rng, order);
      const t0 = performance.now();
      let lastYield = t0;
      let lossSum = 0;
      for (let b = 0; b < batches; b++) {
        await this.control.checkpoint(options.signal, () => `at epoch ${epoch}, batch ${b + 1} of ${batches}`);
        const start = b * batchSize;
        const size = Math.min(batchSize, train.count - start);
        if (scratch && augment) augmentBatch(train.images, order, start, size, scratch, this.rng, augment);
        const batch = builder.fill(train.images, train.labels, order, start, size, scratch);
        const shuffleWarning = epoch === 1 ? shuffleCheck.observe(batch.labels) : null;
        if (shuffleWarning) warn(shuffleWarning);
        const loss = await guarded(async () => {
          const l = await this.step(batch.x, batch.xT, batch.labels, size, grad);
          if (recovery && Number.isFinite(l)) recovery.snapshot = await snapshot(); // the last completed batch
          return l;
        }, { epoch, batch: b + 1 });
        lossWatch.observe(loss, `epoch ${epoch}, batch ${b + 1}`);
        lossSum += loss;
        options.onBatch?.({ epoch, batch: b + 1, batches, loss, seen: start + size });
        const now = performance.now();
        if (now - lastYield >= yieldEvery) {
          await yieldToEventLoop();
          lastYield = performance.now();
        }
      }
      const seconds = (performance.now() - t0) / 1000;
      // An abort during the epoch's last batch still stops the run (the weights are those of that batch).
      await this.control.checkpoint(options.signal, () => `at the end of epoch ${epoch}, before its evaluation`);
      const t1 = performance.now();
      const checkpoint = () => this.control.checkpoint(options.signal, () => `during the evaluation after epoch ${epoch}`);
      const ev = await guarded(() => evaluateNetwork(net, test, undefined, checkpoint), { epoch, batch: 0 });
      const result: EpochResult = {
        epoch,
        trainLoss: lossSum / batches,
        accuracy: ev.accuracy,
        testLoss: ev.loss,
        confusion: ev.confusion,
        seconds,
        evalSeconds: (performance.now() - t1) / 1000,
        samplesPerSecond: train.count / seconds,
        learningRate: lr,
      };
      results.push(result);
      this.history.push(result);
      await options.onEpoch?.(result);
    }
    return results;
  }

  /**
   * One step of the four-beat loop. Tensors live in one engine scope that
   * spans the download of the logits (async, so WebGPU need not block).
   */
  private async step(x: Float32Array, xT: Float32Array | undefined, labels: Int32Array, size: number, grad: Float32Array): Promise<number> {
    const net = this.network;
    const engine = tf.engine();
    engine.startScope();
    try {
      const xt = tf.tensor2d(x, [size, 784]);
      const xTt = xT ? tf.tensor2d(xT, [784, size]) : undefined;
      const { logits, caches } = net.forward(xt, true, this.rng); // 1. forward
      const z = await logits.data();
      const g = grad.subarray(0, size * 10);
      const loss = softmaxCrossEntropy(z, labels, size, 10, g); // 2. loss (and ∂loss/∂logits)
      if (!Number.isFinite(loss)) return loss; // the caller raises; weights stay as they were
      const grads = net.backward(tf.tensor2d(g, [size, 10]), caches, xTt); // 3. backward
      this.optimizer!.apply(net.params, grads, this.decayMask); // 4. step
      return loss;
    } finally {
      engine.endScope();
    }
  }

  /** Puts `weights` into the network on the active backend, and the optimizer state with them. */
  private restore(weights: ModelWeights, optimizerState: OptimizerState, learningRate: number): void {
    const c = this.config;
    this.network.setWeights(weights);
    this.optimizer?.dispose();
    this.optimizer = createOptimizer({ name: c.optimizer, learningRate, momentum: c.momentum, weightDecay: c.weightDecay });
    this.optimizer.setState(optimizerState);
  }

  private learningRateFor(epochIndex: number): number {
    const { learningRate: lr, finalLearningRateFraction: f, epochs } = this.config;
    if (f === 1 || epochs === 1) return lr;
    const t = epochIndex / (epochs - 1);
    return lr * (f + (1 - f) * 0.5 * (1 + Math.cos(Math.PI * t)));
  }

  /** Scores the network on a labelled set (held-out accuracy, confusion matrix, logits). */
  evaluate(set: MnistSet): Promise<Evaluation> {
    this.assertUsable();
    return evaluateNetwork(this.network, set);
  }

  /** The digit and 10 probabilities of one image (784 bytes 0–255 or floats in [0, 1]), as `Inference.predict`. */
  async predict(pixels: DigitPixels): Promise<Prediction> {
    this.assertUsable();
    return (await predictWithNetwork(this.network, pixels, 1))[0];
  }

  /** One {@link Prediction} per image of `count × 784` pixels, as `Inference.predictBatch`. */
  predictBatch(pixels: DigitPixels): Promise<Prediction[]> {
    this.assertUsable();
    return predictWithNetwork(this.network, pixels);
  }

  /** Pauses {@link fit} before its next batch. */
  pause(): void {
    this.control.pause();
  }

  /** Resumes a paused {@link fit}. */
  resume(): void {
    this.control.resume();
  }

  get isPaused(): boolean {
    return this.control.isPaused;
  }

  /** A detached copy of the current weights. */
  getWeights(): Promise<ModelWeights> {
    this.assertUsable();
    return this.network.getWeights();
  }

  /**
   * Releases the network's and the optimizer's tensors. During {@link fit},
   * the run rejects with an `AbortError` at its next checkpoint and the
   * tensors go as soon as its current step ends.
   */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.control.dispose(() => {
      this.optimizer?.dispose();
      this.network.dispose();
    });
  }

  private assertUsable(): void {
    if (this.disposed) throw new InvalidOptionError('This Trainer has been disposed');
  }
}
