import { readFile } from 'node:fs/promises';
import { createInference } from '../../inference/create-inference.js';
import { decodePng } from '../../io/png.js';
import { DigitClassifierError, InvalidOptionError, ImageDecodeError } from '../../errors.js';
import { fsReason } from '../../node/fs-reason.js';
import { toMnistPixels } from '../../preprocess/to-mnist-pixels.js';
import { loadModelArg } from '../model-arg.js';
import { parseCommandLine } from '../options.js';
import { reportError } from '../report-error.js';

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

/** `digit-classifier predict`: classify PNG files with the shipped or a saved model. */
export async function predictCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, PREDICT_OPTIONS, 'predict', { positionals: true });
  if (positionals.length === 0) throw new InvalidOptionError('predict: expected at least one IMAGE.png');
  const { weights } = await loadModelArg(values.model ?? 'cnn');
  const inference = createInference(weights);
  // Like gzip or file: an answer for every good file, one stderr line for every bad one, exit 1 at the end.
  let failed = 0;
  for (const file of positionals) {
    let pixels: Float32Array;
    try {
      pixels = await readDigit(file);
    } catch (e) {
      if (!(e instanceof DigitClassifierError)) throw e;
      reportError('predict', e);
      failed++;
      continue;
    }
    const { digit, probabilities, isDigit, digitScore } = inference.predict(pixels);
    if (values.json) {
      console.log(JSON.stringify({ file, digit, probabilities: Array.from(probabilities, (p) => Number(p.toPrecision(6))), isDigit, digitScore: Number(digitScore.toPrecision(6)) }));
    } else {
      const top = Array.from(probabilities).map((p, d) => ({ p, d })).sort((a, b) => b.p - a.p).slice(0, 3);
      const ranked = top.map((t) => `${t.d} ${(t.p * 100).toFixed(1)}%`).join(', ');
      const score = `digit score ${digitScore.toFixed(2)}`;
      console.log(isDigit ? `${file}: ${digit} (${ranked}; ${score})` : `${file}: not a digit (${score}; closest digit ${digit}: ${ranked})`);
    }
  }
  return failed > 0 ? 1 : 0;
}

/** Reads, decodes and converts one image; every failure is an `ImageDecodeError` naming `file`. */
async function readDigit(file: string): Promise<Float32Array> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (e) {
    throw new ImageDecodeError(`${file}: cannot read the file: ${fsReason(e)}`, { cause: e });
  }
  try {
    return toMnistPixels(decodePng(bytes, file));
  } catch (e) {
    // decodePng names the file; toMnistPixels (a blank page, say) does not know it.
    if (e instanceof ImageDecodeError && !e.message.startsWith(`${file}:`)) throw new ImageDecodeError(`${file}: ${e.message}`, { cause: e });
    throw e;
  }
}
