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
import { seededRandom } from '../shared/seeded-random.js';
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
    // One frame is the target. The bound leaves room for a 2-core machine shared with other browser tests
    // (load average ~10: every task runs ~5× slower), and still catches page work that blocks input: with
    // the MNIST test split inflated and structured-cloned on the page, inputs waited 460 ms and tasks ran 1.3 s.
    expect(worst('handled')).toBeLessThan(200);
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
    // Each fault starts from a good save; afterwards the kept model must load, pass its checksum, and be either
    // the previous save (the fault won) or the complete new one (the write had committed first), never a mix.
    const store = `const store = await import('/demo/model-store.js');`;
    const loadKept = async () => (await page.evaluate(`(async () => { ${store} const k = await store.loadSavedModel(); return k && { ...k.info, kernel0: Array.from(k.model.weights[0].values.slice(0, 8)) }; })()`)) as { label: string; savedAt: string; bytes: number; kernel0: number[] } | null;
    const save = (label: string, extra = '') => `(async () => { ${store} const k = await store.loadSavedModel(); ${extra} try { await store.saveModel(k.model, { label: ${JSON.stringify(label)} }, { signal }); return 'committed'; } catch (e) { return 'rejected: ' + e.message; } })()`;
    const first = await loadKept();
    expect(first).not.toBeNull();
    const outcomes = { quota: [] as string[], interrupted: [] as string[], tabClosed: [] as string[] };
    let previous = first!;
    const checkKept = async (newLabel: string, outcome: string) => {
      const kept = await loadKept();
      expect(kept, `a kept model after "${outcome}"`).not.toBeNull();
      expect(kept!.kernel0).toEqual(first!.kernel0); // same weights: every save here is of the same model
      if (kept!.label === newLabel) expect(kept!.savedAt > previous.savedAt).toBe(true);
      else expect({ label: kept!.label, savedAt: kept!.savedAt }).toEqual({ label: previous.label, savedAt: previous.savedAt });
      const replaced = kept!.label === newLabel;
      previous = kept!;
      return replaced;
    };

    // 1. Quota: the origin's quota lowered below its usage (DevTools protocol). Chromium reads an origin's quota
    //    when it opens its IndexedDB files, so the page leaves the origin for a moment for the new quota to apply.
    const cdp = await page.context().newCDPSession(page);
    const origin = new URL(url).origin;
    const { usage } = (await page.evaluate(() => navigator.storage.estimate())) as { usage: number };
    const quota = Math.floor(usage / 2);
    // Whether a 1 MB write to the store's own database commits now (the probe record is removed again).
    const probeWrite = () =>
      page.evaluate(async () => {
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const r = indexedDB.open('digit-classifier-demo');
          r.onsuccess = () => resolve(r.result);
          r.onerror = () => reject(r.error);
        });
        const run = (write: (store: IDBObjectStore) => void) =>
          new Promise<string>((resolve) => {
            const tx = db.transaction('models', 'readwrite');
            write(tx.objectStore('models'));
            tx.oncomplete = () => resolve('committed');
            tx.onabort = () => resolve(tx.error?.name ?? 'aborted');
          });
        const outcome = await run((store) => store.put(new ArrayBuffer(1 << 20), 'quota-probe'));
        if (outcome === 'committed') await run((store) => store.delete('quota-probe'));
        db.close();
        return outcome;
      });
    const reopenWithQuota = async (quotaSize?: number) => {
      // Chromium closes an origin's IndexedDB files about 2 s after its last connection; give it 4 s, more if it needs it.
      for (let attempt = 1; ; attempt++) {
        await page.goto('about:blank');
        await new Promise((resolve) => setTimeout(resolve, 2000 + 2000 * attempt));
        await cdp.send('Storage.overrideQuotaForOrigin', quotaSize === undefined ? { origin } : { origin, quotaSize });
        await page.goto(url);
        await page.waitForFunction(() => document.documentElement.dataset.ready === 'true', null, { polling: 100 });
        const probe = await probeWrite();
        if (probe === (quotaSize === undefined ? 'committed' : 'QuotaExceededError')) return;
        if (attempt === 3) throw new Error(`the quota override did not take effect after ${attempt} tries (a 1 MB write: ${probe})`);
      }
    };
    await reopenWithQuota(quota);
    // A wider model (784-512-10, 1.6 MB) than the kept one, then the same model again, then the wider one again.
    const wider = `const units = 512; k.model = { spec: { ...k.model.spec, name: 'custom', layers: [{ ...k.model.spec.layers[0], units }, k.model.spec.layers[1]] }, weights: [[784, units], [units], [units, 10], [10]].map((shape, j) => ({ name: k.model.weights[j].name, shape, values: new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(0.01) })) };`;
    for (const [i, extra] of [wider, '', wider].entries()) {
      const outcome = (await page.evaluate(save(`QUOTA-${i}`, `const signal = undefined; ${extra}`))) as string;
      outcomes.quota.push(outcome);
      expect(outcome).toMatch(/^rejected: Not saved \(.*quota/i);
      expect(await checkKept(`QUOTA-${i}`, outcome)).toBe(false); // the kept model is still the lesson MLP, unchanged
    }
    // The visitor's Save button says why, and the kept model stays.
    await page.click('#save-model');
    await waitText('#keep-status', /^Not saved \(the browser's storage quota for this site is full \(QuotaExceededError\)\); the previous save is unchanged/, 15_000);
    expect(await checkKept('never', 'the Save button over quota')).toBe(false);
    await reopenWithQuota(); // back to the real quota
    await cdp.detach();

    // 2. Interrupted: the save's AbortSignal fires at a seeded random moment, 0–12 ms after the save starts.
    const next = seededRandom(11);
    let interruptedReplaced = 0;
    for (let i = 0; i < 12; i++) {
      const delay = Math.floor(next() * 13);
      const outcome = (await page.evaluate(save(`INTERRUPTED-${i}`, `const c = new AbortController(); const signal = c.signal; setTimeout(() => c.abort(), ${delay});`))) as string;
      outcomes.interrupted.push(outcome);
      expect(outcome).toMatch(/^committed$|^rejected: Not saved \(the save was interrupted\)/);
      const replaced = await checkKept(`INTERRUPTED-${i}`, outcome);
      expect(replaced).toBe(outcome === 'committed');
      if (replaced) interruptedReplaced++;
    }

    // 3. The tab reloads while a save is in flight (the page goes away mid-transaction).
    let closedReplaced = 0;
    for (let i = 0; i < 3; i++) {
      await page.evaluate(`void ${save(`TAB-CLOSED-${i}`, 'const signal = undefined;')}`);
      await new Promise((resolve) => setTimeout(resolve, Math.floor(next() * 8)));
      await page.reload();
      await page.waitForFunction(() => document.documentElement.dataset.ready === 'true', null, { polling: 100 });
      const replaced = await checkKept(`TAB-CLOSED-${i}`, 'reload');
      outcomes.tabClosed.push(replaced ? 'the save had committed: the new model, whole' : 'the previous save, unchanged');
      if (replaced) closedReplaced++;
    }
    await waitText('#keep-status', /^Restored the model saved in this browser/, 15_000);

    writeReliabilityResult('faults-indexeddb-save', {
      check: 'faults', held: true, seed: 11,
      figures: {
        'saves over quota (QuotaExceededError)': `${outcomes.quota.length} (quota ${quota.toLocaleString('en-US')} bytes, half the origin's usage; a 1.6 MB model, the kept 407 KB one, the 1.6 MB one again): all rejected, the previous save unchanged each time`,
        'saves interrupted by their AbortSignal (0–12 ms in)': `${outcomes.interrupted.length}: ${outcomes.interrupted.length - interruptedReplaced} rolled back (previous save unchanged), ${interruptedReplaced} had committed first (the new save, whole)`,
        'tab reloaded mid-save': `${outcomes.tabClosed.length}: ${outcomes.tabClosed.length - closedReplaced} left the previous save, ${closedReplaced} had committed first`,
        'a save of a broken model': 'rejected before the write (previous test)',
        'kept model after each fault': 'loads, passes its checksum, same weights; never a mix of two saves',
        'error shown for quota': outcomes.quota[0].replace(/^rejected: /, ''),
      },
      notes: 'The demo page (dist/demo) in headless Chromium, through its model store (demo/src/model-store.ts: one put in one readwrite transaction, strict durability, checksum on load). Quota lowered with the DevTools protocol (Storage.overrideQuotaForOrigin), applied by leaving the origin for 4 s (Chromium reads the quota when it opens the origin\'s IndexedDB files).',
      browser: 'Chromium',
    });
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
