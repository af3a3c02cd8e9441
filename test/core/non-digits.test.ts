// "Not a digit": the seeded non-digit generator, the score and threshold, the model files that carry them,
// and a small seeded model trained with non-digits that flags held-out non-digits far more often than digits.
import { describe, expect, it } from 'vitest';
import { centerOfMass } from '../../src/preprocess/center-of-mass.js';
import { DIGIT_LIKE_LETTERS, generateNonDigits, NON_DIGIT_KINDS, nonDigitSet, paintStrokes, STROKE_LETTERS } from '../../src/data/non-digits/index.js';
import { BackendError, InvalidOptionError, ModelFormatError } from '../../src/errors.js';
import { createInference } from '../../src/inference/create-inference.js';
import { predictionsFromLogits } from '../../src/inference/prediction.js';
import { decodeCompactModel, encodeCompactModel } from '../../src/io/compact-model.js';
import { fromLayersModelArtifacts, toLayersModelArtifacts } from '../../src/io/layers-model.js';
import { chooseDigitThreshold, flaggedShare } from '../../src/metrics/digit-threshold.js';
import { softmax } from '../../src/metrics/softmax.js';
import { DEFAULT_DIGIT_THRESHOLD, withDigitThreshold, withNonDigitOutput, withNonDigitWeights } from '../../src/models/non-digit-output.js';
import { mlpSpec } from '../../src/models/presets.js';
import { randomModel } from './model-fixtures.js';
import { subsetMnist } from '../../src/data/mnist-set.js';
import { loadMnist } from '../../src/node/load-mnist.js';
import { useNodeBackend } from '../../src/node/node-backend.js';
import { Trainer } from '../../src/train/trainer.js';

describe('non-digit generator (src/data/non-digits)', () => {
  it('is seeded, MNIST-shaped, pad-converted, draws every kind, and never a digit-like letter', () => {
    const a = generateNonDigits(80, { seed: 5 });
    const b = generateNonDigits(80, { seed: 5 });
    const c = generateNonDigits(10, { seed: 6 });
    expect(a.images).toEqual(b.images); // same seed, same drawings
    expect(a.kinds).toEqual(b.kinds);
    expect(a.images.subarray(0, 10 * 784)).not.toEqual(c.images);
    expect(a.images).toBeInstanceOf(Uint8Array);
    expect(a.images.length).toBe(80 * 784);
    expect(new Set(a.kinds)).toEqual(new Set(Object.keys(NON_DIGIT_KINDS)));
    for (let i = 0; i < a.count; i++) {
      const image = Float32Array.from(a.images.subarray(i * 784, (i + 1) * 784), (v) => v / 255);
      expect(Math.max(...image)).toBe(1); // toMnistPixels scales the strongest pixel to 1
      const com = centerOfMass(image, 28, 28); // and centres the mass on MNIST's pixel (14, 14)
      expect(Math.abs(com.x - 14)).toBeLessThan(1.5);
      expect(Math.abs(com.y - 14)).toBeLessThan(1.5);
      // The 4-pixel border MNIST leaves around its 20×20 box stays nearly empty.
      let border = 0;
      for (let p = 0; p < 784; p++) if ((p % 28 < 2 || p % 28 > 25 || p < 56 || p >= 728) && image[p] > 0.5) border++;
      expect(border).toBeLessThanOrEqual(4);
    }
    for (const l of DIGIT_LIKE_LETTERS) expect(Object.keys(STROKE_LETTERS)).not.toContain(l);
    expect(() => generateNonDigits(1, { letters: ['S'] })).toThrow(InvalidOptionError);
    expect(() => generateNonDigits(1, { letters: ['o'] })).toThrow(/looks like a digit/);
    expect(() => generateNonDigits(1, { kinds: ['blob' as never] })).toThrow(/Unknown non-digit kind "blob"/);
    expect(() => generateNonDigits(-1)).toThrow(/count/);
    const set = nonDigitSet(3, { seed: 5, kinds: ['letter'], letters: ['X'] });
    expect(Array.from(set.labels)).toEqual([10, 10, 10]);
  });

  it('the brush paints round-capped anti-aliased ink into alpha only, pen width a fraction of the side', () => {
    const image = paintStrokes([[0.25, 0.503, 0.75, 0.503]], { side: 100, penSize: 0.1 }); // y = 50.3 px, radius 5
    const alpha = (x: number, y: number) => image.data[(y * 100 + x) * 4 + 3];
    expect(alpha(50, 50)).toBe(255);
    expect(alpha(50, 46)).toBe(255); // pixel centre 3.8 px away: inside the pen
    expect(Math.abs(alpha(50, 45) - 0.7 * 255)).toBeLessThan(2); // 4.8 px: the last pixel of the edge, partly covered
    expect(alpha(50, 44)).toBe(0); // 5.8 px: outside
    expect(Math.abs(alpha(50, 55) - 0.3 * 255)).toBeLessThan(2);
    expect(alpha(50, 56)).toBe(0);
    expect(alpha(20, 50)).toBeGreaterThan(0); // the round cap reaches 5 px past the end (x = 25)
    expect(alpha(19, 50)).toBe(0);
    expect(image.data.filter((_, i) => i % 4 !== 3).every((v) => v === 0)).toBe(true);
  });
});

describe('digit score and threshold', () => {
  it('with an 11th logit: digitScore is 1 − P(not a digit), probabilities stay the 10-way softmax', () => {
    const digits = [2, 0.5, -1, 0, 0, 0, 0, 0, 0, 1];
    const rows = [...digits, 3, ...digits, -4, ...digits, NaN];
    const [notDigit, digit, broken] = predictionsFromLogits(rows, 3, { outputs: 11, threshold: 0.5 });
    const p10 = softmax(Float32Array.from(digits), 10);
    const p11 = softmax(Float32Array.from([...digits, 3]), 11);
    for (const p of [notDigit, digit]) for (let c = 0; c < 10; c++) expect(p.probabilities[c]).toBeCloseTo(p10[c], 6);
    expect(notDigit.digit).toBe(0);
    expect(notDigit.digitScore).toBeCloseTo(1 - p11[10], 6);
    expect(notDigit.isDigit).toBe(false);
    expect(digit.isDigit).toBe(true);
    expect(digit.digitScore).toBeGreaterThan(0.99);
    expect(Number.isNaN(broken.digitScore)).toBe(true); // NaN propagates, and is never a digit
    expect(broken.isDigit).toBe(false);
    // Without the output, the score is the top digit probability, against the default threshold.
    const [plain] = predictionsFromLogits(digits, 1);
    expect(plain.digitScore).toBeCloseTo(Math.max(...p10), 6);
    expect(plain.isDigit).toBe(plain.digitScore >= DEFAULT_DIGIT_THRESHOLD.maxProbability);
  });

  it('chooseDigitThreshold flags at most the given share of every set, and as many non-digits as that allows', () => {
    const scores = Float32Array.from({ length: 1000 }, (_, i) => (i + 0.5) / 1000);
    const t = chooseDigitThreshold([scores], 0.01);
    expect(flaggedShare(scores, t)).toBe(0.01); // exactly 10 of 1000 below it
    expect(flaggedShare(scores, t + 0.002)).toBeGreaterThan(0.01); // and it is the highest such threshold
    const harder = Float32Array.from(scores, (s) => s * 0.5);
    const both = chooseDigitThreshold([scores, harder], 0.01);
    expect(flaggedShare(harder, both)).toBeLessThanOrEqual(0.01);
    expect(flaggedShare(scores, both)).toBeLessThanOrEqual(0.01);
    // With 95 % confidence: 12 of 2,000 (P(Binomial(2000, 0.01) <= 12) = 0.039 <= 0.05 < 0.066 for 13); none of 100.
    const many = Float32Array.from({ length: 2000 }, (_, i) => (i + 0.5) / 2000);
    expect(flaggedShare(many, chooseDigitThreshold([many], 0.01, 0.95))).toBe(12 / 2000);
    expect(flaggedShare(scores.subarray(0, 100), chooseDigitThreshold([scores.subarray(0, 100)], 0.01, 0.95))).toBe(0);
    expect(() => chooseDigitThreshold([scores], 0.01, 1)).toThrow(/confidence/);
    expect(flaggedShare([NaN, 0.9], 0.5)).toBe(0.5); // NaN counts as flagged
    expect(chooseDigitThreshold([[0.2, 0.9, 0.95]], 0)).toBe(0.2); // rate 0: nothing flagged
    expect(() => chooseDigitThreshold([[]], 0.01)).toThrow(InvalidOptionError);
    expect(() => chooseDigitThreshold([scores], 1)).toThrow(/maxFlagRate/);
  });
});

describe('model files carry the "not a digit" output and threshold', () => {
  it('compact (v2) and layers-model (digitClassifier v2) round trips; v1 files still read; a bad threshold is refused', () => {
    const model = withNonDigitWeights(randomModel(mlpSpec({ hidden: [16] }), 4));
    const withT = { spec: withDigitThreshold(model.spec, 0.625), weights: model.weights };
    expect(withT.spec.layers.at(-1)).toEqual({ kind: 'dense', units: 11, activation: 'linear' });
    const pixels = Float32Array.from({ length: 784 * 4 }, (_, i) => ((i * 7919) % 255) / 255);
    const before = createInference(withT).predictBatch(pixels);

    const bytes = encodeCompactModel(withT, { dtype: 'float16' });
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + new DataView(bytes.buffer).getUint32(4, true))));
    expect(header.version).toBe(2);
    const compact = decodeCompactModel(bytes, 'nd.dcm');
    expect(compact.spec.nonDigit).toEqual({ threshold: 0.625 });
    const { modelJson, weightData } = toLayersModelArtifacts(withT);
    expect(modelJson.digitClassifier).toMatchObject({ formatVersion: 2, nonDigit: { threshold: 0.625 } });
    const layers = fromLayersModelArtifacts(JSON.parse(JSON.stringify(modelJson)), weightData, 'model.json');
    expect(layers.spec.nonDigit).toEqual({ threshold: 0.625 });
    for (const again of [compact, layers]) {
      const after = createInference(again).predictBatch(pixels);
      after.forEach((p, i) => {
        expect(p.digitScore).toBeCloseTo(before[i].digitScore, 2);
        expect(p.isDigit).toBe(p.digitScore >= 0.625);
      });
    }

    // A model without the output writes version 1, as before, and reads with the top-probability score.
    const old = randomModel(mlpSpec({ hidden: [16] }), 4);
    const oldBytes = encodeCompactModel(old, { dtype: 'float16' });
    expect(JSON.parse(new TextDecoder().decode(oldBytes.subarray(8, 8 + new DataView(oldBytes.buffer).getUint32(4, true)))).version).toBe(1);
    const [p] = createInference(decodeCompactModel(oldBytes, 'old.dcm')).predictBatch(pixels.subarray(0, 784));
    expect(p.digitScore).toBeCloseTo(Math.max(...p.probabilities), 6);
    const oldJson = toLayersModelArtifacts(old);
    expect(oldJson.modelJson.digitClassifier.formatVersion).toBe(1);
    expect(fromLayersModelArtifacts(JSON.parse(JSON.stringify(oldJson.modelJson)), oldJson.weightData, 'old.json').spec.nonDigit).toBeUndefined();

    const bad = JSON.parse(JSON.stringify(modelJson));
    bad.digitClassifier.nonDigit.threshold = 2;
    expect(() => fromLayersModelArtifacts(bad, weightData, 'bad.json')).toThrow(ModelFormatError);
    expect(() => fromLayersModelArtifacts(bad, weightData, 'bad.json')).toThrow(/digitClassifier\.nonDigit\.threshold/);
    expect(() => withNonDigitOutput({ ...old.spec, layers: old.spec.layers.slice(0, 1) })).toThrow(/dense layer of 10 units/);
  });
});

describe('training the "not a digit" output (fit with nonDigits)', () => {
  it('a small seeded MLP flags unseen non-digits far more often than digits; the threshold lands in the model; the fused engine hands it to tfjs', async () => {
    await useNodeBackend('wasm');
    const { train, test } = await loadMnist({ split: 'both', limit: 3000 });
    const held = subsetMnist(test, 0, 1000);
    const trainer = new Trainer({ model: 'mlp', epochs: 3, seed: 3, optimizer: 'adam', learningRate: 2e-3, nonDigits: { share: 0.5, validation: 250, heldOut: 300, confidence: 0 } });
    const engine = await trainer.trainingEngine();
    expect(engine.name).toBe('tfjs');
    expect(engine.reasons.join()).toMatch(/"not a digit" output \(11 logits\); the fused engine trains 10-output models only/);
    await expect(new Trainer({ model: 'mlp', nonDigits: true, engine: { use: 'fused' } }).trainingEngine()).rejects.toBeInstanceOf(BackendError);
    expect(() => new Trainer({ nonDigits: { flagRate: 2 } })).toThrow(/nonDigits\.flagRate/);

    const history = await trainer.fit({ train, test: held }, { onWarning: () => {} });
    const last = history[history.length - 1];
    const nd = last.nonDigit!;
    console.log(`nonDigits MLP (3,000 digits, 3 epochs): threshold ${nd.threshold.toFixed(3)}, held-out training digits flagged ${nd.validationDigitsFlagged}, test digits flagged ${last.digitsFlagged}, unseen non-digits flagged ${nd.nonDigitsFlagged}, accuracy ${last.accuracy}`);
    expect(nd.validationDigitsFlagged).toBeLessThanOrEqual(0.01);
    expect(last.digitsFlagged).toBeLessThan(0.04);
    expect(nd.nonDigitsFlagged).toBeGreaterThan(0.5);
    expect(last.accuracy).toBeGreaterThan(0.85);

    // The saved model carries the output and the threshold; createInference and Trainer.predict read them alike.
    const weights = await trainer.getWeights();
    expect(weights.spec.nonDigit?.threshold).toBe(nd.threshold);
    const inference = createInference(decodeCompactModel(encodeCompactModel(weights, { dtype: 'float16' }), 'small.dcm'));
    const others = generateNonDigits(300, { seed: 99 });
    const flaggedOthers = inference.predictBatch(others.images).filter((p) => !p.isDigit).length / others.count;
    const flaggedDigits = inference.predictBatch(held.images).filter((p) => !p.isDigit).length / held.count;
    expect(flaggedOthers).toBeGreaterThan(0.5);
    expect(flaggedOthers).toBeGreaterThan(10 * flaggedDigits);
    const fromTrainer = await trainer.predictBatch(others.images.subarray(0, 784 * 20));
    fromTrainer.forEach((p, i) => expect(Math.abs(p.digitScore - inference.predict(others.images.subarray(i * 784, (i + 1) * 784)).digitScore)).toBeLessThan(0.02));
    trainer.dispose();
  }, 120_000);
});
