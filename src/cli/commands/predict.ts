import { readFile } from 'node:fs/promises';
import { createInference } from '../../inference/create-inference.js';
import { decodePng } from '../../io/png.js';
import { InvalidOptionError, ImageDecodeError } from '../../errors.js';
import type { ModelWeights } from '../../models/spec.js';
import { loadModelDir } from '../../node/model-files.js';
import { loadPretrained } from '../../pretrained/load-pretrained.js';
import { toMnistPixels } from '../../preprocess/to-mnist-pixels.js';
import { parseCommandLine } from '../options.js';

export const PREDICT_HELP = `Usage: digit-classifier predict [--model DIR|mlp|cnn] [--json] IMAGE.png...

Reads digits from PNG images of any size: dark ink on light paper, light ink on
a dark background, or strokes in the alpha channel (a drawing pad's export).
Each image is converted the way MNIST was made (bounding box fitted into 20×20,
anti-aliased, centre of mass moved to the centre of 28×28) and classified.

Options:
  --model      a saved model (directory, model.json or .dcm), or a shipped one:
               cnn (default) or mlp
  --json       one JSON line per image: {"file","digit","probabilities"}
`;

/** `digit-classifier predict`: classify PNG files with the shipped or a saved model. */
export async function predictCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandLine(argv, { model: { type: 'string' }, json: { type: 'boolean' } }, 'predict');
  if (positionals.length === 0) throw new InvalidOptionError('predict: expected at least one IMAGE.png');
  const modelArg = values.model ?? 'cnn';
  const weights: ModelWeights = modelArg === 'cnn' || modelArg === 'mlp' ? loadPretrained(modelArg) : await loadModelDir(modelArg);
  // Decode every image first: a bad file fails the command before any output.
  const images = await Promise.all(
    positionals.map(async (file) => {
      let bytes: Uint8Array;
      try {
        bytes = await readFile(file);
      } catch (e) {
        throw new ImageDecodeError(`${file}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { cause: e });
      }
      return { file, pixels: toMnistPixels(decodePng(bytes, file)) };
    }),
  );
  const inference = createInference(weights);
  for (const { file, pixels } of images) {
    const { digit, probabilities } = inference.predict(pixels);
    if (values.json) {
      console.log(JSON.stringify({ file, digit, probabilities: Array.from(probabilities, (p) => Number(p.toPrecision(6))) }));
    } else {
      const top = Array.from(probabilities).map((p, d) => ({ p, d })).sort((a, b) => b.p - a.p).slice(0, 3);
      console.log(`${file}: ${digit} (${top.map((t) => `${t.d} ${(t.p * 100).toFixed(1)}%`).join(', ')})`);
    }
  }
}
