// @web/test-runner launchers for the three engines, built from engines.mjs:
// Chromium through playwright-core, Firefox ESR through puppeteer-core over
// WebDriver BiDi, WebKit through WebKitWebDriver (webdriver-session.mjs).
import { ChromeLauncher } from '@web/test-runner-chrome';
import { playwrightLauncher } from '@web/test-runner-playwright';
import * as puppeteer from 'puppeteer-core';
import { CHROMIUM_FLAGS, enginePaths, FIREFOX_PREFS } from './engines.mjs';
import { WebDriverSession } from './webdriver-session.mjs';

/**
 * Headless Debian Chromium, with extra flags (e.g. --enable-unsafe-webgpu).
 * Heap checks get a real figure: `gc()` exposed and `performance.memory` exact.
 */
export function chromiumLauncher(extraFlags = []) {
  return playwrightLauncher({
    product: 'chromium',
    launchOptions: { executablePath: enginePaths().chromium ?? 'chromium', headless: true, args: [...CHROMIUM_FLAGS, '--js-flags=--expose-gc', '--enable-precise-memory-info', ...extraFlags] },
  });
}

/** Headless Firefox ESR over WebDriver BiDi (puppeteer-core's `browser: 'firefox'`); no browser download. */
export function firefoxLauncher() {
  return new ChromeLauncher(
    { browser: 'firefox', executablePath: enginePaths().firefox ?? 'firefox-esr', headless: true, extraPrefsFirefox: FIREFOX_PREFS },
    ({ browser }) => browser.defaultBrowserContext(),
    ({ context }) => context.newPage(),
    puppeteer,
  );
}

/**
 * WebKit (WebKitGTK's MiniBrowser, or Safari on macOS) through WebDriver. One
 * window, one test page at a time (the suites run with concurrency 1).
 */
export function webkitLauncher() {
  return new WebKitLauncher();
}

class WebKitLauncher {
  name = 'WebKit';
  type = 'webdriver';
  #session = null;
  #starting = null;
  #active = new Map();
  #queue = Promise.resolve();

  async initialize() {}

  #browser() {
    // 'none': navigate returns once the page starts loading; the test page pings the runner when it runs,
    // so a load event WebKitWebDriver misses (seen on a loaded CI machine) cannot hold the whole queue.
    this.#starting ??= WebDriverSession.start({ pageLoadStrategy: 'none' }).then((s) => (this.#session = s));
    return this.#starting;
  }

  // Navigations are serialised: one window.
  #run(step) {
    const next = this.#queue.then(step, step);
    this.#queue = next.catch(() => {});
    return next;
  }

  async startSession(sessionId, url) {
    const session = await this.#browser();
    this.#active.set(sessionId, url);
    await this.#run(() => session.navigate(url));
  }

  isActive(sessionId) {
    return this.#active.has(sessionId);
  }

  getBrowserUrl(sessionId) {
    return this.#active.get(sessionId);
  }

  async startDebugSession() {
    throw new Error('Debugging is not supported in WebKit through WebDriver: run the test in Chromium or Firefox with --manual');
  }

  async stopSession(sessionId) {
    this.#active.delete(sessionId);
    // Leaves the test page (and its workers) before the next one loads.
    await this.#run(() => this.#session.navigate('about:blank')).catch(() => {});
    return { errors: [], testCoverage: undefined };
  }

  async stop() {
    await this.#session?.close();
  }

  // @web/test-runner-commands' sendMouse, resetMouse and sendKeys call these for type 'webdriver'.
  // One input source per kind, so the button and position persist between calls (WebDriver input state).
  sendMouseMove(_id, x, y) {
    return this.#session.pointer('mouse', [{ type: 'pointerMove', x: Math.round(x), y: Math.round(y), duration: 0 }]);
  }

  sendMouseDown(_id, button = 'left') {
    return this.#session.pointer('mouse', [{ type: 'pointerDown', button: BUTTONS[button] }]);
  }

  sendMouseUp(_id, button = 'left') {
    return this.#session.pointer('mouse', [{ type: 'pointerUp', button: BUTTONS[button] }]);
  }

  async sendMouseClick(id, x, y, button = 'left') {
    await this.sendMouseMove(id, x, y);
    await this.sendMouseDown(id, button);
    await this.sendMouseUp(id, button);
  }

  resetMouse() {
    return this.#session.send('DELETE', '/actions');
  }

  /** Each entry is one key or a chord such as "Control+z" (pressed in order, released in reverse). */
  sendKeys(_id, keys) {
    const actions = [];
    for (const entry of keys) {
      const chord = entry.length > 1 ? entry.split('+').map((k) => KEYS[k] ?? k) : [entry];
      for (const k of chord) actions.push({ type: 'keyDown', value: k });
      for (const k of [...chord].reverse()) actions.push({ type: 'keyUp', value: k });
    }
    return this.#session.send('POST', '/actions', { actions: [{ type: 'key', id: 'keyboard', actions }] });
  }
}

const BUTTONS = { left: 0, middle: 1, right: 2 };

/** WebDriver's code points for the named keys the tests press. */
const KEYS = {
  Enter: '\uE007', Escape: '\uE00C', Tab: '\uE004', Backspace: '\uE003', Delete: '\uE017', Space: ' ',
  ArrowLeft: '\uE012', ArrowUp: '\uE013', ArrowRight: '\uE014', ArrowDown: '\uE015', Home: '\uE011', End: '\uE010',
  PageUp: '\uE00E', PageDown: '\uE00F', Shift: '\uE008', Control: '\uE009', Alt: '\uE00A', Meta: '\uE03D',
};
