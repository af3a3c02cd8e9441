// @web/test-runner: the browser tests, in the three engines (Chromium, Firefox
// ESR, WebKit; see test/browsers/engines.mjs for where each comes from and the
// environment variables that point elsewhere), headless, one page at a time.
// One group per audience; each runs its files in every engine of BROWSERS
// (default all three) and prints the counts per engine.
//
//   npm run test:browser                          # every group, every engine
//   npx wtr --group worker                        # one group
//   BROWSERS=firefox npx wtr --group widgets      # one engine
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter } from '@web/test-runner';
import { failureReporter } from './test/browsers/failure-reporter.mjs';
import { selectedEngines } from './test/browsers/engines.mjs';
import { chromiumLauncher, firefoxLauncher, webkitLauncher } from './test/browsers/wtr-launchers.mjs';
import { widgetScreenshotPlugin } from './test/widgets/screenshot-plugin.mjs';
import { reliabilityResultPlugin } from './test/widgets/reliability-plugin.mjs';

const LAUNCHERS = { chromium: () => chromiumLauncher(), firefox: firefoxLauncher, webkit: webkitLauncher };

/** A launcher per selected engine. */
const everyEngine = () => selectedEngines().map((engine) => LAUNCHERS[engine]());

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
    // (A node_modules linked from outside the root is served under /__wds-outside-root__/.)
    if (/^\/(dist|node_modules|__wds-outside-root__)\//.test(context.path)) context.set('Access-Control-Allow-Origin', '*');
  });
}

/** `WTR_FILES=test/worker/cdn.test.ts npx wtr --group worker` runs part of a group (--files does not narrow groups). */
const only = (files) => (process.env.WTR_FILES ? process.env.WTR_FILES.split(',') : files);

export const groups = [
  // (a group with no engine left by BROWSERS is dropped below)
  {
    // The worker runtime, run from the rollup build output (dist/); no engine here has a usable WebGPU adapter.
    name: 'worker',
    files: only(['test/worker/**/*.test.ts', 'test/worker/**/*.test.html', '!test/worker/webgpu/**']),
    browsers: everyEngine(),
  },
  {
    // WebGPU on SwiftShader (software: correct but slow), the only adapter a GPU-less machine has.
    // Chromium only: Firefox ESR and WebKitGTK expose no navigator.gpu here, which the worker group checks (fallback to WASM).
    name: 'worker-webgpu',
    files: only(['test/worker/webgpu/**/*.test.ts']),
    browsers: selectedEngines().includes('chromium') ? [chromiumLauncher(['--enable-unsafe-webgpu'])] : [],
  },
  {
    // The Lit widgets, from source; screenshots (light and dark) land in test-artifacts/widgets/.
    name: 'widgets',
    files: only(['widgets/**/*.test.ts']),
    browsers: everyEngine(),
  },
].filter((group) => group.browsers.length > 0);

export default {
  rootDir: '.',
  nodeResolve: true,
  plugins: [esbuildPlugin({ ts: true, target: 'es2022' }), widgetScreenshotPlugin(), reliabilityResultPlugin()],
  middleware: [crossOriginIsolation],
  // The failed sessions, listed again at the end (CI shows the tail of the output).
  reporters: [defaultReporter(), failureReporter()],
  browsers: everyEngine(),
  groups,
  // Two cores: one browser page at a time keeps timings honest.
  concurrency: 1,
  concurrentBrowsers: 1,
  // WebKit's first page includes starting Xvfb, WebKitWebDriver and the MiniBrowser.
  browserStartTimeout: 120_000,
  testsStartTimeout: 60_000,
  testsFinishTimeout: 300_000,
  testFramework: { config: { timeout: 120_000 } },
};
