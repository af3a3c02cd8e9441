/**
 * The demo end to end, as a visitor uses it, against the served build: the
 * page loads cross-origin isolated under a strict CSP and paints before any
 * MNIST byte; one short epoch trains on WASM in the worker while the page
 * answers input; the chart and the confusion matrix fill and the report card
 * answers the lesson's question; a drawn digit is read by the shipped CNN and
 * by the model just trained; that model survives a reload through IndexedDB
 * (and an interrupted save does not clobber it) and a round trip through
 * downloaded model.json + weights.bin; the backend comparison runs; the
 * framework example trains. Screenshots of each panel land in
 * test-artifacts/demo/.
 */
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReliabilityResult } from '../core/helpers/reliability-results.js';
import { checkSaveFaults } from './save-faults.js';
import { ARTIFACTS, drawOnPad, nextReading, openDemo, ROOT, SEVEN, type PadReading, type PageProblems } from './demo-harness.js';

/** Training images of the short run: enough batches (47) to pause in and draw during. */
const TRAIN_SIZE = 3000;
const BATCHES = Math.ceil(TRAIN_SIZE / 64);

let url = '';
let page: Page;
let problems: PageProblems;
let stop: () => Promise<void> = async () => undefined;
/** What the trained model read on the pad, to compare after the save and file round trips. */
let trainedReading: PadReading | null = null;
let trainedAccuracy = '';
/** What the one-tag embed read, for the CSP record. */
let embedReading: { digit: number; probability: number } | null = null;
/** Event Timing entries (over 16 ms) and the longest task while the short run trained. */
let inputWhileTraining: { events: { name: string; duration: number; handled: number }[]; longest: number } | null = null;

const text = (selector: string) => page.locator(selector).innerText();
const shot = (selector: string, name: string) => page.locator(selector).screenshot({ path: join(ARTIFACTS, `${name}.png`), animations: 'disabled' });
const waitText = (selector: string, pattern: RegExp, timeout = 120_000) =>
  page.waitForFunction(([s, source, flags]) => new RegExp(source, flags).test(document.querySelector(s)?.textContent ?? ''), [selector, pattern.source, pattern.flags] as const, { timeout, polling: 100 }); // not every frame: the page's frames are what is measured

beforeAll(async () => {
  ({ url, page, problems, stop } = await openDemo());
});

afterAll(async () => {
  await stop();
});

describe('the demo page', () => {
  it('loads cross-origin isolated under a strict CSP, and paints before any MNIST byte', async () => {
    const response = await page.goto(`${url}?train=${TRAIN_SIZE}&epochs=1&backend=wasm`);
    const headers = response!.headers();
    expect(headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(headers['cross-origin-embedder-policy']).toBe('require-corp');
    const csp = headers['content-security-policy'];
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
    expect(csp).toContain("frame-ancestors 'none'"); // `--frame-ancestors self` is the test harness's, not the default
    await page.waitForFunction(() => document.documentElement.dataset.ready === 'true', null, { polling: 100 });
    const state = await page.evaluate(() => ({
      isolated: crossOriginIsolated,
      inlineScripts: document.querySelectorAll('script:not([src])').length,
      fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
      mnist: performance.getEntriesByType('resource').filter((r) => r.name.includes('/mnist/')).length,
      scripts: performance.getEntriesByType('resource').map((r) => new URL(r.name).pathname).filter((p) => p.endsWith('.js')),
    }));
    expect(state.isolated).toBe(true);
    expect(state.inlineScripts).toBe(0);
    expect(state.fcp).not.toBeNull();
    expect(state.mnist).toBe(0); // MNIST waits for Start
    expect(page.workers()).toHaveLength(0); // and so does the worker
    // The size report measures exactly what the page loads.
    const report = JSON.parse(readFileSync(join(ROOT, 'dist/demo/size-report.json'), 'utf8'));
    const measured = new Set<string>(report.demo.files.map((f: string) => `/demo/${f}`));
    const code = state.scripts.filter((p) => !p.includes('pretrained-model-data'));
    expect(code.sort()).toEqual([...measured].sort());
    await shot('main', 'page-before-training');
  });

  it("keeps the page's own JavaScript (no tfjs) within 60 KB gzip", () => {
    const report = JSON.parse(readFileSync(join(ROOT, 'dist/demo/size-report.json'), 'utf8'));
    console.log(`demo JS ${(report.demo.jsGzipBytes / 1024).toFixed(1)} KB gzip + ${(report.demo.modelDataGzipBytes / 1024).toFixed(1)} KB pretrained weights`);
    expect(report.demo.jsGzipBytes).toBeGreaterThan(10_000);
    expect(report.demo.jsGzipBytes).toBeLessThanOrEqual(60 * 1024);
  });

  it('trains one short epoch on WASM in the worker, with pause and resume, while the page answers input', async () => {
    await page.evaluate(() => {
      const w = window as unknown as { __events: { name: string; duration: number; handled: number }[]; __longest: number };
      w.__events = [];
      w.__longest = 0;
      new PerformanceObserver((list) =>
        list.getEntries().forEach((e) => {
          const t = e as PerformanceEventTiming;
          // handled: from the input to the end of its handlers (what the page controls); duration adds the next frame's presentation.
          w.__events.push({ name: t.name, duration: t.duration, handled: t.processingEnd - t.startTime });
        }),
      ).observe({ type: 'event', durationThreshold: 16 } as PerformanceObserverInit);
      new PerformanceObserver((list) => list.getEntries().forEach((e) => (w.__longest = Math.max(w.__longest, e.duration)))).observe({ type: 'longtask' });
    });
    await page.click('#start');
    // Pause at once, while MNIST is still on its way: the run must start paused, before its first batch.
    await page.click('#pause');
    await waitText('#train-status', /^Paused/);
    await waitText('#download-text', /^MNIST ready/, 120_000);
    await waitText('#train-status', /^Paused before the first batch/);
    const points = () => page.evaluate(() => (document.getElementById('loss-chart') as unknown as { points: number }).points);
    await page.waitForTimeout(1500);
    expect(await points()).toBe(0);
    // Input while training runs: resume, draw on the pad, press buttons.
    await page.click('#pause');
    expect(await text('#pause')).toBe('Pause');
    await drawOnPad(page, SEVEN);
    await page.locator('#pad button[part~="clear-button"]').click();
    await waitText('#train-status', /^Done: 1 epoch/);
    inputWhileTraining = await page.evaluate(() => {
      const w = window as unknown as { __events: { name: string; duration: number; handled: number }[]; __longest: number };
      return { events: w.__events, longest: w.__longest };
    });

    // The backend actually used, and why.
    const backend = await text('#backend-line');
    // A dense model on WASM trains on the fused engine; cross-origin isolation lets it start its second thread.
    expect(backend).toMatch(/WASM, fused engine \((relaxed-simd|simd128), 2 threads\)/);
    expect(backend).toMatch(/you asked for WASM/);
    // The chart: every batch and the epoch's accuracy.
    const chart = await page.evaluate(() => {
      const c = document.getElementById('loss-chart') as unknown as { points: number; accuracy: number[] };
      return { points: c.points, accuracy: c.accuracy };
    });
    expect(chart.points).toBe(BATCHES);
    expect(chart.accuracy).toHaveLength(1);
    // The per-epoch table.
    const rows = await page.locator('#epoch-rows tr').allInnerTexts();
    expect(rows).toHaveLength(1);
    const cells = rows[0].split('\t');
    expect(cells[0]).toBe('1');
    trainedAccuracy = cells[3];
    expect(Number.parseFloat(trainedAccuracy)).toBeGreaterThan(70);
    await shot('#train', 'train-panel');
  });

  it('answers input while the worker trains (Event Timing of the clicks and strokes above)', () => {
    const { events, longest } = inputWhileTraining!;
    const worst = (key: 'duration' | 'handled') => Math.max(0, ...events.map((e) => e[key]));
    console.log(
      `input while training: ${events.length} events over 16 ms; slowest handled ${worst('handled').toFixed(0)} ms after the input, ` +
        `slowest to the next frame ${worst('duration')} ms; longest main-thread task ${longest.toFixed(0)} ms`,
    );
    // One frame is the target; the figures are logged each run. The check is for page work that blocks input,
    // which shows twice: a late input and a long main-thread task. With the MNIST test split inflated and
    // structured-cloned on the page, inputs waited 460 ms and a task ran 1.3 s. Without it, over six runs, the
    // slowest input was handled in 17–53 ms on a quiet machine and in 213 and 380 ms under load (the renderer
    // waits its turn for one of 2 busy cores: late input, but tasks of 231 and 269 ms), and the longest task
    // ran 57–481 ms. So a run fails when an input waited 300 ms or more while a task ran 600 ms or more.
    const frozen = worst('handled') >= 300 && longest >= 600;
    expect(frozen, `slowest input handled ${worst('handled').toFixed(0)} ms after it came, longest task ${longest.toFixed(0)} ms`).toBe(false);
  });

  it('fills the report card: matrix, top pairs with examples, the lesson answer, recall, calibration, cell images', async () => {
    const matrix = await page.evaluate(() => (document.getElementById('matrix') as unknown as { matrix: number[][] }).matrix);
    expect(matrix).toHaveLength(10);
    const total = matrix.flat().reduce((a, b) => a + b, 0);
    expect(total).toBe(10_000);
    const correct = matrix.reduce((n, row, i) => n + row[i], 0);
    expect((correct / total) * 100).toBeCloseTo(Number.parseFloat(trainedAccuracy), 1);
    expect(await page.locator('#pairs ol.pairs > li').count()).toBe(3);
    expect(await page.locator('#pairs canvas.digit').count()).toBeGreaterThan(6);
    expect(await text('#lesson-answer')).toMatch(/^(Yes|Partly|No)\b.*top three/);
    expect(await page.locator('#recall tbody tr').count()).toBe(10);
    expect(await text('#calibration')).toMatch(/Expected calibration error \d+\.\d+% before, \d+\.\d+% after temperature scaling \(T = \d/);
    expect(await page.locator('#calibration svg.reliability rect.after').count()).toBeGreaterThan(0);
    // Click the cell of the most confused pair: the images behind it appear.
    const [top] = await page.evaluate(() => (document.getElementById('matrix') as unknown as { topPairs: { a: number; b: number }[] }).topPairs.map((p) => ({ ...p })));
    await page.locator(`#matrix td[data-row="${top.a}"][data-column="${top.b}"]`).click();
    await waitText('#cell-examples', new RegExp(`true ${top.a} read as ${top.b}`), 10_000);
    expect(await page.locator('#cell-examples canvas.digit').count()).toBe(Math.min(40, matrix[top.a][top.b]));
    // The images are painted (not blank canvases).
    const ink = await page.evaluate(() => {
      const c = document.querySelector<HTMLCanvasElement>('#cell-examples canvas.digit')!;
      return c.getContext('2d')!.getImageData(0, 0, 28, 28).data.filter((v, i) => i % 4 === 0 && v > 128).length;
    });
    expect(ink).toBeGreaterThan(20);
    await shot('#report', 'report-card');
  });

  it('reads a drawn digit with the shipped CNN and with the model just trained', async () => {
    await page.check('input[name="draw-model"][value="pretrained"]');
    let reading = await nextReading(page);
    await drawOnPad(page, SEVEN);
    const pretrained = await reading();
    expect(pretrained.source).toBe('pretrained');
    expect(pretrained.digit).toBe(7);
    await waitText('#draw-reading', /^Read as 7 .* by the shipped CNN/, 10_000);
    // Switch to the trained model: the pad reads the same drawing again.
    reading = await nextReading(page);
    await page.check('input[name="draw-model"][value="mine"]');
    trainedReading = await reading();
    expect(trainedReading.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    await waitText('#draw-reading', /by your model \(Lesson MLP, epoch 1 of 1/, 10_000);
    const bars = await page.evaluate(() => (document.querySelector('softmax-bars') as unknown as { digit: number | null }).digit);
    expect(bars).toBe(trainedReading.isDigit ? trainedReading.digit : null); // the bars claim no digit for "not a digit"
    await shot('#draw', 'draw-panel');
  });

  it('saves the model in IndexedDB, keeps it through failed and interrupted saves, and restores it after a reload', async () => {
    await page.click('#save-model');
    await waitText('#keep-status', /^Saved: Lesson MLP/, 15_000);
    // A save that fails or is interrupted must leave the previous save as it was.
    const kept = await page.evaluate(`(async () => {
      const store = await import('/demo/model-store.js');
      const before = await store.loadSavedModel();
      const outcomes = [];
      const interrupted = new AbortController();
      interrupted.abort();
      try { await store.saveModel(before.model, { label: 'INTERRUPTED' }, { signal: interrupted.signal }); outcomes.push('interrupted save committed'); }
      catch (e) { outcomes.push('interrupted: ' + e.message); }
      try { await store.saveModel({ spec: before.model.spec, weights: [] }, { label: 'BROKEN' }); outcomes.push('broken save committed'); }
      catch (e) { outcomes.push('broken: ' + e.message); }
      const after = await store.loadSavedModel();
      return { before: before.info, after: after.info, outcomes };
    })()`);
    const { before, after, outcomes } = kept as { before: { label: string; savedAt: string }; after: { label: string; savedAt: string }; outcomes: string[] };
    expect(outcomes[0]).toMatch(/^interrupted: Not saved \(the save was interrupted\)/);
    expect(outcomes[1]).toMatch(/^broken: /);
    expect(after).toEqual(before);
    await shot('#keep', 'keep-panel-saved');

    await page.reload();
    await page.waitForFunction(() => document.documentElement.dataset.ready === 'true', null, { polling: 100 });
    await waitText('#keep-status', /^Restored the model saved in this browser/, 15_000);
    expect(await text('#saved-info')).toContain(before.label);
    const reading = await nextReading(page);
    await page.check('input[name="draw-model"][value="mine"]');
    await drawOnPad(page, SEVEN);
    const restored = await reading();
    expect(restored.source).toBe('model');
    expect(restored.digit).toBe(trainedReading!.digit);
    restored.probabilities.forEach((p, i) => expect(p).toBeCloseTo(trainedReading!.probabilities[i], 6));
  });

  it('keeps the previous save through quota failures, interrupted saves and a tab closed mid-save (reliability figures)', async () => {
    await checkSaveFaults(page, url, waitText);
  });

  it('downloads model.json + weights.bin and loads those files back', async () => {
    const downloads: import('playwright-core').Download[] = [];
    page.on('download', (d) => downloads.push(d));
    await page.click('#download-model');
    await expect.poll(() => downloads.length, { timeout: 15_000 }).toBe(2);
    const dir = join(ARTIFACTS, 'downloads');
    mkdirSync(dir, { recursive: true });
    const paths: string[] = [];
    for (const d of downloads) {
      const path = join(dir, d.suggestedFilename());
      await d.saveAs(path);
      paths.push(path);
    }
    expect(downloads.map((d) => d.suggestedFilename()).sort()).toEqual(['model.json', 'weights.bin']);
    const modelJson = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    expect(modelJson.format).toBe('layers-model');
    expect(modelJson.weightsManifest[0].paths).toEqual(['weights.bin']);
    expect(statSync(join(dir, 'weights.bin')).size).toBe((784 * 128 + 128 + 128 * 10 + 10) * 4); // the lesson MLP, float32

    await page.setInputFiles('#model-files', paths);
    await waitText('#keep-status', /^Loaded model\.json \+ weights\.bin|^Loaded weights\.bin \+ model\.json/, 10_000);
    expect(await page.isChecked('input[name="draw-model"][value="mine"]')).toBe(true);
    const reading = await nextReading(page);
    await drawOnPad(page, SEVEN);
    const loaded = await reading();
    loaded.probabilities.forEach((p, i) => expect(p).toBeCloseTo(trainedReading!.probabilities[i], 6));
    // The loaded model scores what it scored when it was trained.
    await page.click('#evaluate-model');
    await waitText('#keep-status', /^Evaluated: /, 60_000);
    expect(await text('#keep-status')).toContain(`Evaluated: ${trainedAccuracy} of the test set`);
    await shot('#keep', 'keep-panel');
  });

  it('aborts a run between two batches and offers the model as it stood', async () => {
    await page.fill('#train-form input[name="epochs"]', '3');
    // All 60,000 digits: epoch 1 lasts long enough that the click lands inside it on any machine.
    await page.selectOption('#train-form select[name="trainSize"]', '60000');
    await page.click('#start');
    await waitText('#train-progress', /^Epoch 1 of 3: batch \d+/, 120_000);
    await page.click('#abort');
    await waitText('#train-status', /^Aborted after 0 full epochs\. The model as it stood reads \d+\.\d+% of the test set\./, 60_000);
    expect(await page.locator('#epoch-rows tr').count()).toBe(0);
    expect(await text('#keep-model')).toMatch(/aborted after \d+ batches/);
    expect(await page.isDisabled('#start')).toBe(false); // ready for the next run
  });

  it('compares backends side by side on an equal workload', async () => {
    await page.goto(`${url}?compare=1000`);
    await page.waitForFunction(() => document.documentElement.dataset.ready === 'true', null, { polling: 100 });
    await page.click('#compare-run');
    await waitText('#compare-status', /^(Done|No backend|Comparison failed)/, 140_000);
    expect(await text('#compare-status')).toMatch(/^Done: [56] of 6 started/);
    const rows = await page.locator('#compare-results tbody tr').allInnerTexts();
    expect(rows).toHaveLength(6);
    const [simd128, relaxed, twoThreads, wasm, webgpu, cpu] = rows.map((r) => r.split('\t'));
    const trainRate = (row: string[]) => Number.parseFloat(row[2].replace(/,/g, ''));
    for (const row of [simd128, relaxed, twoThreads, wasm, cpu]) {
      const seconds = Number.parseFloat(row[1]);
      expect(seconds, row[0]).toBeGreaterThan(0); // s/epoch
      // The columns agree: an epoch of the 1,000 compared digits at the shown rate takes the shown time
      // (within the 3-decimal rounding of s/epoch).
      expect(Math.abs(seconds * trainRate(row) - 1000), `${row[0]}: ${seconds} s × ${trainRate(row)}/s`).toBeLessThanOrEqual(trainRate(row) * 0.0005 + 1);
      expect(Number.parseFloat(row[3].replace(/,/g, ''))).toBeGreaterThan(0); // inference samples/s
      expect(row[4]).toMatch(/\d+ ms|\d+\.\d+ s/); // init time
      // Every backend really trained the same model: 2 epochs on 1,000 digits reach well above chance (10 %).
      expect(Number.parseFloat(row[5]), `${row[0]} held-out accuracy`).toBeGreaterThan(60);
    }
    // The comparison shows real differences: the fused engine (one thread) trains several times faster than
    // the pure-JS CPU backend.
    expect(trainRate(simd128) / trainRate(cpu), 'fused simd128 over CPU, train samples/s').toBeGreaterThan(3);
    // The fused engine per variant (the demo server is cross-origin isolated, so two threads start).
    expect(simd128[0]).toMatch(/^WASM, fused engine \(simd128, 1 thread\)/);
    expect(relaxed[0]).toMatch(/^WASM, fused engine \(relaxed-simd, 1 thread\)/);
    expect(twoThreads[0]).toMatch(/^WASM, fused engine \((relaxed-simd|simd128), 2 threads\)/);
    expect(wasm[0]).toMatch(/^WASM \((threaded )?SIMD/);
    expect(cpu[0]).toMatch(/^CPU/);
    // WebGPU either ran or says why it did not.
    expect(webgpu.join(' ')).toMatch(/^WebGPU.*\d|^WebGPU\s*did not start: \S+/);
    await shot('#compare', 'compare-panel');
  });

  it('the framework example drives training through the headless API and its events', async () => {
    await page.goto(`${url}framework-example.html?train=1000&epochs=1`);
    await page.locator('#app button.primary').click();
    await waitText('#fw-phase', /^\s*done/, 120_000);
    expect(await page.locator('#fw-epochs tr').count()).toBe(1);
    const reading = await nextReading(page, 'fw-pad');
    await drawOnPad(page, SEVEN, 'fw-pad');
    const r = await reading();
    expect(r.source).toBe('model');
    await waitText('#fw-reading', /^Read as \d/, 10_000);
    await shot('main', 'framework-example');
  });

  it('the one-tag embed: <digit-pad> and <softmax-bars> from the widgets\' CDN file read a drawn 7 under the strict CSP', async () => {
    const response = await page.goto(`${url}embed.html`);
    const csp = response!.headers()['content-security-policy'];
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(csp).not.toMatch(/'unsafe-(inline|eval)'/); // no inline script, no eval, no inline style either
    await page.waitForFunction(() => customElements.get('digit-pad') !== undefined && customElements.get('softmax-bars') !== undefined, null, { polling: 100 });
    const state = await page.evaluate(() => ({
      inlineScripts: document.querySelectorAll('script:not([src])').length,
      scripts: performance.getEntriesByType('resource').map((r) => new URL(r.name).pathname).filter((p) => p.endsWith('.js')),
    }));
    expect(state.inlineScripts).toBe(0);
    expect(state.scripts).toEqual(['/cdn/digit-classifier-widgets.js']); // one file: no tfjs, no worker, no model download
    const reading = await nextReading(page);
    await drawOnPad(page, SEVEN);
    const read = await reading();
    expect(read.digit).toBe(7);
    const bars = await page.evaluate(() => {
      const el = document.querySelector('softmax-bars') as HTMLElement & { digit: number | null };
      const fill = el.shadowRoot!.querySelectorAll('[part="fill"]')[7] as HTMLElement;
      return { digit: el.digit, value: getComputedStyle(fill).getPropertyValue('--_value').trim(), width: fill.getBoundingClientRect().width };
    });
    expect(bars.digit).toBe(7);
    expect(Number(bars.value)).toBeCloseTo(read.probabilities[7], 5); // set through the CSSOM, which CSP allows
    expect(bars.width).toBeGreaterThan(0);
    embedReading = { digit: read.digit, probability: read.probabilities[7] };
    await shot('body', 'embed-page');
  });

  it('reported no page errors, console errors or CSP violations', () => {
    expect(problems.errors, 'uncaught errors').toEqual([]);
    expect(problems.csp, 'CSP violations').toEqual([]);
    expect(problems.console, 'console errors').toEqual([]);
    writeReliabilityResult('security-csp', {
      check: 'security', held: true,
      figures: {
        'pages under the policy': 'the demo (train, report card, draw, keep, compare backends), the framework example, the one-tag embed (<digit-pad> + <softmax-bars> from dist/cdn/)',
        'script-src': "'self' 'wasm-unsafe-eval' (no 'unsafe-inline', no 'unsafe-eval', no inline script on any page)",
        'style-src': "'self' (no inline style: the widgets use constructed stylesheets and the CSSOM)",
        'CSP violations over the whole run': problems.csp.length,
        'page errors / console errors': `${problems.errors.length} / ${problems.console.length}`,
        'the embed read a drawn 7': embedReading ? `yes (p = ${embedReading.probability.toFixed(3)})` : 'not run',
      },
      notes: "All of `npm run test:e2e` in headless Chromium against `npm start`'s server (scripts/serve-demo.mjs), every `securitypolicyviolation` event collected. The worker script has its own policy, the same plus `blob:` for scripts and workers: tfjs's threaded WASM starts its threads from blob URLs. Without it the worker falls back to single-threaded SIMD WASM.",
      browser: 'Chromium',
    });
  });
});
