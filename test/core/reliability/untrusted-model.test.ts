/**
 * Untrusted model files, beyond the parsers' own tests (layers-model.test.ts,
 * compact-model.test.ts check each malformed field): a bad model never
 * replaces a good one, sizes are capped before anything is allocated, and
 * nothing in a file is ever evaluated.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DigitClassifierError, ModelFormatError } from '../../../src/errors.js';
import { createInference, type Inference } from '../../../src/inference/index.js';
import { decodeCompactModel, encodeCompactModel } from '../../../src/io/compact-model.js';
import { fromLayersModelArtifacts, toLayersModelArtifacts } from '../../../src/io/layers-model.js';
import { MAX_MODEL_BYTES } from '../../../src/io/model-checks.js';
import { Network } from '../../../src/models/network.js';
import type { ModelWeights, WeightTensor } from '../../../src/models/spec.js';
import { Trainer } from '../../../src/train/trainer.js';
import { withAllocationSpy } from '../fuzz/allocation-spy.js';
import { FUZZ_SEED, runsFor, timeoutFor, yieldToMacrotasks } from '../fuzz/harness.js';
import { applyByteEdits, byteEdits } from '../fuzz/mutators.js';
import { writeReliabilityResult } from '../helpers/reliability-results.js';
import { mnistLikeImages, randomPreset } from '../model-fixtures.js';

interface CheckFigures {
  name: string;
  cases: number;
  held: boolean;
  detail?: string;
}
const checks: CheckFigures[] = [];
/** Runs `body`, which returns how many cases it tried, and records whether it held. */
async function recorded(name: string, body: () => Promise<number | { cases: number; detail: string }>): Promise<void> {
  const figures: CheckFigures = { name, cases: 0, held: false };
  checks.push(figures);
  const out = await body();
  figures.cases = typeof out === 'number' ? out : out.cases;
  if (typeof out !== 'number') figures.detail = out.detail;
  figures.held = true;
}
afterAll(() => {
  writeReliabilityResult('untrusted-model', { check: 'untrusted-model', file: 'test/core/reliability/untrusted-model.test.ts', checks });
});

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const GOOD = randomPreset('mlp', 21);
const OTHER = randomPreset('mlp', 22);

/** Bit patterns of every weight, to compare models exactly. */
function fingerprint(model: ModelWeights): string {
  return model.weights.map((w) => Buffer.from(w.values.buffer, w.values.byteOffset, w.values.byteLength).toString('base64')).join('|');
}

/** Models that are wrong in one way each: what a corrupt or hostile file could decode to, were the loaders to let it through. */
function badModels(base: ModelWeights): { why: string; model: ModelWeights }[] {
  const edit = (i: number, change: (w: WeightTensor) => WeightTensor): ModelWeights => ({ spec: base.spec, weights: base.weights.map((w, j) => (j === i ? change(w) : w)) });
  const poisoned = (value: number, at: number) => (w: WeightTensor) => {
    const values = Float32Array.from(w.values);
    values[at % values.length] = value;
    return { ...w, values };
  };
  return [
    { why: 'NaN in a kernel', model: edit(0, poisoned(NaN, 12345)) },
    { why: 'Infinity in a bias', model: edit(1, poisoned(Infinity, 7)) },
    { why: '-Infinity in the last kernel', model: edit(2, poisoned(-Infinity, 0)) },
    { why: 'a transposed kernel (right length, wrong shape)', model: edit(0, (w) => ({ ...w, shape: [...w.shape].reverse() })) },
    { why: 'a kernel one value short', model: edit(2, (w) => ({ ...w, values: w.values.subarray(1) })) },
    { why: 'a missing tensor', model: { spec: base.spec, weights: base.weights.slice(0, 3) } },
    { why: 'another architecture', model: randomPreset('cnn', 23) },
    { why: 'no weights at all', model: { spec: base.spec, weights: [] } },
    { why: 'finite weights so large that outputs overflow float32 (1e36 throughout the first kernel)', model: edit(0, (w) => ({ ...w, values: new Float32Array(w.values.length).fill(1e36) })) },
  ];
}

describe('a bad model leaves the current one in place', () => {
  it('regression: Network.setWeights refuses NaN/Infinity weights and transposed kernels (they used to replace good weights), and every other bad model, before touching any weight', async () => {
    await recorded('Network.setWeights keeps its weights when given a bad model', async () => {
      const net = Network.fromWeights(GOOD);
      const before = fingerprint(await net.getWeights());
      const tensors = tf.memory().numTensors;
      const bad = badModels(GOOD);
      for (const { why, model } of bad) {
        expect(() => net.setWeights(model), why).toThrow(ModelFormatError);
        expect(fingerprint(await net.getWeights()), why).toBe(before);
        expect(tf.memory().numTensors, why).toBe(tensors);
      }
      // And a good model still goes in.
      net.setWeights(OTHER);
      expect(fingerprint(await net.getWeights())).toBe(fingerprint(OTHER));
      net.dispose();
      return { cases: bad.length, detail: bad.map((b) => b.why).join('; ') };
    });
  });

  it('regression: Network.fromWeights and new Trainer({ model }) refuse the same models (NaN weights used to be accepted), leaking no tensors', async () => {
    await recorded('Network.fromWeights / new Trainer refuse bad models without leaking tensors', async () => {
      const bad = badModels(GOOD).filter((b) => b.why !== 'another architecture'); // that one is valid on its own
      const tensors = tf.memory().numTensors;
      for (const { why, model } of bad) {
        expect(() => Network.fromWeights(model), why).toThrow(DigitClassifierError);
        expect(() => new Trainer({ model }), why).toThrow(DigitClassifierError);
        expect(tf.memory().numTensors, why).toBe(tensors);
      }
      return { cases: bad.length * 2, detail: `the ${bad.length} bad models above that are bad on their own, each to both constructors; numTensors unchanged after each` };
    });
  });

  it('regression: model files with finite weights so large that some input overflows float32 are refused (fuzzing found one that loaded and then predicted NaN)', async () => {
    await recorded('files whose weights could overflow float32 are refused by every loader', async () => {
      let cases = 0; // counted as each case is checked, not written down
      const { modelJson, weightData } = toLayersModelArtifacts(GOOD);
      const scaled = (factor: number) => {
        const bytes = new Float32Array(weightData.slice(0));
        for (let i = 0; i < 784 * 128; i++) bytes[i] *= factor; // the first kernel, stored first
        return bytes.buffer;
      };
      // The shape of the fuzz counterexample: one kernel scaled far up, every value still finite.
      expect(() => fromLayersModelArtifacts(modelJson, scaled(1e30), 'huge.json')).toThrow(/huge\.json: weights so large that some input could overflow float32/);
      expect(() => fromLayersModelArtifacts(modelJson, scaled(1e30), 'huge.json')).toThrow(ModelFormatError);
      cases++;
      // A large but harmless scale still loads, and predicts probabilities that sum to 1.
      const loud = fromLayersModelArtifacts(modelJson, scaled(1e3), 'loud.json');
      const { probabilities } = createInference(loud).predict(mnistLikeImages(1));
      expect(probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      cases++;
      // The compact format: int8 with a per-channel scale blown up in the header.
      const compact = encodeCompactModel(GOOD, { dtype: 'int8' });
      const headerLength = new DataView(compact.buffer, compact.byteOffset + 4, 4).getUint32(0, true);
      const header = JSON.parse(new TextDecoder().decode(compact.subarray(8, 8 + headerLength)));
      const tensors = header.tensors ?? header.weights;
      expect(Array.isArray(tensors)).toBe(true);
      const withScales = tensors.find((t: { scales?: number[] }) => Array.isArray(t.scales));
      expect(withScales).toBeDefined();
      withScales.scales = withScales.scales.map(() => 1e36);
      const text = new TextEncoder().encode(JSON.stringify(header));
      const hostile = new Uint8Array(8 + text.length + (compact.length - 8 - headerLength));
      hostile.set(compact.subarray(0, 4));
      new DataView(hostile.buffer).setUint32(4, text.length, true);
      hostile.set(text, 8);
      hostile.set(compact.subarray(8 + headerLength), 8 + text.length);
      expect(() => decodeCompactModel(hostile, 'huge.dcm')).toThrow(/huge\.dcm: weights so large/);
      cases++;
      // Handed in directly: the inference and the export refuse it too.
      const huge = { spec: GOOD.spec, weights: GOOD.weights.map((w, i) => (i === 0 ? { ...w, values: new Float32Array(w.values.length).fill(1e36) } : w)) };
      expect(() => createInference(huge)).toThrow(/could overflow float32/);
      cases++;
      expect(() => encodeCompactModel(huge, { dtype: 'float16' })).toThrow(/could overflow float32/);
      cases++;
      return { cases, detail: 'a Layers file with the first kernel ×1e30 (refused) and ×1e3 (loads, probabilities sum to 1); a compact int8 file with its scales set to 1e36; such weights handed to createInference and encodeCompactModel' };
    });
  });

  it('a trainer whose network is offered a bad model keeps training from its own weights', async () => {
    await recorded('Trainer keeps its weights and stays usable after a bad setWeights', async () => {
      const trainer = new Trainer({ model: GOOD, epochs: 1 });
      const before = fingerprint(await trainer.getWeights());
      for (const { model } of badModels(GOOD)) expect(() => trainer.network.setWeights(model)).toThrow(ModelFormatError);
      expect(fingerprint(await trainer.getWeights())).toBe(before);
      const images = Uint8Array.from(mnistLikeImages(64), (p) => Math.round(p * 255));
      const set = { images, labels: Uint8Array.from({ length: 64 }, (_, i) => i % 10), count: 64, rows: 28 as const, cols: 28 as const };
      const [epoch] = await trainer.fit({ train: set, test: set }, { onWarning: () => undefined });
      expect(Number.isFinite(epoch.trainLoss)).toBe(true);
      trainer.dispose();
      return { cases: badModels(GOOD).length, detail: 'each bad model offered to trainer.network.setWeights; the weights stayed bit for bit, then an epoch trained with a finite loss' };
    });
  });

  it('loading a corrupt file into a page that already has a model: the old inference keeps answering, bit for bit', async () => {
    await recorded('a failed load leaves the current inference answering exactly as before', async () => {
      const pixels = mnistLikeImages(8);
      const files = [encodeCompactModel(GOOD, { dtype: 'int8' }), encodeCompactModel(GOOD, { dtype: 'float16' })];
      const layers = toLayersModelArtifacts(GOOD);
      const answers = (inf: Inference) => Array.from({ length: 8 }, (_, i) => Array.from(inf.predictLogits(pixels.subarray(i * 784, (i + 1) * 784))).join(','));
      // The page's pattern: decode first, swap only on success.
      let current = createInference(decodeCompactModel(files[0], 'shipped.dcm'));
      let expected = answers(current);
      const tryLoad = (load: () => ModelWeights): boolean => {
        try {
          const next = createInference(load());
          current = next;
          expected = answers(current);
          return true;
        } catch (e) {
          if (!(e instanceof DigitClassifierError)) throw e;
          expect(answers(current)).toEqual(expected);
          return false;
        }
      };
      let failed = 0;
      const runs = runsFor(150, 0.05);
      await fc.assert(
        fc.asyncProperty(fc.nat(2), byteEdits(200, 3), async (which, edits) => {
          await yieldToMacrotasks();
          const ok = which < 2
            ? tryLoad(() => decodeCompactModel(applyByteEdits(files[which], edits), 'upload.dcm'))
            : tryLoad(() => fromLayersModelArtifacts(layers.modelJson, applyByteEdits(new Uint8Array(layers.weightData), edits), 'upload/model.json'));
          if (!ok) failed++;
        }),
        { seed: FUZZ_SEED, numRuns: runs },
      );
      expect(failed).toBeGreaterThan(runs / 2);
      return { cases: runs, detail: `${failed} of ${runs} corrupted uploads refused; the previous model answered unchanged after each` };
    });
  }, timeoutFor(60_000, 0.05));
});

describe('sizes are capped before anything is allocated', () => {
  const hostile = (json: unknown, weightBytes = 0) => () => fromLayersModelArtifacts(json, new Uint8Array(weightBytes), 'huge/model.json');
  const dense = (units: number[]) => ({
    format: 'layers-model',
    modelTopology: { class_name: 'Sequential', config: { layers: units.map((n, i) => ({ class_name: 'Dense', config: { name: `d${i}`, units: n, ...(i === 0 ? { batch_input_shape: [null, 784] } : {}) } })) } },
    weightsManifest: [{ paths: ['w.bin'], weights: [] }],
  });

  it('architectures over MAX_MODEL_BYTES, compact headers over 4 MiB or claiming more payload than the cap', async () => {
    await recorded('size caps hold before allocation (architecture, header, payload)', async () => {
      const cases: [string, () => unknown, RegExp][] = [
        ['65536-wide layers (17 G parameters)', hostile(dense([65536, 65536, 65536, 10])), /at most 67108864 bytes of float32 weights/],
        ['65 layers', hostile(dense(new Array(67).fill(10))), /at most 66 items/],
        ['a compact header claiming 4 GiB', () => decodeCompactModel(Uint8Array.of(0x44, 0x43, 0x4d, 0x31, 0xff, 0xff, 0xff, 0xff), 'huge.dcm'), /header length.*past the end/],
      ];
      // A compact file whose real 4 MiB + 1 header is all spaces: refused by its length, not parsed.
      const big = new Uint8Array(8 + 4 * 1024 * 1024 + 1).fill(0x20);
      big.set([0x44, 0x43, 0x4d, 0x31]);
      new DataView(big.buffer).setUint32(4, 4 * 1024 * 1024 + 1, true);
      cases.push(['a 4 MiB + 1 header', () => decodeCompactModel(big, 'big.dcm'), /more than the 4194304 allowed/]);
      const compact = encodeCompactModel(GOOD, { dtype: 'int8' });
      const headerLength = new DataView(compact.buffer).getUint32(4, true);
      const header = JSON.parse(new TextDecoder().decode(compact.subarray(8, 8 + headerLength))) as { payloadBytes: number };
      header.payloadBytes = MAX_MODEL_BYTES + 1;
      const text = new TextEncoder().encode(JSON.stringify(header));
      const lying = new Uint8Array(8 + text.length);
      lying.set([0x44, 0x43, 0x4d, 0x31]);
      new DataView(lying.buffer).setUint32(4, text.length, true);
      lying.set(text, 8);
      cases.push(['payloadBytes over the cap', () => decodeCompactModel(lying, 'lying.dcm'), /payloadBytes/]);
      for (const [why, load, message] of cases) {
        const t0 = performance.now();
        const { error, allocations } = await withAllocationSpy(load);
        expect(error, why).toBeInstanceOf(ModelFormatError);
        expect((error as Error).message, why).toMatch(message);
        expect(allocations.total, why).toBeLessThan(1 << 16);
        expect(performance.now() - t0, why).toBeLessThan(1000);
      }
      return { cases: cases.length, detail: cases.map((c) => c[0]).join('; ') };
    });
  });
});

describe('nothing in a model file is evaluated', () => {
  it('code in names, prototype keys and getters-to-be: no eval, no Function, no pollution, inert strings', async () => {
    await recorded('nothing evaluated: no eval/Function calls, no prototype pollution', async () => {
      const { modelJson, weightData } = toLayersModelArtifacts(GOOD);
      const payloads = ['process.exit(1)', '${process.exit(1)}', "'); require('child_process').execSync('touch /tmp/pwned'); ('", '__proto__', 'constructor', 'toString'];
      let calls = 0;
      const g = globalThis as unknown as Record<string, unknown>;
      const realEval = g.eval;
      const realFunction = g.Function;
      g.eval = () => void calls++;
      g.Function = new Proxy(realFunction as FunctionConstructor, { construct: () => void calls++ as never, apply: () => void calls++ });
      let loaded = 0;
      try {
        for (const payload of payloads) {
          const text = JSON.stringify(modelJson)
            .replace('"digitClassifier":{', `"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"digitClassifier":{"toString":${JSON.stringify(payload)},`)
            .replace(/"name":"digit-classifier-mlp"|"name":"mlp"/g, `"name":${JSON.stringify(payload)}`);
          const model = fromLayersModelArtifacts(text, new Uint8Array(weightData), 'evil/model.json');
          expect(model.spec.name).toBe(payload); // an inert string
          expect(Object.getPrototypeOf(model.spec)).toBe(Object.prototype);
          loaded++;
        }
      } finally {
        g.eval = realEval;
        g.Function = realFunction;
      }
      expect(calls).toBe(0);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
      return { cases: loaded, detail: 'model.json files with code in names, __proto__ and constructor keys' };
    });
  });
});
