/**
 * The `adapt` rows of `npm run bench`: "learn my handwriting" measured on the
 * held-out writers of `test/synthetic/` (fonts never used for tuning). For each
 * writer: one drawing of each digit (10) to adapt to, and 20 more of each (200)
 * to read, before and after; MNIST test accuracy of the adapted model against
 * the model it started from; and the seconds from process start to the first
 * adapted model, loading included (backend, MNIST, the shipped model).
 */
import * as tf from '@tensorflow/tfjs-core';
import { loadMnist } from '../src/node/load-mnist.js';
import { useNodeBackend } from '../src/node/node-backend.js';
import { loadPretrained } from '../src/pretrained/load-pretrained.js';
import { Trainer } from '../src/train/trainer.js';
import { HELD_OUT_WRITERS, writerDrawings, type WriterName } from '../test/synthetic/index.js';

/** Drawings of each digit a writer gives (the first) and is read on (the rest). */
const PER_DIGIT = 21;
/** The seed of the writers' drawings and of every adaptation. */
const SEED = 1;

export interface WriterFigure {
  writer: string;
  before: number;
  after: number;
  mnistAfter: number;
  seconds: number;
}

export interface AdaptBench {
  model: 'cnn' | 'mlp';
  writers: WriterFigure[];
  /** Over all writers' drawings read. */
  overallBefore: number;
  overallAfter: number;
  worstAfter: WriterFigure;
  mnistBefore: number;
  /** The largest MNIST test drop (points) over the writers. */
  mnistWorstDrop: number;
  /** Process start (module loading included) to the first adapted model: backend, MNIST, model, adapt. */
  firstAdaptSeconds: number;
  /** Of which the adaptation itself. */
  firstAdaptOnlySeconds: number;
  /** Every timing of the first adaptation (this process and fresh ones); the figure is the fastest. */
  firstAdaptRuns?: number[];
  meanAdaptSeconds: number;
  tensorsFlat: boolean;
}

/**
 * Only the first adaptation: process start (module loading included) to the
 * adapted model, making the drawings left out. Run in fresh processes, the
 * fastest of several is the figure (a busy machine only ever slows a run down).
 */
export async function timeFirstAdapt(model: 'cnn' | 'mlp'): Promise<number> {
  const moduleLoadMs = performance.now();
  const first = drawings(HELD_OUT_WRITERS[0]);
  const t0 = performance.now();
  await useNodeBackend('wasm');
  const { train } = await loadMnist({ split: 'train', limit: 10_000 });
  const trainer = new Trainer({ model: loadPretrained(model) });
  await trainer.adapt(first.examples, { replay: train, seed: SEED });
  return (moduleLoadMs + performance.now() - t0) / 1000;
}

/** Runs in a child process of its own, so that `performance.now()` counts from this process's start. */
export async function benchAdapt(model: 'cnn' | 'mlp', log: (line: string) => void): Promise<AdaptBench> {
  // The first writer's drawings are made before the clock matters (they stand in for a person's drawings).
  const moduleLoadMs = performance.now();
  const first = drawings(HELD_OUT_WRITERS[0]);
  const t0 = performance.now();
  await useNodeBackend('wasm');
  const { train } = await loadMnist({ split: 'train', limit: 10_000 });
  const base = loadPretrained(model);
  const trainer = new Trainer({ model: base });
  const firstResult = await trainer.adapt(first.examples, { replay: train, seed: SEED });
  // Module loading counts; making the drawings does not.
  const firstAdaptSeconds = (moduleLoadMs + performance.now() - t0) / 1000;
  log(`  first adapted ${model} ${firstAdaptSeconds.toFixed(2)} s after process start (adapt ${firstResult.seconds.toFixed(2)} s)`);

  const { test } = await loadMnist({ split: 'test' });
  const reference = new Trainer({ model: base });
  const mnistBefore = (await reference.evaluate(test)).accuracy;
  const writers: WriterFigure[] = [];
  const tensorCounts: number[] = [];
  for (const writer of HELD_OUT_WRITERS) {
    const d = writer === HELD_OUT_WRITERS[0] ? first : drawings(writer);
    const adapted = writer === HELD_OUT_WRITERS[0] ? trainer : new Trainer({ model: base });
    const result = writer === HELD_OUT_WRITERS[0] ? firstResult : await adapted.adapt(d.examples, { replay: train, seed: SEED });
    const figure = {
      writer,
      before: await accuracy(reference, d.others, d.otherLabels),
      after: await accuracy(adapted, d.others, d.otherLabels),
      mnistAfter: (await adapted.evaluate(test)).accuracy,
      seconds: result.seconds,
    };
    adapted.dispose();
    tensorCounts.push(tf.memory().numTensors);
    writers.push(figure);
    log(`  ${writer.padEnd(22)} ${pct(figure.before)} -> ${pct(figure.after)}  MNIST ${pct(figure.mnistAfter)}  ${figure.seconds.toFixed(2)} s`);
  }
  reference.dispose();
  const sum = (f: (w: WriterFigure) => number) => writers.reduce((a, w) => a + f(w), 0);
  return {
    model,
    writers,
    // Every writer is read on the same number of drawings: the overall rate is the mean.
    overallBefore: sum((w) => w.before) / writers.length,
    overallAfter: sum((w) => w.after) / writers.length,
    worstAfter: writers.reduce((a, b) => (b.after < a.after ? b : a)),
    mnistBefore,
    mnistWorstDrop: Math.max(...writers.map((w) => mnistBefore - w.mnistAfter)) * 100,
    firstAdaptSeconds,
    firstAdaptOnlySeconds: firstResult.seconds,
    meanAdaptSeconds: sum((w) => w.seconds) / writers.length,
    tensorsFlat: tensorCounts.every((c) => c === tensorCounts[0]),
  };
}

/** A writer's first drawing of each digit to adapt to, and the rest to read. */
function drawings(writer: WriterName) {
  const d = writerDrawings(writer, { perDigit: PER_DIGIT, seed: SEED });
  return {
    examples: { images: d.images.slice(0, 7840), labels: Array.from(d.labels.subarray(0, 10)) },
    others: d.images.slice(7840),
    otherLabels: d.labels.slice(10),
  };
}

async function accuracy(trainer: Trainer, images: Float32Array, labels: Uint8Array): Promise<number> {
  const p = await trainer.predictBatch(images);
  return p.filter((q, i) => q.digit === labels[i]).length / labels.length;
}

function pct(f: number): string {
  return `${(f * 100).toFixed(2).padStart(6)} %`;
}
