import { TrainingDivergedError } from '../errors.js';

/**
 * Checks for the lesson's failure modes. Warnings go to the trainer's
 * `onWarning` callback (console.warn by default); a NaN or diverging loss stops
 * training with a {@link TrainingDivergedError}. (The fourth failure mode,
 * reporting train accuracy, is prevented by construction: `accuracy` in every
 * result is held-out accuracy, train figures are named `train*`.)
 */

/** A diagnostic the trainer raised. */
export interface TrainingWarning {
  code: 'input-range' | 'not-shuffled' | 'loss-rising';
  message: string;
}

/**
 * Failure mode 1, unnormalised inputs: looks at the range the network will
 * really see (`lut` maps a raw pixel to its normalised value) and at the raw
 * data (uint8 images that are all 0/1 were probably scaled before storing).
 */
export function checkInputRange(lut: Float32Array, images: Uint8Array): TrainingWarning | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < 256; i++) {
    lo = Math.min(lo, lut[i]);
    hi = Math.max(hi, lut[i]);
  }
  if (hi - lo > 20 || Math.abs(hi) > 20 || Math.abs(lo) > 20) {
    return {
      code: 'input-range',
      message: `Inputs reach [${lo.toFixed(1)}, ${hi.toFixed(1)}]: expected pixels in [0, 1] (divide by 255) or standardised (mean 0, std 1). Unnormalised inputs saturate the network.`,
    };
  }
  let max = 0;
  const n = Math.min(images.length, 784 * 1000);
  for (let i = 0; i < n; i++) if (images[i] > max) max = images[i];
  if (n > 0 && max <= 1) {
    return { code: 'input-range', message: `Images hold values in [0, ${max}] only: expected raw pixels 0–255 stored as uint8 (were they scaled to [0, 1] before storing?)` };
  }
  return null;
}

/**
 * Failure mode 3, an unshuffled curriculum: counts batches whose labels are all
 * the same digit. Call with each batch of the first epoch; it reports once.
 */
export class ShuffleCheck {
  private seen = 0;
  private uniform = 0;
  private reported = false;
  constructor(private readonly window = 50) {}

  observe(labels: ArrayLike<number>): TrainingWarning | null {
    if (this.reported || this.seen >= this.window || labels.length < 8) return null;
    this.seen++;
    let same = true;
    for (let i = 1; i < labels.length; i++) if (labels[i] !== labels[0]) { same = false; break; }
    if (same) this.uniform++;
    // Shuffled MNIST batches of 8+ are never all one digit; a fifth of them is a sorted curriculum.
    if (this.seen >= 10 && this.uniform > this.seen / 5) {
      this.reported = true;
      return { code: 'not-shuffled', message: `${this.uniform} of the first ${this.seen} batches hold a single digit: the data are not shuffled, and an ordered curriculum (0-0-0…9-9-9) makes training fail. Enable shuffling.` };
    }
    return null;
  }
}

/**
 * Failure mode 2 (and the NaN trap): watches the per-batch loss. A non-finite
 * loss, or a smoothed loss far above chance level (ln 10 ≈ 2.3), throws.
 */
export class LossWatch {
  private ema = NaN;
  private steps = 0;
  constructor(private readonly limit = 4 * Math.log(10)) {}

  observe(loss: number, where: string): void {
    if (!Number.isFinite(loss)) {
      throw new TrainingDivergedError(`Loss became ${loss} at ${where}: the learning rate is probably too high (or the inputs are not normalised). Lower it and train again.`);
    }
    this.steps++;
    this.ema = Number.isNaN(this.ema) ? loss : 0.9 * this.ema + 0.1 * loss;
    if (this.steps > 20 && this.ema > this.limit) {
      throw new TrainingDivergedError(`Loss diverged at ${where}: smoothed loss ${this.ema.toFixed(2)} is far above chance level (${Math.log(10).toFixed(2)}). Lower the learning rate.`);
    }
  }
}
