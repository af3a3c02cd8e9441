/**
 * `digit-classifier evaluate`: its help, its flags and their checks; the work
 * is in evaluate-run.ts, loaded (with tfjs) once the flags passed.
 */
import { InvalidOptionError } from '../../errors.js';
import { choiceFlag, parseCommandLine } from '../options.js';

export const EVALUATE_HELP = `Usage: digit-classifier evaluate --model DIR|cnn|mlp [--backend wasm|cpu]

Scores a saved model on the 10,000 MNIST test digits: test accuracy, the
confusion matrix, the top confusion pairs, per-class precision and recall, and
the expected calibration error (ECE) before and after temperature scaling, and
the "not a digit" rates: the share of test digits flagged as not a digit, and
the share of 1,000 synthetic non-digits (letters, shapes, scribbles, hatching;
a seed no training uses) flagged. The temperature is fitted on the first half
of the test set and the ECE is reported on the second half, so the calibration
figures are held out too.

Options:
  --model        a saved model (directory with model.json + weights.bin, a
                 model.json, or a .dcm file), or a shipped one: cnn or mlp
  --backend      wasm (default) or cpu
`;

/** The flags of `evaluate`. */
export const EVALUATE_OPTIONS = { model: { type: 'string' }, backend: { type: 'string' } } as const;

/** What `evaluate` was asked to do, every flag checked. */
export interface EvaluateArgs {
  model: string;
  backend: 'wasm' | 'cpu';
}

/** Checks the flags of `evaluate` before any work (and before tfjs loads). */
export function parseEvaluateArgs(argv: string[]): EvaluateArgs {
  const { values } = parseCommandLine(argv, EVALUATE_OPTIONS, 'evaluate');
  if (!values.model) throw new InvalidOptionError('evaluate: --model is required (cnn, mlp, a directory with model.json + weights.bin, or a .dcm file)');
  return { model: values.model, backend: choiceFlag(values.backend, 'backend', ['wasm', 'cpu'] as const) ?? 'wasm' };
}
