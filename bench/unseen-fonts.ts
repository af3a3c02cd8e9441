/**
 * How a model's "not a digit" score separates the letters of fonts it was not
 * tuned on from their digits (development fonts only: see `namedFonts` in
 * bench/non-digit-sets.ts; never the held-out ones): the shares flagged at the
 * model's own threshold, and the letters flagged at the score that flags
 * exactly 1 %, 0.5 % and 2 % of the digits.
 *
 *   node bench/build.mjs bench/unseen-fonts.ts cnn DIR … [--fonts hard+extra]
 */
import { parseArgs } from 'node:util';
import { createInference } from '../src/inference/create-inference.js';
import { loadModelArg } from '../src/cli/model-arg.js';
import { useNodeBackend } from '../src/node/node-backend.js';
import { flaggedAtDigitRate, unseenFontSets } from './non-digit-sets.js';

const { values, positionals } = parseArgs({ options: { fonts: { type: 'string', default: 'hard+extra' } }, allowPositionals: true });
if (positionals.length === 0) throw new Error('usage: unseen-fonts.ts MODEL… [--fonts NAME]');
await useNodeBackend('wasm');
const sets = unseenFontSets(values.fonts!, '--fonts');
const [fonts, letters, digits] = [sets.fonts, sets.letters.images, sets.digits.images];
const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
console.log(`${values.fonts}: ${fonts.length} fonts, ${digits.length / 784} digits, ${letters.length / 784} letters`);
for (const arg of positionals) {
  const { weights, label } = await loadModelArg(arg);
  const inference = createInference(weights);
  const score = (x: Float32Array | Uint8Array) => Float32Array.from(inference.predictBatch(x), (p) => p.digitScore);
  const [d, l] = [score(digits), score(letters)];
  const flagged = (s: Float32Array, t: number) => s.filter((v) => v < t).length / s.length;
  const own = weights.spec.nonDigit?.threshold;
  const atOwn = own === undefined ? 'no "not a digit" output' : `threshold ${own.toFixed(4)}: digits ${pct(flagged(d, own))}, letters ${pct(flagged(l, own))} flagged`;
  const roc = [0.01, 0.005, 0.02].map((r) => `${r * 100} %: ${pct(flaggedAtDigitRate(d, l, r))}`).join(', ');
  console.log(`  ${label}: ${atOwn}; letters flagged where the digits flagged are ${roc}`);
}
