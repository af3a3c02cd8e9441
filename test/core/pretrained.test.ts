import { beforeAll, describe, expect, it } from 'vitest';
import type { MnistSet } from '../../src/data/mnist-set.js';
import { createInference } from '../../src/inference/create-inference.js';
import { softmax } from '../../src/metrics/softmax.js';
import { Network } from '../../src/models/network.js';
import { useNodeBackend } from '../../src/node/node-backend.js';
import { loadPretrained, PRETRAINED_MODELS } from '../../src/pretrained/load-pretrained.js';
import { evaluateNetwork } from '../../src/train/evaluate.js';
import { mnistTestSet } from './helpers/mnist-files.js';

/**
 * The widgets' embed path runs the shipped models with the tensor-free
 * `createInference` (no tfjs). Here, on all 10,000 MNIST test digits, it must
 * give the probabilities the tfjs model (the core's `Network` on the WASM
 * backend, as trained) gives, within 1e-5, and so the same digits and the
 * recorded accuracy.
 */
describe('tensor-free inference equals the tfjs model on the MNIST test set', () => {
  let test: MnistSet;

  beforeAll(async () => {
    await useNodeBackend('wasm');
    test = mnistTestSet();
  });

  for (const name of ['cnn', 'mlp'] as const) {
    it(`${name}: probabilities within 1e-5 on all 10,000 test digits, same predictions, accuracy as recorded`, async () => {
      const model = loadPretrained(name);
      const net = Network.fromWeights(model);
      const reference = await evaluateNetwork(net, test);
      net.dispose();
      const tfjsProbs = softmax(reference.logits, 10);

      const pixels = Float32Array.from(test.images, (v) => v / 255);
      const probs = createInference(model).predictBatch(pixels, test.count);

      let worst = 0;
      let agree = 0;
      let correct = 0;
      for (let i = 0; i < test.count; i++) {
        let best = 0;
        for (let c = 0; c < 10; c++) {
          worst = Math.max(worst, Math.abs(probs[i * 10 + c] - tfjsProbs[i * 10 + c]));
          if (probs[i * 10 + c] > probs[i * 10 + best]) best = c;
        }
        if (best === reference.predictions[i]) agree++;
        if (best === test.labels[i]) correct++;
      }
      const accuracy = correct / test.count;
      console.log(`${name}: max |p_tensor-free − p_tfjs| = ${worst.toExponential(2)} over ${test.count} digits; accuracy ${(accuracy * 100).toFixed(2)}% (tfjs ${(reference.accuracy * 100).toFixed(2)}%)`);
      expect(test.count).toBe(10_000);
      expect(worst).toBeLessThan(1e-5);
      expect(agree).toBe(test.count);
      expect(accuracy).toBe(reference.accuracy);
      expect(accuracy).toBeCloseTo(PRETRAINED_MODELS[name].testAccuracy.shipped, 4);
    });
  }
});
