/**
 * The demo and the embed page in each engine (Chromium, Firefox ESR, WebKit;
 * BROWSERS narrows): each engine gets a freshly started demo server (new
 * port, cold caches), as a first visit after `npm start` would.
 *
 * 1. Start on backend=auto reaches a trained epoch. In Firefox this hung in 5
 *    of 6 cold runs (tfjs's threaded WASM start never settled: see
 *    workers/wasm-threads.ts), and later in 2 of 11 on a loaded machine (the
 *    trainer's fused engine created a helper Web Worker right after auto's
 *    calibration ended one: see src/kernels/web-thread-host.ts); this test is
 *    what catches it again.
 * 2. A 7 drawn with the mouse, and with touch and pen wherever the engine's
 *    automation sends them as trusted input, is read as 7.
 * 3. At a phone's size (390×844) neither page scrolls sideways and nothing
 *    runs past its card.
 * 4. The learn-my-handwriting loop: a real MNIST digit the pad misreads is
 *    corrected with one click, Adapt fine-tunes in the worker (WASM), and the
 *    pad then reads it right, MNIST test accuracy within 0.3 points (Firefox
 *    and WebKit; Chromium's run of the same loop is adapt.e2e.test.ts).
 *
 * The Chromium-only suite (demo.e2e.test.ts) covers what needs the DevTools
 * protocol (storage quota, downloads, Event Timing).
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectedEngines } from '../browsers/engines.mjs';
import { ARTIFACTS, assertBuilt, misreadDigits, startServer } from './demo-harness.js';
import { openEnginePage, type Engine, type EnginePage, type PointerKind } from '../browsers/engine-page.mjs';

/** The 7 the Chromium suite draws (demo-harness.ts): the bar, then the diagonal, in one stroke. */
const SEVEN: [number, number][][] = [
  [[0.27, 0.22], [0.5, 0.21], [0.73, 0.22], [0.6, 0.45], [0.5, 0.65], [0.43, 0.84]],
];
const figures: Record<string, unknown> = {};
const READY = `document.documentElement.dataset.ready === 'true'`;

/** Elements that reach past the page's width or past their card (.panel, or the page's top-level boxes). */
const OVERFLOW = `(() => {
  const vw = document.documentElement.clientWidth;
  const found = [];
  if (document.documentElement.scrollWidth > vw + 1) found.push('the page scrolls sideways: ' + document.documentElement.scrollWidth + ' > ' + vw);
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.getAttribute('name') ? '[name=' + el.getAttribute('name') + ']' : '') + (typeof el.className === 'string' && el.className ? '.' + el.className.split(' ')[0] : '');
  const cards = [...document.querySelectorAll('.panel')];
  if (!cards.length) cards.push(document.body);
  for (const card of cards) {
    const box = card.getBoundingClientRect();
    if (!box.width) continue;
    for (const el of card.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (!r.width || !r.height) continue;
      let scroller = false;
      for (let p = el.parentElement; p && p !== card; p = p.parentElement) if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(p).overflowX)) scroller = true;
      if (scroller) continue;
      if (r.right > box.right + 1 || r.left < box.left - 1) found.push(name(el) + ' spans ' + Math.round(r.left) + '..' + Math.round(r.right) + ' in ' + name(card) + ' ' + Math.round(box.left) + '..' + Math.round(box.right));
    }
  }
  return found.slice(0, 8);
})()`;

/** Draws SEVEN on the pad `#id` with `kind` and resolves with the final digit read. */
async function drawSeven(page: EnginePage, kind: PointerKind, id = 'pad'): Promise<number> {
  const rect = await page.evaluate<{ x: number; y: number; w: number; h: number }>(`(async () => {
    const pad = document.getElementById(${JSON.stringify(id)});
    pad.clear();
    const surface = pad.shadowRoot.querySelector('canvas[part="surface"]');
    surface.scrollIntoView({ block: 'center', behavior: 'instant' });
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    window.__kinds = [];
    surface.addEventListener('pointerdown', (e) => window.__kinds.push(e.pointerType));
    window.__reading = new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no final reading within 15 s')), 15000);
      pad.addEventListener('digit-prediction', function on(e) {
        if (!e.detail.final) return;
        pad.removeEventListener('digit-prediction', on);
        clearTimeout(timer);
        resolve(e.detail.digit);
      });
    });
    const r = surface.getBoundingClientRect();
    return { x: r.left, y: r.top, w: r.width, h: r.height };
  })()`);
  for (const s of SEVEN) await page.stroke(kind, s.map(([u, v]) => [rect.x + u * rect.w, rect.y + v * rect.h] as const));
  const kinds = await page.evaluate<string[]>('window.__kinds');
  expect(kinds.length, `${page.engine} delivered ${kind} input to the pad`).toBeGreaterThan(0);
  expect(new Set(kinds), `${page.engine} delivered ${kind} input as pointerType ${kind}`).toEqual(new Set([kind]));
  return page.evaluate<number>('window.__reading');
}

/** Draws `strokes` (pad units) on a cleared pad with the mouse and resolves with the final reading. */
async function drawReading(page: EnginePage, strokes: readonly (readonly (readonly [number, number])[])[]): Promise<{ digit: number; isDigit: boolean; source: string }> {
  const rect = await page.evaluate<{ x: number; y: number; w: number; h: number }>(`(async () => {
    const pad = document.getElementById('pad');
    pad.clear();
    const surface = pad.shadowRoot.querySelector('canvas[part="surface"]');
    surface.scrollIntoView({ block: 'center', behavior: 'instant' });
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const r = surface.getBoundingClientRect();
    return { x: r.left, y: r.top, w: r.width, h: r.height };
  })()`);
  for (const s of strokes) await page.stroke('mouse', s.map(([u, v]) => [rect.x + u * rect.w, rect.y + v * rect.h] as const));
  // The pad reads after every stroke: ask once more after the last, and take that event's detail.
  return page.evaluate(`(async () => {
    const pad = document.getElementById('pad');
    let detail = null;
    const on = (e) => { if (e.detail.final) detail = { digit: e.detail.digit, isDigit: e.detail.isDigit, source: e.detail.source }; };
    pad.addEventListener('digit-prediction', on);
    try { await pad.predict(); } finally { pad.removeEventListener('digit-prediction', on); }
    if (!detail) throw new Error('no reading of the drawing');
    return detail;
  })()`);
}

describe.each(selectedEngines() as Engine[])('the demo in %s', (engine) => {
  let server: { url: string; process: ChildProcess };
  let page: EnginePage;

  beforeAll(async () => {
    assertBuilt();
    // Framing by the same origin allowed: where the window cannot be 390 px wide (WebKitGTK), the phone check
    // lays the page out in a same-origin 390×844 iframe, which the demo's default frame-ancestors 'none' refuses.
    server = await startServer(['--frame-ancestors', 'self']);
    page = await openEnginePage(engine);
  });

  /** Opens `url` and waits for `ready`; a timeout names the page's state then (engine-page.mjs). */
  async function openReady(url: string, ready: string): Promise<void> {
    await page.goto(url);
    await page.waitFor(ready, 60_000, `the page (${url}) ready`);
  }

  afterAll(async () => {
    await page?.close();
    server?.process.kill();
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(join(ARTIFACTS, 'engines.json'), JSON.stringify(figures, null, 2));
  });

  it('trains from a cold server on backend=auto: Start reaches the first epoch', async () => {
    await openReady(`${server.url}?train=2000&epochs=1&backend=auto`, READY);
    const t0 = Date.now();
    await page.evaluate(`document.getElementById('start').click()`);
    await page.waitFor(`document.querySelectorAll('#epoch-rows tr').length >= 1`, 120_000, `the first epoch after Start (backend line: "${await page.evaluate<string>(`document.getElementById('backend-line').textContent`)}")`);
    const backend = await page.evaluate<string>(`document.getElementById('backend-line').textContent`);
    const row = await page.evaluate<string>(`document.querySelector('#epoch-rows tr').innerText`);
    figures[engine] = { version: page.version, backend, epoch: row, startToEpochS: (Date.now() - t0) / 1000 };
    console.log(`${engine} (${page.version}): ${backend}\n  first epoch: ${row.replace(/\t/g, ' | ')}`);
    expect(backend).toMatch(/^Backend: (WASM|CPU|WebGPU)/);
    const accuracy = Number(/(\d+(\.\d+)?)\s*%/.exec(row)?.[1]);
    expect(accuracy, `held-out accuracy after one epoch on 2,000 digits in ${engine}`).toBeGreaterThan(70);
    // Longer than its waits together (60 s + 120 s), so that a stall reports its own step and the page's state.
  }, 240_000);

  it('reads a 7 drawn with the mouse, and with touch and pen where the automation sends them', async () => {
    await openReady(server.url, READY);
    // The shipped CNN reads the pad (not the 2,000-digit model just trained).
    await page.evaluate(`document.querySelector('input[name="draw-model"][value="pretrained"]').click()`);
    await page.waitFor(`document.getElementById('pad').modelState === 'ready'`, 30_000, "the pad's model");
    for (const kind of ['mouse', 'touch', 'pen'] as const) {
      if (!page.pointerKinds.includes(kind)) {
        console.log(`${engine}: its automation sends no trusted ${kind} input (puppeteer over WebDriver BiDi has no pen source; WebKitGTK's WebDriver turns touch and pen into mouse events); ${kind} is covered by the pad's synthetic-event suite (widgets/digit-pad/digit-pad.pointer.test.ts) in this engine`);
        continue;
      }
      expect(await drawSeven(page, kind), `${kind} in ${engine}`).toBe(7);
    }
  });

  // Chromium runs this loop in adapt.e2e.test.ts (at a phone's size, with its figures); here the other engines.
  it.runIf(engine !== 'chromium')('learns a misread digit: one click corrects it, Adapt runs in the worker, the pad then reads it right', async () => {
    await openReady(`${server.url}?backend=wasm`, `${READY} && document.getElementById('pad').modelState === 'ready'`);
    let chosen = null;
    const tried: string[] = [];
    for (const c of misreadDigits()) {
      const r = await drawReading(page, c.strokes);
      tried.push(`#${c.index}: ${c.label}→${r.isDigit ? r.digit : 'not a digit'}`);
      if (r.digit !== c.label || !r.isDigit) {
        chosen = c;
        break;
      }
    }
    expect(chosen, `a misread MNIST digit in ${engine} (${tried.join(', ')})`).not.toBeNull();
    const { label, strokes } = chosen!;
    await page.evaluate(`document.querySelector('.digit-buttons button[data-digit="${label}"]').click()`);
    await page.waitFor(`document.querySelectorAll('#corrections li').length === 1`, 10_000, 'the correction listed');
    const t0 = Date.now();
    await page.evaluate(`document.getElementById('adapt-run').click()`);
    await page.waitFor(`/^(Adapted in|Adapting failed)/.test(document.getElementById('adapt-status').textContent)`, 180_000, 'Adapt to finish');
    const said = await page.evaluate<string>(`document.getElementById('adapt-status').textContent`);
    const rows = await page.evaluate<string[]>(`[...document.querySelectorAll('#adapt-rows tr')].map((r) => r.innerText)`);
    figures[`${engine}-adapt`] = { status: said, rows, clickToDoneS: (Date.now() - t0) / 1000, tried };
    console.log(`${engine}: ${said}\n  ${rows.join('\n  ')}`);
    expect(said).toMatch(/^Adapted in/);
    const [before, after] = rows.map((r) => Number.parseFloat(r.split('\t')[1]));
    expect(Math.abs(after - before), `MNIST test accuracy ${before}% → ${after}%`).toBeLessThanOrEqual(0.3);
    const reread = await drawReading(page, strokes);
    expect(reread).toEqual({ digit: label, isDigit: true, source: 'model' });
  });

  for (const [label, path] of [['demo', ''], ['embed page', 'embed.html']] as const) {
    it(`the ${label} fits a 390×844 phone: no sideways scroll, nothing past its card`, async () => {
      await page.setViewport(390, 844);
      const ready = `document.readyState === 'complete' && customElements.get('digit-pad') !== undefined && document.querySelector('digit-pad') !== null`;
      if ((await page.evaluate<number>('innerWidth')) === 390) {
        await page.goto(`${server.url}${path}`);
        await page.waitFor(ready, 30_000, 'the page loaded');
        await new Promise((r) => setTimeout(r, 300));
        expect(await page.evaluate<number>('innerWidth')).toBe(390);
        expect(await page.evaluate<string[]>(OVERFLOW)).toEqual([]);
      } else {
        // WebKitGTK's MiniBrowser window has a minimum width above 390 px: the page is laid out in a 390×844 iframe instead.
        console.log(`${engine}: the browser window cannot be ${390} px wide (it stays at ${await page.evaluate<number>('innerWidth')} px); checking the page in a 390×844 iframe`);
        // The iframe is made by a script that returns at once, and readiness is polled inside the frame: a script
        // call that itself waited on the iframe's load hung WebKit's WebDriver for its whole page-load timeout in
        // 2 of 4 loaded CI runs (the frame was refused by frame-ancestors 'none' then, and never loaded).
        await page.goto(`${server.url}embed.html`);
        await page.evaluate(`(() => {
          const f = document.createElement('iframe'); f.id = 'phone'; f.style.cssText = 'width: 390px; height: 844px; border: 0';
          f.src = ${JSON.stringify(`${server.url}${path}`)}; document.body.append(f);
        })()`);
        const end = Date.now() + 30_000;
        let state = 'not reachable';
        while ((state = String(await page.evaluateInFrame('#phone', `${ready} ? 'ready' : document.readyState`).catch((e: Error) => e.message))) !== 'ready') {
          if (Date.now() > end) throw new Error(`${engine}: the 390×844 iframe of ${path || 'the demo'} was not ready in 30 s (last: ${state})`);
          await new Promise((r) => setTimeout(r, 200));
        }
        await new Promise((r) => setTimeout(r, 800));
        expect(await page.evaluateInFrame('#phone', 'innerWidth')).toBe(390);
        expect(await page.evaluateInFrame('#phone', OVERFLOW)).toEqual([]);
      }
      await page.setViewport(1280, 900);
    });
  }
});
