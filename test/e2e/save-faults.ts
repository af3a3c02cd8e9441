/**
 * The demo's model store under faults, in Chromium (the DevTools protocol lowers the quota): each fault
 * starts from a good save, and afterwards the kept model must load, pass its checksum, and be either the
 * previous save (the fault won) or the complete new one (the write had committed first), never a mix.
 * Faults: saves over quota (through the store and through the Save button), saves whose AbortSignal fires
 * 0–12 ms in (seeded), and the tab reloaded mid-save. Writes the figures to the reliability report.
 * The page must be the demo at `url` with a model saved.
 */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { writeReliabilityResult } from '../core/helpers/reliability-results.js';
import { seededRandom } from '../shared/seeded-random.js';

export async function checkSaveFaults(page: Page, url: string, waitText: (selector: string, pattern: RegExp, timeout?: number) => Promise<unknown>): Promise<void> {
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
}
