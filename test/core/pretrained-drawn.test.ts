import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/data/rng.js';
import { createInference } from '../../src/inference/create-inference.js';
import { loadPretrained, PRETRAINED_MODELS } from '../../src/pretrained/load-pretrained.js';
import { toMnistPixels } from '../../src/preprocess/to-mnist-pixels.js';
import { blankImage, mnistPicture, readMnistTest, type DigitStyle, type MutableImage } from './helpers/draw.js';

const COUNT = 600;
const STYLES: DigitStyle[] = ['dark-on-light', 'light-on-dark', 'alpha'];
const BACKGROUND = { 'dark-on-light': [255, 255, 255, 255], 'light-on-dark': [20, 20, 20, 255], alpha: [0, 0, 0, 0] } as const;

/** The digit blown up (as a pad or a photo holds it) and put off-centre on a larger canvas. */
function drawnLike(digit: Uint8Array, i: number, rng: ReturnType<typeof createRng>): MutableImage {
  const style = STYLES[i % 3];
  const factor = [4, 7, 10][Math.floor(i / 3) % 3];
  const picture = mnistPicture(digit, factor, style);
  const size = Math.round(picture.width * 1.6);
  const canvas = blankImage(size, size, BACKGROUND[style]);
  const ox = rng.int(size - picture.width + 1);
  const oy = rng.int(size - picture.height + 1);
  for (let y = 0; y < picture.height; y++) {
    canvas.data.set(picture.data.subarray(y * picture.width * 4, (y + 1) * picture.width * 4), ((oy + y) * size + ox) * 4);
  }
  return canvas;
}

describe('shipped pretrained models read drawn and photographed digits as well as MNIST digits', () => {
  const { images, labels } = readMnistTest(COUNT);

  for (const name of ['cnn', 'mlp'] as const) {
    it(`${name}: accuracy on re-drawn digits (3 styles, 3 sizes, off-centre) is within 1 point of raw MNIST`, async () => {
      const inference = createInference(loadPretrained(name));
      const rng = createRng(5);
      let raw = 0;
      let drawn = 0;
      for (let i = 0; i < COUNT; i++) {
        const mnist = Float32Array.from(images[i], (v) => v / 255);
        if (inference.predict(mnist).digit === labels[i]) raw++;
        if (inference.predict(toMnistPixels(drawnLike(images[i], i, rng))).digit === labels[i]) drawn++;
        // A turn of the event loop every 50 digits: one long synchronous block starves vitest's worker RPC on a
        // loaded machine ("Timeout calling onTaskUpdate" after 60 s; this loop takes 15-45 s).
        if (i % 50 === 49) await new Promise((resolve) => setImmediate(resolve));
      }
      console.log(`${name}: raw MNIST ${((raw / COUNT) * 100).toFixed(1)}%, re-drawn ${((drawn / COUNT) * 100).toFixed(1)}% on the first ${COUNT} test digits`);
      expect(raw / COUNT).toBeGreaterThan(0.97);
      expect(drawn / COUNT).toBeGreaterThanOrEqual(raw / COUNT - 0.01);
    });
  }

  it('records how each shipped model was trained and what it scores', () => {
    for (const m of Object.values(PRETRAINED_MODELS)) {
      expect(m.trainCommand).toMatch(/^digit-classifier train --model \S+ --augment .*--seed \d+/);
      expect(m.dtype).toBe('int8');
      // int8 storage costs at most 0.1 point against float32.
      expect(m.testAccuracy.float32 - m.testAccuracy.shipped).toBeLessThanOrEqual(0.001);
    }
    expect(PRETRAINED_MODELS.cnn.testAccuracy.shipped).toBeGreaterThanOrEqual(0.993);
  });
});
