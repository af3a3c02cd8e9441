/**
 * One page in any of the three engines, behind the few operations the
 * cross-engine demo suite needs: Chromium and Firefox through puppeteer-core
 * (the DevTools protocol and WebDriver BiDi), WebKit through WebDriver
 * (test/browsers/webdriver-session.mjs). Launch flags come from
 * test/browsers/engines.mjs, as in every other suite.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as puppeteer from 'puppeteer-core';
import { CHROMIUM_FLAGS, enginePaths, FIREFOX_PREFS } from '../browsers/engines.mjs';
import { WebDriverSession } from '../browsers/webdriver-session.mjs';

export type Engine = 'chromium' | 'firefox' | 'webkit';
export type PointerKind = 'mouse' | 'touch' | 'pen';

export interface EnginePage {
  readonly engine: Engine;
  /** The browser's own name and version. */
  readonly version: string;
  /** Pointer kinds this engine's automation can send as trusted input. */
  readonly pointerKinds: readonly PointerKind[];
  goto(url: string): Promise<void>;
  /** Evaluates a JavaScript expression in the page (awaiting a promise) and returns its value. */
  evaluate<T>(expression: string): Promise<T>;
  /** Polls `expression` until truthy; throws with `what` after `ms`. */
  waitFor(expression: string, ms: number, what: string): Promise<void>;
  /** Sets the layout viewport to width × height CSS pixels. */
  setViewport(width: number, height: number): Promise<void>;
  /** A trusted stroke through `points` (CSS pixels of the viewport) with this pointer kind. */
  stroke(kind: PointerKind, points: readonly (readonly [number, number])[]): Promise<void>;
  close(): Promise<void>;
}

export async function openEnginePage(engine: Engine): Promise<EnginePage> {
  return engine === 'webkit' ? webkitPage() : puppeteerPage(engine);
}

async function puppeteerPage(engine: 'chromium' | 'firefox'): Promise<EnginePage> {
  const paths = enginePaths();
  const profile = mkdtempSync(join(tmpdir(), `dc-e2e-${engine}-`));
  const browser = await puppeteer.launch(
    engine === 'chromium'
      ? { browser: 'chrome', executablePath: paths.chromium ?? 'chromium', headless: true, args: CHROMIUM_FLAGS, userDataDir: profile }
      : { browser: 'firefox', executablePath: paths.firefox ?? 'firefox-esr', headless: true, extraPrefsFirefox: FIREFOX_PREFS, userDataDir: profile },
  );
  const page = (await browser.pages())[0] ?? (await browser.newPage());
  const version = await browser.version();
  const ev = <T>(expression: string) => page.evaluate(expression) as Promise<T>;
  return {
    engine,
    version,
    // Firefox over BiDi: puppeteer sends mouse and touch; it has no pen input source.
    pointerKinds: engine === 'chromium' ? ['mouse', 'touch', 'pen'] : ['mouse', 'touch'],
    goto: async (url) => void (await page.goto(url, { waitUntil: 'load' })),
    evaluate: ev,
    waitFor: async (expression, ms, what) => {
      try {
        await page.waitForFunction(expression, { timeout: ms, polling: 200 });
      } catch {
        throw new Error(`${engine}: ${what} not within ${ms / 1000} s`);
      }
    },
    setViewport: (width, height) => page.setViewport({ width, height }),
    stroke: async (kind, points) => {
      if (kind === 'touch') {
        await page.touchscreen.touchStart(points[0][0], points[0][1]);
        for (const [x, y] of points.slice(1)) await page.touchscreen.touchMove(x, y);
        await page.touchscreen.touchEnd();
      } else if (kind === 'pen') {
        // Chromium only: the DevTools protocol's mouse events take pointerType 'pen' and a force (pressure).
        const cdp = await page.createCDPSession();
        const send = (type: string, [x, y]: readonly [number, number], buttons: number) => cdp.send('Input.dispatchMouseEvent', { type, x, y, button: 'left', buttons, clickCount: 1, pointerType: 'pen', force: 0.6 } as never);
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

async function webkitPage(): Promise<EnginePage> {
  const session = await WebDriverSession.start();
  const page: EnginePage = {
    engine: 'webkit',
    version: `WebKitGTK ${session.version}`,
    pointerKinds: ['mouse', 'touch', 'pen'],
    goto: (url) => session.navigate(url),
    evaluate: (expression) => session.evaluate(expression),
    waitFor: async (expression, ms, what) => {
      const end = Date.now() + ms;
      while (!(await session.evaluate(`!!(${expression})`).catch(() => false))) {
        if (Date.now() > end) throw new Error(`webkit: ${what} not within ${ms / 1000} s`);
        await new Promise((r) => setTimeout(r, 200));
      }
    },
    // The window includes the browser's own chrome: size it, then correct by what the page measures.
    setViewport: async (width, height) => {
      await session.setWindowSize(width, height);
      const inner = await (session.evaluate('({ w: innerWidth, h: innerHeight })') as Promise<{ w: number; h: number }>);
      await session.setWindowSize(width + (width - inner.w), height + (height - inner.h));
    },
    stroke: async (kind, points) => {
      const at = ([x, y]: readonly [number, number]) => ({ x: Math.round(x), y: Math.round(y), origin: 'viewport' });
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
