/**
 * Teaches a trained model's "not a digit" output the letters of handwriting
 * fonts, keeping everything else it said: the dense head is tuned (the CNN's
 * convolutions stay frozen and run once per image, as `Trainer.adapt` does),
 * on batches of letters from the development fonts of `test/synthetic/`
 * (never the held-out ones) with their varied copies, labelled "not a digit",
 * and MNIST train digits 0–54,999 and synthetic non-digits held to what the
 * model said of them before (distillation). Then chooses the threshold on the
 * sets of `bench/calibrate-non-digit.ts` and saves the model.
 * Run by `scripts/train-pretrained.mjs` (the shipped CNN), or:
 *
 *   node bench/build.mjs scripts/tune-non-digit-head.ts --from models/cnn --out models/cnn
 *   node bench/build.mjs scripts/tune-non-digit-head.ts --from cnn --out /tmp/x --validate 7
 *   node bench/build.mjs scripts/tune-non-digit-head.ts --from mlp --out /tmp/m --head-layers 1
 *   node bench/build.mjs scripts/tune-non-digit-head.ts --from cnn --out /tmp/v8 --letter-fonts more --validate 8
 *
 * `--letter-fonts more` tunes on the letters and digits of the 37
 * LETTER_TUNING_WRITERS too (after the development fonts, so `--validate N`
 * then keeps the last N of those out); `--letter-fonts wide` on those of the
 * 62 WIDE_TUNING_WRITERS as well (after them), `--letter-fonts wider` on
 * those of the 91 EXTRA_TUNING_WRITERS too (after those).
 * `--validate N` keeps the last N fonts' letters (and digits) out of the
 * tuning and reports the share of them flagged (for choosing the settings
 * without looking at the held-out fonts). That share is at the threshold
 * chosen on the digits of all the development fonts, most of which the head
 * was tuned on, and so reads high: for the figure at a threshold that keeps
 * the digits of the N fonts not tuned on at ≤ 1 %, as the held-out fonts'
 * digits need, run `bench/compare-digit-scores.ts OUT --fonts-not-tuned N`.
 * `--validate NAME` keeps a named group of fonts out instead (see
 * `namedFonts` in bench/non-digit-sets.ts: `hard-b`, …).
 * `--calibration-fonts NAME` keeps a named group of fonts out of the tuning
 * and adds their digits to the threshold's sets, so that it keeps the digits
 * of hands the head has not seen at ≤ 1 % (the development fonts' digits,
 * tuned on, read as digits more surely than a new hand's); their letters
 * flagged at it are then an estimate for new hands:
 *
 *   node bench/build.mjs scripts/tune-non-digit-head.ts --from cnn --out /tmp/h --letter-fonts more --calibration-fonts hard-a --validate hard-b
 *   node bench/build.mjs scripts/tune-non-digit-head.ts --from cnn --out /tmp/h --letter-fonts more --calibration-fonts hard
 *
 * `--head-layers 1` tunes the last dense layer alone (for the MLP: its
 * hidden layer stays frozen).
 * `--whole` tunes every layer, the CNN's convolutions too (each step through
 * the whole network, dropout on; slower, ~65 ms a step on 2 cores), on the
 * same batches, with the rehearsed images held to the model's own outputs:
 *
 *   node bench/build.mjs scripts/tune-non-digit-head.ts --from cnn --out /tmp/w --letter-fonts more --validate hard --whole --lr 1e-4
 */
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { subsetMnist } from '../src/data/mnist-set.js';
import { createRng } from '../src/data/rng.js';
import { generateNonDigits } from '../src/data/non-digits/generate-non-digits.js';
import { createInference } from '../src/inference/create-inference.js';
import { chooseDigitThreshold, flaggedShare } from '../src/metrics/digit-threshold.js';
import { Network } from '../src/models/network.js';
import { NON_DIGIT_CLASS, outputUnits, withDigitThreshold } from '../src/models/non-digit-output.js';
import type { ModelWeights } from '../src/models/spec.js';
import { loadModelArg } from '../src/cli/model-arg.js';
import { loadMnist } from '../src/node/load-mnist.js';
import { saveModelDir } from '../src/node/model-files.js';
import { useNodeBackend } from '../src/node/node-backend.js';
import { buildPool, headOf, softTargetCrossEntropy, trunkFeatures, tuneHead, type AdaptPool, type Head } from '../src/train/adapt-head.js';
import { normalizationTable } from '../src/data/batch-builder.js';
import { createOptimizer } from '../src/train/optimizer.js';
import type { AdaptSettings } from '../src/train/adapt-types.js';
import { characterDrawings, NON_DIGIT_LETTERS, writerDrawings, type WriterName } from '../test/synthetic/index.js';
import { calibrationSets, concatFloats, fontDigits as fontDigitSet, fontLetters as fontLetterSet, markedZeros, namedFonts, padDrawn } from '../bench/non-digit-sets.js';

const { values: a } = parseArgs({
  options: {
    from: { type: 'string', default: 'cnn' },
    out: { type: 'string' },
    'per-letter': { type: 'string', default: '5' }, // drawings of each letter by each font
    copies: { type: 'string', default: '4' }, // augmented copies of each drawing
    replay: { type: 'string', default: '30000' }, // MNIST train digits rehearsed
    'non-digits': { type: 'string', default: '5000' }, // synthetic non-digits, labelled "not a digit" like the letters
    'font-digits': { type: 'string', default: '2' }, // drawings of each digit by each development font, labelled (no soft targets)
    'pad-drawn': { type: 'string', default: '8000' }, // MNIST train digits (from 0) pad-drawn, labelled (no soft targets)
    'marked-zeros': { type: 'string', default: '0' }, // pad-drawn MNIST train 0s with a slash or a dot, labelled 0 (bench/non-digit-sets.ts markedZeros)
    steps: { type: 'string', default: '4000' },
    lr: { type: 'string', default: '1e-3' },
    'own-share': { type: 'string', default: '0.5' }, // share of each batch that is labelled (the rest: MNIST held to the old outputs)
    seed: { type: 'string', default: '1' },
    validate: { type: 'string', default: '0' }, // the last N tuning fonts, or a named group (bench/non-digit-sets.ts namedFonts), kept out and reported
    'calibration-fonts': { type: 'string' }, // a named group kept out of the tuning, its digits added to the threshold's sets
    'letter-fonts': { type: 'string', default: 'dev' }, // dev: the development fonts; more: and LETTER_TUNING_WRITERS after them; wide: and WIDE_TUNING_WRITERS after those; wider: and EXTRA_TUNING_WRITERS
    'head-layers': { type: 'string' }, // tune only the last N dense layers (default: every trailing dense layer; the MLP's output layer alone: 1)
    whole: { type: 'boolean', default: false }, // tune every layer, convolutions too
  },
});
if (!a.out) throw new Error('usage: tune-non-digit-head.ts --from cnn|DIR --out DIR [--validate N] [--steps N] [--lr X] …');
const num = (k: keyof typeof a) => Number(a[k]);
const seed = num('seed');
const t0 = performance.now();
const secs = () => `${((performance.now() - t0) / 1000).toFixed(0)} s`;

await useNodeBackend('wasm');
const { weights, label } = await loadModelArg(a.from!);
const net = Network.fromWeights(weights);
const head = lastDense(headOf(net), a['head-layers'] === undefined ? Infinity : num('head-layers'));
const letterFonts = namedFonts(a['letter-fonts']!, '--letter-fonts');
const validation = /^\d+$/.test(a.validate!) ? letterFonts.slice(letterFonts.length - num('validate')) : namedFonts(a.validate!, '--validate');
const calibration = a['calibration-fonts'] === undefined ? [] : namedFonts(a['calibration-fonts'], '--calibration-fonts');
const fonts = letterFonts.filter((w) => !validation.includes(w) && !calibration.includes(w));
const letters = concatFloats(fonts.map((w) => characterDrawings(w, NON_DIGIT_LETTERS, { perCharacter: num('per-letter'), seed: 1000 + seed }).images));
const count = letters.length / 784;
const drawn = Float32Array.from(generateNonDigits(num('non-digits'), { seed: seed + 1 }).images, (v) => v / 255);
const fontDigits = fonts.map((w) => writerDrawings(w, { perDigit: num('font-digits'), seed: 2000 + seed }));
const { train } = await loadMnist({ split: 'train' });
const pad = padDrawn(subsetMnist(train!, 0, num('pad-drawn')), 'pad-drawn');
const zeros = markedZeros(subsetMnist(train!, 0, 55_000), num('marked-zeros'), 3000 + seed);
const own = concatFloats([letters, drawn, ...fontDigits.map((d) => d.images), pad.images as Float32Array, zeros.images as Float32Array]);
const ownLabels = new Uint8Array(own.length / 784).fill(NON_DIGIT_CLASS);
const digitLabels = [...fontDigits.flatMap((d) => Array.from(d.labels)), ...Array.from(pad.labels), ...Array.from(zeros.labels)];
ownLabels.set(digitLabels, count + num('non-digits'));
const settings: AdaptSettings = {
  steps: num('steps'), learningRate: num('lr'), replayCount: num('replay'), copies: num('copies'),
  nonDigitCount: 0, seed, yieldEveryMs: Infinity, batchSize: 128, ownShare: num('own-share'), temperature: 1,
};
const rng = createRng(seed);
const rehearsed = subsetMnist(train!, 0, num('replay'));
const pool = buildPool(own, ownLabels, rehearsed, { ...settings, replayCount: rehearsed.count }, rng);
console.log(`${label}: ${count} letters of ${fonts.length} fonts (${validation.length} validation and ${calibration.length} calibration fonts kept out), ${num('non-digits')} non-digits, ${digitLabels.length} font and pad-drawn digits (each +${settings.copies} copies); ${rehearsed.count} MNIST digits rehearsed (${secs()})`);
const onStep = (step: number, loss: number) => { if (step % 250 === 0) console.log(`  step ${step}: loss ${loss.toFixed(4)} (${secs()})`); };
if (a.whole) {
  if (a['head-layers'] !== undefined) throw new Error('--whole tunes every layer: leave out --head-layers');
  tuneWhole(net, pool, settings, rng, onStep);
} else {
  const features = await trunkFeatures(net, head, pool, async () => {});
  console.log(`features of ${pool.count} images (${secs()})`);
  const tuned = await tuneHead(net, head, pool, features, settings, rng, { checkpoint: async () => {}, onStep });
  tf.tidy(() => head.dense.forEach((d, i) => {
    net.params[d.param].assign(tf.tensor(tuned.values[2 * i], net.params[d.param].shape));
    net.params[d.param + 1].assign(tf.tensor(tuned.values[2 * i + 1], net.params[d.param + 1].shape));
  }));
}
const after = await net.getWeights();

// The threshold, chosen as bench/calibrate-non-digit.ts chooses it, and what it flags.
const sets = calibrationSets(train!, calibration);
const measured: { name: string; before: string; after: string }[] = [];
const thresholds = [weights, after].map((m) => {
  const inference = createInference(m);
  const scores = sets.map((s) => Float32Array.from(inference.predictBatch(s.images), (p) => p.digitScore));
  return { m, inference, t: chooseDigitThreshold(scores, 0.01, 0.95), scores };
});
const row = (name: string, f: (x: (typeof thresholds)[number]) => number) => measured.push({ name, before: pct(f(thresholds[0])), after: pct(f(thresholds[1])) });
sets.forEach((s, i) => row(`${s.name} flagged`, (x) => flaggedShare(x.scores[i], x.t)));
row('MNIST train 55,000–59,999 read right', (x) => accuracy(x.inference, sets[0].images, sets[0].labels));
const scoresOf = (x: (typeof thresholds)[number], images: Float32Array | Uint8Array) => Float32Array.from(x.inference.predictBatch(images), (p) => p.digitScore);
const flaggedOf = (images: Float32Array | Uint8Array) => (x: (typeof thresholds)[number]) => flaggedShare(scoresOf(x, images), x.t);
const lettersOf = (ws: readonly WriterName[]) => fontLetterSet(ws, 2, '').images;
if (calibration.length > 0) row(`letters of the ${calibration.length} calibration fonts (not tuned on), flagged`, flaggedOf(lettersOf(calibration)));
if (validation.length > 0) {
  const [validationLetters, validationDigits] = [lettersOf(validation), fontDigitSet(validation, 30, '').images];
  // Each model's scores of the validation fonts, once: the rows below all read them.
  const scored = thresholds.map((x) => ({ letters: scoresOf(x, validationLetters), digits: scoresOf(x, validationDigits).sort() }));
  const of = (x: (typeof thresholds)[number]) => scored[thresholds.indexOf(x)];
  row(`letters of the ${validation.length} validation fonts (not tuned on), flagged`, (x) => flaggedShare(of(x).letters, x.t));
  const tunedOn = num('font-digits') > 0 ? 'tuned on' : 'whose letters (not digits) were tuned on';
  row(`digits of the ${validation.length} validation fonts (not tuned on), flagged`, (x) => flaggedShare(of(x).digits, x.t));
  row(`digits of the ${fonts.length} fonts ${tunedOn}, flagged`, flaggedOf(fontDigitSet(fonts, 10, '').images));
  // The separation itself, free of how well the threshold transfers: letters flagged where exactly 1 % (and 0.5 %) of the digits are.
  for (const rate of [0.01, 0.005]) {
    row(`validation letters flagged at the threshold flagging ${rate * 100} % of their digits`, (x) => {
      const { letters, digits } = of(x);
      return flaggedShare(letters, digits[Math.floor(rate * digits.length)]);
    });
  }
}
if (calibration.length > 0 || validation.length > 0) {
  row('synthetic non-digits (seed 777,777) flagged', flaggedOf(generateNonDigits(2000, { seed: 777_777 }).images));
}
console.log(`threshold ${thresholds[0].t.toFixed(4)} → ${thresholds[1].t.toFixed(4)} (${secs()})`);
for (const r of measured) console.log(`  ${r.name}: ${r.before} → ${r.after}`);
await saveModelDir(a.out, { spec: withDigitThreshold(after.spec, thresholds[1].t), weights: after.weights } satisfies ModelWeights);
console.log(`saved ${a.out}`);

/**
 * Tunes every weight of `net` in place with Adam: each batch `s.ownShare`
 * labelled pool images (one-hot) and the rest rehearsed ones, held to the
 * softmax the model gave them before (temperature 1).
 */
function tuneWhole(net: Network, pool: AdaptPool, s: AdaptSettings, rng: ReturnType<typeof createRng>, onStep: (step: number, loss: number) => void): void {
  const classes = outputUnits(net.spec);
  const lut = normalizationTable(net.spec.normalization);
  const rehearsed = pool.count - pool.own;
  const x = new Float32Array(s.batchSize * 784);
  const fill = (k: number, r: number) => { for (let i = 0; i < 784; i++) x[r * 784 + i] = lut[pool.pixels[k * 784 + i]]; };
  // What the model said of each rehearsed image before tuning.
  const before = new Float32Array(rehearsed * classes);
  for (let start = 0; start < rehearsed; start += s.batchSize) {
    const size = Math.min(s.batchSize, rehearsed - start);
    for (let r = 0; r < size; r++) fill(pool.own + start + r, r);
    const p = tf.tidy(() => tf.softmax(net.forward(tf.tensor2d(x.subarray(0, size * 784), [size, 784]), false).logits));
    before.set(p.dataSync(), start * classes);
    p.dispose();
  }
  const optimizer = createOptimizer({ name: 'adam', learningRate: s.learningRate! });
  const targets = new Float32Array(s.batchSize * classes);
  const grad = new Float32Array(s.batchSize * classes);
  const own = Math.ceil(s.batchSize * s.ownShare);
  const decay = net.params.map(() => false);
  try {
    for (let step = 1; step <= s.steps; step++) {
      for (let r = 0; r < s.batchSize; r++) {
        const k = r < own ? rng.int(pool.own) : pool.own + rng.int(rehearsed);
        fill(k, r);
        if (k < pool.own) {
          targets.fill(0, r * classes, (r + 1) * classes);
          targets[r * classes + pool.labels[k]] = 1;
        } else targets.set(before.subarray((k - pool.own) * classes, (k - pool.own + 1) * classes), r * classes);
      }
      const engine = tf.engine();
      engine.startScope();
      try {
        const { logits, caches } = net.forward(tf.tensor2d(x, [s.batchSize, 784]), true, rng);
        const loss = softTargetCrossEntropy(logits.dataSync(), targets, s.batchSize, classes, grad);
        if (!Number.isFinite(loss)) throw new Error(`tuning diverged at step ${step}: loss ${loss}`);
        optimizer.apply(net.params, net.backward(tf.tensor2d(grad, [s.batchSize, classes]), caches), decay);
        onStep(step, loss);
      } finally {
        engine.endScope();
      }
    }
  } finally {
    optimizer.dispose();
  }
}

/** `head` cut to its last `keep` dense layers: the layers before them join the frozen trunk. */
function lastDense(head: Head, keep: number): Head {
  if (!(keep >= 1)) throw new Error(`--head-layers must be 1 or more, got ${keep}`);
  if (keep >= head.dense.length) return head;
  const dense = head.dense.slice(-keep);
  const from = net.spec.layers.findIndex((_, i) => net.paramIndexOf(i) === dense[0].param);
  return { from, dense };
}

function accuracy(inference: ReturnType<typeof createInference>, images: Float32Array | Uint8Array, labels: ArrayLike<number>): number {
  const p = inference.predictBatch(images);
  return p.filter((x, i) => x.digit === labels[i]).length / p.length;
}

function pct(x: number): string {
  return `${(x * 100).toFixed(2)}%`;
}
