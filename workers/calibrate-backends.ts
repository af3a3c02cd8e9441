/**
 * Backend choice by measurement: `auto` times a few training steps of the
 * model it will train on every candidate that started (the fused SIMD-WASM
 * engine, tfjs WASM, WebGPU) and takes the fastest. Each candidate gets two
 * warm-up steps (shader compilation, WASM tiering) and then timed steps until
 * its share of the budget (~300 ms in all) is spent; the figure is the median.
 * The workload is a batch of 64 synthetic digits, so no data need be loaded.
 */
import { createRng } from '../src/data/rng.js';
import type { MnistSet } from '../src/data/mnist-set.js';
import { createDenseEngine, type KernelVariant, type ThreadHost } from '../src/kernels/dense-engine.js';
import { createCnnEngine, isCnnSpec } from '../src/kernels/cnn-engine.js';
import { Network } from '../src/models/network.js';
import type { ModelSpec } from '../src/models/spec.js';
import { createOptimizer } from '../src/train/optimizer.js';
import { TfjsSteps } from '../src/train/step-runners.js';
import type { Calibration } from './protocol.js';

/** Total time the timed steps of all candidates may take. */
export const CALIBRATION_BUDGET_MS = 300;
const BATCH = 64;
const POOL = 256;

/** The fused engine's options the worker will train with. */
export interface FusedCandidate {
  threads?: number | 'auto';
  threadHost?: ThreadHost;
}

/** Synthetic MNIST-like data: sparse ink on a zero background, random labels. */
function syntheticSet(): MnistSet {
  const rng = createRng(1);
  const images = new Uint8Array(POOL * 784);
  for (let i = 0; i < images.length; i++) images[i] = rng.next() < 0.2 ? rng.int(256) : 0;
  const labels = Uint8Array.from({ length: POOL }, () => rng.int(10));
  return { images, labels, count: POOL, rows: 28, cols: 28 };
}

/** Median of the timed steps of `step`, run for at most `budgetMs` after two warm-up steps (at least 2 timed steps). */
async function timeSteps(step: (i: number) => Promise<unknown> | unknown, budgetMs: number): Promise<{ stepMs: number; steps: number }> {
  await step(0);
  await step(1);
  const times: number[] = [];
  const start = performance.now();
  for (let i = 2; times.length < 2 || (performance.now() - start < budgetMs && times.length < 50); i++) {
    const t0 = performance.now();
    await step(i);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { stepMs: times[times.length >> 1], steps: times.length };
}

/** Times tfjs ops on the active tfjs backend: the trainer's own step (forward, loss, backward, SGD). */
export async function calibrateTfjs(spec: ModelSpec, budgetMs: number): Promise<{ stepMs: number; steps: number }> {
  const set = syntheticSet();
  const rng = createRng(2);
  const net = Network.create(spec, rng);
  const optimizer = createOptimizer({ name: 'sgd', learningRate: 1e-3 });
  const order = Int32Array.from({ length: POOL }, (_, i) => i);
  try {
    const steps = new TfjsSteps(net, () => optimizer, net.params.map((p) => p.rank > 1), rng, set, BATCH);
    return await timeSteps((i) => steps.step(order, (i * BATCH) % POOL, BATCH), budgetMs);
  } finally {
    optimizer.dispose();
    net.dispose();
  }
}

/** Times the fused engine (the dense one, or the CNN one for the preset CNN; started here, then released). */
export async function calibrateFused(spec: ModelSpec, options: FusedCandidate, budgetMs: number): Promise<{ stepMs: number; steps: number; variant: KernelVariant }> {
  const set = syntheticSet();
  const net = Network.create(spec, createRng(2));
  const weights = await net.getWeights();
  net.dispose();
  const create = isCnnSpec(spec) ? createCnnEngine : createDenseEngine;
  const engine = await create({
    spec, maxBatchSize: BATCH, seed: 3, threads: options.threads, threadHost: options.threadHost,
    optimizer: { name: 'sgd', learningRate: 1e-3, momentum: 0.9, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay: 0 },
  });
  try {
    engine.setWeights(weights);
    engine.setData(set.images, set.labels);
    const order = Int32Array.from({ length: POOL }, (_, i) => i);
    return { ...(await timeSteps((i) => engine.step(order, (i * BATCH) % POOL, BATCH), budgetMs)), variant: engine.variant };
  } finally {
    engine.dispose();
  }
}

/** Sorts measured candidates fastest first. */
export function fastestFirst(entries: Calibration[]): Calibration[] {
  return [...entries].sort((a, b) => a.stepMs - b.stepMs);
}
