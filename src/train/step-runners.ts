/**
 * The two ways {@link Trainer.fit} runs one batch: through tfjs ops (forward,
 * loss, backward, optimizer step on tensors) or through the fused engine (one
 * WebAssembly call on the uint8 data set held in engine memory). Both take the
 * same batch (examples `order[start .. start+size)`, or an augmented copy) and
 * return the batch's mean cross-entropy; a non-finite loss leaves the weights
 * as they were.
 */
import * as tf from '@tensorflow/tfjs-core';
import { BatchBuilder } from '../data/batch-builder.js';
import type { MnistSet } from '../data/mnist-set.js';
import type { DenseEngine } from '../kernels/dense-engine.js';
import type { Network, RandomSource } from '../models/network.js';
import { digitReading, outputUnits } from '../models/non-digit-output.js';
import type { ModelWeights } from '../models/spec.js';
import type { Optimizer, OptimizerState } from './optimizer.js';
import { yieldToEventLoop } from '../util/yield-to-event-loop.js';
import { scoreLogits, type Evaluation } from './evaluate.js';
import { softmaxCrossEntropy } from './softmax-cross-entropy.js';

/** Weights and optimizer state after a batch: what a recovery starts from. */
export interface TrainingSnapshot {
  weights: ModelWeights;
  optimizer: OptimizerState;
}

/** One batch of training, on one engine. */
export interface StepRunner {
  /** One optimizer step; `pixels` (size·784) replaces the examples' images (augmentation). */
  step(order: Int32Array, start: number, size: number, pixels?: Uint8Array): Promise<number>;
  setLearningRate(lr: number): void;
  /** Weights and optimizer state as they are now. */
  snapshot(): Promise<TrainingSnapshot>;
  /** Puts the current weights and optimizer state into the tfjs network and optimizer (the fused engine keeps its own). */
  sync(): void;
}

/** The four-beat loop on tfjs tensors. */
export class TfjsSteps implements StepRunner {
  private readonly builder: BatchBuilder;
  private readonly grad: Float32Array;
  /** Logits per example: 10, or 11 with the "not a digit" output (label 10). */
  private readonly units: number;

  constructor(
    private readonly net: Network,
    private readonly optimizer: () => Optimizer,
    private readonly decayMask: boolean[],
    private readonly rng: RandomSource,
    private readonly train: MnistSet,
    batchSize: number,
  ) {
    this.builder = new BatchBuilder(batchSize, net.spec.normalization, net.firstLayerIsDense);
    this.units = outputUnits(net.spec);
    this.grad = new Float32Array(batchSize * this.units);
  }

  /** Tensors live in one engine scope that spans the download of the logits (async, so WebGPU need not block). */
  async step(order: Int32Array, start: number, size: number, pixels?: Uint8Array): Promise<number> {
    const { net, train } = this;
    const batch = this.builder.fill(train.images, train.labels, order, start, size, pixels);
    const engine = tf.engine();
    engine.startScope();
    try {
      const x = tf.tensor2d(batch.x, [size, 784]);
      const xT = batch.xT ? tf.tensor2d(batch.xT, [784, size]) : undefined;
      const { logits, caches } = net.forward(x, true, this.rng); // 1. forward
      const z = await logits.data();
      const { units } = this;
      const g = this.grad.subarray(0, size * units);
      const loss = softmaxCrossEntropy(z, batch.labels, size, units, g); // 2. loss (and ∂loss/∂logits)
      if (!Number.isFinite(loss)) return loss; // the caller raises; weights stay as they were
      const grads = net.backward(tf.tensor2d(g, [size, units]), caches, xT); // 3. backward
      this.optimizer().apply(net.params, grads, this.decayMask); // 4. step
      return loss;
    } finally {
      engine.endScope();
    }
  }

  setLearningRate(lr: number): void {
    this.optimizer().setLearningRate(lr);
  }

  async snapshot(): Promise<TrainingSnapshot> {
    return { weights: await this.net.getWeights(), optimizer: await this.optimizer().getState() };
  }

  sync(): void {}
}

/** The fused engine: weights, optimizer state and the uint8 data set live in WASM memory. */
export class FusedSteps implements StepRunner {
  private readonly identity: Int32Array;
  private readonly batchLabels: Uint8Array;
  private dataIsBatch = false;

  constructor(
    private readonly engine: DenseEngine,
    private readonly net: Network,
    private readonly optimizer: () => Optimizer,
    private readonly train: MnistSet,
    batchSize: number,
  ) {
    this.identity = Int32Array.from({ length: batchSize }, (_, i) => i);
    this.batchLabels = new Uint8Array(batchSize);
  }

  /** Copies the network's weights, the optimizer's state and the data set into the engine. */
  async load(): Promise<void> {
    const { engine, net } = this;
    engine.setWeights(await net.getWeights());
    const state = await this.optimizer().getState();
    const full = withSlots(state, net);
    engine.setOptimizerState(full);
    // The tfjs optimizer gets its slots now, as its first step would make them: the tensor count stays flat over the fit.
    if (full !== state) this.optimizer().setState(full);
    engine.setLearningRate(this.optimizer().options.learningRate);
    engine.setData(this.train.images, this.train.labels);
    this.dataIsBatch = false;
  }

  async step(order: Int32Array, start: number, size: number, pixels?: Uint8Array): Promise<number> {
    if (!pixels) {
      if (this.dataIsBatch) {
        this.engine.setData(this.train.images, this.train.labels);
        this.dataIsBatch = false;
      }
      return this.engine.step(order, start, size);
    }
    // Augmented: the batch's own pixels become the engine's data set for this step (size·784 bytes copied).
    const labels = this.batchLabels.subarray(0, size);
    for (let i = 0; i < size; i++) labels[i] = this.train.labels[order[start + i]];
    this.engine.setData(pixels.subarray(0, size * 784), labels);
    this.dataIsBatch = true;
    return this.engine.step(this.identity, 0, size);
  }

  setLearningRate(lr: number): void {
    this.engine.setLearningRate(lr);
    this.optimizer().setLearningRate(lr);
  }

  async snapshot(): Promise<TrainingSnapshot> {
    return { weights: this.engine.getWeights(), optimizer: this.engine.getOptimizerState() };
  }

  /**
   * Scores `set` with the engine's own forward pass (the epoch-end evaluation
   * without tfjs), in chunks like `evaluateNetwork`, with `checkpoint` (abort,
   * pause, dispose) between them.
   */
  async evaluate(set: MnistSet, checkpoint: () => Promise<void>, chunk = 1000): Promise<Evaluation> {
    const logits = new Float32Array(set.count * 10);
    for (let start = 0; start < set.count; start += chunk) {
      if (start > 0) {
        await yieldToEventLoop();
        await checkpoint();
      }
      const size = Math.min(chunk, set.count - start);
      logits.set(this.engine.predictLogits(set.images.subarray(start * 784, (start + size) * 784), size), start * 10);
    }
    return scoreLogits(logits, set, digitReading(this.net.spec));
  }

  sync(): void {
    this.net.setWeights(this.engine.getWeights());
    this.optimizer().setState(this.engine.getOptimizerState());
  }
}

/**
 * The tfjs optimizer creates its slots on its first step; before that its
 * state has none. The engine always takes a full state: zero slots then.
 */
function withSlots(state: OptimizerState, net: Network): OptimizerState {
  const perParam = state.name === 'adam' ? 2 : state.name === 'momentum' ? 1 : 0;
  if (state.slots.length === net.params.length) return state;
  const slots = net.params.map((p) => Array.from({ length: perParam }, () => ({ shape: p.shape.slice(), values: new Float32Array(p.size) })));
  return { name: state.name, step: state.step, slots };
}
