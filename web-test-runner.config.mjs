// @web/test-runner: the browser tests, in Debian's Chromium (no browser
// download), headless, through playwright-core. One group per audience; add a
// group by pushing to `groups` (each may name its own `browsers`, else the
// default Chromium below is used).
//
//   npm run test:browser                  # every group
//   npx wtr --group worker                # one group
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { widgetScreenshotPlugin } from './test/widgets/screenshot-plugin.mjs';
import { reliabilityResultPlugin } from './test/widgets/reliability-plugin.mjs';

/** Flags for a quiet, reproducible headless Chromium; playwright gives each launch a fresh temporary profile. */
const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

/** A headless Debian Chromium launcher with extra flags. */
export function chromium(extraFlags = []) {
  return playwrightLauncher({
    product: 'chromium',
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: [...CHROMIUM_FLAGS, ...extraFlags] },
  });
}

/**
 * Serves `*.coi.test.html` pages cross-origin isolated (COOP + COEP), which
 * threaded WASM needs, marks every script and binary as embeddable by them,
 * lets the build be loaded cross-origin, as from a CDN, and gives a script
 * asked for with `?csp=strict` a strict Content-Security-Policy.
 */
function crossOriginIsolation(context, next) {
  return next().then(() => {
    if (context.path.endsWith('.coi.test.html')) {
      context.set('Cross-Origin-Opener-Policy', 'same-origin');
      context.set('Cross-Origin-Embedder-Policy', 'require-corp');
    }
    // A worker script asked for with ?csp=strict gets a policy without blob: (threaded WASM's threads start from blob URLs).
    if (context.query.csp === 'strict') context.set('Content-Security-Policy', "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'");
    context.set('Cross-Origin-Resource-Policy', 'same-origin');
    if (/\.(m?js|ts|wasm)$/.test(context.path)) context.set('Cross-Origin-Embedder-Policy', 'require-corp');
    // Like a CDN: the build can be loaded from the other origin (127.0.0.1 vs localhost) with CORS.
    if (context.path.startsWith('/dist/') || context.path.startsWith('/node_modules/')) context.set('Access-Control-Allow-Origin', '*');
  });
}

/** `WTR_FILES=test/worker/cdn.test.ts npx wtr --group worker` runs part of a group (--files does not narrow groups). */
const only = (files) => (process.env.WTR_FILES ? process.env.WTR_FILES.split(',') : files);

export const groups = [
  {
    // The worker runtime, run from the rollup build output (dist/), in a Chromium without WebGPU.
    name: 'worker',
    files: only(['test/worker/**/*.test.ts', 'test/worker/**/*.test.html', '!test/worker/webgpu/**']),
    browsers: [chromium()],
  },
  {
    // WebGPU on SwiftShader (software: correct but slow), the only adapter a GPU-less machine has.
    name: 'worker-webgpu',
    files: only(['test/worker/webgpu/**/*.test.ts']),
    browsers: [chromium(['--enable-unsafe-webgpu'])],
  },
  {
    // The Lit widgets, from source; screenshots (light and dark) land in test-artifacts/widgets/.
    name: 'widgets',
    files: only(['widgets/**/*.test.ts']),
    browsers: [chromium()],
  },
];

export default {
  rootDir: '.',
  nodeResolve: true,
  plugins: [esbuildPlugin({ ts: true, target: 'es2022' }), widgetScreenshotPlugin(), reliabilityResultPlugin()],
  middleware: [crossOriginIsolation],
  browsers: [chromium()],
  groups,
  // Two cores: one browser page at a time keeps timings honest.
  concurrency: 1,
  concurrentBrowsers: 1,
  browserStartTimeout: 60_000,
  testsStartTimeout: 60_000,
  testsFinishTimeout: 300_000,
  testFramework: { config: { timeout: 120_000 } },
};
