/**
 * One run of {@link Trainer.fit}: the four-beat loop over shuffled batches on
 * the chosen engine (the fused SIMD-WASM engine, else tfjs), the held-out
 * evaluation after each epoch, the "not a digit" threshold when the model has
 * that output, pause and abort at every batch, and recovery from a backend
 * failure through `onBackendFailure`. The trainer owns the model; the run
 * reaches it through a {@link FitHost}.
 *
 * @example
 * ```ts
 * // inside Trainer.fit
 * return await runFit(this.fitHost(), { train, test }, options);
 * ```
 */
import { augmentBatch, AUGMENT_DEFAULTS, type AugmentOptions } from '../data/augment.js';
import { normalizationTable } from '../data/batch-builder.js';
import { permutation } from '../data/permutation.js';
import type { Rng } from '../data/rng.js';
import { AbortError, InvalidOptionError } from '../errors.js';
import type { Network } from '../models/network.js';
import type { ModelWeights } from '../models/spec.js';
import { yieldToEventLoop } from '../util/yield-to-event-loop.js';
import { checkInputRange, LossWatch, ShuffleCheck, type TrainingWarning } from './diagnostics.js';
import { evaluateNetwork } from './evaluate.js';
import { DEFAULT_YIELD_EVERY_MS, type FitControl } from './fit-control.js';
import type { EpochResult, FailurePoint, FitOptions, TrainData } from './fit-types.js';
import { chooseNonDigitThreshold } from './choose-non-digit-threshold.js';
import { prepareNonDigitData, type NonDigitTraining } from './non-digit-training.js';
import type { Optimizer, OptimizerState } from './optimizer.js';
import { FusedSteps, TfjsSteps, type StepRunner } from './step-runners.js';
import { learningRateAt, type TrainConfig } from './train-config.js';
import type { EngineDecision, TrainingEngineReport } from './training-engine.js';

/** Recoveries allowed per {@link Trainer.fit} before the error is final. */
const MAX_RECOVERIES = 3;

/** What a run needs of its trainer: the model and its settings, and the trainer fields the run changes. */
export interface FitHost {
  readonly network: Network;
  readonly config: TrainConfig;
  readonly rng: Rng;
  /** Which parameters take weight decay. */
  readonly decayMask: boolean[];
  readonly nonDigits: NonDigitTraining | null;
  readonly control: FitControl;
  optimizer(): Optimizer;
  decideEngine(): Promise<EngineDecision>;
  /** The fused runner while the run trains on it (the trainer's getWeights and evaluate read it mid-fit); null after. */
  setFused(fused: FusedSteps | null): void;
  /** What the run trains on now (the trainer's lastTrainingEngine). */
  setReport(report: TrainingEngineReport): void;
  /** Puts weights and optimizer state back on the active backend (after a failure). */
  restore(weights: ModelWeights, optimizerState: OptimizerState, learningRate: number): void;
  /** Disposes the fused engine (after it failed). */
  dropEngine(): void;
  /** The trainer's next epoch number (counted across fits). */
  nextEpoch(): number;
  /** Adds an epoch to the trainer's history. */
  record(result: EpochResult): void;
}

/** Trains `host`'s model on `data` for `config.epochs` epochs; resolves with this run's epochs. */
export async function runFit(host: FitHost, data: TrainData, options: FitOptions): Promise<EpochResult[]> {
  const { test } = data;
  let { train } = data;
  if (!train || train.count < 1) throw new InvalidOptionError('Expected a non-empty training set');
  if (!test || test.count < 1) throw new InvalidOptionError('Expected a non-empty held-out set (data.test): accuracy is always measured on held-out data');
  // With nonDigits: digits held out for the threshold, non-digits shuffled in with the rest.
  const nonDigitData = host.nonDigits ? prepareNonDigitData(train, host.nonDigits) : null;
  if (nonDigitData) train = nonDigitData.train;
  const c = host.config;
  const warn = options.onWarning ?? ((w: TrainingWarning) => console.warn(`digit-classifier: ${w.message}`));
  const inputWarning = checkInputRange(normalizationTable(host.network.spec.normalization), train.images);
  if (inputWarning) warn(inputWarning);
  if (!c.shuffle) warn({ code: 'not-shuffled', message: 'shuffle is off: every epoch sees the examples in stored order; an ordered curriculum makes training fail.' });
  const net = host.network;
  const batchSize = Math.min(c.batchSize, train.count);
  const decision = await host.decideEngine();
  const optimizer = () => host.optimizer();
  const tfjsSteps = () => new TfjsSteps(net, optimizer, host.decayMask, host.rng, train, batchSize);
  let runner: StepRunner = tfjsSteps();
  let report = decision.report;
// The fused runner while the run trains on it (the trainer's getWeights and evaluate read it mid-fit).
let fused: FusedSteps | null = null;
  if (decision.engine) {
    fused = new FusedSteps(decision.engine, net, optimizer, train, batchSize);
    await fused.load();
    runner = fused;
    host.setFused(fused);
  }
  host.setReport(report);
  const augment: AugmentOptions | null = c.augment ? { ...AUGMENT_DEFAULTS, ...(c.augment === true ? {} : c.augment) } : null;
  const scratch = augment ? new Uint8Array(batchSize * 784) : undefined;
  const labels = new Int32Array(batchSize);
  const order = new Int32Array(train.count);
  for (let i = 0; i < train.count; i++) order[i] = i;
  const batches = Math.ceil(train.count / batchSize);
  const lossWatch = new LossWatch();
  const shuffleCheck = new ShuffleCheck();
  const yieldEvery = options.yieldEveryMs ?? DEFAULT_YIELD_EVERY_MS;
  const results: EpochResult[] = [];
  const recovery = options.onBackendFailure ? { handler: options.onBackendFailure, snapshot: await runner.snapshot(), left: MAX_RECOVERIES } : null;
  // Runs `work`; with recovery on, a failure moves to a new backend (from the fused engine: to tfjs) and repeats `work` there.
  const guarded = async <T>(work: () => Promise<T>, at: FailurePoint): Promise<T> => {
    for (;;) {
      try {
        return await work();
      } catch (error) {
        if (!recovery || error instanceof AbortError || recovery.left-- <= 0 || !(await recovery.handler(error, at))) throw error;
        host.restore(recovery.snapshot.weights, recovery.snapshot.optimizer, host.optimizer().options.learningRate);
        if (runner !== fused || at.batch === 0) continue; // the evaluation failed, not the engine
        host.dropEngine();
        fused = null;
        runner = tfjsSteps();
        report = { name: 'tfjs', reasons: [...report.reasons, `the fused engine failed at epoch ${at.epoch}, batch ${at.batch} (${error instanceof Error ? error.message : String(error)}); tfjs trains from the last completed batch`] };
        host.setReport(report);
      }
    }
  };

  try {
    for (let e = 0; e < c.epochs; e++) {
      const epoch = host.nextEpoch();
      const lr = learningRateAt(c, e);
      runner.setLearningRate(lr);
      if (c.shuffle) permutation(train.count, host.rng, order);
      const t0 = performance.now();
      let lastYield = t0;
      let lossSum = 0;
      for (let b = 0; b < batches; b++) {
        await host.control.checkpoint(options.signal, () => `at epoch ${epoch}, batch ${b + 1} of ${batches}`);
        const start = b * batchSize;
        const size = Math.min(batchSize, train.count - start);
        if (scratch && augment) augmentBatch(train.images, order, start, size, scratch, host.rng, augment);
        if (epoch === 1) {
          for (let i = 0; i < size; i++) labels[i] = train.labels[order[start + i]];
          const shuffleWarning = shuffleCheck.observe(labels.subarray(0, size));
          if (shuffleWarning) warn(shuffleWarning);
        }
        const loss = await guarded(async () => {
          const l = await runner.step(order, start, size, scratch);
          if (recovery && Number.isFinite(l)) recovery.snapshot = await runner.snapshot(); // the last completed batch
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
      runner.sync(); // the fused engine's weights back into the tfjs network: evaluation, save and inference read them there
      // An abort during the epoch's last batch still stops the run (the weights are those of that batch).
      await host.control.checkpoint(options.signal, () => `at the end of epoch ${epoch}, before its evaluation`);
      const t1 = performance.now();
      const checkpoint = () => host.control.checkpoint(options.signal, () => `during the evaluation after epoch ${epoch}`);
      const nonDigit = nonDigitData ? await chooseNonDigitThreshold(net, host.nonDigits!, nonDigitData, checkpoint) : undefined;
      // On the fused engine its own forward pass scores the held-out set (the network's weights, a fraction of tfjs's time).
      const ev = runner === fused && fused ? await fused.evaluate(test, checkpoint) : await guarded(() => evaluateNetwork(net, test, undefined, checkpoint), { epoch, batch: 0 });
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
        engine: report.name,
        digitsFlagged: ev.flaggedAsNonDigit,
        ...(nonDigit ? { nonDigit } : {}),
      };
      results.push(result);
      host.record(result);
      await options.onEpoch?.(result);
    }
  } finally {
    // Aborted, diverged or failed mid-epoch: the network keeps the weights of the last completed batch.
    if (runner === fused) {
      try {
        runner.sync();
      } catch {
        // the engine itself failed: the network keeps the weights of the last epoch end
      }
    }
    host.setFused(null);
  }
  return results;
}
