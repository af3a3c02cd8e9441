import type { MnistSet } from '../data/mnist-set.js';
import { createRng, type Rng } from '../data/rng.js';
import { InvalidOptionError } from '../errors.js';
import type { DenseEngine } from '../kernels/dense-engine.js';
import { Network } from '../models/network.js';
import { presetSpec, type PresetName } from '../models/presets.js';
import type { ModelSpec, ModelWeights } from '../models/spec.js';
import type { DigitPixels, Prediction } from '../inference/prediction.js';
import type { EpochResult, FitOptions, TrainData } from './fit-types.js';
import { withNonDigitOutput, withNonDigitWeights } from '../models/non-digit-output.js';
import { resolveNonDigitTraining, type NonDigitTraining } from './non-digit-training.js';
import { evaluateNetwork, type Evaluation } from './evaluate.js';
import { FitControl } from './fit-control.js';
import { predictWithNetwork } from './predict-network.js';
import { createOptimizer, type Optimizer, type OptimizerState } from './optimizer.js';
import type { FusedSteps } from './step-runners.js';
import { runFit, type FitHost } from './fit-run.js';
import { decideTrainingEngine, type EngineDecision, type TrainingEngineOptions, type TrainingEngineReport } from './training-engine.js';
import { resolveTrainConfig, type TrainConfig } from './train-config.js';
import { checkAdaptExamples, resolveAdaptOptions, type AdaptExamples, type AdaptOptions, type AdaptResult } from './adapt-types.js';
import { adaptNetwork } from './adapt-network.js';

export type { BatchProgress, EpochNonDigitResult, EpochResult, FailurePoint, FitOptions, TrainData } from './fit-types.js';
export type { NonDigitTraining } from './non-digit-training.js';
export type { AdaptExamples, AdaptOptions, AdaptProgress, AdaptResult } from './adapt-types.js';
export type { TrainingEngineChoice, TrainingEngineName, TrainingEngineOptions, TrainingEngineReport } from './training-engine.js';

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
      return await runFit(this.fitHost(), data, options);
    } finally {
      this.control.end();
    }
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

  /** The run's view of this trainer (see fit-run.ts). */
  private fitHost(): FitHost {
    return {
      network: this.network,
      config: this.config,
      rng: this.rng,
      decayMask: this.decayMask,
      nonDigits: this.nonDigits,
      control: this.control,
      optimizer: () => this.optimizer!,
      decideEngine: () => this.decideEngine(),
      setFused: (fused) => void (this.fused = fused),
      setReport: (report) => void (this.engineReport = report),
      restore: (weights, state, lr) => this.restore(weights, state, lr),
      dropEngine: () => this.dropEngine(),
      nextEpoch: () => ++this.epochsDone,
      record: (result) => void this.history.push(result),
    };
  }

  /** Puts `weights` into the network on the active backend, and the optimizer state with them. */
  private restore(weights: ModelWeights, optimizerState: OptimizerState, learningRate: number): void {
    const c = this.config;
    this.network.setWeights(weights);
    this.optimizer?.dispose();
    this.optimizer = createOptimizer({ name: c.optimizer, learningRate, momentum: c.momentum, weightDecay: c.weightDecay });
    this.optimizer.setState(optimizerState);
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
