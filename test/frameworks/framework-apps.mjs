// Framework consumer apps: the README's framework snippets, built as real apps
// from the packed package and trained in Chromium through their UI.
//
// 1. `npm pack` once; each app gets the tarball unpacked as
//    node_modules/digit-classifier (its own dependencies resolve from the
//    repository, as from an app's node_modules), and MNIST in public/mnist/.
// 2. Apps: React 18 (React from test/frameworks/react18-deps, `npm ci` when
//    missing), React 19 and Vue 3 (the root's dev dependencies). Their source is
//    a small entry (react-app/, vue-app/) plus the README's blocks marked
//    "```tsx src/train-card.tsx react" etc.
// 3. Each is typechecked (tsc or vue-tsc, strict) and built with Vite 8
//    (production, minified): no TypeScript error, no Vite warning allowed, and
//    exactly one copy of the worker script in the output.
// 4. One Chromium (software WebGPU) trains every build through its Train
//    button on threaded WASM (served with COOP/COEP) and on single-thread WASM
//    (without), then draws a 1 and a 0 on the pad and reads them back. The
//    React 19 build also trains on WebGPU and drives the raw <digit-pad> tag.
//    Each build then runs the README's AdaptCard (without cross-origin isolation): a drawn 1,
//    corrected to "it was 7" and adapted in the worker, reads 7, and a 0 still 0; the React 19 and Vue
//    builds also in Firefox and WebKit (adapt-in-engines.mjs; BROWSERS narrows them).
//    (WebGPU runs in the worker the same way whichever framework started it,
//    and each build is checked to carry the WebGPU backend; on the software
//    adapter one WebGPU training costs ~30 s of both cores, so one build, the
//    dev server below, and the webpack and rollup consumers train on it.)
// 5. Svelte: the generated svelteHTML types typecheck as the README says to use them, and the README's
//    Svelte component compiles (Svelte 5 from test/frameworks/svelte-deps, `npm ci` when missing), builds
//    with Vite and runs.
// 6. Vite's dev server (React 19 app) trains on WebGPU and threaded WASM, with
//    no warning from the server and none in the page.
// 7. Angular (angular-app.mjs): the README's component compiled by ngc (strictTemplates; Angular 21 from
//    test/frameworks/angular-deps, `npm ci` when missing), a mutated copy must fail with the expected two
//    errors, then built with Vite, trained and drawn on. ngc does not check property bindings on
//    CUSTOM_ELEMENTS_SCHEMA elements; the README says so and angular-app.mjs checks that it does not.
// 8. The README's plain-JavaScript browser examples (readme-browser-blocks.mjs): built with Vite as
//    written and run until their first training batch.
//
//   node test/frameworks/framework-apps.mjs            # all (run by npm run test:browser)
//   FRAMEWORK_APPS=react19 node test/frameworks/framework-apps.mjs
//   FRAMEWORK_APPS=vue FRAMEWORK_MODES=WebGPU node test/frameworks/framework-apps.mjs   # one mode
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { build, createLogger, createServer } from 'vite8';
import { serveStatic } from '../../bench/browser-server.mjs';
import { angularApp } from './angular-app.mjs';
import { installTarball } from './install-tarball.mjs';
import { adaptThroughUi, MODES, shownFor, trainThroughUi } from './train-through-ui.mjs';
import { adaptInEngines } from './adapt-in-engines.mjs';
import { selectedEngines } from '../browsers/engines.mjs';
import { readmeBrowserBlocks } from './readme-browser-blocks.mjs';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const ROOT = join(HERE, '../..');
const WORK = join(HERE, '.work');
const only = process.env.FRAMEWORK_APPS?.split(',');
const t0 = performance.now();
const seconds = () => ((performance.now() - t0) / 1000).toFixed(1);

/** The README's code blocks for an app: "```lang path apps…" (apps: react = both React apps). */
function readmeFiles(app) {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const files = {};
  for (const m of readme.matchAll(/```\w+ ([\w./-]+) ([\w ]+)\n([\s\S]*?)```/g)) {
    const targets = m[2].split(' ');
    if (targets.includes(app) || (app.startsWith('react') && targets.includes('react'))) files[m[1]] = m[3];
  }
  return files;
}

const APPS = {
  react18: { template: 'react-app', extras: 'extras.react18.tsx', check: 'tsc', rawPad: false, webgpu: false },
  react19: { template: 'react-app', extras: 'extras.react19.tsx', check: 'tsc', rawPad: true, webgpu: true },
  vue: { template: 'vue-app', check: 'vue-tsc', rawPad: false, webgpu: false },
};

/** Lays out the app in .work/<name>: template, README files, the packed package, MNIST. */
function prepare(name, tarball) {
  const app = APPS[name];
  const dir = join(WORK, name);
  rmSync(dir, { recursive: true, force: true });
  cpSync(join(HERE, app.template), dir, { recursive: true, filter: (src) => !/extras\.react\d+\.tsx$/.test(src) });
  if (app.extras) cpSync(join(HERE, app.template, 'src', app.extras), join(dir, 'src/extras.tsx'));
  const files = readmeFiles(name);
  if (!files['vite.config.ts'] || Object.keys(files).length < 2) throw new Error(`README: no framework snippets for ${name} (found ${Object.keys(files).join(', ')})`);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  installTarball(dir, tarball, { name: `${name}-app`, mnist: true });
  if (name === 'react18') {
    const deps = join(HERE, 'react18-deps');
    if (!existsSync(join(deps, 'node_modules/react-dom'))) execFileSync('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: deps, stdio: 'inherit' });
    mkdirSync(join(dir, 'node_modules/@types'), { recursive: true });
    mkdirSync(join(dir, 'node_modules/@lit'), { recursive: true });
    for (const p of ['react', 'react-dom', '@types/react', '@types/react-dom', '@lit/react']) symlinkSync(join(deps, 'node_modules', p), join(dir, 'node_modules', p), 'dir');
  }
  return dir;
}

/** A Vite logger that records every warning and error (any of them fails the test). */
function recordingLogger(problems) {
  const logger = createLogger('warn', { allowClearScreen: false });
  for (const level of ['warn', 'warnOnce', 'error']) {
    const original = logger[level].bind(logger);
    logger[level] = (msg, options) => {
      problems.push(`${level}: ${msg}`);
      original(msg, options);
    };
  }
  return logger;
}

function typecheck(name, dir) {
  typecheckDir(name, APPS[name].check, dir);
}

function typecheckDir(name, check, dir) {
  try {
    execFileSync(join(ROOT, 'node_modules/.bin', check), ['-p', join(dir, 'tsconfig.json')], { cwd: dir, encoding: 'utf8' });
  } catch (error) {
    throw new Error(`${name}: ${check} failed:\n${error.stdout}${error.stderr}`);
  }
}

async function buildApp(name, dir) {
  const problems = [];
  // Rolldown's bundler-timings hint reports a slow machine (a shared CI runner), not a problem of the app: off.
  await build({ root: dir, configFile: join(dir, 'vite.config.ts'), customLogger: recordingLogger(problems), logLevel: 'warn', build: { reportCompressedSize: false, rolldownOptions: { checks: { bundlerTimings: false } } }, worker: { rolldownOptions: { checks: { bundlerTimings: false } } } });
  const issues = problems.length ? [`vite build warned:\n${problems.join('\n')}`] : [];
  const out = join(dir, 'dist');
  const assets = readdirSync(join(out, 'assets'));
  // One worker script: an unused byte-for-byte copy used to be emitted beside it.
  const workers = assets.filter((f) => readFileSync(join(out, 'assets', f), 'latin1').includes('digit-classifier-trainer') && f.startsWith('trainer-worker'));
  if (workers.length !== 1) issues.push(`expected one worker script in the build, found ${workers.join(', ') || 'none'}`);
  // The WebGPU backend made it into the build (a chunk of its own with worker.format 'es', inside the
  // worker otherwise), not only its licence comments: look for one of its flags.
  const webgpu = assets.filter((f) => f.endsWith('.js') && readFileSync(join(out, 'assets', f), 'latin1').includes('WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE'));
  if (webgpu.length !== 1) issues.push(`expected the WebGPU backend in one file of the build, found it in ${webgpu.length} (${assets.filter((f) => f.startsWith('webgpu')).join(', ') || 'no WebGPU chunk'})`);
  return { out, issues };
}

/** Runs one check; a failure is recorded and the next check still runs, so one run shows every failure. */
const failures = [];
async function step(label, fn) {
  try {
    return await fn();
  } catch (error) {
    failures.push(`${label}: ${error.message}`);
    console.log(`  ${label}: FAILED`);
    return undefined;
  }
}

const names = Object.keys(APPS).filter((n) => !only || only.includes(n));
const packDir = mkdtempSync(join(tmpdir(), 'dc-pack-'));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--enable-unsafe-webgpu'],
});
try {
  const file = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', packDir], { cwd: ROOT, encoding: 'utf8' }))[0].filename;
  const tarball = join(packDir, file);
  console.log(`framework apps: packed ${file} (${seconds()} s)`);
  for (const name of names) {
    const dir = prepare(name, tarball);
    await step(`${name} typecheck`, async () => typecheck(name, dir));
    // Build problems are reported, and the build is still trained on: one run shows every failure.
    const out = await step(`${name} build`, async () => {
      const { out: built, issues } = await buildApp(name, dir);
      if (issues.length) {
        failures.push(`${name} build: ${issues.join('\n')}`);
        console.log(`  ${name} build: FAILED`);
      } else console.log(`${name}: typechecked and built, no warning (${seconds()} s)`);
      return built;
    });
    if (!out || process.env.FRAMEWORK_APPS_BUILD_ONLY) continue;
    const modes = MODES.filter((m) => (process.env.FRAMEWORK_MODES ? process.env.FRAMEWORK_MODES === m.mode : APPS[name].webgpu || m.mode !== 'WebGPU'));
    for (const m of modes) {
      const { mode, isolated, query } = m;
      const server = await serveStatic(out, { isolated });
      try {
        await step(`${name} ${mode}`, () => trainThroughUi(browser, `${name} ${mode}`, `${server.origin}/index.html?${query}`, m, { rawPad: APPS[name].rawPad && mode === 'WebGPU' }));
        // The README's AdaptCard: once, on the page without cross-origin isolation.
        if (!isolated) await step(`${name} adapt`, () => adaptThroughUi(browser, `${name} adapt`, `${server.origin}/index.html?${query}`));
        // And in the other engines (React 19 and Vue: React 18's card runs the same code in the browser).
        const others = selectedEngines().filter((e) => e !== 'chromium');
        if (!isolated && name !== 'react18' && others.length) await step(`${name} adapt (${others.join(', ')})`, () => adaptInEngines(`${server.origin}/index.html?${query}`, `${name} adapt`, others));
      } finally {
        await server.close();
      }
    }
  }
  if (!only || only.includes('svelte')) {
    // Svelte: the README's tsconfig "types" entry makes svelteHTML know the tags and type their events.
    // skipLibCheck as in Svelte's templates: the generator writes JSX.Element and JSX.CSSProperties, which
    // exist in JSX frameworks, not in Svelte (they read as any there).
    await step('svelte types', async () => {
      const dir = join(WORK, 'svelte');
      rmSync(dir, { recursive: true, force: true });
      installTarball(dir, tarball, { name: 'svelte-types-check' });
      writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, noEmit: true, module: 'ESNext', moduleResolution: 'bundler', target: 'ES2022', lib: ['ES2022', 'DOM'], skipLibCheck: true, types: ['digit-classifier/frameworks/svelte'] }, include: ['check.ts'] }));
      writeFileSync(join(dir, 'check.ts'), [
        "export const pad: svelteHTML.IntrinsicElements['digit-pad'] = { preview: true, 'on:digit-prediction': (e) => console.log(e.detail.digit, e.detail.final) };",
        "export const matrix: svelteHTML.IntrinsicElements['confusion-matrix'] = { 'on:confusion-cell-select': (e) => console.log(e.detail.actual, e.detail.predicted) };",
        "// @ts-expect-error: the pad has no such property",
        "export const wrong: svelteHTML.IntrinsicElements['digit-pad'] = { 'pen-color': 'red' };",
        '',
      ].join('\n'));
      typecheckDir('svelte types', 'tsc', dir);
      console.log(`svelte types: typechecked (${seconds()} s)`);
    });
    // The README's Svelte component, compiled by Svelte 5 (no compiler warning), built by Vite (none either) and
    // run: its on:digit-prediction handler shows the pad's reading.
    await step('svelte app', async () => {
      const dir = join(WORK, 'svelte');
      const deps = join(HERE, 'svelte-deps');
      if (!existsSync(join(deps, 'node_modules/svelte'))) execFileSync('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: deps, stdio: 'inherit' });
      symlinkSync(join(deps, 'node_modules/svelte'), join(dir, 'node_modules/svelte'), 'dir');
      const { compile } = await import(join(deps, 'node_modules/svelte/src/compiler/index.js'));
      for (const [file, text] of Object.entries(readmeFiles('svelte'))) {
        mkdirSync(dirname(join(dir, file)), { recursive: true });
        writeFileSync(join(dir, file), text);
      }
      writeFileSync(join(dir, 'src/main.js'), "import { mount } from 'svelte';\nimport App from './App.svelte';\n\nmount(App, { target: document.body });\n");
      writeFileSync(join(dir, 'index.html'), '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>svelte</title><link rel="icon" href="data:,"></head><body><script type="module" src="/src/main.js"></script></body></html>');
      const problems = [];
      const svelte = { name: 'svelte', transform(code, id) {
        if (!id.endsWith('.svelte')) return null;
        const result = compile(code, { filename: id, generate: 'client', css: 'injected' });
        for (const w of result.warnings) problems.push(`svelte: ${w.code}: ${w.message}`);
        return result.js;
      } };
      await build({ root: dir, configFile: false, plugins: [svelte], customLogger: recordingLogger(problems), logLevel: 'warn', build: { reportCompressedSize: false, rolldownOptions: { checks: { bundlerTimings: false } } } });
      if (problems.length) throw new Error(`svelte app: ${problems.join('\n')}`);
      const server = await serveStatic(join(dir, 'dist'), { isolated: false });
      const page = await browser.newPage();
      try {
        const errors = [];
        page.on('pageerror', (e) => errors.push(e.message));
        await page.goto(`${server.origin}/index.html`);
        await page.waitForFunction(() => customElements.get('digit-pad') && document.querySelector('softmax-bars') && document.querySelector('output'), null, { timeout: 30_000 });
        // The element's own event, as the pad dispatches it: the Svelte handler must show its reading, a digit
        // or "not a digit".
        const show = async (detail) => {
          await page.evaluate((d) => document.getElementById('pad').dispatchEvent(new CustomEvent('digit-prediction', { detail: { ...d, final: true, probabilities: new Float32Array(10) }, bubbles: true, composed: true })), detail);
          await page.waitForFunction((text) => document.querySelector('output').textContent === text, shownFor(detail), { timeout: 5_000 }).catch(() => undefined);
          return page.evaluate(() => document.querySelector('output').textContent);
        };
        const shown = [await show({ digit: 7, isDigit: true, digitScore: 0.99 }), await show({ digit: 4, isDigit: false, digitScore: 0.02 })];
        if (shown[0] !== '7' || shown[1] !== 'not a digit' || errors.length) throw new Error(`svelte app: the on:digit-prediction handler showed "${shown[0]}" for a 7 and "${shown[1]}" for a non-digit ${errors.join('; ')}`);
      } finally {
        await page.close();
        await server.close();
      }
      console.log(`svelte app: compiled, built and run (${seconds()} s)`);
    });
  }
  if (!only || only.includes('angular')) {
    const log = (line) => console.log(`${line} (${seconds()} s)`);
    await step('angular', () => angularApp({ tarball, work: WORK, browser, readmeFiles, recordingLogger, log }));
  }
  if (!only || only.includes('plain')) {
    await step('README browser examples', () => readmeBrowserBlocks({ root: ROOT, tarball, work: WORK, browser, recordingLogger, log: (line) => console.log(`${line} (${seconds()} s)`) }));
  }
  if (!only || only.includes('dev')) {
    // Vite's dev server: the React 19 app, unbuilt (sources, the package's dist/ as is).
    const dir = existsSync(join(WORK, 'react19/node_modules/digit-classifier')) ? join(WORK, 'react19') : prepare('react19', tarball);
    const problems = [];
    const server = await createServer({ root: dir, configFile: join(dir, 'vite.config.ts'), customLogger: recordingLogger(problems), logLevel: 'warn', server: { port: 0, host: '127.0.0.1' }, optimizeDeps: { noDiscovery: false } });
    await server.listen();
    try {
      const origin = server.resolvedUrls.local[0].replace(/\/$/, '');
      for (const m of MODES.filter((x) => x.isolated)) {
        await step(`vite dev ${m.mode}`, () => trainThroughUi(browser, `vite dev ${m.mode}`, `${origin}/index.html?${m.query}`, m, { problems }));
        problems.length = 0;
      }
    } finally {
      await server.close();
    }
  }
  if (failures.length) throw new Error(`framework apps: ${failures.length} failed (${seconds()} s):\n\n${failures.join('\n\n')}`);
  console.log(`framework apps: ok (${seconds()} s)`);
} finally {
  await browser.close();
  rmSync(packDir, { recursive: true, force: true });
}
