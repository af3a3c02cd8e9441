/** `digit-classifier predict`, the work: read digits from PNG files with a shipped or saved model. */
import { readFile } from 'node:fs/promises';
import { createInference } from '../../inference/create-inference.js';
import { decodePng } from '../../io/png.js';
import { DigitClassifierError, ImageDecodeError } from '../../errors.js';
import { fsReason } from '../../node/fs-reason.js';
import { toMnistPixels } from '../../preprocess/to-mnist-pixels.js';
import { loadModelArg } from '../model-arg.js';
import { reportError } from '../report-error.js';
import type { PredictArgs } from './predict.js';

/** Reads every file of `files`: an answer for each good one, one stderr line for each bad one; resolves with the exit code. */
export async function runPredict({ model, json, files }: PredictArgs): Promise<number> {
  const { weights } = await loadModelArg(model);
  const inference = createInference(weights);
  // Like gzip or file: an answer for every good file, one stderr line for every bad one, exit 1 at the end.
  let failed = 0;
  for (const file of files) {
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
    if (json) {
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
