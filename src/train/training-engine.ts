/**
 * Which code trains a network: the fused SIMD-WASM engine (`src/kernels/`,
 * one WebAssembly call per batch) or the tfjs-core path (one tfjs op per
 * layer and beat). The choice, the variant that runs and the reasons for both
 * are reported as a {@link TrainingEngineReport}.
 */
import * as tf from '@tensorflow/tfjs-core';
import { createDenseEngine, isDenseSpec, type DenseEngine, type DenseEngineOptions, type KernelVariant, type ThreadHost } from '../kernels/dense-engine.js';
import { createCnnEngine, isCnnSpec } from '../kernels/cnn-engine.js';
import { BackendError, InvalidOptionError } from '../errors.js';
import { hasNonDigitOutput } from '../models/non-digit-output.js';
import type { ModelSpec } from '../models/spec.js';
import type { OptimizerOptions } from './optimizer.js';

import { TRAINING_ENGINE_CHOICES, type TrainingEngineChoice, type TrainingEngineName } from './training-engine-choices.js';

export { TRAINING_ENGINE_CHOICES, type TrainingEngineChoice, type TrainingEngineName };

/** How a {@link Trainer} picks and runs its training engine. */
export interface TrainingEngineOptions {
  /** Default `auto`. `fused` must start (else a `BackendError`); `tfjs` never uses the fused engine. */
  use?: TrainingEngineChoice;
  /** Fused engine's SIMD level (default `auto`: relaxed SIMD where `WebAssembly.validate` accepts it). */
  simd?: DenseEngineOptions['simd'];
  /** Fused engine's threads (default `auto`: 2 where a thread host and SharedArrayBuffer exist). */
  threads?: DenseEngineOptions['threads'];
  /** Starts the fused engine's helper threads (Node: `nodeThreadHost`; a Web Worker: `webThreadHost()`). */
  threadHost?: ThreadHost;
}

/** What trains, on which variant, and why (one line per decision). */
export interface TrainingEngineReport {
  name: TrainingEngineName;
  /** Fused engine only: SIMD level and threads, with the engine's own reasons. */
  variant?: KernelVariant;
  /** Why this engine (and not the other). */
  reasons: string[];
}

/** A started fused engine, or why the tfjs path trains instead. */
export type EngineDecision = { engine: DenseEngine; report: TrainingEngineReport } | { engine: null; report: TrainingEngineReport };

/** `spec` with its 11-unit last layer read as 10 (to ask whether the rest would train on the fused engine). */
function withTenOutputs(spec: ModelSpec): ModelSpec {
  const layers = [...spec.layers];
  layers[layers.length - 1] = { kind: 'dense', units: 10, activation: 'linear' };
  return { ...spec, layers };
}

/**
 * Decides between the fused engine and tfjs for `spec`, starting the engine
 * when it is chosen. `existing` is reused when it was made for the same batch size.
 */
export async function decideTrainingEngine(
  spec: ModelSpec,
  options: TrainingEngineOptions,
  engineOptions: { maxBatchSize: number; optimizer: Required<OptimizerOptions>; seed: number },
  existing: DenseEngine | null,
): Promise<EngineDecision> {
  const use = options.use ?? 'auto';
  if (!TRAINING_ENGINE_CHOICES.includes(use)) throw new InvalidOptionError(`Unknown training engine "${String(use)}": expected one of ${TRAINING_ENGINE_CHOICES.join(', ')}`);
  const tfjs = (reason: string): EngineDecision => ({ engine: null, report: { name: 'tfjs', reasons: [reason] } });
  if (use === 'tfjs') return tfjs('asked for the tfjs path (engine: { use: "tfjs" })');
  // The fused kernels' softmax cross-entropy and logit read-back are built for 10 classes.
  const nonDigit = hasNonDigitOutput(spec);
  const base = nonDigit ? withTenOutputs(spec) : spec;
  const cnn = isCnnSpec(base);
  if ((!cnn && !isDenseSpec(base)) || nonDigit) {
    const why = !cnn && !isDenseSpec(base)
      ? `model "${spec.name}" has layers the fused engine does not train (it takes dense and dropout layers, after the preset CNN's conv stage or none)`
      : `model "${spec.name}" has the "not a digit" output (11 logits); the fused engine trains 10-output models only`;
    if (use === 'fused') throw new BackendError(`The fused engine cannot train this model: ${why}`);
    return tfjs(why);
  }
  const backend = tf.getBackend();
  if (use === 'auto' && backend !== 'wasm') return tfjs(`tfjs runs on "${backend}": the fused engine is the wasm backend's training path`);
  const why =
    use === 'fused'
      ? 'asked for the fused engine (engine: { use: "fused" })'
      : cnn
        ? 'CNN on the wasm backend: the fused engine runs a whole step (convolutions as im2col + its SIMD GEMMs) in one WebAssembly call'
        : `dense model on the wasm backend: the fused engine runs a whole step in one WebAssembly call`;
  if (existing) return { engine: existing, report: { name: 'fused', variant: existing.variant, reasons: [why, ...existing.variant.reasons] } };
  try {
    const create = cnn ? createCnnEngine : createDenseEngine;
    const engine = await create({ spec, ...engineOptions, simd: options.simd, threads: options.threads, threadHost: options.threadHost });
    return { engine, report: { name: 'fused', variant: engine.variant, reasons: [why, ...engine.variant.reasons] } };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (use === 'fused') throw new BackendError(`The fused engine failed to start: ${message}`, { cause: error });
    return tfjs(`the fused engine failed to start (${message}); tfjs trains instead`);
  }
}
