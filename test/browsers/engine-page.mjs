/**
 * One page in any of the three engines, behind the few operations the
 * cross-engine demo suite and bench:browser need: Chromium and Firefox through puppeteer-core
 * (the DevTools protocol and WebDriver BiDi), WebKit through WebDriver
 * (test/browsers/webdriver-session.mjs). Launch flags come from
 * test/browsers/engines.mjs, as in every other suite.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as puppeteer from 'puppeteer-core';
import { CHROMIUM_FLAGS, enginePaths, FIREFOX_PREFS } from './engines.mjs';
import { SCRIPT_TIMEOUT_MS, WebDriverSession } from './webdriver-session.mjs';

/**
 * @typedef {'chromium' | 'firefox' | 'webkit'} Engine
 * @typedef {'mouse' | 'touch' | 'pen'} PointerKind
 * @typedef {object} EnginePage
 * @property {Engine} engine
 * @property {string} version The browser's own name and version.
 * @property {readonly PointerKind[]} pointerKinds Pointer kinds this engine's automation sends as trusted input.
 * @property {(url: string) => Promise<void>} goto
 * @property {(expression: string) => Promise<any>} evaluate Evaluates an expression in the page (awaiting a promise).
 * @property {(expression: string, ms: number, what: string) => Promise<void>} waitFor Polls until truthy; throws naming `what` after `ms`,
 *   with the page's state then (its URL, readyState, and in WebKit the last failed or slowest WebDriver call).
 * @property {(width: number, height: number) => Promise<void>} setViewport
 * @property {(kind: PointerKind, points: readonly (readonly [number, number])[]) => Promise<void>} stroke A trusted stroke through viewport points.
 * @property {(iframeSelector: string, expression: string) => Promise<any>} evaluateInFrame Evaluates inside a same-page iframe.
 * @property {() => Promise<void>} close
 */

/**
 * @param {Engine} engine
 * @param {{ chromiumFlags?: string[] }} [options] extra Chromium flags (e.g. --enable-unsafe-webgpu)
 * @returns {Promise<EnginePage>}
 */
export async function openEnginePage(engine, options = {}) {
  return engine === 'webkit' ? webkitPage() : puppeteerPage(engine, options.chromiumFlags ?? []);
}

async function puppeteerPage(engine, chromiumFlags) {
  const paths = enginePaths();
  const profile = mkdtempSync(join(tmpdir(), `dc-e2e-${engine}-`));
  const browser = await puppeteer.launch(
    engine === 'chromium'
      ? { browser: 'chrome', executablePath: paths.chromium ?? 'chromium', headless: true, args: [...CHROMIUM_FLAGS, ...chromiumFlags], userDataDir: profile }
      : { browser: 'firefox', executablePath: paths.firefox ?? 'firefox-esr', headless: true, extraPrefsFirefox: FIREFOX_PREFS, userDataDir: profile },
  );
  const page = (await browser.pages())[0] ?? (await browser.newPage());
  const version = await browser.version();
  return {
    engine,
    version,
    // Firefox over BiDi: puppeteer sends mouse and touch; it has no pen input source.
    pointerKinds: engine === 'chromium' ? ['mouse', 'touch', 'pen'] : ['mouse', 'touch'],
    goto: async (url) => void (await page.goto(url, { waitUntil: 'load' })),
    evaluate: (expression) => page.evaluate(expression),
    waitFor: async (expression, ms, what) => {
      try {
        await page.waitForFunction(expression, { timeout: ms, polling: 200 });
      } catch {
        throw new Error(`${engine}: ${what} not within ${ms / 1000} s (page: ${await describePage((x) => page.evaluate(x))})`);
      }
    },
    setViewport: (width, height) => page.setViewport({ width, height }),
    evaluateInFrame: async (selector, expression) => {
      const handle = await page.$(selector);
      const frame = await handle.contentFrame();
      return frame.evaluate(expression);
    },
    stroke: async (kind, points) => {
      if (kind === 'touch') {
        await page.touchscreen.touchStart(points[0][0], points[0][1]);
        for (const [x, y] of points.slice(1)) await page.touchscreen.touchMove(x, y);
        await page.touchscreen.touchEnd();
      } else if (kind === 'pen') {
        // Chromium only: the DevTools protocol's mouse events take pointerType 'pen' and a force (pressure).
        const cdp = await page.createCDPSession();
        const send = (type, [x, y], buttons) => cdp.send('Input.dispatchMouseEvent', { type, x, y, button: 'left', buttons, clickCount: 1, pointerType: 'pen', force: 0.6 });
        await send('mousePressed', points[0], 1);
        for (const p of points.slice(1)) await send('mouseMoved', p, 1);
        await send('mouseReleased', points[points.length - 1], 0);
        await cdp.detach();
      } else {
        await page.mouse.move(points[0][0], points[0][1]);
        await page.mouse.down();
        for (const [x, y] of points.slice(1)) await page.mouse.move(x, y, { steps: 4 });
        await page.mouse.up();
      }
    },
    close: async () => {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** What a timed-out wait reports of the page. */
const PAGE_STATE = `JSON.stringify({ url: location.href, readyState: document.readyState, ready: document.documentElement.dataset.ready ?? null, pad: document.querySelector('digit-pad')?.modelState ?? null, training: document.getElementById('train-status')?.textContent ?? null })`;

/** The page's state (PAGE_STATE) through `evaluate`, or why there was no answer within 5 s. */
function describePage(evaluate) {
  let timer;
  const late = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('no answer in 5 s')), 5_000)));
  return Promise.race([evaluate(PAGE_STATE), late])
    .catch((e) => `no answer: ${e.message}`)
    .finally(() => clearTimeout(timer));
}

async function webkitPage() {
  // Page-load strategy 'none', and goto waits for the new document itself: under 'eager', WebKitWebDriver at
  // times held the first script after a navigation until its page-load timeout (120 s), the page long loaded.
  const session = await WebDriverSession.start({ pageLoadStrategy: 'none' });
  /** Polls `expression` (synchronous) until truthy; the timeout names the page's state and the slowest or failed WebDriver call. */
  const waitFor = async (expression, ms, what) => {
    const end = Date.now() + ms;
    let lastError = '';
    let slowest = 0;
    for (;;) {
      const t0 = Date.now();
      // A synchronous script: an asynchronous one that a navigation catches in the old document may never call
      // back, and would hold the session for its whole script timeout.
      const ok = await session.execute(`return !!(${expression})`).catch((e) => void (lastError = e.message));
      slowest = Math.max(slowest, Date.now() - t0);
      if (ok) return;
      if (Date.now() > end) {
        const calls = `slowest WebDriver call ${(slowest / 1000).toFixed(1)} s${lastError ? `; last error: ${lastError.slice(0, 200)}` : ''}`;
        throw new Error(`webkit: ${what} not within ${ms / 1000} s (page: ${await describePage((x) => session.evaluate(x))}; ${calls})`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  /** @type {EnginePage} */
  const page = {
    engine: 'webkit',
    version: `WebKitGTK ${session.version}`,
    // WebKitGTK's WebDriver delivers touch and pen pointer actions as mouse events (pointerType "mouse").
    pointerKinds: ['mouse'],
    goto: async (url) => {
      // Marks the page being left, so that only the new document answers the wait; under a short script
      // timeout while the navigation may still catch a script.
      await session.send('POST', '/timeouts', { script: 5_000 });
      try {
        await session.execute('window.__leaving = true').catch(() => {});
        await session.navigate(url);
        await waitFor(`!window.__leaving && document.readyState === 'complete'`, 60_000, `${url} loaded`);
      } finally {
        await session.send('POST', '/timeouts', { script: SCRIPT_TIMEOUT_MS });
      }
    },
    evaluate: (expression) => session.evaluate(expression),
    waitFor,
    // The window includes the browser's own chrome: size it, then correct by what the page measures.
    setViewport: async (width, height) => {
      await session.setWindowSize(width, height);
      const inner = await session.evaluate('({ w: innerWidth, h: innerHeight })');
      await session.setWindowSize(width + (width - inner.w), height + (height - inner.h));
    },
    evaluateInFrame: async (selector, expression) => {
      const element = await session.execute(`return document.querySelector(${JSON.stringify(selector)})`);
      await session.send('POST', '/frame', { id: element });
      try {
        return await session.evaluate(expression);
      } finally {
        await session.send('POST', '/frame/parent', {});
      }
    },
    stroke: async (kind, points) => {
      const at = ([x, y]) => ({ x: Math.round(x), y: Math.round(y), origin: 'viewport' });
      await session.pointer(kind, [
        { type: 'pointerMove', duration: 0, ...at(points[0]) },
        { type: 'pointerDown', button: 0, ...(kind === 'pen' ? { pressure: 0.6 } : {}) },
        ...points.slice(1).map((p) => ({ type: 'pointerMove', duration: 16, ...at(p) })),
        { type: 'pointerUp', button: 0 },
      ], `${kind}-${Math.random().toString(36).slice(2)}`);
    },
    close: () => session.close(),
  };
  return page;
}
