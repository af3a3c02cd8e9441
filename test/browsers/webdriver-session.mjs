// A small W3C WebDriver (classic) client for WebKit: WebKitWebDriver driving
// WebKitGTK's MiniBrowser under a private Xvfb, or safaridriver on macOS.
// Enough for the browser suites: navigate, run scripts, pointer actions,
// window size. Used by the @web/test-runner launcher, the demo end-to-end
// suite and bench:browser.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { enginePaths, MINIBROWSER_ARGS, startXvfb } from './engines.mjs';

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

/** How long a script may run (a page's own waits: a training run in bench:browser). */
export const SCRIPT_TIMEOUT_MS = 600_000;

export class WebDriverSession {
  /**
   * Starts the driver (and Xvfb where needed) and opens one browser session.
   * `pageLoadStrategy` 'none' makes navigate return once the navigation has
   * begun (the test runner's page reports its own start).
   */
  static async start({ pageLoadStrategy = 'eager' } = {}) {
    const paths = enginePaths();
    if (!paths.webkitDriver || !paths.webkitBrowser) throw new Error('WebKit is not installed: apt-get install webkit2gtk-driver xvfb (or set WEBKIT_WEBDRIVER_PATH, WEBKIT_BROWSER_PATH)');
    const safari = paths.webkitBrowser === 'safari';
    const xvfb = paths.xvfb === 'not needed' ? null : await startXvfb();
    const port = await freePort();
    const env = xvfb ? { ...process.env, DISPLAY: xvfb.display } : process.env;
    // Its own process group, so the driver, MiniBrowser and WebKit's helper processes end together.
    const driver = spawn(paths.webkitDriver, [`--port=${port}`], { env, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    let log = '';
    driver.stderr.on('data', (d) => (log = (log + d).slice(-2000)));
    const base = `http://127.0.0.1:${port}`;
    const caps = safari ? { browserName: 'safari' } : { 'webkitgtk:browserOptions': { binary: paths.webkitBrowser, args: MINIBROWSER_ARGS } };
    const session = new WebDriverSession(base, driver, xvfb);
    // If this process ends without close() (a killed test run), the driver, its browser and Xvfb end with it.
    const orphanGuard = () => {
      killGroup(driver);
      xvfb?.stop();
    };
    process.once('exit', orphanGuard);
    for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => (orphanGuard(), process.exit(130)));
    try {
      const deadline = Date.now() + 20_000;
      for (;;) {
        try {
          const value = await session.send('POST', '/session', { capabilities: { alwaysMatch: { ...caps, pageLoadStrategy, timeouts: { script: SCRIPT_TIMEOUT_MS, pageLoad: 120_000 } } } }, false);
          session.id = value.sessionId;
          session.version = value.capabilities.browserVersion;
          break;
        } catch (e) {
          if (Date.now() > deadline || !/ECONNREFUSED|fetch failed/.test(String(e?.cause ?? e))) throw new Error(`WebKitWebDriver did not start a session: ${e.message}\n${log}`);
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    } catch (e) {
      await session.close();
      throw e;
    }
    return session;
  }

  constructor(base, driver, xvfb) {
    this.base = base;
    this.driver = driver;
    this.xvfb = xvfb;
    this.id = null;
  }

  /** One WebDriver command; resolves with its `value` or throws the driver's error. */
  async send(method, path, body, inSession = true) {
    const url = `${this.base}${inSession ? `/session/${this.id}` : ''}${path}`;
    const res = await fetch(url, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const json = await res.json();
    if (!res.ok || json.value?.error) throw new Error(`WebDriver ${method} ${path}: ${json.value?.error ?? res.status}: ${json.value?.message ?? ''}`);
    return json.value;
  }

  navigate(url) {
    return this.send('POST', '/url', { url });
  }

  /** Runs `script` (a function body; `arguments` holds args) and returns its result. */
  execute(script, args = []) {
    return this.send('POST', '/execute/sync', { script, args });
  }

  /** Runs an async function body whose last argument is the callback to call with the result. */
  executeAsync(script, args = []) {
    return this.send('POST', '/execute/async', { script, args });
  }

  /** Awaits a page expression (may be a promise) and returns its value. */
  evaluate(expression) {
    return this.executeAsync(`const done = arguments[arguments.length - 1]; Promise.resolve().then(() => (${expression})).then((v) => done({ ok: v }), (e) => done({ error: String(e && e.stack || e) }));`).then((r) => {
      if (r && 'error' in r) throw new Error(r.error);
      return r?.ok;
    });
  }

  /** W3C pointer actions: one source of `pointerType` (mouse, pen, touch). */
  pointer(pointerType, actions, id = pointerType) {
    return this.send('POST', '/actions', { actions: [{ type: 'pointer', id, parameters: { pointerType }, actions }] });
  }

  setWindowSize(width, height) {
    return this.send('POST', '/window/rect', { width, height });
  }

  async close() {
    try {
      if (this.id) await this.send('DELETE', '');
    } catch {
      // the browser may be gone already; the driver is stopped below either way
    }
    killGroup(this.driver);
    this.xvfb?.stop();
  }
}

function killGroup(child) {
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    child.kill(); // already gone, or no group
  }
}
