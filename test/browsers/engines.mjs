// The three browser engines every browser suite runs in (the widget and worker
// suites under @web/test-runner, the demo end-to-end suite, bench:browser and
// the preflight), and the one place their paths and launch flags live.
//
//   chromium  Debian `chromium`, headless               CHROMIUM_PATH
//   firefox   Debian `firefox-esr`, headless, WebDriver BiDi via puppeteer-core
//                                                       FIREFOX_PATH
//   webkit    Debian `webkit2gtk-driver` (WebKitWebDriver) driving WebKitGTK's
//             MiniBrowser under Xvfb                    WEBKIT_WEBDRIVER_PATH, WEBKIT_BROWSER_PATH
//             (macOS: WEBKIT_WEBDRIVER_PATH=/usr/bin/safaridriver drives Safari; no Xvfb)
//
// BROWSERS=chromium,firefox narrows every suite to some engines.
import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export const ENGINES = /** @type {const} */ (['chromium', 'firefox', 'webkit']);

/** Flags for a quiet, reproducible headless Chromium; each launch gets a fresh temporary profile. */
export const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

/** Firefox preferences for the same: no updates, no telemetry, no first-run pages. */
export const FIREFOX_PREFS = {
  'app.update.enabled': false,
  'browser.shell.checkDefaultBrowser': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'toolkit.telemetry.reportingpolicy.firstRun': false,
  'browser.startup.homepage_override.mstone': 'ignore',
};

/** Arguments for WebKitGTK's MiniBrowser: `--automation` lets WebKitWebDriver drive it. */
export const MINIBROWSER_ARGS = ['--automation'];

/** The engines this run uses: BROWSERS (comma-separated), else all three. */
export function selectedEngines(env = process.env) {
  if (!env.BROWSERS) return [...ENGINES];
  const wanted = env.BROWSERS.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  const unknown = wanted.filter((e) => !ENGINES.includes(e));
  if (unknown.length) throw new Error(`BROWSERS names ${unknown.join(', ')}: expected some of ${ENGINES.join(', ')}`);
  return wanted;
}

function onPath(name) {
  if (name.includes('/')) return executable(name) ? name : null;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) if (executable(join(dir, name))) return join(dir, name);
  return null;
}

function executable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** WebKitGTK's MiniBrowser: /usr/lib/<triplet>/webkit2gtk-4.x/MiniBrowser on Debian and Ubuntu. */
function findMiniBrowser() {
  for (const lib of ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib', '/usr/libexec']) {
    if (!existsSync(lib)) continue;
    for (const dir of readdirSync(lib).filter((d) => /^webkit2?gtk-\d/.test(d)).sort().reverse()) {
      if (executable(join(lib, dir, 'MiniBrowser'))) return join(lib, dir, 'MiniBrowser');
    }
  }
  return null;
}

/** Where each engine is, from the environment or Debian's default places (null: not found). */
export function enginePaths(env = process.env) {
  const webkitDriver = onPath(env.WEBKIT_WEBDRIVER_PATH ?? 'WebKitWebDriver');
  const safari = webkitDriver?.endsWith('safaridriver') ?? false;
  return {
    chromium: onPath(env.CHROMIUM_PATH ?? 'chromium'),
    firefox: onPath(env.FIREFOX_PATH ?? 'firefox-esr') ?? (env.FIREFOX_PATH ? null : onPath('firefox')),
    webkitDriver,
    // Safari needs no browser path or display; WebKitGTK needs MiniBrowser and an X server (Xvfb) when there is no display.
    webkitBrowser: safari ? 'safari' : env.WEBKIT_BROWSER_PATH ?? findMiniBrowser(),
    xvfb: safari || env.DISPLAY ? 'not needed' : onPath('Xvfb'),
  };
}

/** One line per missing engine part: what is missing and how to get it. Empty when all is there. */
export function missingParts(engines = selectedEngines(), env = process.env) {
  const p = enginePaths(env);
  const lines = [];
  const apt = [];
  if (engines.includes('chromium') && !p.chromium) lines.push(`Chromium (${env.CHROMIUM_PATH ?? 'chromium'})`), apt.push('chromium');
  if (engines.includes('firefox') && !p.firefox) lines.push(`Firefox (${env.FIREFOX_PATH ?? 'firefox-esr'})`), apt.push('firefox-esr');
  if (engines.includes('webkit') && !p.webkitDriver) lines.push(`WebKitWebDriver (${env.WEBKIT_WEBDRIVER_PATH ?? 'WebKitWebDriver'})`), apt.push('webkit2gtk-driver');
  if (engines.includes('webkit') && p.webkitDriver && !p.webkitBrowser) lines.push(`WebKitGTK MiniBrowser (${env.WEBKIT_BROWSER_PATH ?? 'webkit2gtk-4.x/MiniBrowser'})`), apt.push('webkit2gtk-driver');
  if (engines.includes('webkit') && !p.xvfb) lines.push('Xvfb'), apt.push('xvfb');
  return { missing: lines, apt: [...new Set(apt)] };
}

/** Starts a private X server (Xvfb picks a free display); resolves with its DISPLAY and a stop(). */
export async function startXvfb(size = '1400x1000x24') {
  const xvfb = spawn(enginePaths().xvfb ?? 'Xvfb', ['-displayfd', '1', '-screen', '0', size, '-nolisten', 'tcp'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const display = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('Xvfb gave no display within 10 s')), 10_000);
    xvfb.once('error', reject);
    xvfb.stdout.once('data', (d) => (clearTimeout(timer), resolve(`:${String(d).trim()}`)));
  });
  return { display, stop: () => xvfb.kill() };
}
