/**
 * digit-classifier/worker: train in a Web Worker on the fastest backend the
 * browser really has (WebGPU, threaded or SIMD WASM, CPU), with progress,
 * pause/resume/abort, typed errors and MNIST downloaded from the package's
 * own build output.
 *
 * @example
 * ```ts
 * import { createTrainer, fetchMnist } from 'digit-classifier/worker';
 * const trainer = await createTrainer({ backend: 'auto', model: 'mlp', epochs: 5 });
 * await trainer.setData(await fetchMnist({ onProgress: (p) => console.log(p.loaded, p.total) }));
 * const history = await trainer.fit({ onBatch: (b) => console.log(b.loss), onEpoch: (e) => console.log(e.accuracy) });
 * await trainer.terminate();
 * ```
 */
export { TrainerClient, type FitOptions } from './client.js';
export { createTrainer, type CreateTrainerOptions } from './create-trainer.js';
export { fetchMnist, defaultMnistUrl, MNIST_FILES, type FetchMnistOptions } from './fetch-mnist.js';
export type { DownloadProgress, LoadedMnist, MnistOptions, MnistSplit } from '../src/data/mnist-options.js';
export { registerErrorTransfer, serializeError, deserializeError, type SerializedError } from './error-transfer.js';
export { WorkerCrashedError, WorkerTerminatedError, FetchError } from './errors.js';
export type { AdapterReport, BackendChange, BackendChoice, BackendReport, Calibration, DataCounts, MemoryReport, PassedOver, TrainingEvent, WorkerFitOptions, WorkerInitOptions } from './protocol.js';
export type { WorkerTrainer } from './worker-trainer.js';
// The core's typed errors and result types, so a page needs only this entry.
export * from '../src/errors.js';
export { DEFAULT_DIGIT_THRESHOLD } from '../src/models/non-digit-output.js';
// The shipped weights, to start a worker from (and adapt them): tensor-free, so a page needs no tfjs of its own.
export { loadPretrained } from '../src/pretrained/load-pretrained.js';
export type { NonDigitTraining } from '../src/train/non-digit-training.js';
export type { AdaptExamples, AdaptOptions, AdaptProgress, AdaptResult } from '../src/train/adapt-types.js';
export type { BatchProgress, EpochNonDigitResult, EpochResult, TrainData, TrainerOptions, FailurePoint, TrainingEngineChoice, TrainingEngineName, TrainingEngineOptions, TrainingEngineReport } from '../src/train/trainer.js';
export type { TrainConfig } from '../src/train/train-config.js';
export type { DigitPixels, Prediction } from '../src/inference/prediction.js';
export type { Evaluation } from '../src/train/evaluate.js';
export type { MnistSet } from '../src/data/mnist-set.js';
export type { ModelWeights } from '../src/models/spec.js';
export type { TrainingWarning } from '../src/train/diagnostics.js';
