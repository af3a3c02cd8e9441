/**
 * Load (issue 6, `load-strokes`): 10,000 rapid strokes at `<digit-pad>`,
 * fired in bursts across tasks (as fast as the page takes them), against a
 * slow asynchronous predictor (the shipped CNN behind a few milliseconds of
 * delay, like a worker trainer). The pad must do bounded work (readings are
 * coalesced; the latest drawing wins), keep memory flat, and stay responsive.
 * The figures go to the reliability report through the `reliability-result`
 * server command (test/widgets/reliability-plugin.mjs).
 */
import { executeServerCommand } from '@web/test-runner-commands';
import { pretrainedCnn } from '../internal/pretrained-cnn.js';
import { seededRandom } from '../../test/shared/seeded-random.js';
import { SEVEN, assert, cleanup, drawStrokes, equal, fixture, nextEvent, part, recordEvents } from '../../test/widgets/helpers.js';
import type { WidgetEvent } from '../internal/events.js';
import type { DigitPad } from './digit-pad.js';
import './digit-pad.js';

/**
 * Strokes fired in Chromium (the reliability figure); Firefox and WebKitGTK
 * (slower at synthetic pointer events under automation) fire a fifth. The
 * bounds are ratios: the same in all.
 */
const STROKES_CHROMIUM = 10_000;
const STROKES_OTHERS = 2_000;
const BURST = 50; // strokes per task
const CLEAR_EVERY = 1_000; // a writer clears now and then; keeps each reading's ink bounded
const PREDICT_DELAY_MS = 4;
/** At most this fraction of strokes may cause a prediction. */
const MAX_PREDICTION_RATIO = 0.05;
/**
 * JS heap growth allowed from after the first 1,000 strokes to the end, both
 * read after full GCs repeated until the figure settles. Measured 0.62 and
 * 0.63 MiB over the 9,000 strokes (about 70 bytes a stroke, the readings the
 * test itself records), so 2 MiB: a leak of ~250 bytes a stroke fails. A
 * single gc() right after a burst left 6 to 10 MiB of the burst's garbage
 * uncollected at random (it read 12.5 or 20.4 MiB at the same point), which
 * once failed an 8 MiB bound with a flat heap.
 */
const MAX_HEAP_GROWTH = 2 * 1024 * 1024;
/**
 * A fresh reading after the load answers, not after seconds: measured 9 ms on a quiet machine (the CNN
 * plus the 4 ms delay) and up to 162 ms in Firefox while the rest of npm test loads the 2 cores; the tight
 * gate is npm run bench:widgets.
 */
const MAX_FRESH_MS = 500;

/**
 * The JS heap after full collections (Chromium, launched with --expose-gc and
 * precise memory info), or null where there is no figure. The first gc() after
 * a burst may leave part of it uncollected, so collect until two readings in a
 * row agree within 64 KiB (at most 5 times).
 */
const heap = (): number | null => {
  const gc = (globalThis as { gc?: () => void }).gc;
  const read = () => (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? null;
  if (!gc) return read();
  gc();
  let figure = read();
  for (let i = 0; i < 4 && figure !== null; i++) {
    gc();
    const again = read()!;
    const settled = Math.abs(again - figure) <= 64 * 1024;
    figure = again;
    if (settled) break;
  }
  return figure;
};
const macrotask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** A small random scribble in unit coordinates (a seeded LCG keeps runs reproducible). */
function scribble(next: () => number): number[] {
  const points: number[] = [];
  let x = 0.2 + next() * 0.6;
  let y = 0.2 + next() * 0.6;
  for (let i = 0; i < 4; i++) {
    points.push(x, y);
    x = Math.min(0.95, Math.max(0.05, x + (next() - 0.5) * 0.2));
    y = Math.min(0.95, Math.max(0.05, y + (next() - 0.5) * 0.2));
  }
  return points;
}

describe('<digit-pad> under load', () => {
  afterEach(cleanup);

  it('takes thousands of rapid strokes (10,000 in Chromium) with bounded predictions, the latest drawing winning, and flat memory', async function () {
    this.timeout(240_000);
    // Chromium has performance.memory, so there a missing heap figure is a failure, not a skip. Firefox and
    // WebKit have none: there the heap is not measured (said in the log) and everything else is checked.
    const chromium = /Chrome\//.test(navigator.userAgent); // "HeadlessChrome/156" too
    if (chromium) assert(heap() !== null && typeof (globalThis as { gc?: unknown }).gc === 'function', 'performance.memory.usedJSHeapSize or gc() (--js-flags=--expose-gc) is missing in Chromium');
    const STROKES = chromium ? STROKES_CHROMIUM : STROKES_OTHERS;
    if (!chromium) console.log(`${navigator.userAgent}: ${STROKES} strokes (Chromium fires ${STROKES_CHROMIUM}); the same bounds`);
    const cnn = pretrainedCnn();
    let calls = 0;
    let concurrent = 0;
    let maxConcurrent = 0;
    const trainer = {
      async predict(pixels: Float32Array) {
        calls++;
        maxConcurrent = Math.max(maxConcurrent, ++concurrent);
        await new Promise((resolve) => setTimeout(resolve, PREDICT_DELAY_MS));
        concurrent--;
        return cnn.predict(pixels);
      },
    };
    const pad = await fixture<DigitPad>('<digit-pad></digit-pad>');
    pad.trainer = trainer;
    await pad.updateComplete;
    while (pad.modelState === 'loading') await nextEvent(pad, 'digit-model-state');
    const surface = part(pad, 'surface');
    const readings = recordEvents<WidgetEvent<'digit-prediction'>>(pad, 'digit-prediction');

    const next = seededRandom(42);
    let heapWarm: number | null = null;
    let maxGapMs = 0;
    const started = performance.now();
    let last = started;
    for (let done = 0; done < STROKES; done += BURST) {
      if (done > 0 && done % CLEAR_EVERY === 0) pad.clear();
      if (done === CLEAR_EVERY) heapWarm = heap();
      drawStrokes(surface, Array.from({ length: BURST }, () => scribble(next)), 1, 'pen');
      await macrotask();
      const now = performance.now();
      maxGapMs = Math.max(maxGapMs, now - last);
      last = now;
    }
    // The final drawing: clear, then a seven; its reading must be the last one, and a 7.
    pad.clear();
    drawStrokes(surface, SEVEN);
    const strokesMs = performance.now() - started;
    while (concurrent > 0 || calls === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    await new Promise((resolve) => setTimeout(resolve, 50));
    readings.stop();
    const heapEnd = heap();
    if (heapEnd !== null && heapWarm !== null) console.log(`JS heap after a full GC: ${(heapWarm / 2 ** 20).toFixed(2)} MiB after ${CLEAR_EVERY} strokes, ${(heapEnd / 2 ** 20).toFixed(2)} MiB after ${STROKES}`);
    if (heapEnd === null) console.log(`${navigator.userAgent}: no performance.memory, so heap growth is not measured here (Chromium measures it); predictions, ordering and responsiveness are checked`);

    // Responsive: a fresh reading of the pad answers promptly.
    const t0 = performance.now();
    const fresh = await pad.predict();
    const freshMs = performance.now() - t0;

    const finals = readings.events.filter((e) => e.detail.final);
    const lastReading = readings.events.at(-1)!;
    assert(lastReading, 'at least one reading');
    const ratio = calls / STROKES;
    const heapGrowth = heapEnd === null || heapWarm === null ? null : heapEnd - heapWarm;
    const held = ratio <= MAX_PREDICTION_RATIO && maxConcurrent === 1 && lastReading.detail.digit === 7 && fresh?.digit === 7
      && (heapGrowth === null || heapGrowth <= MAX_HEAP_GROWTH) && freshMs < MAX_FRESH_MS;
    // The reliability report's figures come from Chromium, the one engine that measures the heap.
    if (chromium) await executeServerCommand('reliability-result', {
      name: 'load-strokes',
      data: {
        check: 'load', held,
        figures: Object.entries({
          strokes: STROKES + SEVEN.length, 'strokes per burst (one task)': BURST, 'predictor delay (ms)': PREDICT_DELAY_MS,
          predictions: calls, 'predictions per stroke': Number(ratio.toFixed(4)), 'bound (predictions per stroke)': MAX_PREDICTION_RATIO,
          'most predictions in flight': maxConcurrent, 'final readings delivered': finals.length,
          'last reading (drew a 7)': lastReading.detail.digit,
          'JS heap after 1,000 strokes (MiB)': Number((heapWarm! / 2 ** 20).toFixed(1)),
          'JS heap at the end (MiB)': Number((heapEnd! / 2 ** 20).toFixed(1)),
          'heap growth bound (MiB)': MAX_HEAP_GROWTH / 2 ** 20,
          'time to fire all strokes (ms)': Math.round(strokesMs), 'longest gap between bursts (ms)': Math.round(maxGapMs),
          'fresh predict() after the load (ms)': Math.round(freshMs),
        }),
        notes: `Chromium, headless; strokes fired as synthetic pointer events in bursts of ${BURST} per task, with a clear every ${CLEAR_EVERY}; predictor = shipped CNN behind a ${PREDICT_DELAY_MS} ms delay (as a worker would answer). Heap is performance.memory.usedJSHeapSize (precise memory info) after full GCs repeated until it settles.`,
      },
    });

    assert(ratio <= MAX_PREDICTION_RATIO, `${calls} predictions for ${STROKES} strokes (ratio ${ratio} > ${MAX_PREDICTION_RATIO})`);
    equal(maxConcurrent, 1, 'predictions in flight at once');
    equal(lastReading.detail.final, true, 'last reading is final');
    equal(lastReading.detail.digit, 7, 'last reading is of the final drawing (a seven)');
    equal(fresh?.digit, 7, 'fresh reading');
    if (chromium) assert(heapGrowth !== null && heapGrowth <= MAX_HEAP_GROWTH, `heap grew by ${heapGrowth} bytes (bound ${MAX_HEAP_GROWTH})`);
    assert(freshMs < MAX_FRESH_MS, `fresh predict took ${freshMs} ms (bound ${MAX_FRESH_MS} ms; the tight figure is in npm run bench:widgets)`);
  });
});
