import { assert, captureWarnings, checkA11y, cleanup, close, equal, fixture, inBothSchemes, nextFrame, part, settle } from '../../test/widgets/helpers.js';
import { SmoothedSeries, columnEnvelope, niceTicks } from './chart-scale.js';
import type { LossChart } from './loss-chart.js';
import './loss-chart.js';

/** A training-like loss curve: exponential decay plus batch noise, and epoch accuracies. */
function trainingRun(batches: number, epochs: number): { loss: Float32Array; accuracy: number[] } {
  let seed = 7;
  const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  const loss = new Float32Array(batches);
  for (let i = 0; i < batches; i++) loss[i] = 0.08 + 2.2 * Math.exp(-i / (batches / 12)) + (random() - 0.5) * 0.25 * Math.exp(-i / (batches / 3));
  const accuracy = Array.from({ length: epochs }, (_, e) => 0.9 + 0.09 * (1 - Math.exp(-(e + 1) / 2)));
  return { loss, accuracy };
}

function plotPixels(chart: LossChart): Uint8ClampedArray {
  const canvas = part<HTMLCanvasElement>(chart, 'canvas');
  return canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
}

function inkedPixels(data: Uint8ClampedArray): number {
  let n = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
  return n;
}

describe('<loss-chart>', () => {
  afterEach(cleanup);

  it('keeps a debiased moving average, nice ticks and a per-column envelope', () => {
    const series = new SmoothedSeries(0.9);
    series.push(2);
    close(series.smooth[0], 2, 1e-6, 'the first smoothed point is the point (debiased)');
    series.push(NaN);
    series.push(1);
    equal(series.nonFinite, 1, 'non-finite values are counted');
    close(series.smooth[2], (0.9 * 0.1 * 2 + 0.1 * 1) / (1 - 0.81), 1e-6, 'NaN is skipped by the average');
    equal(niceTicks(0, 2.31, 5).join(), '0,0.5,1,1.5,2,2.5', 'ticks');
    const big = new SmoothedSeries(0);
    for (let i = 0; i < 1000; i++) big.push(i % 10);
    const env = columnEnvelope(big, 1000, 100);
    equal(env.columns, 100, 'columns');
    equal(`${env.min[0]}..${env.max[0]}`, '0..9', 'each column spans its points');
    equal(`${env.min[99]}..${env.max[99]}`, '0..9', 'the last column too');
  });

  it('draws no tick labels before the first point, and numbered axes after it', async () => {
    const labels: string[] = [];
    const original = CanvasRenderingContext2D.prototype.fillText;
    CanvasRenderingContext2D.prototype.fillText = function (this: CanvasRenderingContext2D, text: string, x: number, y: number, maxWidth?: number) {
      labels.push(text);
      return original.call(this, text, x, y, maxWidth);
    };
    try {
      const chart = await fixture<LossChart>('<loss-chart></loss-chart>', { width: 640 });
      labels.length = 0;
      chart.draw();
      equal(labels.filter((t) => /\d/.test(t)).join(' '), '', 'no numbers on an empty chart');
      assert(labels.includes('No training data yet') && labels.includes('loss') && labels.includes('batch'), `titles and the empty note: ${labels.join(' | ')}`);
      chart.addBatch({ loss: 2.3 });
      chart.addBatch({ loss: 1.9 });
      labels.length = 0;
      chart.draw();
      assert(labels.some((t) => /^\d/.test(t)), `tick labels once there is data: ${labels.join(' | ')}`);
      assert(!labels.includes('No training data yet'), 'the empty note is gone');
    } finally {
      CanvasRenderingContext2D.prototype.fillText = original;
    }
  });

  it('accepts points one at a time and a whole history, drawing the same chart', async () => {
    const { loss, accuracy } = trainingRun(2000, 4);
    const pushed = await fixture<LossChart>('<loss-chart></loss-chart>', { width: 640 });
    for (let i = 0; i < loss.length; i++) {
      pushed.addBatch({ loss: loss[i] });
      if ((i + 1) % 500 === 0) pushed.addEpoch({ accuracy: accuracy[(i + 1) / 500 - 1] });
    }
    const whole = await fixture<LossChart>('<loss-chart batches-per-epoch="500"></loss-chart>', { width: 640 });
    whole.loss = loss;
    whole.accuracy = accuracy;
    await settle(document.body);
    pushed.draw();
    whole.draw();
    equal(pushed.points, 2000, 'points pushed');
    equal(whole.points, 2000, 'points set');
    equal(whole.accuracy.join(), accuracy.join(), 'accuracy history');
    const a = plotPixels(pushed);
    const b = plotPixels(whole);
    assert(inkedPixels(a) > 5000, 'something is drawn');
    let differ = 0;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) differ++;
    equal(differ, 0, 'pushing one by one and setting the history draw the same pixels');
    const label = part(pushed, 'canvas').getAttribute('aria-label') ?? '';
    assert(/Batch 2000: loss 0\.\d+, smoothed 0\.\d+\./.test(label) && /accuracy 9\d\.\d\d% after epoch 4/.test(label), `summary: ${label}`);
  });

  it('draws 50,000 points by pixel column, fast, and keeps streaming', async () => {
    const { loss } = trainingRun(50_000, 10);
    // 760 px: the fixture (plus its 2 × 16 px padding) inside the test page's 800 px viewport. At 800 px
    // Firefox ESR's test page lays the overflowing fixture out at y = 17,895,698 px (its largest coordinate),
    // 0 px high; a plain page with the same markup does not (scratch check), so the cause is still open.
    const chart = await fixture<LossChart>('<loss-chart></loss-chart>', { width: 760 });
    chart.batchesPerEpoch = 5000;
    chart.loss = loss;
    chart.accuracy = Array.from({ length: 10 }, (_, e) => 0.95 + 0.04 * (1 - Math.exp(-e / 2)));
    await settle(chart);
    const times: number[] = [];
    for (let i = 0; i < 30; i++) {
      const t0 = performance.now();
      chart.addBatch(0.05);
      chart.draw();
      times.push(performance.now() - t0);
    }
    times.sort((x, y) => x - y);
    const median = times[15];
    console.log(`<loss-chart> 50,001 points: draw median ${median.toFixed(2)} ms, max ${times[29].toFixed(2)} ms`);
    assert(median < 16, `an update with 50,000 points draws within a frame (median ${median.toFixed(2)} ms)`);
    equal(chart.points, 50_030, 'points');
    await nextFrame();
    await inBothSchemes(chart, 'loss-chart', () => checkA11y(chart));
  });

  it('counts NaN losses as not drawn and rejects malformed input with a visible message and a warning', async () => {
    const chart = await fixture<LossChart>('<loss-chart></loss-chart>', { width: 480 });
    const { loss } = trainingRun(300, 2);
    loss[100] = NaN;
    loss[101] = Infinity;
    const warnings = await captureWarnings(async () => {
      chart.loss = loss;
      chart.accuracy = [0.9, 1.2];
      chart.addEpoch(Number.NaN);
      chart.addBatch('0.3' as unknown as number);
      chart.smoothing = 1.5;
      await settle(chart);
    });
    const message = part(chart, 'message').textContent ?? '';
    assert(/loss: 2 values not finite/.test(message), `non-finite losses are reported: ${message}`);
    assert(/accuracy: expected finite numbers in \[0, 1\], got 1\.2/.test(message), `bad accuracy: ${message}`);
    assert(warnings.some((w) => w.includes('<loss-chart> property "accuracy"')), `warning names accuracy: ${warnings.join(' | ')}`);
    assert(warnings.some((w) => w.includes('<loss-chart> property "loss"') && /addBatch/.test(w)), 'warning names loss');
    assert(warnings.some((w) => w.includes('<loss-chart> property "smoothing"')), 'warning names smoothing');
    equal(chart.points, 300, 'the valid history is kept');
    chart.draw();
    assert(inkedPixels(plotPixels(chart)) > 1000, 'still drawn');
    await inBothSchemes(chart, 'loss-chart-invalid');
  });

  it('says so when empty, and clears', async () => {
    const chart = await fixture<LossChart>('<loss-chart></loss-chart>', { width: 480 });
    assert(/No data yet/.test(part(chart, 'canvas').getAttribute('aria-label') ?? ''), 'empty summary');
    chart.addBatch(1);
    chart.clear();
    await settle(chart);
    equal(chart.points, 0, 'cleared');
    await checkA11y(chart);
  });
});
