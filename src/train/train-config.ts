import { InvalidOptionError } from '../errors.js';
import type { AugmentOptions } from '../data/augment.js';
import { stripUndefined } from '../util/strip-undefined.js';
import { OPTIMIZER_NAMES, type OptimizerName } from './optimizer-names.js';
import { resolveNonDigitTraining, type NonDigitTraining } from './non-digit-training.js';

/** Everything that shapes a training run. Defaults reproduce the lesson's recipe. */
export interface TrainConfig {
  epochs: number;
  batchSize: number;
  learningRate: number;
  optimizer: OptimizerName;
  momentum: number;
  weightDecay: number;
  /** Seeds initialisation, shuffling, dropout and augmentation: same seed, same run. */
  seed: number;
  /** Reshuffle the training order every epoch. */
  shuffle: boolean;
  /** Random distortions of each training image (shifts, scale, rotation, stroke width); false for none. */
  augment: boolean | Partial<AugmentOptions>;
  /** Cosine decay of the learning rate to this fraction of it by the last epoch (1 = constant). */
  finalLearningRateFraction: number;
  /**
   * Train a "not a digit" output (an 11th logit) on synthetic non-digits
   * shuffled into the batches, and choose the `isDigit` threshold on held-out
   * training digits after every epoch; false (default) keeps the 10 outputs.
   * See {@link NonDigitTraining} for the options.
   */
  nonDigits: boolean | Partial<NonDigitTraining>;
}

/** The lesson's recipe: MLP, batch 64, plain SGD at 0.1, 5 epochs. */
export const DEFAULT_TRAIN_CONFIG: Readonly<TrainConfig> = Object.freeze({
  epochs: 5, // the lesson's 5 epochs: 97%+ for the MLP
  batchSize: 64, // the lesson's batch; small batches generalise well on MNIST
  learningRate: 0.1, // the lesson's SGD rate; use ~1e-3 for Adam
  optimizer: 'sgd' as OptimizerName, // the lesson's optimizer
  momentum: 0.9, // standard for momentum SGD; unused by plain SGD
  weightDecay: 0, // off in the lesson; ~1e-4 helps longer runs
  seed: 0, // the lesson seeds its rng with 0
  shuffle: true, // failure mode 3: never train on an unshuffled curriculum
  augment: false, // off for the lesson; on for the shipped models (drawn digits)
  finalLearningRateFraction: 1, // constant rate, as in the lesson
  nonDigits: false, // the lesson's 10 outputs; true adds the "not a digit" output
});

/** Merges `partial` over the defaults and validates every field, naming the bad one. */
export function resolveTrainConfig(partial: Partial<TrainConfig> = {}): TrainConfig {
  const c: TrainConfig = { ...DEFAULT_TRAIN_CONFIG, ...stripUndefined(partial) };
  const int = (k: keyof TrainConfig, min: number) => {
    const v = c[k] as number;
    if (!Number.isInteger(v) || v < min) throw new InvalidOptionError(`Expected ${k} to be an integer >= ${min}, got ${String(v)}`);
  };
  int('epochs', 1);
  int('batchSize', 1);
  if (!Number.isInteger(c.seed)) throw new InvalidOptionError(`Expected seed to be an integer, got ${String(c.seed)}`);
  if (!(c.learningRate > 0) || !Number.isFinite(c.learningRate)) throw new InvalidOptionError(`Expected learningRate > 0, got ${String(c.learningRate)}`);
  if (!OPTIMIZER_NAMES.includes(c.optimizer)) throw new InvalidOptionError(`Unknown optimizer "${String(c.optimizer)}": expected one of ${OPTIMIZER_NAMES.join(', ')}`);
  if (!(c.momentum >= 0 && c.momentum < 1)) throw new InvalidOptionError(`Expected momentum in [0, 1), got ${String(c.momentum)}`);
  if (!(c.weightDecay >= 0) || !Number.isFinite(c.weightDecay)) throw new InvalidOptionError(`Expected weightDecay >= 0, got ${String(c.weightDecay)}`);
  if (!(c.finalLearningRateFraction > 0 && c.finalLearningRateFraction <= 1)) throw new InvalidOptionError(`Expected finalLearningRateFraction in (0, 1], got ${String(c.finalLearningRateFraction)}`);
  resolveNonDigitTraining(c.nonDigits, c.seed); // throws naming the bad nonDigits field
  return c;
}

/** The rate of epoch `epochIndex` (0-based): `learningRate`, cosine-decayed to `finalLearningRateFraction` of it by the last epoch. */
export function learningRateAt(c: Pick<TrainConfig, 'learningRate' | 'finalLearningRateFraction' | 'epochs'>, epochIndex: number): number {
  const { learningRate: lr, finalLearningRateFraction: f, epochs } = c;
  if (f === 1 || epochs === 1) return lr;
  const t = epochIndex / (epochs - 1);
  return lr * (f + (1 - f) * 0.5 * (1 + Math.cos(Math.PI * t)));
}
