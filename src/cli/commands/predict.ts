/**
 * `digit-classifier predict`: its help, its flags and their checks; the work
 * is in predict-run.ts, loaded (with tfjs) once the flags passed.
 */
import { InvalidOptionError } from '../../errors.js';
import { parseCommandLine } from '../options.js';

export const PREDICT_HELP = `Usage: digit-classifier predict [--model DIR|mlp|cnn] [--json] IMAGE.png...

Reads digits from PNG images of any size: dark ink on light paper, light ink on
a dark background, or strokes in the alpha channel (a drawing pad's export).
Each image is converted the way MNIST was made (bounding box fitted into 20×20,
anti-aliased, centre of mass moved to the centre of 28×28) and classified.

Options:
  --model      a saved model (directory, model.json or .dcm), or a shipped one:
               cnn (default) or mlp
  --json       one JSON line per image:
               {"file","digit","probabilities","isDigit","digitScore"}

A drawing that does not look like a digit (a letter, a smiley, a scribble) is
reported as "not a digit" (isDigit false), with the digit it is closest to.
digitScore (0-1) is how much it looks like a digit; the model's threshold
decides (see the README's "Not a digit").

Every readable image gets its answer; each file that cannot be read or holds
no digit gets one line on stderr naming it, and the exit code is then 1.
`;

/** The flags of `predict`. */
export const PREDICT_OPTIONS = { model: { type: 'string' }, json: { type: 'boolean' } } as const;

/** What `predict` was asked to do, every flag checked. */
export interface PredictArgs {
  model: string;
  json: boolean;
  files: string[];
}

/** Checks the flags of `predict` before any work (and before tfjs loads). */
export function parsePredictArgs(argv: string[]): PredictArgs {
  const { values, positionals } = parseCommandLine(argv, PREDICT_OPTIONS, 'predict', { positionals: true });
  if (positionals.length === 0) throw new InvalidOptionError('predict: expected at least one IMAGE.png');
  return { model: values.model ?? 'cnn', json: values.json ?? false, files: positionals };
}
