import { augmentBatch, AUGMENT_DEFAULTS, type AugmentOptions } from '../data/augment.js';
import { normalizationTable } from '../data/batch-builder.js';
import type { MnistSet } from '../data/mnist-set.js';
import { permutation } from '../data/permutation.js';
import { createRng, type Rng } from '../data/rng.js';
import { AbortError, InvalidOptionError } from '../errors.js';
import type { DenseEngine } from '../kernels/dense-engine.js';
import { Network } from '../models/network.js';
import { presetSpec, type PresetName } from '../models/presets.js';
import type { ModelSpec, ModelWeights } from '../models/spec.js';
import type { DigitPixels, Prediction } from '../inference/prediction.js';
import { yieldToEventLoop } from '../util/yield-to-event-loop.js';
import { checkInputRange, LossWatch, ShuffleCheck, type TrainingWarning } from './diagnostics.js';
import type { BatchProgress, EpochNonDigitResult, EpochResult, FailurePoint, FitOptions, TrainData } from './fit-types.js';
import { chooseDigitThreshold, flaggedShare } from '../metrics/digit-threshold.js';
import { withNonDigitOutput, withNonDigitWeights } from '../models/non-digit-output.js';
import { prepareNonDigitData, resolveNonDigitTraining, type NonDigitTraining } from './non-digit-training.js';
import { evaluateNetwork, type Evaluation } from './evaluate.js';
import { DEFAULT_YIELD_EVERY_MS, FitControl } from './fit-control.js';
import { predictWithNetwork } from './predict-network.js';
import { createOptimizer, type Optimizer, type OptimizerState } from './optimizer.js';
import { FusedSteps, TfjsSteps, type StepRunner } from './step-runners.js';
import { decideTrainingEngine, type EngineDecision, type TrainingEngineOptions, type TrainingEngineReport } from './training-engine.js';
import { resolveTrainConfig, type TrainConfig } from './train-config.js';
import { checkAdaptExamples, resolveAdaptOptions, type AdaptExamples, type AdaptOptions, type AdaptResult } from './adapt-types.js';
import { adaptNetwork } from './adapt-network.js';

export type { BatchProgress, EpochNonDigitResult, EpochResult, FailurePoint, FitOptions, TrainData } from './fit-types.js';
export type { NonDigitTraining } from './non-digit-training.js';
export type { AdaptExamples, AdaptOptions, AdaptProgress, AdaptResult } from './adapt-types.js';
export type { TrainingEngineChoice, TrainingEngineName, TrainingEngineOptions, TrainingEngineReport } from './training-engine.js';

/** Recoveries allowed per {@link Trainer.fit} before the error is final. */
const MAX_RECOVERIES = 3;

/** Options of a {@link Trainer}. */
export interface TrainerOptions extends Partial<TrainConfig> {
  /** A preset name, an architecture, or saved weights to continue from. Default `'mlp'`. */
  model?: PresetName | ModelSpec | ModelWeights;
  /** Which engine trains (default: the fused SIMD-WASM engine for dense models on the wasm backend, else tfjs). */
  engine?: TrainingEngineOptions;
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
  private readonly engineOptions: TrainingEngineOptions;
  /** The fused engine, once started (kept across fits, disposed with the trainer). */
  private engine: DenseEngine | null = null;
  /** The fused engine's runner while a fit trains on it. */
  private fused: FusedSteps | null = null;
  private engineReport: TrainingEngineReport | null = null;
  /** One run at a time; pause, abort and dispose reach it at its checkpoints. */
  private readonly control = new FitControl();
  private disposed = false;
  private epochsDone = 0;
  /** How the "not a digit" output trains (config.nonDigits resolved); null without it. */
  private readonly nonDigits: NonDigitTraining | null;

  constructor(options: TrainerOptions = {}) {
    const { model = 'mlp', engine = {}, ...config } = options;
    this.engineOptions = engine;
    this.config = resolveTrainConfig(config);
    this.nonDigits = resolveNonDigitTraining(this.config.nonDigits, this.config.seed);
    this.rng = createRng(this.config.seed);
    // With nonDigits the last layer gains the "not a digit" unit (saved 10-output weights keep theirs and get a zero column).
    const widen = (spec: ModelSpec) => (this.nonDigits ? withNonDigitOutput(spec) : spec);
    if (typeof model === 'string') this.network = Network.create(widen(presetSpec(model)), this.rng);
    else if ('weights' in model) this.network = Network.fromWeights(this.nonDigits ? withNonDigitWeights(model) : model);
    else this.network = Network.create(widen(model), this.rng);
    this.decayMask = this.network.params.map((p) => p.rank > 1);
  }

  /**
   * Which engine {@link fit} trains on, and why: the fused SIMD-WASM engine
   * for dense models on the wasm backend (started here, once, and kept), else
   * the tfjs path. See {@link TrainerOptions.engine}.
   */
  async trainingEngine(): Promise<TrainingEngineReport> {
    this.assertUsable();
    return (await this.decideEngine()).report;
  }

  private async decideEngine(): Promise<EngineDecision> {
    const c = this.config;
    this.optimizer ??= createOptimizer({ name: c.optimizer, learningRate: c.learningRate, momentum: c.momentum, weightDecay: c.weightDecay });
    const decision = await decideTrainingEngine(this.network.spec, this.engineOptions, { maxBatchSize: c.batchSize, optimizer: { ...this.optimizer.options }, seed: c.seed }, this.engine);
    this.engine = decision.engine ?? this.engine;
    return decision;
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
    const { test } = data;
    let { train } = data;
    if (!train || train.count < 1) throw new InvalidOptionError('Expected a non-empty training set');
    if (!test || test.count < 1) throw new InvalidOptionError('Expected a non-empty held-out set (data.test): accuracy is always measured on held-out data');
    // With nonDigits: digits held out for the threshold, non-digits shuffled in with the rest.
    const nonDigitData = this.nonDigits ? prepareNonDigitData(train, this.nonDigits) : null;
    if (nonDigitData) train = nonDigitData.train;
    const c = this.config;
    const warn = options.onWarning ?? ((w: TrainingWarning) => console.warn(`digit-classifier: ${w.message}`));
    const inputWarning = checkInputRange(normalizationTable(this.network.spec.normalization), train.images);
    if (inputWarning) warn(inputWarning);
    if (!c.shuffle) warn({ code: 'not-shuffled', message: 'shuffle is off: every epoch sees the examples in stored order; an ordered curriculum makes training fail.' });
    const net = this.network;
    const batchSize = Math.min(c.batchSize, train.count);
    const decision = await this.decideEngine();
    const optimizer = () => this.optimizer!;
    const tfjsSteps = () => new TfjsSteps(net, optimizer, this.decayMask, this.rng, train, batchSize);
    let runner: StepRunner = tfjsSteps();
    let report = decision.report;
    if (decision.engine) {
      const fused = new FusedSteps(decision.engine, net, optimizer, train, batchSize);
      await fused.load();
      runner = this.fused = fused;
    }
    this.engineReport = report;
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
          this.restore(recovery.snapshot.weights, recovery.snapshot.optimizer, this.optimizer!.options.learningRate);
          if (runner !== this.fused || at.batch === 0) continue; // the evaluation failed, not the engine
          this.dropEngine();
          runner = tfjsSteps();
          report = this.engineReport = { name: 'tfjs', reasons: [...report.reasons, `the fused engine failed at epoch ${at.epoch}, batch ${at.batch} (${error instanceof Error ? error.message : String(error)}); tfjs trains from the last completed batch`] };
        }
      }
    };

    try {
      for (let e = 0; e < c.epochs; e++) {
        const epoch = ++this.epochsDone;
        const lr = this.learningRateFor(e);
        runner.setLearningRate(lr);
        if (c.shuffle) permutation(train.count, this.rng, order);
        const t0 = performance.now();
        let lastYield = t0;
        let lossSum = 0;
        for (let b = 0; b < batches; b++) {
          await this.control.checkpoint(options.signal, () => `at epoch ${epoch}, batch ${b + 1} of ${batches}`);
          const start = b * batchSize;
          const size = Math.min(batchSize, train.count - start);
          if (scratch && augment) augmentBatch(train.images, order, start, size, scratch, this.rng, augment);
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
        await this.control.checkpoint(options.signal, () => `at the end of epoch ${epoch}, before its evaluation`);
        const t1 = performance.now();
        const checkpoint = () => this.control.checkpoint(options.signal, () => `during the evaluation after epoch ${epoch}`);
        const nonDigit = nonDigitData ? await this.chooseThreshold(nonDigitData.validation, nonDigitData.heldOut, checkpoint) : undefined;
        // On the fused engine its own forward pass scores the held-out set (the network's weights, a fraction of tfjs's time).
        const ev = runner === this.fused ? await this.fused.evaluate(test, checkpoint) : await guarded(() => evaluateNetwork(net, test, undefined, checkpoint), { epoch, batch: 0 });
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
        this.history.push(result);
        await options.onEpoch?.(result);
      }
    } finally {
      // Aborted, diverged or failed mid-epoch: the network keeps the weights of the last completed batch.
      if (runner === this.fused) {
        try {
          runner.sync();
        } catch {
          // the engine itself failed: the network keeps the weights of the last epoch end
        }
      }
      this.fused = null;
    }
    return results;
  }

  /**
   * Chooses the `isDigit` threshold on the held-out training digits (at most
   * `nonDigits.flagRate` flagged, with `nonDigits.confidence`), stores it in the network's spec,
   * and measures what it flags among non-digits never trained on.
   */
  private async chooseThreshold(validation: MnistSet, heldOut: MnistSet, checkpoint: () => Promise<void>): Promise<EpochNonDigitResult> {
    const scores = async (set: MnistSet) => Float32Array.from(await predictWithNetwork(this.network, set.images), (p) => p.digitScore);
    const digits = await scores(validation);
    await checkpoint();
    const threshold = chooseDigitThreshold([digits], this.nonDigits!.flagRate, this.nonDigits!.confidence);
    this.network.setDigitThreshold(threshold);
    const others = await scores(heldOut);
    await checkpoint();
    return { threshold, validationDigitsFlagged: flaggedShare(digits, threshold), nonDigitsFlagged: flaggedShare(others, threshold) };
  }

  /**
   * Fine-tunes the current model (a preset, saved or shipped pretrained
   * weights, or what {@link fit} trained) to a few labelled drawings of one
   * person, rehearsing MNIST digits from `options.replay` so that it keeps
   * what it knew. The trailing dense layers are tuned (all of an MLP; the
   * CNN's convolutions stay frozen), on varied copies of each drawing. One run
   * at a time with {@link fit}; an abort (or {@link dispose}) rejects with an
   * `AbortError` within one step and leaves the model as it was. Afterwards
   * {@link predict}, {@link evaluate} and {@link getWeights} use the adapted model.
   *
   * @throws InvalidOptionError for no drawings, pixels that are not `count × 784`,
   *   labels that are not one digit 0–9 a drawing, a missing `replay`, or a bad option.
   * @example
   * ```ts
   * const trainer = new Trainer({ model: loadPretrained('cnn') });
   * const { train } = await loadMnist({ split: 'train', limit: 10_000 });
   * const result = await trainer.adapt({ images, labels }, { replay: train, onProgress: (p) => console.log(p.step, p.loss) });
   * const { digit } = await trainer.predict(myDrawing);
   * ```
   */
  async adapt(examples: AdaptExamples, options: AdaptOptions = {}): Promise<AdaptResult> {
    this.assertUsable();
    const drawings = checkAdaptExamples(examples);
    const settings = resolveAdaptOptions(options);
    const { replay, signal, onProgress } = options;
    if (replay === undefined) throw new InvalidOptionError('Expected options.replay: MNIST digits to rehearse while adapting, so the model keeps what it knew (e.g. loadMnist({ split: \'train\', limit: 10_000 }).train)');
    if (!replay || !(replay.images instanceof Uint8Array) || !(replay.labels instanceof Uint8Array) || replay.images.length !== replay.count * 784 || replay.labels.length !== replay.count) {
      throw new InvalidOptionError('Expected options.replay to be an MnistSet { images: Uint8Array of count × 784, labels: Uint8Array of count, count }');
    }
    this.control.begin();
    try {
      return await adaptNetwork(this.network, drawings, replay, settings, {
        checkpoint: (where) => this.control.checkpoint(signal, where),
        onProgress,
      });
    } finally {
      this.control.end();
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
    this.fused?.sync();
    return evaluateNetwork(this.network, set);
  }

  /** The digit, the 10 probabilities, `isDigit` and `digitScore` of one image (784 bytes 0–255 or floats in [0, 1]), as `Inference.predict`. */
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
    if (this.fused) return this.fused.snapshot().then((s) => s.weights); // mid-fit on the fused engine: its weights are the current ones
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
      this.dropEngine();
    });
  }

  /** What the last (or running) fit trains on; null before the first fit. */
  get lastTrainingEngine(): TrainingEngineReport | null {
    return this.engineReport;
  }

  private dropEngine(): void {
    this.engine?.dispose();
    this.engine = null;
    this.fused = null;
  }

  private assertUsable(): void {
    if (this.disposed) throw new InvalidOptionError('This Trainer has been disposed');
  }
}
