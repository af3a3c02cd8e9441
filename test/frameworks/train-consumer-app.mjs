// The browser half of the bundler consumer checks (webpack-consumer.mjs, rollup-consumer.mjs):
// serves a built app cross-origin isolated and, in Chromium with a software WebGPU adapter,
// loads it on threaded WASM and on WebGPU. The app sets `window.result` to
// { backend, steps } or { error } after 10 training steps; any page error, failed request or
// HTTP error fails the check.
import { chromium } from 'playwright-core';
import { serveStatic } from '../../bench/browser-server.mjs';
import { CHROMIUM_FLAGS, enginePaths } from '../browsers/engines.mjs';

const RUNS = [['wasm', 'wasm threaded-simd'], ['webgpu', 'webgpu']];

/** Trains the app built in `dir` on each backend; throws naming `bundler` and what went wrong. */
export async function trainConsumerApp(bundler, dir) {
  const browser = await chromium.launch({ executablePath: enginePaths().chromium ?? 'chromium', headless: true, args: [...CHROMIUM_FLAGS, '--enable-unsafe-webgpu'] });
  const server = await serveStatic(dir, { isolated: true });
  try {
    for (const [backend, expected] of RUNS) {
      const page = await browser.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
      page.on('requestfailed', (r) => errors.push(`${r.url()}: ${r.failure()?.errorText}`));
      page.on('response', (r) => { if (r.status() >= 400) errors.push(`${r.url()}: HTTP ${r.status()}`); });
      await page.goto(`${server.origin}/index.html?backend=${backend}`);
      const done = await page.waitForFunction(() => window.result, null, { timeout: 60_000 }).then(() => true, () => false);
      if (!done) throw new Error(`the ${bundler} app on ${backend} did not finish in 60 s: ${errors.join('; ')}`);
      const result = await page.evaluate(() => window.result);
      await page.close();
      if (result.error) throw new Error(`the ${bundler} app failed on ${backend}: ${result.error}`);
      const got = `${result.backend.name}${result.backend.wasmVariant ? ` ${result.backend.wasmVariant}` : ''}`;
      if (got !== expected || result.steps !== 10 || errors.length) throw new Error(`${bundler} app: expected 10 steps on ${expected}, got ${result.steps} on ${got} (passed over: ${JSON.stringify(result.backend.passedOver)}) ${errors.join('; ')}`);
      console.log(`${bundler} consumer: ${result.steps} steps on ${got}`);
    }
  } finally {
    await browser.close();
    await server.close();
  }
}
