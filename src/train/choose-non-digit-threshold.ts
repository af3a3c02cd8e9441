/**
 * The threshold behind `isDigit`, chosen after each epoch of a fit with the
 * "not a digit" output (kept apart from non-digit-training.ts, which the CLI
 * loads to check its options without tfjs).
 *
 * @example
 * ```ts
 * const result = await chooseNonDigitThreshold(network, nonDigits, data, checkpoint);
 * console.log(result.threshold, result.nonDigitsFlagged);
 * ```
 */
import type { MnistSet } from '../data/mnist-set.js';
import { chooseDigitThreshold, flaggedShare } from '../metrics/digit-threshold.js';
import type { Network } from '../models/network.js';
import type { EpochNonDigitResult } from './fit-types.js';
import type { NonDigitData, NonDigitTraining } from './non-digit-training.js';
import { predictWithNetwork } from './predict-network.js';

/**
 * Chooses the `isDigit` threshold on the held-out training digits (at most
 * `o.flagRate` flagged, with `o.confidence`), stores it in the network's spec,
 * and measures what it flags among non-digits never trained on.
 */
export async function chooseNonDigitThreshold(network: Network, o: NonDigitTraining, data: NonDigitData, checkpoint: () => Promise<void>): Promise<EpochNonDigitResult> {
  const scores = async (set: MnistSet) => Float32Array.from(await predictWithNetwork(network, set.images), (p) => p.digitScore);
  const digits = await scores(data.validation);
  await checkpoint();
  const threshold = chooseDigitThreshold([digits], o.flagRate, o.confidence);
  network.setDigitThreshold(threshold);
  const others = await scores(data.heldOut);
  await checkpoint();
  return { threshold, validationDigitsFlagged: flaggedShare(digits, threshold), nonDigitsFlagged: flaggedShare(others, threshold) };
}
